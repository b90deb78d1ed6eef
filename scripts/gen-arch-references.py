#!/usr/bin/env python3
"""Records llama.cpp's greedy continuations on Kvasir's synthetic models of each family, as test data.

For every family of `kvasir dev synth --arch` this script
  1. writes the F32 model with Kvasir (`bin/kvasir dev synth --arch A --type f32 --seed 1`),
  2. makes the F16 and Q8_0 variants with llama.cpp's `llama-quantize` from that F32 file and checks
     that Kvasir's own `--type f16` / `--type q8_0` files hold byte-identical tensors (the tests
     regenerate Kvasir's file, so the weights they run are the ones llama.cpp ran),
  3. runs `llama-server` on each variant: `/tokenize` (with special tokens) gives the prompt ids,
     `/completion` with those ids, n_predict 24, temperature 0, n_probs 5, ignore_eos, gives the
     greedy ids and the top-5 log-probabilities of every step (softmax of the raw logits),
  4. writes kvasir-core/src/test/resources/reference/arch/<arch>-<type>.llama-server.json.

Usage (from the repository root):
    scripts/gen-arch-references.py LLAMA_BIN_DIR [SHARED_DIR]
LLAMA_BIN_DIR holds llama-server and llama-quantize; SHARED_DIR defaults to ../shared.
"""
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

FAMILIES = {  # arch -> (vocabulary donor in shared/tokenizers, context_length); must match ArchShape.Preset
    "qwen3": ("ggml-vocab-gpt-2.gguf", 256),
    "smollm3": ("ggml-vocab-gpt-2.gguf", 256),
    "granite": ("ggml-vocab-gpt-2.gguf", 256),
    # phi3 runs at its full context (512 > original 128), so llama.cpp picks rope_factors_long as Kvasir does
    "phi3": ("ggml-vocab-phi-3.gguf", 512),
    # SPM vocabulary (Gemma's own is not in shared/); window 16: the long prompt (59 tokens) makes every
    # local layer drop positions
    "gemma2": ("ggml-vocab-llama-spm.gguf", 256),
    "gemma3": ("ggml-vocab-llama-spm.gguf", 256),
}
TYPES = ["f32", "f16", "q8_0"]
SEED = 1
N_PREDICT = 24
N_PROBS = 5
PROMPTS = [
    "The quick brown fox",
    # longer than qwen3's YaRN original context (64) and phi3's chunk boundaries
    "Once upon a time, in a small village at the edge of a great forest, there lived an old clockmaker "
    "who repaired every clock in town. One winter morning a stranger knocked on his door, carrying a "
    "broken silver watch that had stopped at exactly midnight, and asked",
]
OUT_DIR = "kvasir-core/src/test/resources/reference/arch"


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tensor_digest(path):
    """sha256 over every tensor's name, ggml type, shape and data, by name (what ArchReferenceTest recomputes).

    By name, not file order: llama-quantize writes output.weight first and sorts each block's tensors."""
    sys.path.insert(0, os.path.join(LLAMA_SRC, "gguf-py"))
    import gguf  # noqa: E402 (llama.cpp's own reader)
    reader = gguf.GGUFReader(path)
    h = hashlib.sha256()
    for t in sorted(reader.tensors, key=lambda t: t.name):
        h.update(t.name.encode())
        h.update(struct.pack("<I", int(t.tensor_type)))
        for d in t.shape:
            h.update(struct.pack("<Q", int(d)))
        h.update(bytes(t.data.tobytes()))
    return h.hexdigest()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port, path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)


def run_server(bin_dir, model, context):
    port = free_port()
    proc = subprocess.Popen([f"{bin_dir}/llama-server", "-m", model, "--port", str(port), "-c", str(context),
                             "-t", "2", "-np", "1", "--no-warmup",
                             # weight repacking (Q8_0 -> interleaved x4) dies with SIGILL on this build's CPU
                             # and would change the arithmetic; the plain CPU kernels are the reference
                             "--no-repack"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return proc, port
        except Exception:
            pass
        if proc.poll() is not None:
            sys.exit(f"llama-server exited on {model}")
        time.sleep(0.2)
    proc.kill()
    sys.exit(f"llama-server did not come up on {model}")


def record(bin_dir, model, context):
    proc, port = run_server(bin_dir, model, context)
    try:
        cases = []
        for prompt in PROMPTS:
            ids = post(port, "/tokenize", {"content": prompt, "add_special": True})["tokens"]
            r = post(port, "/completion", {"prompt": ids, "n_predict": N_PREDICT, "temperature": 0, "n_probs": N_PROBS,
                                           "ignore_eos": True, "cache_prompt": False, "return_tokens": True})
            steps = r["completion_probabilities"]
            generated = [s["id"] for s in steps]
            tokens = r.get("tokens") or generated
            if tokens != generated:
                # llama-server gives a token that ends inside a UTF-8 character (an SPM byte token such as
                # <0xC4>) no probabilities entry; align the entries to the tokens and store null there
                aligned, j = [], 0
                for tok in tokens:
                    if j < len(steps) and steps[j]["id"] == tok:
                        aligned.append(steps[j])
                        j += 1
                    else:
                        aligned.append(None)
                if j != len(steps):
                    sys.exit(f"{model}: probabilities {generated} are not a subsequence of tokens {tokens}")
                steps, generated = aligned, tokens
            top = [None if s is None else [{"id": p["id"], "logprob": p["logprob"]} for p in s["top_logprobs"]]
                   for s in steps]
            cases.append({"prompt": prompt, "prompt_ids": ids, "generated_ids": generated, "top_logprobs": top})
        return cases
    finally:
        proc.terminate()
        proc.wait()


def main():
    global LLAMA_SRC
    bin_dir = os.path.abspath(sys.argv[1])
    shared = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "../shared")
    LLAMA_SRC = os.path.abspath(os.path.join(bin_dir, "..", ".."))
    commit = subprocess.run(["git", "-C", LLAMA_SRC, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    os.makedirs(OUT_DIR, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        only = os.environ.get("ARCHS", "").split(",") if os.environ.get("ARCHS") else list(FAMILIES)
        for arch, (donor, context) in FAMILIES.items():
            if arch not in only:
                continue
            vocab = os.path.join(shared, "tokenizers", donor)
            kvasir = {}
            for t in TYPES:
                kvasir[t] = os.path.join(tmp, f"{arch}-{t}.kvasir.gguf")
                subprocess.run(["bin/kvasir", "dev", "synth", "--arch", arch, "--type", t, "--seed", str(SEED),
                                "--vocab-from", vocab, "-o", kvasir[t]], check=True, capture_output=True)
            for t in TYPES:
                if t == "f32":
                    model = kvasir[t]
                else:
                    model = os.path.join(tmp, f"{arch}-{t}.llama-quantize.gguf")
                    subprocess.run([f"{bin_dir}/llama-quantize", kvasir["f32"], model, t.upper()], check=True,
                                   capture_output=True)
                digest = tensor_digest(model)
                same = digest == tensor_digest(kvasir[t])
                print(f"{arch} {t}: tensors of llama.cpp's file {'equal' if same else 'DIFFER FROM'} Kvasir's",
                      file=sys.stderr)
                ref = {
                    "reference": "llama.cpp llama-server /completion (temperature 0, n_probs 5, F16 KV cache default)",
                    "llama_cpp_commit": commit,
                    "arch": arch, "type": t, "seed": SEED, "vocab": donor, "context": context,
                    "made_by": "kvasir dev synth" if t == "f32" else "llama-quantize from the f32 file",
                    "kvasir_sha256": sha256(kvasir[t]),
                    "tensor_sha256": digest,
                    "kvasir_tensors_equal": same,
                    "n_predict": N_PREDICT,
                    "cases": record(bin_dir, model, context),
                }
                with open(os.path.join(OUT_DIR, f"{arch}-{t}.llama-server.json"), "w") as f:
                    json.dump(ref, f, indent=1)
                    f.write("\n")


if __name__ == "__main__":
    main()
