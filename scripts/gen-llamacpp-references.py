#!/usr/bin/env python3
"""Records llama.cpp's greedy continuations of extra prompts on stories260K, as test data.

Runs llama.cpp's `llama-simple` (greedy sampler, F16 KV cache: llama.cpp's defaults) and stores, per
prompt, the text it generated. Usage:
    scripts/gen-llamacpp-references.py LLAMA_BIN_DIR MODEL.gguf > kvasir-core/src/test/resources/reference/llama-simple.stories260K.json
LLAMA_BIN_DIR holds a llama.cpp build (bench/compare-llamacpp.sh makes one).
"""
import json
import subprocess
import sys

PROMPTS = [
    "The little dog",
    "Tom had a red ball",
    "One day, a girl named Sue",
    'She said, "Hello!"',
    "Once upon a time, in a big forest, there lived",
    "The sun was",
    "Ben and Mia went to the park. They",
    "Why is the sky blue?",
    "a",
    "Lily was sad because her friend",
]
N_PREDICT = 64


def main():
    bin_dir, model = sys.argv[1], sys.argv[2]
    cases = []
    for prompt in PROMPTS:
        out = subprocess.run([f"{bin_dir}/llama-simple", "-m", model, "-n", str(N_PREDICT), prompt],
                             capture_output=True, check=True).stdout.decode("utf-8")
        # llama-simple echoes the prompt's pieces (BOS rendered as <s>, SPM's leading space) and ends with a newline
        echoed = "<s> " + prompt
        if not out.startswith(echoed) or not out.endswith("\n"):
            sys.exit(f"unexpected llama-simple output for {prompt!r}: {out[:80]!r}")
        cases.append({"prompt": prompt, "generated_text": out[len(echoed):-1]})
    json.dump({"reference": "llama.cpp llama-simple (greedy, F16 KV cache)", "model": "stories260K.gguf",
               "n_predict": N_PREDICT, "cases": cases}, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
