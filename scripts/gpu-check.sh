#!/usr/bin/env bash
# Opt-in check of a GPU build of the speech engine (not part of scripts/test.sh: compiling
# whisper.cpp's Vulkan shaders takes ~10 minutes on 2 cores). Builds rehearse-stt with a GPU
# feature into its own target folder, then runs the same clip:
#   1. on the GPU (for Vulkan without a GPU: Mesa's software device, lavapipe),
#   2. with the GPU turned off (use_gpu = false),
#   3. with no usable driver (VK_ICD_FILENAMES=/nonexistent for Vulkan), which must fall
#      back to the CPU and say so, not crash.
#
#   bash scripts/gpu-check.sh [vulkan|cuda]      # default vulkan
#
# Vulkan on Debian 12: libvulkan-dev, glslc, mesa-vulkan-drivers (lavapipe). Debian 12's
# Vulkan headers (1.3.239) are too old for whisper.cpp 1.8's ggml-vulkan (it uses
# VK_EXT_layer_settings, headers >= 1.3.261); this script unpacks Debian 13's libvulkan-dev
# headers (1.4.309) into the cache with a private apt configuration (the system's sources
# are not touched) and puts them first on the include path. CUDA: nvidia-cuda-toolkit.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

FEATURE="${1:-vulkan}"
export CARGO_TARGET_DIR="$REHEARSE_CACHE/target-$FEATURE"
VK_HEADERS="$REHEARSE_CACHE/vulkan-headers-1.4.309"

newer_vulkan_headers() {
  if [ -f "$VK_HEADERS/include/vulkan/vulkan.hpp" ]; then return; fi
  local apt_dir deb_dir
  apt_dir="$(mktemp -d)"
  deb_dir="$(mktemp -d)"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
    >"$apt_dir/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null)
  apt-get "${opts[@]}" update -qq
  (cd "$deb_dir" && apt-get "${opts[@]}" download libvulkan-dev=1.4.309.0-1)
  dpkg -x "$deb_dir"/libvulkan-dev_*.deb "$deb_dir/root"
  mkdir -p "$VK_HEADERS"
  cp -r "$deb_dir/root/usr/include" "$VK_HEADERS/"
  rm -rf "$apt_dir" "$deb_dir"
}

case "$FEATURE" in
  vulkan)
    ensure_apt_packages libvulkan-dev glslc mesa-vulkan-drivers vulkan-tools
    newer_vulkan_headers
    export CXXFLAGS="-isystem $VK_HEADERS/include"
    ;;
  cuda) ensure_apt_packages nvidia-cuda-toolkit ;;
  *) echo "usage: $0 [vulkan|cuda]" >&2; exit 2 ;;
esac

ensure_default_model
ensure_apt_packages espeak-ng sox
CLIP="$(mktemp -d)/clip.wav"
espeak-ng -s 160 -w "$CLIP.raw.wav" "I would start with the requirements. How many users are there?"
sox "$CLIP.raw.wav" -r 16000 -c 1 -b 16 "$CLIP"
MODEL="$HOME/.local/share/rehearse/models/ggml-tiny.en.bin"

step "Building rehearse-stt --features $FEATURE into $CARGO_TARGET_DIR"
started=$(date +%s)
(cd "$REPO_ROOT" && cargo build -q -p rehearse-stt --features "$FEATURE" --example backend_check)
echo "build: $(( $(date +%s) - started )) s"
BIN="$CARGO_TARGET_DIR/debug/examples/backend_check"
[ "$FEATURE" = vulkan ] && vulkaninfo --summary 2>/dev/null | grep -E "deviceName|driverName" || true

step "1. GPU"
if [ "$FEATURE" = vulkan ] && ! vulkaninfo --summary 2>/dev/null | grep -q "PHYSICAL_DEVICE_TYPE_.*GPU"; then
  # ggml skips CPU-type Vulkan devices unless asked for one by index: with no GPU, use
  # lavapipe explicitly. It is software rendering: ~15x slower than whisper.cpp's CPU code
  # (measured: 150 s for a 9.4 s clip), so one run only.
  echo "No Vulkan GPU: using Mesa's software device (lavapipe) explicitly"
  GGML_VK_VISIBLE_DEVICES=0 "$BIN" "$MODEL" "$CLIP" 1 gpu 1
else
  "$BIN" "$MODEL" "$CLIP" 1 gpu 2
fi
step "2. GPU turned off (use_gpu = false)"
"$BIN" "$MODEL" "$CLIP" 1 cpu 1
step "3. No usable GPU driver: must fall back to the CPU and say so"
if [ "$FEATURE" = vulkan ]; then
  out="$(VK_ICD_FILENAMES=/nonexistent "$BIN" "$MODEL" "$CLIP" 1 gpu 1)"
else
  out="$(CUDA_VISIBLE_DEVICES=-1 "$BIN" "$MODEL" "$CLIP" 1 gpu 1)"
fi
echo "$out"
grep -q "unavailable: .*; using CPU" <<<"$out" || { echo "FAIL: no fallback notice" >&2; exit 1; }
grep -q "requirements" <<<"$out" || { echo "FAIL: no transcript on the CPU fallback" >&2; exit 1; }
echo "OK: the $FEATURE build runs on the GPU when it can and falls back to the CPU when it cannot"
