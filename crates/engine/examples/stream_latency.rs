//! Live transcription latency: espeak-ng speech fed to the `LiveTranscriber` at the pace of
//! speech, with the engine's default whisper settings and the installed model. Prints, with
//! quick partials (whisper's `audio_ctx` sized to the clip) and without:
//! - partial lag: how far behind the audio the provisional text is when it arrives
//!   (arrival time on the audio clock minus the end of the audio it covers);
//! - final latency after a pause: from the end of speech to the final text (the pause that
//!   ends an utterance, `end_silence_s`, is part of it);
//! - final latency after stop: from the end of the stream to the last final (`finish`);
//! - the cost of one call, partial and full, by clip length, and the partials' word error
//!   rate against the full-quality text on the same clips.
//!
//! `cargo run -p rehearse-engine --example stream_latency [-- --model PATH] [--end-silence S]
//! [--max-utterance S] [--no-clips]` (whisper.cpp is built optimised in dev builds too).

use rehearse_audio::EndpointerConfig;
use rehearse_engine::stream::{LiveTranscriber, StreamConfig, SttEvent};
use rehearse_engine::EngineSettings;
use rehearse_stt::wer::word_error_rate;
use rehearse_stt::{SpeechToText, WhisperOptions, WhisperStt};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const RATE: usize = 16_000;

const SENTENCES: &[&str] = &[
    "First I would clarify the requirements and the expected traffic.",
    "Reads dominate writes, so we put a cache in front of the database, and we shard the \
     messages by conversation so that every shard stays small and the writes are spread \
     over many machines, and then we replicate each shard.",
    "A queue delivers the notifications.",
    "For evaluation we keep a golden set of questions and track the answer quality every \
     week, and we alert when the p99 latency goes above two hundred milliseconds.",
];

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn model_path() -> PathBuf {
    arg("--model").map(PathBuf::from).unwrap_or_else(|| {
        let dir = std::env::var_os("REHEARSE_MODELS_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs::data_dir().map(|d| d.join("rehearse/models")))
            .expect("set REHEARSE_MODELS_DIR or pass --model");
        dir.join("ggml-tiny.en.bin")
    })
}

fn load(path: &std::path::Path) -> WhisperStt {
    let settings = EngineSettings::default();
    let options = WhisperOptions {
        threads: settings.whisper_threads,
        initial_prompt: settings.whisper_prompt.clone(),
        use_gpu: settings.use_gpu,
        ..WhisperOptions::default()
    };
    WhisperStt::load(path, options).expect("load the model")
}

fn speech(text: &str) -> Vec<f32> {
    let dir = tempfile::tempdir().expect("temp dir");
    let wav = dir.path().join("s.wav");
    rehearse_testkit::speak_to_wav(text, &wav);
    rehearse_audio::read_wav_16k_mono(&wav)
        .expect("read speech")
        .samples
}

fn stats(xs: &mut [f64]) -> String {
    if xs.is_empty() {
        return "none".into();
    }
    xs.sort_by(f64::total_cmp);
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    let p90 = xs[(xs.len() * 9 / 10).min(xs.len() - 1)];
    format!(
        "n={:<3} mean {:.2} s  p90 {:.2} s  max {:.2} s",
        xs.len(),
        mean,
        p90,
        xs[xs.len() - 1]
    )
}

struct Run {
    partial_lags: Vec<f64>,
    final_after_pause: Vec<f64>,
    final_after_stop: f64,
    partials: usize,
    finals: usize,
}

/// Feeds `audio` in 20 ms chunks on the wall clock.
fn run(path: &std::path::Path, config: StreamConfig, audio: &[f32]) -> Run {
    let end_silence = config.endpoint.end_silence_s;
    let (mut t, rx) = LiveTranscriber::start(Box::new(load(path)), config).expect("start");
    let started = Instant::now();
    let clock = |at: Instant| at.duration_since(started).as_secs_f64();
    let mut r = Run {
        partial_lags: Vec::new(),
        final_after_pause: Vec::new(),
        final_after_stop: 0.0,
        partials: 0,
        finals: 0,
    };
    let on_event = |e: SttEvent, now: f64, r: &mut Run| match e {
        SttEvent::Partial { t1, .. } => {
            r.partials += 1;
            r.partial_lags.push(now - t1);
        }
        SttEvent::Final { t1, .. } => {
            r.finals += 1;
            // The end of speech: the last loud 30 ms frame of the utterance (it closed after
            // `end_silence` of pause, or at the end of the stream).
            let end = ((t1 * RATE as f64) as usize).min(audio.len());
            let last_loud = audio[..end].chunks(480).rposition(|f| {
                (f.iter().map(|x| x * x).sum::<f32>() / f.len() as f32).sqrt() > 0.01
            });
            if let Some(frame) = last_loud {
                let speech_end = (frame + 1) as f64 * 480.0 / RATE as f64;
                if t1 - speech_end >= end_silence - 0.05 {
                    r.final_after_pause.push(now - speech_end);
                }
            }
        }
        SttEvent::Failed { message, .. } => eprintln!("failed: {message}"),
    };
    let chunk = RATE / 50;
    for (i, c) in audio.chunks(chunk).enumerate() {
        t.push(c);
        for e in rx.try_iter() {
            on_event(e, clock(Instant::now()), &mut r);
        }
        let due = Duration::from_secs_f64((i + 1) as f64 * 0.02);
        if let Some(wait) = due.checked_sub(started.elapsed()) {
            std::thread::sleep(wait);
        }
    }
    let stop = Instant::now();
    let left = t.finish();
    r.final_after_stop = stop.elapsed().as_secs_f64();
    let now = clock(Instant::now());
    for e in left {
        on_event(e, now, &mut r);
    }
    r
}

fn main() {
    let path = model_path();
    let end_silence: f64 = arg("--end-silence").map_or(0.7, |s| s.parse().expect("seconds"));
    let max_utterance: f64 = arg("--max-utterance").map_or(20.0, |s| s.parse().expect("seconds"));
    println!(
        "model {}  threads {}  end_silence {end_silence} s  max_utterance {max_utterance} s",
        path.display(),
        EngineSettings::default().whisper_threads
    );

    // The answer: sentences with 1.2 s pauses, ending on speech (stop pressed mid-sentence's end).
    let mut audio = vec![0.0f32; RATE / 2];
    let clips: Vec<Vec<f32>> = SENTENCES.iter().map(|s| speech(s)).collect();
    for (i, clip) in clips.iter().enumerate() {
        audio.extend(clip);
        if i + 1 < clips.len() {
            audio.extend(vec![0.0f32; RATE * 6 / 5]);
        }
    }
    println!(
        "audio {:.1} s of speech in {} sentences ({:.1} s in all)\n",
        clips.iter().map(|c| c.len()).sum::<usize>() as f64 / RATE as f64,
        clips.len(),
        audio.len() as f64 / RATE as f64
    );

    let runs = [
        (
            "quick partials (audio_ctx), commits at 0.2 s pauses",
            true,
            0.2,
        ),
        (
            "quick partials (audio_ctx), no commits",
            true,
            f64::INFINITY,
        ),
        ("full-window partials, commits at 0.2 s pauses", false, 0.2),
    ];
    for (label, quick, commit_after) in runs {
        let config = StreamConfig {
            endpoint: EndpointerConfig {
                end_silence_s: end_silence,
                max_utterance_s: max_utterance,
                ..Default::default()
            },
            quick_partials: quick,
            commit_after_pause_s: commit_after,
            ..Default::default()
        };
        let mut r = run(&path, config, &audio);
        println!("{label}: {} partials, {} finals", r.partials, r.finals);
        println!(
            "  partial lag behind speech     {}",
            stats(&mut r.partial_lags)
        );
        println!(
            "  final after end of speech     {}  (includes the {end_silence} s pause that ends an utterance)",
            stats(&mut r.final_after_pause)
        );
        println!(
            "  final after stop (tail only)  {:.2} s\n",
            r.final_after_stop
        );
    }

    if std::env::args().any(|a| a == "--no-clips") {
        return;
    }
    // One call's cost by clip length, and what audio_ctx does to the text.
    let long: Vec<f32> = clips.iter().flatten().copied().collect();
    let mut stt = load(&path);
    println!("clip   partial (audio_ctx)   full window   partial WER vs full");
    for secs in [1.0, 2.0, 4.0, 8.0, 16.0] {
        let n = ((secs * RATE as f64) as usize).min(long.len());
        let clip = &long[..n];
        let time = |f: &mut dyn FnMut() -> String| {
            let mut best = f64::MAX;
            let mut text = String::new();
            for _ in 0..3 {
                let t0 = Instant::now();
                text = f();
                best = best.min(t0.elapsed().as_secs_f64());
            }
            (best, text)
        };
        let join = |segs: Vec<rehearse_core::Segment>| {
            segs.iter()
                .map(|s| s.text.clone())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (tp, partial) = time(&mut || join(stt.transcribe_partial(clip).expect("partial")));
        let (tf, full) = time(&mut || join(stt.transcribe(clip).expect("full")));
        println!(
            "{:>4.0} s {:>12.3} s {:>15.3} s {:>14.2}",
            n as f64 / RATE as f64,
            tp,
            tf,
            word_error_rate(&full, &partial)
        );
    }
}
