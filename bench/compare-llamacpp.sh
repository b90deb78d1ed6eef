#!/usr/bin/env bash
# Runs Kvasir and llama.cpp's llama-bench on the same GGUF files with the same thread counts, in one
# session, and writes BENCHMARKS.md (machine, commands, tokens/s of both, ratios, prompt-cache TTFT,
# peak RSS).
#
# llama.cpp comes from the npm registry (node-llama-cpp@3.22.1 ships the llama.cpp source as a git
# bundle) and is built once into ${KVASIR_CACHE:-~/.cache/kvasir}/llamacpp, outside the repository;
# an existing build there is reused. Synthetic TinyLlama-1.1B-shape models are written there too.
#
# Knobs (environment): THREADS (default 1,2), REPS (stories260K, default 5), BIG_REPS (1.1B models,
# default 2: on 2 cores one pp512 of a 1.1B model takes ~half a minute per engine, minutes when the
# machine is busy), BIG_PP / BIG_TG (1.1B test sizes, default 512 / 128), CACHE_PROMPT (default 2048),
# CACHE_PROMPT_BIG (TTFT prompt on the 1.1B model, default CACHE_PROMPT), OUT (default BENCHMARKS.md in the repository), KVASIR_SKIP_BUILD=1 (reuse the jar).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
CACHE="${KVASIR_CACHE:-$HOME/.cache/kvasir}"
LLAMA_DIR="$CACHE/llamacpp"
LLAMA_BENCH="$LLAMA_DIR/src/build/bin/llama-bench"
MODELS="$CACHE/models"
SHARED="${SHARED_MODELS:-}"
if [[ -z "$SHARED" ]]; then # ../shared next to the repository, or next to a parent (git worktrees)
  for d in "$ROOT/.." "$ROOT/../.." "$ROOT/../../.."; do
    [[ -d "$d/shared/models" ]] && SHARED="$(cd "$d/shared/models" && pwd)" && break
  done
fi
[[ -n "$SHARED" ]] || { echo "compare-llamacpp: shared/models (stories260K.gguf, llama-2-tiny-random-f16.gguf) not found; set SHARED_MODELS" >&2; exit 1; }
THREADS="${THREADS:-1,2}"
REPS="${REPS:-5}"
BIG_REPS="${BIG_REPS:-2}"
BIG_PP="${BIG_PP:-512}"
BIG_TG="${BIG_TG:-128}"
CACHE_PROMPT="${CACHE_PROMPT:-2048}"
CACHE_PROMPT_BIG="${CACHE_PROMPT_BIG:-$CACHE_PROMPT}"
OUT="${OUT:-$ROOT/BENCHMARKS.md}"
NODE_LLAMA_CPP="node-llama-cpp@3.22.1"
RUN="$(mktemp -d "${TMPDIR:-/tmp}/kvasir-compare.XXXXXX")"

log() { echo "[compare] $*" >&2; }

install_llamacpp() {
  if [[ -x "$LLAMA_BENCH" ]]; then
    log "reusing $LLAMA_BENCH"
    return
  fi
  log "building llama.cpp from $NODE_LLAMA_CPP into $LLAMA_DIR (first run only; takes a while)"
  mkdir -p "$LLAMA_DIR"
  (
    cd "$LLAMA_DIR"
    ls node-llama-cpp-*.tgz >/dev/null 2>&1 || npm pack "$NODE_LLAMA_CPP" >/dev/null
    rm -rf package src
    tar xzf node-llama-cpp-*.tgz
    git clone -q package/llama/gitRelease.bundle src
    cmake -S src -B src/build -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF -DGGML_NATIVE=ON -DLLAMA_BUILD_TESTS=OFF >cmake.log
    cmake --build src/build --target llama-bench -j "$(nproc)" >build.log
  )
}

build_kvasir() {
  if [[ "${KVASIR_SKIP_BUILD:-0}" == 1 && -f "$ROOT/kvasir-cli/target/kvasir.jar" ]]; then
    return
  fi
  log "building the Kvasir CLI jar"
  # bin/kvasir finds a JDK 25 (the default java may be older) and rebuilds the jar when it is stale.
  "$ROOT/bin/kvasir" --version >/dev/null
}

synth_models() {
  mkdir -p "$MODELS"
  local t
  for t in q8_0 q4_0; do
    local f="$MODELS/tinyllama-1.1b-shape-$t.gguf"
    if [[ ! -f "$f" ]]; then
      log "synthesizing $f"
      "$ROOT/bin/kvasir" dev synth --shape tinyllama-1.1b --type "$t" \
        --vocab-from "$SHARED/llama-2-tiny-random-f16.gguf" -o "$f"
    fi
  done
}

# timed NAME CMD...: runs CMD with /usr/bin/time -v (when present) so its peak RSS lands in $RUN/NAME.time
timed() {
  local name="$1"; shift
  echo "$*" >"$RUN/$name.cmd"
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -v -o "$RUN/$name.time" "$@"
  else
    "$@"
  fi
}

# pair NAME MODEL PP TG REPS: both engines, same file, same tests and threads
pair() {
  local name="$1" model="$2" pp="$3" tg="$4" reps="$5"
  log "$name: llama.cpp"
  timed "$name.llamacpp" "$LLAMA_BENCH" -m "$model" -p "$pp" -n "$tg" -t "$THREADS" -r "$reps" -o json \
    >"$RUN/$name.llamacpp.json" 2>"$RUN/$name.llamacpp.err"
  log "$name: kvasir"
  timed "$name.kvasir" "$ROOT/bin/kvasir" bench -m "$model" -p "$pp" -n "$tg" -t "$THREADS" -r "$reps" \
    --cache-prompt 0 --json >"$RUN/$name.kvasir.json" 2>"$RUN/$name.kvasir.err"
}

machine() {
  {
    echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n1)"
    echo "cores=$(nproc)"
    echo "memory=$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
    echo "jdk=$(java_version)"
    echo "llamacpp=$(git -C "$LLAMA_DIR/src" describe --tags --always 2>/dev/null || echo unknown)"
    echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "knobs=THREADS=$THREADS REPS=$REPS BIG_REPS=$BIG_REPS BIG_PP=$BIG_PP BIG_TG=$BIG_TG CACHE_PROMPT=$CACHE_PROMPT CACHE_PROMPT_BIG=$CACHE_PROMPT_BIG"
    echo "kvasir=$(git -C "$ROOT" rev-parse --short HEAD)"
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  } >"$RUN/machine.txt"
}

java_version() {
  local j="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
  "$j" -version 2>&1 | head -n1
}

main() {
  install_llamacpp
  build_kvasir
  synth_models
  machine
  pair stories260K "$SHARED/stories260K.gguf" 512 64 "$REPS"
  pair tinyllama-q8_0 "$MODELS/tinyllama-1.1b-shape-q8_0.gguf" "$BIG_PP" "$BIG_TG" "$BIG_REPS"
  pair tinyllama-q4_0 "$MODELS/tinyllama-1.1b-shape-q4_0.gguf" "$BIG_PP" "$BIG_TG" "$BIG_REPS"
  log "prompt-cache TTFT"
  timed cache.stories260K "$ROOT/bin/kvasir" bench -m "$SHARED/stories260K.gguf" -p 0 -n 0 -t "$THREADS" \
    --cache-prompt "$CACHE_PROMPT" --json >"$RUN/cache.stories260K.json" 2>"$RUN/cache.stories260K.err"
  timed cache.tinyllama-q4_0 "$ROOT/bin/kvasir" bench -m "$MODELS/tinyllama-1.1b-shape-q4_0.gguf" -p 0 -n 0 \
    -t "${THREADS##*,}" --cache-prompt "$CACHE_PROMPT_BIG" --json >"$RUN/cache.tinyllama-q4_0.json" 2>"$RUN/cache.tinyllama-q4_0.err"
  echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RUN/machine.txt"
  python3 "$ROOT/bench/report.py" "$RUN" "$REPS" "$BIG_REPS" "$BIG_PP" "$BIG_TG" >"$OUT"
  log "wrote $OUT (raw results in $RUN)"
}

main "$@"
