# Starts a PulseAudio null sink whose monitor is the default source: a virtual microphone
# that records whatever is played into it (see docs/testing.md). Idempotent.
# Source this file; it exports PULSE_SERVER for the processes that follow.
start_virtual_mic() {
  export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/rehearse-runtime}"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  export PULSE_SERVER="unix:$XDG_RUNTIME_DIR/pulse/native"
  if ! pactl info >/dev/null 2>&1; then
    pulseaudio --daemonize=yes -n --exit-idle-time=-1 --disallow-exit=yes \
      -L "module-native-protocol-unix auth-anonymous=1 socket=$XDG_RUNTIME_DIR/pulse/native" \
      -L "module-null-sink sink_name=vmic rate=48000 channels=1" \
      -L "module-always-sink" >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  pactl info >/dev/null 2>&1 || { echo "could not start PulseAudio for the virtual microphone" >&2; return 1; }
  pactl list short sinks | grep -q '^[0-9]*\s*vmic\s' || pactl load-module module-null-sink sink_name=vmic rate=48000 channels=1 >/dev/null
  pactl set-default-sink vmic
  pactl set-default-source vmic.monitor
  # Without a reader the null sink renders in 2-second blocks and the start of speech is lost.
  # Asked of this server (not pgrep): other users' servers have readers of their own.
  if ! vmic_reader_connected; then
    (pacat --record -d vmic.monitor --latency-msec=10 >/dev/null 2>&1 &)
    # Recording begins right after this returns: wait until the reader is there, and until
    # sound flows (a sink that has just started renders its first block of about 2 s first).
    for _ in $(seq 1 50); do vmic_reader_connected && break; sleep 0.1; done
    timeout 5 pacat --record -d vmic.monitor --latency-msec=10 2>/dev/null | head -c 3200 >/dev/null || true
  fi
}

vmic_reader_connected() {
  pactl list source-outputs 2>/dev/null | grep -q 'application.process.binary = "pacat"'
}

# Kills this session's PulseAudio server (the one under $XDG_RUNTIME_DIR, never another's),
# as when a headset is unplugged or the sound server crashes: for fault tests.
kill_virtual_mic_server() {
  local pid_file="${XDG_RUNTIME_DIR:-/tmp/rehearse-runtime}/pulse/pid"
  [ -r "$pid_file" ] || return 0
  local pid
  pid="$(cat "$pid_file")"
  kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$pid_file"
}

# Stops this session's PulseAudio server for $1 seconds (default 2.5) and lets it go on, as a
# sound server stalls on a busy machine: for fault tests.
stall_virtual_mic_server() {
  local pid_file="${XDG_RUNTIME_DIR:-/tmp/rehearse-runtime}/pulse/pid"
  [ -r "$pid_file" ] || { echo "no PulseAudio server to stall" >&2; return 1; }
  local pid
  pid="$(cat "$pid_file")"
  kill -STOP "$pid"
  sleep "${1:-2.5}"
  kill -CONT "$pid"
}
