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
# are not touched) and puts them first on the include path.
#
# CUDA: a CUDA toolkit already on the PATH (nvcc) is used; otherwise NVIDIA's CUDA 13.0
# compiler, runtime and cuBLAS wheels from PyPI are unpacked into the cache (Debian 12 has no
# CUDA 13 toolkit, and its 11.8 one is in non-free). The wheels carry no libcuda.so (the
# driver's library) to link against, so a stand-in with the few driver functions ggml calls
# is compiled (the toolkit's own stubs/libcuda.so does the same); the real driver's
# libcuda.so.1 is loaded at run time. CUDA_ARCHS (default 90, i.e. H100/H200; e.g. "86;89")
# picks the GPUs the kernels are compiled for (one took 33 min on 2 cores).
# A CUDA build needs the NVIDIA driver to start at all (libcuda.so.1); with the driver but
# no usable GPU it falls back to the CPU. Without a GPU here, step 1 also falls back, and
# step 3 puts the stand-in first on the library path to check the fallback.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

FEATURE="${1:-vulkan}"
# The GPU build gets a target folder of its own (set below, after the default model, which
# the default build installs).
GPU_TARGET_DIR="$REHEARSE_CACHE/target-$FEATURE"
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

CUDA_WHEELS="${CUDA_WHEELS:-$REHEARSE_CACHE/cuda-13.0}"
CUDA_WHEEL_SPECS=(nvidia-cuda-nvcc==13.0.88 nvidia-cuda-crt==13.0.88 nvidia-nvvm==13.0.88
  nvidia-cuda-runtime==13.0.96 nvidia-cuda-cccl==13.0.85 nvidia-cublas==13.0.2.14)
DRIVER_STUB_FUNCTIONS=(cuDeviceGet cuDeviceGetAttribute cuMemAddressFree cuMemAddressReserve
  cuMemCreate cuMemGetAllocationGranularity cuMemMap cuMemRelease cuMemSetAccess cuMemUnmap)

cuda_toolkit_from_pypi() {
  local root="$CUDA_WHEELS/nvidia/cu13"
  if [ ! -x "$root/bin/nvcc" ]; then
    echo "Unpacking CUDA 13.0 from PyPI into $CUDA_WHEELS (~600 MB)"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
      --no-deps --target "$CUDA_WHEELS" "${CUDA_WHEEL_SPECS[@]}"
  fi
  # CMake's CUDA support looks in lib64, and the linker wants unversioned names.
  ln -sfn lib "$root/lib64"
  for l in cudart cublas cublasLt; do ln -sf "lib$l.so.13" "$root/lib/lib$l.so"; done
  mkdir -p "$root/lib/stubs" "$root/driver-stub"
  # whisper-rs-sys asks for libculibos, which only a static cuBLAS needs: an empty archive.
  [ -f "$root/lib/libculibos.a" ] || ar rcs "$root/lib/libculibos.a"
  local fn
  {
    echo "/* Stand-in for the NVIDIA driver's libcuda.so.1: links, and says there is no GPU. */"
    for fn in "${DRIVER_STUB_FUNCTIONS[@]}"; do echo "int $fn(void) { return 100; }"; done
    echo 'int cuGetErrorString(int e, const char **s) { (void)e; *s = "no NVIDIA driver"; return 0; }'
  } >"$root/lib/stubs/libcuda-stub.c"
  cc -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$root/lib/stubs/libcuda.so" "$root/lib/stubs/libcuda-stub.c"
  ln -sf ../lib/stubs/libcuda.so "$root/driver-stub/libcuda.so.1"
  export PATH="$root/bin:$PATH" CUDACXX="$root/bin/nvcc" CUDAToolkit_ROOT="$root"
  export CMAKE_CUDA_COMPILER="$root/bin/nvcc"
  export RUSTFLAGS="-L native=$root/lib -L native=$root/lib/stubs"
  export LD_LIBRARY_PATH="$root/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  CUDA_DRIVER_STUB="$root/driver-stub"
}

case "$FEATURE" in
  vulkan)
    ensure_apt_packages libvulkan-dev glslc mesa-vulkan-drivers vulkan-tools
    newer_vulkan_headers
    export CXXFLAGS="-isystem $VK_HEADERS/include"
    ;;
  cuda)
    ensure_apt_packages python3-pip
    command -v nvcc >/dev/null 2>&1 || cuda_toolkit_from_pypi
    export CMAKE_CUDA_ARCHITECTURES="${CUDA_ARCHS:-90}"
    ;;
  *) echo "usage: $0 [vulkan|cuda]" >&2; exit 2 ;;
esac

ensure_default_model
ensure_apt_packages espeak-ng sox
CLIP="$(mktemp -d)/clip.wav"
espeak-ng -s 160 -w "$CLIP.raw.wav" "I would start with the requirements. How many users are there?"
sox "$CLIP.raw.wav" -r 16000 -c 1 -b 16 "$CLIP"
MODEL="$HOME/.local/share/rehearse/models/ggml-tiny.en.bin"

export CARGO_TARGET_DIR="$GPU_TARGET_DIR"
step "Building the CLI and rehearse-stt's backend_check with $FEATURE into $CARGO_TARGET_DIR"
started=$(date +%s)
# Both in one build, so that later builds of the CLI alone reuse this whisper.cpp build.
(cd "$REPO_ROOT" && cargo build -q -p rehearse-cli -p rehearse-stt \
  --features "rehearse-cli/$FEATURE" --example backend_check)
echo "build: $(( $(date +%s) - started )) s; the CLI with $FEATURE: $CARGO_TARGET_DIR/debug/rehearse"
BIN="$CARGO_TARGET_DIR/debug/examples/backend_check"
[ "$FEATURE" = vulkan ] && vulkaninfo --summary 2>/dev/null | grep -E "deviceName|driverName" || true
if [ -n "${CUDA_DRIVER_STUB:-}" ] && ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "No NVIDIA driver here: the stand-in libcuda.so.1 plays one that finds no GPU"
  export LD_LIBRARY_PATH="$CUDA_DRIVER_STUB:$LD_LIBRARY_PATH"
fi

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
