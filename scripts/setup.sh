#!/usr/bin/env bash
# Command 1: set everything up, then start the Rehearse desktop app.
# Installs missing Debian packages, builds the UI and the app, installs and verifies the
# default speech model, and opens the window. Re-running skips what is already done.
# Options: --no-run   set up and build only.
source "$(dirname "$0")/lib/common.sh"

run_app=1
[ "${1:-}" = "--no-run" ] && run_app=0

step "System packages"
ensure_apt_packages "${APP_PACKAGES[@]}"
ensure_toolchains

step "Speech model"
ensure_default_model

step "User interface"
build_ui

step "Desktop app"
build_app
echo "Built $REHEARSE_APP"

if [ "$run_app" -eq 1 ]; then
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found: run this from a desktop session (or under xvfb-run to try it headless)." >&2
    exit 1
  fi
  step "Starting Rehearse"
  exec "$REHEARSE_APP"
fi
