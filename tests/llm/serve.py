#!/usr/bin/env python3
"""Serve a GGUF model over llama.cpp's OpenAI-compatible HTTP server (xllamacpp) on loopback.

Used by scripts/lib/llm.sh for the real-server tests of crates/llm. Writes the base URL
(``http://127.0.0.1:PORT/v1``) to --url-file once the socket is bound, then serves until
SIGTERM or SIGINT.

    python3 serve.py --model FILE.gguf --alias smollm2 --url-file URL [--threads 1] [--ctx 2048]
"""

import argparse
import os
import signal
import sys
import threading


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="path to a .gguf file")
    ap.add_argument("--alias", default="smollm2", help="model name the server reports")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 picks a free port")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--ctx", type=int, default=2048)
    ap.add_argument("--api-key", default=None, help="require this Bearer key")
    ap.add_argument("--url-file", required=True, help="where to write the base URL")
    args = ap.parse_args()

    if not os.path.isfile(args.model):
        print(f"serve.py: model file not found: {args.model}", file=sys.stderr)
        return 2

    import xllamacpp  # imported late so that --help works without it

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias}  # a set of names; a plain str becomes its characters
    params.n_ctx = args.ctx
    params.n_parallel = 1
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.hostnames = [args.host]
    params.port = args.port
    params.use_jinja = True
    params.warmup = False
    if args.api_key:
        params.api_keys = [args.api_key]
    # Log only warnings and errors: the launcher keeps this log for failures.
    params.verbosity = 1

    server = xllamacpp.Server(params)
    address = server.listening_address
    if callable(address):
        address = address()
    # listening_address may be "host:port", "http://host:port" or a (host, port) pair.
    if isinstance(address, (tuple, list)):
        host, port = address[0], address[1]
    else:
        text = str(address)
        text = text.split("://", 1)[-1].rstrip("/")
        host, _, port = text.rpartition(":")
    url = f"http://{host or args.host}:{port}/v1"

    tmp = args.url_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(url + "\n")
    os.replace(tmp, args.url_file)
    print(f"serve.py: {args.alias} at {url}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    del server
    return 0


if __name__ == "__main__":
    sys.exit(main())
