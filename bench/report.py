#!/usr/bin/env python3
"""Turns the raw results of compare-llamacpp.sh (a run directory) into BENCHMARKS.md on stdout."""
import json
import os
import re
import sys

run, reps, big_reps, big_pp, big_tg = sys.argv[1:6]
PAIRS = [("stories260K", "stories260K.gguf (F32, 260K params, head dim 8)"),
         ("tinyllama-q8_0", "TinyLlama-1.1B shape, Q8_0 (random weights)"),
         ("tinyllama-q4_0", "TinyLlama-1.1B shape, Q4_0 (random weights)")]


def read(name):
    with open(os.path.join(run, name)) as f:
        return f.read()


def exists(name):
    return os.path.exists(os.path.join(run, name))


def rss_mib(name):
    if not exists(name + ".time"):
        return None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", read(name + ".time"))
    return int(m.group(1)) / 1024 if m else None


def llamacpp_results(name):
    out = {}
    for r in json.loads(read(name + ".llamacpp.json")):
        test = ("pp%d" % r["n_prompt"]) if r["n_prompt"] > 0 else ("tg%d" % r["n_gen"])
        out[(test, r["n_threads"])] = (r["avg_ts"], r["stddev_ts"])
    return out


def kvasir_results(name):
    data = json.loads(read(name + ".kvasir.json"))
    return {(r["test"], r["threads"]): (r["avg_ts"], r["stddev_ts"]) for r in data["results"]}


machine = dict(line.split("=", 1) for line in read("machine.txt").splitlines() if "=" in line)
print("# Benchmarks: Kvasir vs llama.cpp\n")
print("Produced by `bench/compare-llamacpp.sh` (one session, both engines on the same GGUF files and thread counts).")
print("Regenerate with `bench/compare-llamacpp.sh`; raw JSON of this run was in `%s`.\n" % run)
print("## Machine\n")
print("| | |\n|---|---|")
print("| CPU | %s |" % machine.get("cpu", "?"))
print("| cores | %s |" % machine.get("cores", "?"))
print("| memory | %s |" % machine.get("memory", "?"))
print("| JDK | %s |" % machine.get("jdk", "?"))
print("| llama.cpp | %s (from node-llama-cpp@3.22.1's git bundle, Release, GGML_NATIVE=ON, CPU backend) |" % machine.get("llamacpp", "?"))
print("| date | %s |" % machine.get("date", "?"))
print("| load average (1/5/15 min) before / after | %s / %s |" % (machine.get("load_before", "?"), machine.get("load_after", "?")))
def load1(key):
    try:
        return float(machine.get(key, "").split()[0])
    except (ValueError, IndexError):
        return 0.0


# The benchmark itself keeps up to all cores busy, so only a load above the core count before it
# started means other work was competing with it.
if load1("load_before") > float(machine.get("cores", "1") or 1):
    print("\n**The machine was shared** with other work when the run started (load average above the core count). "
          "Absolute numbers are therefore low and noisy for both engines; the two engines ran back to back on each "
          "model, so the ratios are more meaningful than the absolute tokens/s.\n")
else:
    print("\nNo other work was running (the load average counts the benchmark's own threads).\n")

print("## Tokens per second\n")
print("pp = prompt processing of N random tokens in one batch from an empty cache; tg = N single-token decode steps "
      "from an empty cache (llama-bench's definitions). stories260K: pp512/tg64, %s repetitions; 1.1B-shape models: "
      "pp%s/tg%s, %s repetition(s). Mean ± sample stddev (± 0 with one repetition). Each engine warms up untimed "
      "first (llama-bench: the full prompt and one decoded token, once; Kvasir: a prompt of min(N, 128) tokens or "
      "min(N, 16) decoded tokens, repeated for at least 2 s so the JIT has compiled the kernels).\n" % (reps, big_pp, big_tg, big_reps))
print("Run knobs: `%s`, Kvasir commit `%s`.\n" % (machine.get("knobs", "?"), machine.get("kvasir", "?")))
print("| model | threads | test | llama.cpp t/s | Kvasir t/s | Kvasir / llama.cpp |")
print("|---|---:|---|---:|---:|---:|")
for name, label in PAIRS:
    if not (exists(name + ".llamacpp.json") and exists(name + ".kvasir.json")):
        print("| %s | | | missing | missing | |" % label)
        continue
    ref, ours = llamacpp_results(name), kvasir_results(name)
    for key in sorted(ref, key=lambda k: (k[1], k[0][:2] != "pp")):
        test, threads = key
        r = ref[key]
        o = ours.get(key)
        ratio = "%.2f" % (o[0] / r[0]) if o else "?"
        print("| %s | %d | %s | %.2f ± %.2f | %s | %s |" % (label, threads, test, r[0], r[1],
                                                         ("%.2f ± %.2f" % o) if o else "missing", ratio))

print("\n## Peak RSS\n")
print("Maximum resident set size of each whole benchmark process (`/usr/bin/time -v`), MiB. Kvasir's includes the JVM "
      "(heap, JIT, code cache); both map the weights, so mapped weight pages count once they are touched.\n")
print("| model | llama-bench | kvasir bench |")
print("|---|---:|---:|")
for name, label in PAIRS:
    a, b = rss_mib(name + ".llamacpp"), rss_mib(name + ".kvasir")
    print("| %s | %s | %s |" % (label, "%.0f" % a if a else "?", "%.0f" % b if b else "?"))

print("\n## Prompt cache: time to first token\n")
print("Kvasir only (llama-bench has no equivalent). A prompt of random tokens is evaluated from scratch (prefill + "
      "argmax), versus loading its saved `.kvc` prompt cache (all prompt tokens but the last; written just before, "
      "so it is in the OS page cache) and decoding the last prompt token. Both paths must pick the same first token.\n")
print("| model | threads | prompt tokens | TTFT from scratch | .kvc load | TTFT from .kvc | speedup | .kvc size | same token |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
for name, label in [("cache.stories260K", PAIRS[0][1]), ("cache.tinyllama-q4_0", PAIRS[2][1])]:
    if not exists(name + ".json"):
        continue
    for c in json.loads(read(name + ".json"))["cache"]:
        print("| %s | %d | %d | %.3f s | %.3f s | %.3f s | %.0fx | %.1f MiB | %s |" % (
            label, c["threads"], c["prompt_tokens"], c["scratch_seconds"], c["load_seconds"], c["cached_ttft_seconds"],
            c["speedup"], c["kvc_bytes"] / 2**20, "yes" if c["same_first_token"] else "NO"))

print("\n## Commands\n")
print("```")
for f in sorted(os.listdir(run)):
    if f.endswith(".cmd"):
        print(read(f).strip().replace(os.path.expanduser("~"), "~"))
print("```")
