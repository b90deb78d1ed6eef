#!/usr/bin/env python3
"""Differential test data for kvasir-core's Jinja engine: a seeded generator writes many small
templates (filter chains, tests, loops and conditions over none / undefined / lists / dicts / strings,
generators from map/select/unique/..., error cases) and renders each with Python Jinja2 in the
environment transformers uses (make_env of gen-template-goldens.py: trim_blocks, lstrip_blocks,
raise_exception, tojson = json.dumps). Output:
kvasir-core/src/test/resources/templates/jinja-differential.golden.json
  {"seed", "jinja2", "vars", "cases": [{"template", "expected" | "error": "ExceptionType: message"}]}
JinjaDifferentialTest renders the same templates and compares (output exactly, after replacing
object addresses "at 0x..." in reprs; errors by exception type).

Usage:  python3 scripts/gen-jinja-differential.py [COUNT]   (default 1500; same seed, same file)
"""
import copy
import importlib.util
import json
import os
import random
import re
import subprocess
import sys

import jinja2

SEED = 17
HERE = os.path.dirname(os.path.abspath(__file__))

VARS = {
    "n": None, "t": True, "z": 0, "i": 7, "f": 2.5, "s": "Hello World", "es": "", "ws": "  pad  ",
    "l": [3, 1, 2, 1], "ls": ["b", "A", "c", "a"], "e": [], "mixed": [0, 1, "", "x", None, True],
    "nested": [[1, 2], [3]], "d": {"a": 1, "b": {"c": [1, 2]}, "role": "user"}, "ed": {},
    "msgs": [{"role": "system", "content": "sys"}, {"role": "user", "content": "hi"},
             {"role": "assistant", "content": None, "tool_calls": [{"name": "f"}]},
             {"role": "user", "content": " bye "}],
}

BASES = ["n", "none", "missing", "d.zz", "msgs[0].nope", "l", "ls", "e", "mixed", "nested", "d", "ed", "s", "es",
         "ws", "msgs", "msgs[1]", "t", "z", "i", "f", "[1, 2, 2]", "{'k': 'v'}", "'abc'", "(1, 2)",
         "msgs[2].content", "l[9]"]

FILTERS = [
    "selectattr('role')", "selectattr('role', 'equalto', 'user')", "rejectattr('content')",
    "rejectattr('role', 'in', ['user'])", "selectattr('tool_calls', 'defined')", "select", "select('odd')",
    "select('none')", "reject('none')", "reject('string')", "map('upper')", "map('string')",
    "map(attribute='role')", "map(attribute='content', default='?')", "map('length')", "list", "first", "last",
    "length", "count", "join", "join(',')", "join(', ', attribute='role')", "sort", "sort(reverse=true)",
    "sort(attribute='role')", "unique", "reverse", "tojson", "tojson(indent=2)", "string", "trim", "upper",
    "lower", "default('D')", "default('D', true)", "d('x')", "items", "dictsort", "sum", "min", "max",
    "batch(2)", "int", "float", "abs", "round", "capitalize", "title", "replace('l', 'L')", "e", "safe",
    "wordcount", "indent(2)", "center(9)", "attr('role')", "list|length", "first|default('none left')",
]

# The cases issue #17 named, always included: filters over none, tojson of a generator.
FIXED = [
    "{{ none|selectattr('role', 'equalto', 'user')|list }}", "{{ n|selectattr('role')|list|length }}",
    "{{ none|map(attribute='content')|join(',') }}", "{{ none|rejectattr('x')|first is undefined }}",
    "{% for m in n|selectattr('role', 'equalto', 'system') %}{{ m }}{% else %}no system{% endfor %}",
    "{{ msgs|map(attribute='role')|tojson }}", "{{ msgs|selectattr('role', 'equalto', 'user')|tojson }}",
    "{{ msgs|map(attribute='role')|list|tojson }}", "{{ l|unique|tojson }}", "{{ d|items|tojson }}",
    "{{ l|reverse|tojson }}", "{{ none|list }}", "{{ none|join }}", "{{ none|length }}", "{{ none|first }}",
    "{{ none|items|list }}", "{{ none|dictsort }}", "{{ none|sort }}", "{{ none|unique|list }}",
    "{{ none|reverse }}", "{{ none|tojson }}", "{{ none|batch(2)|list }}",
    "{% set g = msgs|map(attribute='role') %}{{ g|first }}{{ g|list }}{{ g|list }}",
    "{{ [1, 'a']|map('abs')|first }}", "{{ msgs|map(attribute='role') is sequence }}",
]

TESTS = ["defined", "undefined", "none", "string", "mapping", "iterable", "sequence", "number", "true", "false",
         "boolean", "integer", "float", "callable", "odd", "even", "lower", "upper", "in ['hi', 1]",
         "equalto 1", "eq 'sys'", "sameas none", "divisibleby 2"]


def chain(rng):
    expr = rng.choice(BASES)
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        expr += "|" + rng.choice(FILTERS)
    return expr


def case(rng):
    e = chain(rng)
    form = rng.randrange(12)
    if form == 0:
        return "{{ " + e + "|tojson }}"
    if form == 1:
        return "{{ " + e + " is " + rng.choice(TESTS) + " }}"
    if form == 2:
        return "{% for x in " + e + " %}[{{ x }}{{ loop.index }}/{{ loop.length }}]{% else %}empty{% endfor %}"
    if form == 3:
        return "{% if " + e + " %}T{% else %}F{% endif %}"
    if form == 4:
        return "{% set g = " + e + " %}{{ g|list }}|{{ g|list }}"
    if form == 5:
        return "{{ " + rng.choice(["'x'", "1", "'role'", "none"]) + " in " + e + " }}"
    if form == 6:
        return "{{ (" + e + ") ~ '|' ~ (" + chain(rng) + ") }}"
    if form == 7:
        return "{% for m in msgs|" + rng.choice(FILTERS[:15]) + " %}{{ m.role if m is mapping else m }};{% endfor %}"
    if form == 8:
        return "{{ " + e + "|" + rng.choice(["first", "last", "length", "list", "join('-')", "tojson"]) + " }}"
    return "{{ " + e + " }}"


def load_make_env():
    spec = importlib.util.spec_from_file_location("goldens", os.path.join(HERE, "gen-template-goldens.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_env


ADDRESS = re.compile(r"(?i) at 0x[0-9a-f]+")


def render(env, source):
    try:
        # a fresh copy each time: some filters mutate their argument (indent does `s += "\\n"` on a list)
        return {"template": source, "expected": env.from_string(source).render(**copy.deepcopy(VARS))}
    except Exception as e:  # the error kind is what the Java side must match
        return {"template": source, "error": f"{type(e).__name__}: {e}"}


def render_elsewhere(sources):
    """The same sources rendered by a second Python process: its heap (ASLR) puts objects elsewhere."""
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--render"], input=json.dumps(sources),
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def normalized(rendered):
    return ADDRESS.sub(" at 0x", json.dumps(rendered))


def main():
    env = load_make_env()()
    if sys.argv[1:] == ["--render"]:
        json.dump([render(env, source) for source in json.load(sys.stdin)], sys.stdout)
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    rng = random.Random(SEED)
    seen, cases, dropped = set(FIXED), [], 0
    pending = list(FIXED)
    while len(cases) < count:
        batch, pending = pending, []
        while len(batch) < count - len(cases):
            source = case(rng)
            if source not in seen:
                seen.add(source)
                batch.append(source)
        # a case whose output depends on object addresses beyond a repr's "at 0x..." (the characters of a
        # generator's repr looped over, say) cannot be compared: it differs between two processes
        for here, there in zip([render(env, s) for s in batch], render_elsewhere(batch)):
            if normalized(here) == normalized(there):
                cases.append(here)
            else:
                dropped += 1
    repo = os.path.dirname(HERE)
    path = os.path.join(repo, "kvasir-core", "src", "test", "resources", "templates", "jinja-differential.golden.json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump({"seed": SEED, "jinja2": jinja2.__version__, "vars": VARS, "cases": cases}, f, ensure_ascii=False,
                  indent=0)
        f.write("\n")
    errors = sum("error" in c for c in cases)
    kinds = sorted({c["error"].split(":")[0] for c in cases if "error" in c})
    print(f"{path}: {len(cases)} cases, {errors} raise ({', '.join(kinds)}); {dropped} address-dependent ones dropped")


if __name__ == "__main__":
    main()
