#!/usr/bin/env bash
# Soak test (issue 23, item 5): one long live session of `rehearse practice --mic` through the
# PulseAudio virtual microphone, with spoken answers (espeak-ng, played into the vmic sink)
# and pauses where the interviewer decides its follow-ups. Every minute it samples the CLI's
# resident memory, its CPU use and the slowest follow-up decision of that minute (from the
# end of the speech played before it to the interviewer's line on stderr; this includes the
# 2.5 s of silence the interviewer waits for and the transcription of the last utterance).
# At the end it prints the memory growth per hour after the warm-up, and fails when it grows
# by more than --max-growth MB a minute (unbounded growth), when the CLI dies, or when it
# ends non-zero.
#
#   bash scripts/soak.sh                 # 45 minutes (not in CI)
#   bash scripts/soak.sh --minutes 3     # what scripts/test.sh runs
#
# Options: --minutes N (45), --max-growth MB_PER_MIN (3), --warm-up MINUTES (1),
# --sample-every SECONDS (60; the limit is then per sample). The warm-up also lasts until the
# first follow-up (every part has run once by then). Uses the virtual microphone of
# $XDG_RUNTIME_DIR (vmic.sh).
source "$(dirname "$0")/lib/common.sh"
# shellcheck source=lib/vmic.sh
source "$(dirname "$0")/lib/vmic.sh"

minutes=45
max_growth=3
warm_up=1
sample_every=60
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --max-growth) max_growth="$2"; shift 2 ;;
    --warm-up) warm_up="$2"; shift 2 ;;
    --sample-every) sample_every="$2"; shift 2 ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done
if [ "$minutes" -le "$warm_up" ]; then
  echo "--minutes ($minutes) must be more than --warm-up ($warm_up)" >&2
  exit 2
fi

work="$(mktemp -d)"
cli_pid=""
player_pid=""
cleanup() {
  [ -z "$player_pid" ] || kill "$player_pid" 2>/dev/null || true
  [ -z "$cli_pid" ] || kill "$cli_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# Stopped from outside (scripts/test.sh runs it in the background): clean up all the same.
trap 'exit 143' TERM INT

step "Soak: a $minutes-minute live session through the virtual microphone"
ensure_default_model
export REHEARSE_MODELS_DIR="${REHEARSE_MODELS_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/rehearse/models}"
start_virtual_mic

# Answers with short breaks inside (under the 2.5 s pause, so no follow-up mid-answer); the
# player waits longer between them, where the interviewer may speak.
answers=(
  "First, the requirements. <break time=\"600ms\"/> Employees ask questions about ten thousand pages, and expect answers within two seconds."
  "We split every page into chunks of five hundred tokens, <break time=\"500ms\"/> embed them, and keep the vectors in a vector store."
  "Retrieval takes the top five chunks, <break time=\"500ms\"/> and a reranker orders them before the model writes the answer with citations."
  "I chose small chunks versus whole pages because recall goes up, <break time=\"500ms\"/> at the cost of more vectors to store."
  "For evaluation we keep a golden set of questions, <break time=\"600ms\"/> and we track groundedness and latency on every release."
  "Finally, we cache frequent answers, <break time=\"500ms\"/> and we fall back to keyword search when the vector store is slow."
)
for i in "${!answers[@]}"; do
  espeak-ng -m -s 150 -w "$work/answer-$i.wav" "<speak>${answers[$i]}</speak>"
done
between_answers_s=6

stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done; }

data="$work/data"
# A little longer than the sampling, so the CLI is alive at the last sample.
REHEARSE_DATA_DIR="$data" "$REHEARSE_BIN" practice --prompt doc-qa-10k --mic \
  --seconds $((minutes * sample_every + 10)) >"$work/report.txt" 2> >(stamp >"$work/cli.log") &
cli_pid=$!
for _ in $(seq 1 600); do grep -q "Recording" "$work/cli.log" 2>/dev/null && break; sleep 0.1; done
grep -q "Recording" "$work/cli.log" || { cat "$work/cli.log" >&2; echo "the CLI never started recording" >&2; exit 1; }
started="$(date +%s.%N)"

(
  i=0
  while :; do
    paplay "$work/answer-$((i % ${#answers[@]})).wav"
    printf '%s speech_end\n' "$(date +%s.%N)" >>"$work/timeline.log"
    sleep "$between_answers_s"
    i=$((i + 1))
  done
) &
player_pid=$!

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$cli_pid/status"; }
cpu_ticks() { sed 's/.*) //' "/proc/$cli_pid/stat" | awk '{ print $12 + $13 }'; }
ticks_per_s="$(getconf CLK_TCK)"

# The slowest follow-up in (from, to]: each interviewer line against the last speech end
# before it. Prints "turns slowest_s".
slowest_follow_up() {
  local from="$1" to="$2"
  sort -n "$work/timeline.log" <(grep ' *Interviewer:' "$work/cli.log" | awk '{ print $1, "turn" }') 2>/dev/null |
    awk -v from="$from" -v to="$to" '
      $2 == "speech_end" { last = $1 }
      $2 == "turn" && $1 > from && $1 <= to && last > 0 { n++; d = $1 - last; if (d > worst) worst = d }
      END { printf "%d %.2f\n", n, worst }'
}

printf '\n%7s %9s %6s %6s %14s\n' minute "RSS (MB)" "CPU %" turns "slowest (s)"
declare -a rss_at
all_turns=0
all_slowest=0
first_turn_minute=0
prev_ticks="$(cpu_ticks)"
prev_t="$started"
for minute in $(seq 1 "$minutes"); do
  target="$(awk -v s="$started" -v m="$minute" -v e="$sample_every" 'BEGIN { printf "%.3f", s + m * e }')"
  while awk -v t="$target" -v now="$(date +%s.%N)" 'BEGIN { exit !(now < t) }'; do sleep 1; done
  if ! kill -0 "$cli_pid" 2>/dev/null; then
    cat "$work/cli.log" >&2
    echo "the CLI ended before minute $minute of $minutes" >&2
    exit 1
  fi
  now="$(date +%s.%N)"
  rss="$(rss_mb)"
  ticks="$(cpu_ticks)"
  cpu="$(awk -v a="$prev_ticks" -v b="$ticks" -v hz="$ticks_per_s" -v t0="$prev_t" -v t1="$now" \
    'BEGIN { printf "%.0f", 100 * (b - a) / hz / (t1 - t0) }')"
  read -r turns slowest < <(slowest_follow_up "$prev_t" "$now")
  printf '%7d %9s %6s %6s %14s\n' "$minute" "$rss" "$cpu" "$turns" "$slowest"
  rss_at[minute]="$rss"
  all_turns=$((all_turns + turns))
  [ "$first_turn_minute" -gt 0 ] || [ "$all_turns" -eq 0 ] || first_turn_minute="$minute"
  all_slowest="$(awk -v a="$all_slowest" -v b="$slowest" 'BEGIN { print (b > a ? b : a) }')"
  prev_ticks="$ticks"
  prev_t="$now"
done

kill "$player_pid" 2>/dev/null || true
player_pid=""
status=0
wait "$cli_pid" || status=$?
cli_pid=""
if [ "$status" -ne 0 ]; then
  cat "$work/cli.log" >&2
  echo "the session ended with status $status" >&2
  exit 1
fi
last_minute=$((${#rss_at[@]}))
# The warm-up lasts until the first follow-up too: by then every part (voice detection,
# transcription, the interviewer, the database) has run once and made its buffers.
if [ "$first_turn_minute" -gt "$warm_up" ] && [ "$first_turn_minute" -lt "$last_minute" ]; then
  warm_up="$first_turn_minute"
fi
base="${rss_at[$warm_up]}"
last="${rss_at[$last_minute]}"
half=$(((last_minute + warm_up + 1) / 2))
awk -v base="$base" -v last="$last" -v m0="$warm_up" -v m1="$last_minute" -v max="$max_growth" \
  -v mid="${rss_at[$half]}" -v mh="$half" \
  -v turns="$all_turns" -v slowest="$all_slowest" 'BEGIN {
    per_min = (last - base) / (m1 - m0)
    printf "\nMemory: %.1f MB after the %d-minute warm-up, %.1f MB at minute %d: %+.2f MB a minute, %+.0f MB an hour.\n", base, m0, last, m1, per_min, per_min * 60
    if (m1 > mh) printf "Second half (minutes %d-%d): %+.2f MB a minute.\n", mh, m1, (last - mid) / (m1 - mh)
    printf "Follow-ups while sampled: %d; the slowest came %.2f s after the end of the speech played before it (2.5 s of silence is what the interviewer waits for).\n", turns, slowest
    if (per_min > max) {
      printf "FAIL: memory grows by %.2f MB a minute after the warm-up (limit %s).\n", per_min, max
      exit 1
    }
    printf "OK: memory growth within %s MB a minute.\n", max
  }'
segments="$(grep -c '^  \[[0-9:]*\] [^I]' "$work/report.txt" || true)"
grep -q '^Session ' "$work/report.txt" || { cat "$work/report.txt"; echo "no report printed" >&2; exit 1; }
echo "The session was scored and stored: $segments transcript segments."
[ "$segments" -gt 0 ] || { echo "nothing was transcribed" >&2; exit 1; }
