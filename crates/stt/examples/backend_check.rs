//! Loads a model, says which back-end it runs on (CPU, GPU, or CPU after a GPU fallback),
//! transcribes a 16 kHz mono 16-bit WAV and prints the time. Used by scripts/gpu-check.sh to
//! prove a GPU build end to end (and its fallback with no GPU driver), and to compare build
//! settings without building the whole app.
//!
//!   cargo run -p rehearse-stt --example backend_check [--features vulkan] -- MODEL WAV [THREADS] [cpu|gpu] [RUNS]

use rehearse_stt::{SpeechToText, WhisperOptions, WhisperStt};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: backend_check MODEL WAV [THREADS] [cpu|gpu] [RUNS]");
        std::process::exit(2);
    }
    let model = PathBuf::from(&args[0]);
    let wav = PathBuf::from(&args[1]);
    let threads = args
        .get(2)
        .and_then(|t| t.parse().ok())
        .unwrap_or(WhisperOptions::default().threads);
    let use_gpu = args.get(3).map(String::as_str) != Some("cpu");
    let runs: usize = args.get(4).and_then(|r| r.parse().ok()).unwrap_or(2);

    println!(
        "GPU back-end compiled in: {}",
        rehearse_stt::GPU_API.unwrap_or("none")
    );
    println!(
        "GPU devices ggml sees: {:?}",
        rehearse_stt::backend::gpu_devices()
    );
    let started = Instant::now();
    let options = WhisperOptions {
        threads,
        use_gpu,
        ..WhisperOptions::default()
    };
    let mut stt = match WhisperStt::load(&model, options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("could not load the model: {e}");
            std::process::exit(1);
        }
    };
    println!("backend: {}", stt.backend().describe());
    println!("load: {:.2} s", started.elapsed().as_secs_f64());

    let mut reader = match hound::WavReader::open(&wav) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("could not read {}: {e}", wav.display());
            std::process::exit(1);
        }
    };
    let spec = reader.spec();
    if spec.sample_rate != 16_000 || spec.channels != 1 || spec.bits_per_sample != 16 {
        eprintln!("{}: expected 16 kHz mono 16-bit PCM", wav.display());
        std::process::exit(1);
    }
    let samples: Vec<f32> = reader
        .samples::<i16>()
        .filter_map(Result::ok)
        .map(|s| s as f32 / 32768.0)
        .collect();
    for run in 1..=runs {
        let started = Instant::now();
        match stt.transcribe(&samples) {
            Ok(segments) => {
                let text: Vec<_> = segments.iter().map(|s| s.text.as_str()).collect();
                println!(
                    "run {run}: {:.1} s of audio in {:.2} s: {}",
                    samples.len() as f64 / 16_000.0,
                    started.elapsed().as_secs_f64(),
                    text.join(" ")
                );
            }
            Err(e) => {
                eprintln!("transcription failed: {e}");
                std::process::exit(1);
            }
        }
    }
}
