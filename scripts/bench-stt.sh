#!/usr/bin/env bash
# Speech-to-text benchmark: our whisper.cpp pipeline and faster-whisper (CPU, int8) side by
# side on the same generated speech, same model size (tiny.en: our ggml is converted from the
# very CTranslate2 folder faster-whisper loads), same threads, same decoding settings.
# Prints a table: time, real-time factor, WER for both and the ratio of our time to theirs,
# then our streaming figures (fed in real time) and peak memory. Not part of scripts/test.sh
# (it takes a few minutes); the bench's pure parts have unit tests in crates/cli.
#
#   bash scripts/bench-stt.sh                      # defaults: the app's model and threads
#   bash scripts/bench-stt.sh --threads 2 --no-stream
#   bash scripts/bench-stt.sh --model /path/to/ggml-tiny.en-q8_0.bin --repeat 3
#   bash scripts/bench-stt.sh --json > bench.json
#   bash scripts/bench-stt.sh --set ../shared/speech-real   # real voices instead of espeak-ng
#
# Every argument goes to `rehearse-bench stt` (see `rehearse-bench stt --help`); threads,
# beam size, initial prompt and (with --mode utterances) skipping silence are handed to
# faster-whisper to match. FW_COMPUTE_TYPE (default int8) and FW_SPEC (the pip requirement)
# change faster-whisper's side.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

BENCH_DIR="$REHEARSE_CACHE/bench"
FILES_DIR="$BENCH_DIR/stt"
FW_SITE="$BENCH_DIR/fw-site"
FW_SPEC="${FW_SPEC:-faster-whisper==1.2.1}"
FW_COMPUTE_TYPE="${FW_COMPUTE_TYPE:-int8}"
ANSWERS="$REPO_ROOT/scripts/bench/answers"
# --set DIR (first argument): a folder of NAME.wav + NAME.txt recordings (16 kHz mono 16-bit)
# to run instead of the generated espeak-ng speech. FW_PLAIN=1: faster-whisper without our
# initial prompt (its defaults), the yardstick for "what the model does on its own".
SPEECH_SET=""
if [ "${1:-}" = "--set" ]; then
  SPEECH_SET="$(cd "$2" && pwd)"
  shift 2
fi
export FW_PLAIN="${FW_PLAIN:-0}"
# Progress on stderr, so --json output stays clean on stdout.
say() { printf '%s\n' "$*" >&2; }

ensure_apt_packages espeak-ng sox python3 python3-pip >&2

say "Building the CLI and rehearse-bench (whisper.cpp and rehearse-stt are optimised even in this build)"
build_cli >&2
(cd "$REPO_ROOT" && cargo build -q -p rehearse-bench) >&2
BENCH_BIN="$CARGO_TARGET_DIR/debug/rehearse-bench"
ensure_default_model >&2
ensure_ct2_source >&2

# Speech: each answers/NAME.txt spoken by espeak-ng, paragraphs separated by 1.2 s pauses,
# resampled to 16 kHz mono 16-bit (both engines read exactly these samples). Regenerated when
# a text, the voice settings or espeak-ng's version change.
generate_speech() {
  local stamp="$FILES_DIR/.stamp" want
  want="$( (cat "$ANSWERS"/*.txt; espeak-ng --version; echo "-s 160 break=1200ms") | sha256sum | cut -c1-16)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "Speech files: up to date in $FILES_DIR"
    return
  fi
  rm -rf "$FILES_DIR" && mkdir -p "$FILES_DIR"
  local txt name
  for txt in "$ANSWERS"/*.txt; do
    name="$(basename "$txt" .txt)"
    python3 - "$txt" >"$FILES_DIR/$name.ssml" <<'EOF'
import html, sys
text = open(sys.argv[1], encoding="utf-8").read()
paras = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
print("<speak>" + ' <break time="1200ms"/> '.join(html.escape(p) for p in paras) + "</speak>")
EOF
    espeak-ng -m -s 160 -w "$FILES_DIR/$name.raw.wav" -f "$FILES_DIR/$name.ssml"
    sox "$FILES_DIR/$name.raw.wav" -r 16000 -c 1 -b 16 "$FILES_DIR/$name.wav"
    rm -f "$FILES_DIR/$name.raw.wav" "$FILES_DIR/$name.ssml"
    # The words spoken, one line: the reference for WER.
    tr '\n' ' ' <"$txt" | tr -s ' ' >"$FILES_DIR/$name.txt"
    say "  $name: $(soxi -D "$FILES_DIR/$name.wav") s"
  done
  echo "$want" >"$stamp"
}

# faster-whisper and its dependencies into a folder of their own (see scripts/lib/llm.sh for
# why --target).
ensure_faster_whisper() {
  local stamp="$FW_SITE/.rehearse-stamp"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$FW_SPEC" ]; then
    say "faster-whisper: cached in $FW_SITE"
    return
  fi
  say "Installing $FW_SPEC into $FW_SITE (~1 min)"
  rm -rf "$FW_SITE" && mkdir -p "$FW_SITE"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    --target "$FW_SITE" "$FW_SPEC" >&2
  echo "$FW_SPEC" >"$stamp"
}

if [ -n "$SPEECH_SET" ]; then
  FILES_DIR="$SPEECH_SET"
  say "== Speech files: $FILES_DIR"
else
  say "== Speech files"
  generate_speech
fi
say "== faster-whisper"
ensure_faster_whisper

RUN="$(mktemp -d "${TMPDIR:-/tmp}/rehearse-bench.XXXXXX")"
trap 'rm -rf "$RUN"' EXIT
"$BENCH_BIN" stt --files "$FILES_DIR" "$@" --show-config >"$RUN/config.json"
python3 - "$RUN" <<'EOF'
import json, sys
run = sys.argv[1]
c = json.load(open(f"{run}/config.json"))
import os
plain = os.environ.get("FW_PLAIN") == "1"
open(f"{run}/prompt.txt", "w").write("" if plain else (c.get("initial_prompt") or ""))
if "tiny.en" not in c["model"]:
    print(f"warning: faster-whisper runs tiny.en; ours runs {c['model']}", file=sys.stderr)
open(f"{run}/fw-args", "w").write(
    f"--threads {c['threads']} --beam-size {c['beam_size']}"
    + (" --vad" if c["mode"] == "utterances" else "")
)
EOF
REPEAT="$(python3 -c 'import sys
a = sys.argv[1:]
print(a[a.index("--repeat") + 1] if "--repeat" in a else 1)' "$@")"

say "== faster-whisper ($FW_COMPUTE_TYPE, $(cat "$RUN/fw-args"))"
# shellcheck disable=SC2046
PYTHONPATH="$FW_SITE${PYTHONPATH:+:$PYTHONPATH}" python3 "$REPO_ROOT/scripts/bench/faster_whisper_bench.py" \
  --model-dir "$CT2_TINY_EN" --files "$FILES_DIR" --compute-type "$FW_COMPUTE_TYPE" \
  --prompt-file "$RUN/prompt.txt" --repeat "$REPEAT" $(cat "$RUN/fw-args") --out "$RUN/fw.json"

say "== ours (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
"$BENCH_BIN" stt --files "$FILES_DIR" --compare "$RUN/fw.json" "$@"
