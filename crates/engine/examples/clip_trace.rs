//! What the file path does with one recording, step by step: the utterances pause detection
//! cuts, which of them the gate passes, and what whisper returns for each packed window (with
//! times). A diagnostic for dropped or invented speech; `rehearse-bench stt` measures it.
//!
//! `cargo run --release -p rehearse-engine --example clip_trace -- FILE.wav...`
//! Uses the installed tiny.en (REHEARSE_MODELS_DIR or the default models folder), one thread
//! and the app's prompt.

use rehearse_audio::{Endpointer, EndpointerConfig};
use rehearse_engine::EngineSettings;
use rehearse_stt::{SpeechToText, WhisperOptions, WhisperStt};
use std::path::PathBuf;

fn main() {
    // RUST_LOG=rehearse_stt=debug shows the gate, echo and gap decisions.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let models = std::env::var_os("REHEARSE_MODELS_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("rehearse/models")))
        .expect("set REHEARSE_MODELS_DIR");
    let options = WhisperOptions {
        threads: 1,
        initial_prompt: EngineSettings::default().whisper_prompt,
        ..WhisperOptions::default()
    };
    let mut stt =
        WhisperStt::load(&models.join("ggml-tiny.en.bin"), options).expect("load the model");
    for path in std::env::args().skip(1) {
        let clip =
            rehearse_audio::read_wav_16k_mono(std::path::Path::new(&path)).expect("read the WAV");
        println!("== {path} ({:.1} s)", clip.duration_s);
        let utterances = Endpointer::cut(&clip.samples, EndpointerConfig::default());
        for u in &utterances {
            let len = u.samples.len() as f64 / 16_000.0;
            let pass = rehearse_stt::gate::may_contain_speech(&u.samples);
            println!(
                "  utterance {:6.2}-{:6.2} speech {:5.2} s gate {}",
                u.t0,
                u.t0 + len,
                u.speech_s,
                if pass { "pass" } else { "DROP" }
            );
        }
        let segments =
            rehearse_engine::transcribe_clip(&mut stt, &clip.samples).expect("transcribe");
        for s in &segments {
            println!("    {:6.2}-{:6.2} {}", s.t0, s.t1, s.text);
            if std::env::var_os("CLIP_TRACE_WORDS").is_some() {
                let words: Vec<String> = s
                    .words
                    .iter()
                    .map(|w| format!("{}@{:.2}-{:.2}", w.text, w.t0, w.t1))
                    .collect();
                println!("      {}", words.join(" "));
            }
        }
        let whole = stt.transcribe(&clip.samples).expect("transcribe whole");
        println!("  whole file, one call:");
        for s in &whole {
            println!("    {:6.2}-{:6.2} {}", s.t0, s.t1, s.text);
        }
    }
}
