#!/usr/bin/env python3
"""faster-whisper's side of `rehearse-bench stt` (scripts/bench-stt.sh runs both).

Transcribes every NAME.wav in a folder (16 kHz mono 16-bit PCM, as the script writes them)
with faster-whisper on the CPU and writes one JSON document: its times and texts. Word error
rates are computed by `rehearse-bench stt --compare`, by the same code for both engines.

Settings mirror ours: greedy unless --beam-size, no text carried from one window to the next
(ours sets whisper.cpp's no_context), OpenAI's thresholds (which both engines default to), the
same initial prompt, no VAD (--vad turns on faster-whisper's Silero VAD, to compare with our
per-utterance mode).
"""

import argparse
import json
import os
import resource
import sys
import time
import wave


def read_wav_16k_mono(path):
    import numpy as np

    with wave.open(path, "rb") as w:
        if w.getframerate() != 16000 or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise SystemExit(
                f"{path}: expected 16 kHz mono 16-bit PCM, got {w.getframerate()} Hz, "
                f"{w.getnchannels()} ch, {8 * w.getsampwidth()} bit"
            )
        frames = w.readframes(w.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model-dir", required=True, help="CTranslate2 Whisper folder")
    ap.add_argument("--files", required=True, help="folder of NAME.wav files")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--beam-size", type=int, default=1)
    ap.add_argument("--compute-type", default="int8")
    ap.add_argument("--prompt-file", help="initial prompt (UTF-8 text); none if absent")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--vad", action="store_true")
    ap.add_argument("--out", required=True, help="where to write the JSON")
    args = ap.parse_args()

    import faster_whisper
    from faster_whisper import WhisperModel

    prompt = None
    if args.prompt_file:
        with open(args.prompt_file, encoding="utf-8") as f:
            prompt = f.read().strip() or None

    started = time.perf_counter()
    model = WhisperModel(
        args.model_dir,
        device="cpu",
        compute_type=args.compute_type,
        cpu_threads=args.threads,
        num_workers=1,
        local_files_only=True,
    )
    load_s = time.perf_counter() - started

    names = sorted(n[:-4] for n in os.listdir(args.files) if n.endswith(".wav"))
    files = []
    for name in names:
        audio = read_wav_16k_mono(os.path.join(args.files, name + ".wav"))
        times, cpu, text = [], [], ""
        for _ in range(max(1, args.repeat)):
            t = time.perf_counter()
            c = time.process_time()
            segments, _info = model.transcribe(
                audio,
                language="en",
                beam_size=args.beam_size,
                best_of=1,
                condition_on_previous_text=False,
                initial_prompt=prompt,
                vad_filter=args.vad,
                without_timestamps=False,
            )
            # Segments are produced lazily: the work happens while iterating.
            text = " ".join(s.text.strip() for s in segments if s.text.strip())
            times.append(time.perf_counter() - t)
            # CPU time of all threads: the work done, whatever the neighbours were doing.
            cpu.append(time.process_time() - c)
        print(f"{name}: {len(audio) / 16000:.1f} s of audio in {min(times):.2f} s", file=sys.stderr)
        files.append(
            {"name": name, "audio_s": len(audio) / 16000.0, "transcribe_s": times, "cpu_s": cpu, "text": text}
        )

    # ru_maxrss is in KiB on Linux.
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    out = {
        "engine": "faster-whisper",
        "version": faster_whisper.__version__,
        "compute_type": args.compute_type,
        "threads": args.threads,
        "beam_size": args.beam_size,
        "load_s": load_s,
        "peak_rss_mb": peak_rss_mb,
        "files": files,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
