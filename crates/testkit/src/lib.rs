//! What the integration tests of several crates share: speech made with espeak-ng (into a
//! WAV file or aloud, into the virtual microphone) and the installed speech model. Tests may
//! panic with a message here: a missing tool means the test command was not used.

mod small_disk;
pub mod vmic;

pub use small_disk::SmallDisk;

use rehearse_core::Segment;
use std::path::{Path, PathBuf};
use std::process::Command;

const SETUP_HINT: &str = "run `bash scripts/test.sh`, which installs and sets it up";

/// The folder of the installed speech models (`REHEARSE_MODELS_DIR`, set by the test command).
pub fn models_dir() -> PathBuf {
    match std::env::var_os("REHEARSE_MODELS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            panic!("REHEARSE_MODELS_DIR must point at the installed speech model: {SETUP_HINT}")
        }
    }
}

/// The default model's file in [`models_dir`].
pub fn installed_tiny_en() -> PathBuf {
    models_dir().join("ggml-tiny.en.bin")
}

fn espeak(args: &[&str], wav: Option<&Path>, text: &str) {
    let mut cmd = Command::new("espeak-ng");
    cmd.args(args);
    if let Some(wav) = wav {
        cmd.arg("-w").arg(wav);
    }
    let status = cmd
        .arg(text)
        .status()
        .unwrap_or_else(|e| panic!("espeak-ng could not start ({e}): {SETUP_HINT}"));
    assert!(status.success(), "espeak-ng failed: {status}");
}

/// Speaks `text` at 150 words per minute into `wav` (espeak-ng's own 22.05 kHz mono WAV).
pub fn speak_to_wav(text: &str, wav: &Path) {
    espeak(&["-s", "150"], Some(wav), text);
}

/// Speaks `text` at 150 words per minute into `wav` in one of espeak-ng's voices ("en-us",
/// "en-gb", ...): the same words in two accents, for tests that must not fit one voice.
pub fn speak_to_wav_in_voice(text: &str, wav: &Path, voice: &str) {
    espeak(&["-s", "150", "-v", voice], Some(wav), text);
}

/// Speaks SSML into `wav`, so `<break time="3s"/>` makes the pauses an interviewer waits for.
pub fn speak_ssml_to_wav(ssml: &str, wav: &Path) {
    espeak(&["-m", "-s", "150"], Some(wav), ssml);
}

/// Speaks `text` aloud on the default sink: the virtual microphone's, under the test command.
pub fn speak_aloud(text: &str) {
    espeak(&["-s", "150"], None, text);
}

/// One segment per text, as whisper would time a steady speaker: each starts `every_s` after
/// the one before and lasts `speech_s` (the rest is a pause), from 0 s.
pub fn timed_segments<S: AsRef<str>>(texts: &[S], every_s: f64, speech_s: f64) -> Vec<Segment> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| Segment {
            t0: i as f64 * every_s,
            t1: i as f64 * every_s + speech_s,
            text: t.as_ref().to_string(),
            words: Vec::new(),
        })
        .collect()
}
