# The UI's TypeScript bindings (ui/src/bindings) are generated from the Rust types by ts-rs
# (`cargo test -p rehearse-core --features ts`). CI regenerates them into a temporary folder
# and fails when the checked-in files differ: a Rust type changed without regenerating, a
# binding was edited by hand, or a stale file was left behind.
# Needs common.sh (REPO_ROOT, CARGO_TARGET_DIR).

# Regenerates the bindings in place (what a developer runs after changing a type in crates/core).
generate_ipc_bindings() {
  local dest="${1:-$REPO_ROOT/ui/src/bindings}"
  mkdir -p "$dest"
  # Only the export tests: ts-rs writes one file per exported type when its test runs.
  (cd "$REPO_ROOT" && TS_RS_EXPORT_DIR="$dest" cargo test -q -p rehearse-core --features ts --lib export_bindings >/dev/null)
}

check_ipc_bindings() {
  local fresh
  fresh="$(mktemp -d)"
  generate_ipc_bindings "$fresh"
  if ! diff -r -u "$REPO_ROOT/ui/src/bindings" "$fresh"; then
    rm -rf "$fresh"
    cat >&2 <<'EOF'

The TypeScript bindings in ui/src/bindings are out of date with the Rust types in crates/core
(diff above: "-" is the checked-in file, "+" what the Rust types generate; "Only in
ui/src/bindings" is a stale file). Regenerate them, never edit them by hand:

    TS_RS_EXPORT_DIR=$PWD/ui/src/bindings cargo test -p rehearse-core --features ts

(delete stale files first: rm ui/src/bindings/*.ts), then commit the result.
EOF
    return 1
  fi
  rm -rf "$fresh"
  echo "TypeScript bindings: up to date ($(find "$REPO_ROOT/ui/src/bindings" -name '*.ts' | wc -l) files)"
}
