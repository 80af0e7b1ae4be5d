# A private keychain for tests: gnome-keyring's Secret Service on its own D-Bus session, with
# a throwaway login keyring (in a temporary XDG_DATA_HOME) unlocked by an empty password, so
# the real `keyring` crate path is tested without touching the user's keychain.
# Usage: run_with_test_keychain COMMAND [ARGS...]   (needs gnome-keyring and dbus-daemon)

run_with_test_keychain() {
  local dir rc
  dir="$(mktemp -d)"
  mkdir -p "$dir/run" && chmod 700 "$dir/run"
  XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir/run" \
    dbus-run-session -- bash -c '
      eval "$(printf "\n" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" >/dev/null
      exec "$@"' _ "$@"
  rc=$?
  rm -rf "$dir"
  return $rc
}
