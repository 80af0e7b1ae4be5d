# The workspace's Rust tests in two lanes at once (source this file; needs common.sh).
#
#   run_rust_tests [ARGS...]   builds every test binary as `cargo test` would, then runs the
#                              binaries of the crates that neither transcribe nor use the
#                              microphone (RUST_TEST_LANE_B) in the background while the rest
#                              run in the foreground, each binary with ARGS (e.g.
#                              --include-ignored --test-threads=1); then the doc-tests. Fails
#                              when any binary fails, after both lanes have finished.
#                              RUST_TESTS_MEANWHILE=FUNCTION: also runs FUNCTION (e.g. a build
#                              for a later step) once the binaries are built, at the lowest CPU
#                              priority, so it takes only the time the tests leave idle (they
#                              wait on real-time speech much of the time).
#
# Why: on CI's 2 cores the tests that speak into the virtual microphone spend most of their
# time waiting for real-time speech, and the LLM, board and grader tests (about 150 s one after
# the other) can use the idle core meanwhile. Each binary runs from its package's folder, as
# `cargo test` runs it; the lane-B crates link no whisper.cpp and open no microphone, so the
# two lanes share nothing but the CPU. (`cargo test -p ...` for one lane would unify features
# differently and build the shared crates a second time.)

RUST_TEST_LANE_B=(rehearse-core rehearse-content rehearse-store rehearse-board rehearse-interviewer
  rehearse-llm rehearse-evals rehearse-testkit)

# Prints "package folder<TAB>executable" for every test binary of the workspace.
rust_test_binaries() {
  (cd "$REPO_ROOT" && cargo test -q --no-run --message-format=json-render-diagnostics) |
    python3 -c '
import json, os, sys
for line in sys.stdin:
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(os.path.dirname(m["manifest_path"]) + "\t" + m["executable"])
'
}

# Runs the binaries listed on stdin ("folder<TAB>executable") one after the other, with ARGS;
# returns non-zero when any failed, after running them all.
run_test_binaries() {
  local dir exe failed=0
  while IFS=$'\t' read -r dir exe; do
    echo "-- $(basename "$dir"): $(basename "$exe")"
    (cd "$dir" && "$exe" "$@" </dev/null) || { echo "FAILED: $exe" >&2; failed=1; }
  done
  return "$failed"
}

run_rust_tests() {
  local all lane_a lane_b lane_b_log lane_b_pid status=0 folders
  all="$(mktemp)" lane_a="$(mktemp)" lane_b="$(mktemp)" lane_b_log="$(mktemp)"
  rust_test_binaries >"$all"
  # A crate's folder is crates/<its name without "rehearse-">.
  folders="$(printf '/crates/%s\t|' "${RUST_TEST_LANE_B[@]#rehearse-}")"
  grep -E "${folders%|}" "$all" >"$lane_b" || true
  # In the order of their folders: crates/engine's (with the Qwen session, which wants both
  # cores) after audio's and cli's, by when the other lane is done.
  grep -v -F -x -f "$lane_b" "$all" | sort >"$lane_a" || true
  echo "Rust tests: $(wc -l <"$lane_a") binaries in the foreground, $(wc -l <"$lane_b") beside them"
  local meanwhile_pid="" meanwhile_log
  meanwhile_log="$(mktemp)"
  if [ -n "${RUST_TESTS_MEANWHILE:-}" ]; then
    (renice -n 19 -p "$BASHPID" >/dev/null && "$RUST_TESTS_MEANWHILE") >"$meanwhile_log" 2>&1 &
    meanwhile_pid=$!
  fi
  run_test_binaries "$@" <"$lane_b" >"$lane_b_log" 2>&1 &
  lane_b_pid=$!
  run_test_binaries "$@" <"$lane_a" || status=1
  wait "$lane_b_pid" || status=1
  echo "-- beside them:"
  cat "$lane_b_log"
  if [ -n "$meanwhile_pid" ]; then
    wait "$meanwhile_pid" || { echo "$RUST_TESTS_MEANWHILE failed:" >&2; status=1; }
    echo "-- meanwhile, $RUST_TESTS_MEANWHILE:"
    cat "$meanwhile_log"
  fi
  # After the build above: it holds cargo's lock.
  (cd "$REPO_ROOT" && cargo test -q --doc) || status=1
  rm -f "$all" "$lane_a" "$lane_b" "$lane_b_log" "$meanwhile_log"
  return "$status"
}
