//! Quantising the real tiny.en model: the file is well-formed, smaller, loads in whisper.cpp
//! and still transcribes speech (espeak-ng, spoken at test time) with a low error rate.

use crate::common;

use rehearse_stt::models::Quantisation;
use rehearse_stt::quantize::quantise_model;
use rehearse_stt::wer::word_error_rate;
use rehearse_stt::{inspect_model, SpeechToText, WhisperOptions, WhisperStt};
use std::process::Command;

const SPOKEN: &str = "We put a cache in front of the database and shard the messages by user.";

fn speak(text: &str, dir: &std::path::Path) -> Vec<f32> {
    let raw = dir.join("raw.wav");
    let wav16 = dir.join("16k.wav");
    for cmd in [
        Command::new("espeak-ng")
            .arg("-w")
            .arg(&raw)
            .arg(text)
            .output(),
        Command::new("sox")
            .arg(&raw)
            .args(["-r", "16000", "-c", "1", "-b", "16"])
            .arg(&wav16)
            .output(),
    ] {
        let out = cmd.expect("install espeak-ng and sox");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    hound::WavReader::open(&wav16)
        .unwrap()
        .samples::<i16>()
        .map(|s| s.unwrap() as f32 / 32768.0)
        .collect()
}

#[test]
fn quantised_tiny_en_loads_and_transcribes() {
    let src = common::installed_model();
    let tmp = tempfile::tempdir().unwrap();
    let speech = speak(SPOKEN, tmp.path());
    let src_size = std::fs::metadata(&src).unwrap().len();
    for (q, max_share) in [(Quantisation::Q8_0, 0.6), (Quantisation::Q5_1, 0.45)] {
        let dst = tmp.path().join(format!("ggml-tiny.en-{}.bin", q.as_str()));
        let n = quantise_model(&src, &dst, q).unwrap();
        // tiny.en: 4 + 4 layers of attention and MLP matrices, plus the token embedding.
        assert!(n > 30, "{n} tensors quantised");
        let info = inspect_model(&dst).unwrap();
        assert_eq!(info.hparams.ftype / 1000, 2, "{:?}", info.hparams);
        let size = std::fs::metadata(&dst).unwrap().len();
        assert!(
            (size as f64) < max_share * src_size as f64,
            "{}: {size} bytes vs {src_size}",
            q.as_str()
        );
        let mut stt = WhisperStt::load(&dst, WhisperOptions::default()).unwrap();
        let text: Vec<String> = stt
            .transcribe(&speech)
            .unwrap()
            .into_iter()
            .map(|s| s.text)
            .collect();
        let wer = word_error_rate(SPOKEN, &text.join(" "));
        assert!(wer <= 0.25, "{}: WER {wer:.2} for {text:?}", q.as_str());
    }
    // A quantised file is not quantised again.
    let again = tmp.path().join("again.bin");
    assert!(quantise_model(
        &tmp.path().join("ggml-tiny.en-q8_0.bin"),
        &again,
        Quantisation::Q5_1
    )
    .is_err());
}
