//! Word error rate of the live transcriber's finals by how it cuts pieces: the benchmark's
//! speech files pushed at full speed (finals depend only on where pieces are cut, not on
//! timing), partials off. The figures in `rehearse_engine::stream`'s docs come from here.
//!
//! `cargo run --release -p rehearse-engine --example piece_wer -- DIR COMMIT_PAUSE_S
//! MIN_PIECE_S [--show]`, DIR holding NAME.wav and NAME.txt (`scripts/bench-stt.sh` writes
//! them to ~/.cache/rehearse/bench/stt); `inf` as COMMIT_PAUSE_S: one final per utterance.
//! Uses the installed tiny.en (REHEARSE_MODELS_DIR or the default models folder), one thread
//! and the app's prompt.

use rehearse_engine::stream::{LiveTranscriber, StreamConfig, SttEvent};
use rehearse_engine::EngineSettings;
use rehearse_stt::wer::{normalized_words, word_edit_distance};
use rehearse_stt::{WhisperOptions, WhisperStt};
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: piece_wer DIR COMMIT_PAUSE_S MIN_PIECE_S [--show]";
    let dir = PathBuf::from(args.get(1).expect(usage));
    let commit_pause: f64 = args.get(2).and_then(|a| a.parse().ok()).expect(usage);
    let min_piece: f64 = args.get(3).and_then(|a| a.parse().ok()).expect(usage);
    let show = args.iter().any(|a| a == "--show");
    let models = std::env::var_os("REHEARSE_MODELS_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("rehearse/models")))
        .expect("set REHEARSE_MODELS_DIR");
    let model = models.join("ggml-tiny.en.bin");
    let prompt = EngineSettings::default().whisper_prompt;
    let (mut errors, mut words, mut pieces) = (0usize, 0usize, 0usize);
    let mut busy_s = 0.0;
    for name in ["short", "medium", "long"] {
        let wav = dir.join(format!("{name}.wav"));
        let samples = rehearse_audio::read_wav_16k_mono(&wav)
            .expect("read the speech file")
            .samples;
        let reference =
            std::fs::read_to_string(dir.join(format!("{name}.txt"))).expect("read the words");
        let options = WhisperOptions {
            threads: 1,
            initial_prompt: prompt.clone(),
            ..WhisperOptions::default()
        };
        let stt = WhisperStt::load(&model, options).expect("load the model");
        let config = StreamConfig {
            partial_every_s: f64::INFINITY,
            commit_after_pause_s: commit_pause,
            min_piece_speech_s: min_piece,
            ..StreamConfig::default()
        };
        let started = std::time::Instant::now();
        let (mut live, rx) = LiveTranscriber::start(Box::new(stt), config).expect("start");
        for chunk in samples.chunks(320) {
            live.push(chunk);
        }
        let mut events: Vec<SttEvent> = rx.try_iter().collect();
        events.extend(live.finish());
        busy_s += started.elapsed().as_secs_f64();
        let mut text = String::new();
        for event in events {
            if let SttEvent::Final { segments, .. } = event {
                pieces += 1;
                text.push_str("| ");
                for s in segments {
                    text.push_str(&s.text);
                    text.push(' ');
                }
            }
        }
        let (r, h) = (normalized_words(&reference), normalized_words(&text));
        let e = word_edit_distance(&r, &h);
        if show {
            println!("{text}");
        }
        println!(
            "{name}: WER {:.1}% ({e}/{})",
            100.0 * e as f64 / r.len() as f64,
            r.len()
        );
        errors += e;
        words += r.len();
    }
    println!(
        "commit at {commit_pause} s pauses, pieces of at least {min_piece} s: {pieces} pieces, \
         WER {:.1}%, {busy_s:.1} s to transcribe",
        100.0 * errors as f64 / words as f64
    );
}
