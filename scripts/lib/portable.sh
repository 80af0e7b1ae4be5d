# The packaged binaries run on CPUs other than the build machine's (docs/packaging.md):
# whisper.cpp is compiled for the x86-64-v3 baseline (.cargo/config.toml), the CLI transcribes
# under qemu emulating a Haswell (AVX2, no AVX-512) and fails with a sentence, not SIGILL,
# on a Nehalem (no AVX), and no packaged binary holds an instruction above the baseline.
# Needs common.sh (ensure_apt_packages).

PORTABLE_PACKAGES=(qemu-user espeak-ng sox binutils)

# Words the 4-second clip says; the Haswell run must hear most of them.
PORTABLE_CLIP_TEXT="The cache sits in front of the database and absorbs most reads."
PORTABLE_CLIP_WORDS=(cache front database reads)

# Speech for the emulated runs: espeak-ng, 16 kHz mono (as scripts/bench-stt.sh makes it).
make_portable_clip() {
  local out="$1" raw
  raw="$(mktemp --suffix=.wav)"
  espeak-ng -s 160 -w "$raw" "$PORTABLE_CLIP_TEXT"
  sox "$raw" -r 16000 -c 1 -b 16 "$out"
  rm -f "$raw"
}

# The emulated runs transcribe with the default model quantised to q8_0 (what the catalogue's
# tiny.en-q8_0 is), installed by BINARY as a custom model in DIR. qemu computes every lane of
# every floating-point FMA in software (`perf`: 91 % of its time in `float32_muladd`), and
# q8_0's matrix products are mostly integer AVX2 instructions, which it emulates far faster:
# the 4-second clip took 435 s with the f16 model and 215 s with this one (2 threads, the same
# words). The f16 kernels' instructions are covered by check_package_baseline's disassembly.
make_portable_model() {
  local binary="$1" dir="$2"
  mkdir -p "$dir"
  (cd "$REPO_ROOT" && cargo run -q -p rehearse-stt --example quantize -- \
    "$REHEARSE_MODELS_DIR/ggml-tiny.en.bin" "$dir/portable-q8.bin" q8_0) &&
    REHEARSE_MODELS_DIR="$dir" REHEARSE_DATA_DIR="$dir/data" "$binary" models install-file "$dir/portable-q8.bin"
}

# Runs BINARY under `qemu-x86_64 -cpu CPU` on the clip with the model make_portable_model
# installed in MODELS; prints its output, sets PORTABLE_RC (its exit status; 128+N for a
# signal, as bash reports it).
run_emulated_practice() {
  local cpu="$1" binary="$2" clip="$3" data="$4" models="$5"
  PORTABLE_RC=0
  # TCG warns about CPUID bits it does not emulate (pcid, x2apic, ...): noise, not failures.
  REHEARSE_DATA_DIR="$data/$cpu" REHEARSE_WHISPER_THREADS=2 \
    REHEARSE_MODELS_DIR="$models" REHEARSE_MODEL=custom/portable-q8 \
    qemu-x86_64 -cpu "$cpu" "$binary" practice --prompt doc-qa-10k --audio "$clip" --json \
    >"$data/$cpu.out" 2>"$data/$cpu.err" || PORTABLE_RC=$?
  grep -v "TCG doesn't support requested feature" "$data/$cpu.err" >&2 || true
}

# The CLI BINARY (default: the installed package's /usr/bin/rehearse) on emulated CPUs.
# REHEARSE_MODELS_DIR must hold the default model (make_portable_model quantises it).
test_portable_cli() {
  local binary="${1:-/usr/bin/rehearse}"
  ensure_apt_packages "${PORTABLE_PACKAGES[@]}"
  local work rc=0 version
  work="$(mktemp -d)"
  make_portable_clip "$work/clip.wav"
  make_portable_model "$binary" "$work/models" || { rm -rf "$work"; return 1; }

  version="$(qemu-x86_64 -cpu Nehalem "$binary" --version 2>/dev/null)"
  echo "$binary --version: $version"
  case "$version" in
    *"built for x86-64-v3 "*) ;;
    *) echo "expected a build for x86-64-v3, got: $version" >&2; rc=1 ;;
  esac

  # Haswell: AVX2, FMA, F16C, BMI2, no AVX-512. Must transcribe.
  local started=$SECONDS
  run_emulated_practice Haswell "$binary" "$work/clip.wav" "$work" "$work/models"
  if [ "$PORTABLE_RC" -ne 0 ]; then
    echo "under qemu -cpu Haswell the CLI failed (exit $PORTABLE_RC) on a clip it should transcribe" >&2
    rc=1
  else
    local text heard=0 word
    text="$(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(" ".join(s["text"] for s in r["transcript"]["segments"]).lower())' "$work/Haswell.out")"
    for word in "${PORTABLE_CLIP_WORDS[@]}"; do
      [[ "$text" == *"$word"* ]] && heard=$((heard + 1))
    done
    echo "Haswell ($((SECONDS - started)) s emulated): heard \"$text\" ($heard of ${#PORTABLE_CLIP_WORDS[@]} key words)"
    if [ "$heard" -lt 3 ]; then
      echo "the transcript under qemu -cpu Haswell misses the clip's words" >&2
      rc=1
    fi
  fi

  # Nehalem: SSE4.2, no AVX. Either transcribes or says why not, with an exit code.
  run_emulated_practice Nehalem "$binary" "$work/clip.wav" "$work" "$work/models"
  if [ "$PORTABLE_RC" -eq 0 ]; then
    echo "Nehalem: transcribed"
  elif [ "$PORTABLE_RC" -gt 128 ]; then
    echo "under qemu -cpu Nehalem the CLI died of signal $((PORTABLE_RC - 128)) instead of saying why" >&2
    rc=1
  elif grep -q "processor lacks AVX" "$work/Nehalem.err"; then
    echo "Nehalem: refused politely (exit $PORTABLE_RC): $(grep -o 'processor lacks [^,]*' "$work/Nehalem.err" | head -n 1)"
  else
    echo "under qemu -cpu Nehalem the CLI failed (exit $PORTABLE_RC) without naming the missing instruction set" >&2
    rc=1
  fi
  rm -rf "$work"
  return $rc
}

# Counts instructions above x86-64-v3 in an ELF binary: AVX-512 (zmm registers, the upper
# 16 xmm/ymm registers, opmask k registers, EVEX-only mnemonics), VNNI and AMX. Prints the
# count, and a few examples on stderr.
count_above_baseline() {
  local found
  found="$(mktemp)"
  objdump -d --no-show-raw-insn "$1" |
    grep -E '%zmm[0-9]|%[xy]mm(1[6-9]|2[0-9]|3[01])\b|%k[0-7]\b|\b(vpermt2|vpermi2|vpternlog|vpcompress|vpexpand|kmov|kortest|vpdpbusd|vpdpwssd|vdpbf16ps|vcvtne2ps2bf16|tdpb|tileloadd|ldtilecfg)' \
      >"$found" || true
  head -n 3 "$found" >&2
  wc -l <"$found"
  rm -f "$found"
}

# Every executable the package installs holds no instruction above the baseline. DEB: a .deb
# file (unpacked, nothing installed).
check_package_baseline() {
  local deb="$1" unpacked rc=0 exe n
  ensure_apt_packages binutils
  unpacked="$(mktemp -d)"
  dpkg-deb -x "$deb" "$unpacked"
  for exe in "$unpacked"/usr/bin/*; do
    n="$(count_above_baseline "$exe")"
    if [ "$n" -ne 0 ]; then
      echo "$(basename "$exe"): $n instructions above x86-64-v3 (AVX-512/AMX; examples above)" >&2
      rc=1
    else
      echo "$(basename "$exe"): no instruction above x86-64-v3"
    fi
  done
  rm -rf "$unpacked"
  return $rc
}

# test_portable_cli on the CLI inside the .deb DEB (the bytes apt installs as /usr/bin/rehearse),
# without installing it.
test_portable_deb_cli() {
  local deb="$1" unpacked rc=0
  unpacked="$(mktemp -d)"
  dpkg-deb -x "$deb" "$unpacked"
  test_portable_cli "$unpacked/usr/bin/rehearse" || rc=$?
  rm -rf "$unpacked"
  return $rc
}
