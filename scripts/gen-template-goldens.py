#!/usr/bin/env python3
"""Renders the shared chat templates with Jinja2 exactly as Hugging Face transformers does and writes
golden files for kvasir-core's template tests (kvasir-core/src/test/resources/templates/*.golden.json).

Environment = transformers' render_jinja_template: ImmutableSandboxedEnvironment(trim_blocks,
lstrip_blocks, loopcontrols), tojson = json.dumps(ensure_ascii=False, ...), raise_exception,
strftime_now. strftime_now uses a FIXED clock (FIXED_NOW) so the goldens are reproducible; the Java
tests render with the same instant. Variables passed like apply_chat_template: messages, tools
(None when absent), documents=None, add_generation_prompt, bos_token, eos_token.

Usage:  python3 scripts/gen-template-goldens.py [path/to/shared]
Each golden: {"template": source file, "cases": [{name, messages, tools, add_generation_prompt,
bos_token, eos_token, expected | error}]}. "error" is "ExceptionType: message".
"""
import datetime
import json
import os
import struct
import sys

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

FIXED_NOW = datetime.datetime(2025, 3, 7, 14, 5, 9)  # keep in sync with ChatTemplateGoldenTest.FIXED_NOW


def make_env():
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return FIXED_NOW.strftime(format)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def gguf_string(path, wanted):
    """The string value of metadata key `wanted` in a GGUF v2/v3 file (a tiny reader: no dependency)."""
    scalar = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
    with open(path, "rb") as f:
        def read(fmt):
            size = struct.calcsize(fmt)
            return struct.unpack(fmt, f.read(size))[0]

        def read_str():
            return f.read(read("<Q")).decode("utf-8")

        def skip_value(vtype):
            if vtype == 8:
                f.seek(read("<Q"), 1)
            elif vtype == 9:
                item_type, count = read("<I"), read("<Q")
                for _ in range(count):
                    skip_value(item_type)
            else:
                f.seek(struct.calcsize(scalar[vtype]), 1)

        if f.read(4) != b"GGUF" or read("<I") not in (2, 3):
            raise SystemExit(f"{path}: not a GGUF v2/v3 file")
        read("<Q")  # tensor count
        for _ in range(read("<Q")):
            key, vtype = read_str(), read("<I")
            if key == wanted and vtype == 8:
                return read_str()
            skip_value(vtype)
    raise SystemExit(f"{path}: no string metadata key {wanted}")


def msg(role, content, **extra):
    # Key order = ChatTemplate's message map order: role, content, tool_calls, tool_call_id, name.
    m = {"role": role, "content": content}
    for key in ("tool_calls", "tool_call_id", "name"):
        if key in extra:
            m[key] = extra[key]
    return m


WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "The city, e.g. Zürich"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "description": "Temperature unit"},
                "days": {"type": "integer", "description": "Forecast days"},
            },
            "required": ["city"],
        },
    },
}

SYSTEM = msg("system", "You are a helpful assistant.  \n")
U1 = msg("user", "Hello! Who are you?")
A1 = msg("assistant", "I am an assistant. \"Quotes\", 'apostrophes' & ünïcødé ✓.")
U2 = msg("user", "  What is 2+2?\nAnswer briefly.  ")
A_THINK = msg("assistant", "<think>Simple sum.</think>It is 4.")


def tool_turns(arguments_as_string, call_id="call12345"):
    args = {"city": "Zürich", "unit": "celsius"}
    call = {"id": call_id, "type": "function",
            "function": {"name": "get_weather", "arguments": json.dumps(args) if arguments_as_string else args}}
    return [
        msg("user", "What's the weather in Zürich?"),
        msg("assistant", None, tool_calls=[call]),
        msg("tool", '{"temperature": 21.5, "sky": "sunny"}', tool_call_id=call_id, name="get_weather"),
    ]


def cases_for(template_name):
    cases = [
        ("user_only_gen", [U1], None, True),
        ("user_only_nogen", [U1], None, False),
        ("system_user_gen", [SYSTEM, U1], None, True),
        ("multi_turn_gen", [SYSTEM, U1, A1, U2], None, True),
        ("multi_turn_no_system_nogen", [U1, A1, U2, A_THINK], None, False),
        ("assistant_first_alternation", [A1, U1], None, True),
        ("empty_messages", [], None, True),
    ]
    string_args = "DeepSeek" in template_name or "Hermes" in template_name
    cases.append(("tool_call_with_tools", tool_turns(string_args, "abc123XYZ"), [WEATHER_TOOL], True))
    cases.append(("tool_call_dict_arguments", tool_turns(False, "abc123XYZ"), [WEATHER_TOOL], False))
    cases.append(("tools_listed_no_call", [SYSTEM, U1], [WEATHER_TOOL], True))
    return cases


# Focused Jinja semantics, each rendered with VARS; kept here so the Java expectations come from Jinja2 itself.
VARS = {"d": {"a": 1, "items": 5, "b": {"c": [1, 2]}}, "l": [3, 1, 2], "s": "Hello World", "n": None, "t": True,
        "f": 2.5, "msgs": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"},
                           {"role": "user", "content": " bye "}], "empty": [], "u": "ünï ✓ \"q\" \\ \n"}
SNIPPETS = [
    # precedence and arithmetic
    "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }} {{ -2 ** 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }}",
    "{{ 1 / 2 }} {{ 4 / 2 }} {{ 10 / 3 }} {{ 2 ** -1 }} {{ 2 ** 0.5 }} {{ 7.5 // 2 }} {{ -7.5 % 2 }} {{ 3 * 'ab' }} {{ [1] * 2 }}",
    "{{ 1 + 2 ~ 3 }}",
    "{{ (1 + 2) ~ 3 }} {{ 'a' ~ 1 ~ none ~ undefined_var ~ true }} {{ 2 * 3 ~ 4 }}",
    "{{ not 1 == 2 }} {{ not true and false }} {{ true or false and false }} {{ 0 or '' or 'x' }} {{ 1 and 0 }} {{ none or [] }}",
    "{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 1 != 2 }}",
    "{{ 'a' in 'cat' }} {{ 2 in l }} {{ 5 not in l }} {{ 'a' in d }} {{ 'z' not in d }} {{ not 'x' in 'abc' }}",
    "{{ 'yes' if t else 'no' }}|{{ 'yes' if n else 'no' }}|{{ 1 if false }}|{{ (1 if false) is defined }}|{{ 'a' if 0 else 'b' if 1 else 'c' }}",
    # floats, printing, repr
    "{{ 1e20 }} {{ 1.5e-5 }} {{ 0.1 + 0.2 }} {{ 1e16 }} {{ 1e15 }} {{ 123456789.125 }} {{ 0.0001 }} {{ -0.0 }} {{ 100.0 }} {{ 2.5e-300 * 1e-10 }}",
    "{{ [1, 'a', none, true, 1.0, (1,), {'k': [2]}, ()] }} {{ \"it's\" }} {{ ['it\\'s', 'a\"b', 'x\\ny', 'tab\\t'] }}",
    "{{ d }} {{ d.b }} {{ (1, 'x') }} {{ {'a': none, 1: 2.0} }} {{ u }} {{ [u] }} {{ n }} {{ t }} {{ f }} {{ range(3) | list }}",
    # undefined
    "[{{ missing }}][{{ missing is defined }}][{{ missing is undefined }}][{{ d.zz }}][{{ d.zz is defined }}][{{ l[10] }}][{{ n.x }}][{{ missing|length }}]",
    "{% for x in missing %}never{% else %}empty{% endfor %}{{ missing|default('dflt') }} {{ ''|default('e', true) }} {{ none|d('z') }}",
    "{{ missing.attr }}",
    "{{ missing + 1 }}",
    "{{ d.zz.y }}",
    "{{ 'a' + 1 }}",
    "{{ 1 + none }}",
    "{{ [1] + (2,) }}",
    "{{ 1 / 0 }}",
    "{{ 1 < 'a' }}",
    "{{ none|tojson }}{{ missing|tojson }}",
    "{{ l.append(4) }}",
    "{% for x in 5 %}{% endfor %}",
    "{{ raise_exception('custom failure: ' ~ l|length) }}",
    "{{ 'abc'.nope() }}",
    "{% set ns.x = 1 %}",
    "{% for a, b in [1, 2] %}{% endfor %}",
    # attribute vs item
    "{{ d['items'] }} {{ d.get('a') }} {{ d.get('zz', 7) }} {{ d.get('zz') }} {{ d.keys()|list }} {{ d.values()|list|length }} {{ d.b.c[1] }} {{ d['b']['c'][-1] }}",
    "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %} {% for k, v in d|items %}{{ k }}{% endfor %} {% for k in d %}{{ k }}{% endfor %} {% for k, v in d|dictsort %}{{ k }}{% endfor %}",
    # slices
    "{{ l[::-1] }} {{ l[1:] }} {{ l[:-1] }} {{ l[::2] }} {{ s[1:3] }} {{ s[::-2] }} {{ s[-5:] }} {{ l[5:] }} {{ l[-10:1] }} {{ u[::-1] }} {{ l[1:0:-1] }}",
    # loops
    "{% for x in l %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}",
    "{% for x in l %}[{{ loop.previtem }}<{{ x }}>{{ loop.nextitem }}]{% endfor %} {% for x in l if x > 1 %}{{ x }}/{{ loop.length }}{{ loop.cycle('a', 'b') }} {% endfor %}",
    "{% for x in l %}{% if x == 1 %}{% continue %}{% endif %}{% if x == 2 %}{% break %}{% endif %}{{ x }}{% endfor %} {% for m in msgs %}{{ m.role[0] }}{% endfor %}",
    "{% set x = 1 %}{% for i in [1, 2] %}[{{ x }}]{% set x = i * 10 %}({{ x }}){% endfor %}{{ x }}",
    "{% set ns = namespace(total=0, seen=[]) %}{% for i in l %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }} {{ ns.seen }}",
    "{% for a, b in [(1, 2), (3, 4)] %}{{ a + b }},{% endfor %} {% for (a, b) in [[1, 2]] %}{{ a }}{{ b }}{% endfor %}",
    "{% for i in range(2) %}{% for j in range(1, 4, 2) %}{{ i }}{{ j }}{{ loop.index }} {% endfor %}{% endfor %}",
    # set, macro, call
    "{% set a, b = 1, 2 %}{{ a }}{{ b }} {% set t = 1, 2 %}{{ t }} {% set blk %}  in block {{ a }}  {% endset %}[{{ blk }}] {% set blk2 | trim | upper %}  x  {% endset %}[{{ blk2 }}]",
    "{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Bob') }} {{ greet('Al', greeting='Hi') }} {{ greet(name='Z') }}",
    "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}inside {{ s }}{% endcall %}",
    "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1)|int }}{% endif %}{% endmacro %}{{ fact(5) }}",
    "{% with a = 5, b = 'x' %}{{ a }}{{ b }}{% endwith %}{{ a is defined }} {% filter upper %}shout {{ s }}{% endfilter %} {% raw %}{{ not parsed }}{% endraw %}",
    # tests
    "{{ s is string }} {{ d is mapping }} {{ l is iterable }} {{ s is iterable }} {{ 1 is number }} {{ t is number }} {{ l is sequence }} {{ d is sequence }} {{ n is none }} {{ t is boolean }} {{ 1 is boolean }}",
    "{{ t is true }} {{ 1 is true }} {{ false is false }} {{ 3 is odd }} {{ 4 is even }} {{ 'a' is equalto 'a' }} {{ 2 is eq 3 }} {{ 6 is divisibleby 3 }} {{ 2 is in l }} {{ 1.0 is float }} {{ 1 is integer }} {{ t is integer }} {{ n is not none }}",
    # string methods
    "{{ '  x  '.strip() }}|{{ 'xxhixx'.strip('x') }}|{{ '  x  '.lstrip() }}|{{ '  x  '.rstrip() }}|{{ 'a,b,,c'.split(',') }}|{{ '  a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}",
    "{{ s.startswith('He') }} {{ s.endswith(('x', 'ld')) }} {{ s.upper() }} {{ s.lower() }} {{ 'hello wORLD'.title() }} {{ 'hELLO'.capitalize() }} {{ s.replace('l', 'L') }} {{ s.replace('l', 'L', 2) }}",
    "{{ '{} and {}'.format(1, 'b') }} {{ '{0}{1}{0}'.format('a', 'b') }} {{ '{x}!'.format(x=3) }} {{ ', '.join(['a', 'b']) }} {{ s.find('o') }} {{ s.find('z') }} {{ s.count('l') }} {{ 'a</think>b'.split('</think>')[-1] }}",
    # filters
    "{{ l|length }} {{ s|count }} {{ '  t  '|trim }} {{ 'xxtxx'|trim('x') }} {{ l|join(', ') }} {{ l|join }} {{ msgs|map(attribute='role')|join(',') }} {{ l|map('string')|list }} {{ ['a', 'b']|map('upper')|list }}",
    "{{ msgs|selectattr('role', 'equalto', 'user')|list|length }} {{ msgs|rejectattr('role', 'equalto', 'user')|map(attribute='content')|list }} {{ l|select('odd')|list }} {{ l|reject('odd')|list }} {{ [0, 1, '', 'a']|select|list }} {{ msgs|selectattr('role')|list|length }}",
    "{{ l|first }} {{ l|last }} {{ s|first }} {{ empty|first }} {{ l|sort }} {{ l|sort(reverse=true) }} {{ ['b', 'A', 'c']|sort }} {{ l|sum }} {{ l|max }} {{ l|min }} {{ l|reverse|list }} {{ s|reverse }} {{ [1, 2, 1, 3]|unique|list }}",
    "{{ '42'|int }} {{ '3.7'|int }} {{ 'x'|int }} {{ 3.9|int }} {{ '2.5'|float }} {{ 3|float }} {{ 42|string }} {{ 'abc'|list }} {{ -3|abs }} {{ 3.14159|round(2) }} {{ 2.5|round }} {{ 3|round }} {{ 2.675|round(2) }} {{ 2.1|round(0, 'ceil') }}",
    "{{ 'hello-world foo_bar'|title }} {{ 'hELLo wOrld'|capitalize }} {{ s|upper }} {{ s|lower }} {{ s|replace('o', '0') }} {{ '<a href=\"x\">&\\'</a>'|e }} {{ '<b>'|safe }} {{ '%s-%d'|format('a', 3) }} {{ 'a b  c'|wordcount }}",
    "{{ 'line1\\nline2\\n\\nline4'|indent }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(width='> ', blank=true) }}|{{ [1, 2, 3, 4, 5]|batch(2)|list }} {{ d|dictsort(reverse=true) }} {{ msgs|map(attribute='missing', default='?')|list }}",
    # tojson
    "{{ {'a': 'ü', 'b': [1, 2.5, none, true], 'c': {'d': 'x\\ny\\t\"q\" \\\\'}}|tojson }}",
    "{{ {'a': {'b': []}, 'c': {}, 'e': [1, [2, {}]]}|tojson(indent=2) }}",
    "{{ d|tojson(sort_keys=true) }} {{ d|tojson(separators=(',', ':')) }} {{ 'ü✓'|tojson(ensure_ascii=true) }} {{ [1, 2]|tojson(indent=0) }} {{ (1, 'a')|tojson }} {{ 1e100|tojson }} {{ 'x'|tojson }}",
    "{{ msgs|tojson(indent=4) }}",
    # whitespace control
    "a  {%- if true -%}  b  {%- endif -%}  c {{- ' d ' -}} e {# comment #} f {#- trimmed -#} g",
    "line1\n    {% if true %}\n    kept\n    {% endif %}\nline2\n  {{ 'var' }}\n  {%+ if true %}plus{% endif %}\n{% if true +%}\nno-trim{% endif %}",
    "{% for m in msgs %}\n  {{ m.role }}: {{ m.content }}\n{% endfor %}\n{# c #}\n  {# indented comment #}\nend",
    "  {%- for x in l %}\n{{ x }}\n{%- endfor %}\n\n{{ 'tail' }}\n",
    "crlf\r\n{% if true %}\r\nx\r\n{% endif %}\r\n",
    "{{ 'a' }}\n{{ 'b' }}\n  {{ 'c' }}  \n",
    # strftime and globals
    "{{ strftime_now('%d %b %Y') }} {{ strftime_now('%Y-%m-%d %H:%M:%S %A %B %j %I%p') }} {{ dict(a=1, b='x') }} {{ namespace(a=1).a }} {{ range(5, 0, -2)|list }}",
    # features of newer chat templates (reverse scans, think-tag splitting, content type checks)
    "{% set ns = namespace(last=-1) %}{% for m in msgs[::-1] %}{% set i = (msgs|length - 1) - loop.index0 %}{% if ns.last == -1 and m.role == 'user' %}{% set ns.last = i %}{% endif %}{% endfor %}{{ ns.last }}",
    "{% set c = '<think>\\nplan\\n</think>\\n\\nanswer\\n' %}[{{ c.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}][{{ c.split('</think>')[-1].lstrip('\\n') }}]",
    "{% for m in msgs %}{{ m.content is string }}{{ m.content is not mapping }}{% if loop.changed(m.role) %}*{% endif %}{% endfor %} {{ '%s=%d%%' % ('x', 5) }} {{ '%05.1f|%-4s|%r' % (3.14159, 'ab', 'q') }}",
    "{{ '}}' }} {{ '{%' ~ \"%}\" }} {{ 'a' 'b' \"c\" }} {{ 0x1F }} {{ 1_000 }} {{ 0b101 }} {{ 1.5e3 }} {{ (1, 2) < (1, 3) }} {{ [1, [2]] == [1, [2]] }} {{ {'a': 1} == {'a': 1.0} }}",
    "{% set acc = '' %}{% for x in l %}{% set acc = acc ~ x %}{{ acc }},{% endfor %}[{{ acc }}] {{ missing|items|list }} {{ d|length }} {{ 'b' in d.b }} {{ 'c' in d.b }} {{ l|unique|list }} {{ [3, 1]|map('abs')|list }}",
    "{% macro m() %}\n  line\n  {% if true %}\n  in if\n  {% endif %}\n{% endmacro %}[{{ m() }}]{{ m()|length }}",
    "{{ msgs|map(attribute='content')|map('trim')|join('|') }} {{ msgs[0]|dictsort }} {{ msgs|selectattr('content', 'in', ['hi', 'yo'])|list|length }} {{ l|select('gt', 1)|list }} {{ l|reject('==', 1)|list }}",
    "{{ ''.join(['a', 'b']) }} {{ 'a-b-c'.split('-', 1) }} {{ 'x'.center(5) }}|{{ 'Ab'.lower is defined }} {{ 'Ab'.nope is defined }} {{ ' '.isspace() }} {{ '12'.isdigit() }} {{ 'abc'.index('c') }} {{ 'abcabc'.rfind('b') }}",
    # syntax errors
    "{% if true %}unclosed",
    "{{ 1 + }}",
    "{% for %}{% endfor %}",
    "{% endif %}",
    "{{ 'unterminated }}",
    "{% bogus %}",
    "{{ (1, 2 }}",
]


def render_snippets(env):
    out = []
    for source in SNIPPETS:
        try:
            case = {"template": source, "expected": env.from_string(source).render(**VARS)}
        except Exception as e:
            case = {"template": source, "error": f"{type(e).__name__}: {e}"}
        out.append(case)
    return {"vars": VARS, "cases": out}


def render_case(template, messages, tools, gen, bos, eos):
    try:
        return {"expected": template.render(messages=messages, tools=tools, documents=None,
                                            add_generation_prompt=gen, bos_token=bos, eos_token=eos)}
    except Exception as e:  # the goldens record what transformers would raise
        return {"error": f"{type(e).__name__}: {e}"}


def find_shared(start):
    """The shared data folder: a sibling `shared/` of the repo or of one of its ancestors (worktrees)."""
    d = start
    while True:
        if os.path.isdir(os.path.join(d, "shared", "chat-templates")):
            return os.path.join(d, "shared")
        parent = os.path.dirname(d)
        if parent == d:
            raise SystemExit("shared/ not found; pass its path as the first argument")
        d = parent


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shared = sys.argv[1] if len(sys.argv) > 1 else find_shared(repo)
    out_dir = os.path.join(repo, "kvasir-core", "src", "test", "resources", "templates")
    os.makedirs(out_dir, exist_ok=True)
    sources = {}
    tdir = os.path.join(shared, "chat-templates")
    for name in sorted(os.listdir(tdir)):
        if name.endswith(".jinja"):
            with open(os.path.join(tdir, name), encoding="utf-8", newline="") as f:
                sources["chat-templates/" + name] = f.read()
    phi3 = "tokenizers/ggml-vocab-phi-3.gguf"
    sources[phi3] = gguf_string(os.path.join(shared, phi3), "tokenizer.chat_template")

    env = make_env()
    for source_name, source in sources.items():
        template = env.from_string(source)
        cases = []
        for case_name, messages, tools, gen in cases_for(source_name):
            case = {"name": case_name, "messages": messages, "tools": tools, "add_generation_prompt": gen,
                    "bos_token": "<s>", "eos_token": "</s>"}
            case.update(render_case(template, messages, tools, gen, "<s>", "</s>"))
            cases.append(case)
        stem = os.path.basename(source_name).rsplit(".", 1)[0]
        path = os.path.join(out_dir, stem + ".golden.json")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            json.dump({"template": source_name, "cases": cases}, f, ensure_ascii=False, indent=1)
            f.write("\n")
        errors = sum("error" in c for c in cases)
        print(f"{path}: {len(cases)} cases, {errors} raise")
    path = os.path.join(out_dir, "jinja-semantics.golden.json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(render_snippets(env), f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{path}: {len(SNIPPETS)} snippets")


if __name__ == "__main__":
    main()
