//! Real capture through cpal from the PulseAudio virtual microphone that `scripts/test.sh`
//! starts: speech made by espeak-ng is played into the null sink and recorded by the
//! project's own capture code, then compared with what was played.

use rehearse_audio::{read_wav_16k_mono, MicCapture, MicFrames};
use std::process::Command;
use std::time::Duration;

/// RMS envelope in 10 ms frames.
fn envelope(samples: &[f32]) -> Vec<f32> {
    samples
        .chunks(160)
        .map(|c| (c.iter().map(|v| v * v).sum::<f32>() / c.len() as f32).sqrt())
        .collect()
}

/// Highest Pearson correlation of `played` against `recorded` over all lags.
fn best_correlation(played: &[f32], recorded: &[f32]) -> (f32, usize) {
    let mut best = (f32::MIN, 0);
    if recorded.len() < played.len() {
        return best;
    }
    for lag in 0..=(recorded.len() - played.len()) {
        let r = &recorded[lag..lag + played.len()];
        let n = played.len() as f32;
        let (ma, mb) = (played.iter().sum::<f32>() / n, r.iter().sum::<f32>() / n);
        let (mut num, mut da, mut db) = (0.0, 0.0, 0.0);
        for (a, b) in played.iter().zip(r) {
            num += (a - ma) * (b - mb);
            da += (a - ma) * (a - ma);
            db += (b - mb) * (b - mb);
        }
        let c = num / (da.sqrt() * db.sqrt()).max(1e-9);
        if c > best.0 {
            best = (c, lag);
        }
    }
    best
}

#[test]
#[ignore = "needs the PulseAudio virtual microphone: run `bash scripts/test.sh`"]
fn records_what_is_played_into_the_virtual_microphone() {
    let tmp = tempfile::tempdir().unwrap();
    let spoken = tmp.path().join("spoken.wav");
    let status = Command::new("espeak-ng")
        .args(["-w"])
        .arg(&spoken)
        .arg("The vector store holds one embedding per chunk, and retrieval takes the top five.")
        .status()
        .expect("espeak-ng is installed by scripts/test.sh");
    assert!(status.success());

    let recording = tmp.path().join("recorded.wav");
    let (capture, frames) =
        MicCapture::start(None, recording.clone()).expect("open the default microphone");
    std::thread::sleep(Duration::from_millis(500));
    let played = Command::new("paplay")
        .arg(&spoken)
        .status()
        .expect("paplay");
    assert!(played.success());
    std::thread::sleep(Duration::from_millis(800));
    let duration = capture.stop().unwrap();

    let mut streamed = 0usize;
    for f in frames.try_iter() {
        match f {
            MicFrames::Audio(a) => streamed += a.len(),
            MicFrames::DeviceLost { device, reason } => panic!("{device} lost: {reason}"),
        }
    }
    let reference = read_wav_16k_mono(&spoken).unwrap();
    let recorded = read_wav_16k_mono(&recording).unwrap();
    assert!((recorded.duration_s - duration).abs() < 0.05);
    assert!(
        recorded.duration_s > reference.duration_s,
        "recorded {:.2}s, played {:.2}s",
        recorded.duration_s,
        reference.duration_s
    );
    // What was streamed downstream is what was written to disk.
    assert!((streamed as i64 - recorded.samples.len() as i64).abs() < 1600);

    let (corr, lag) = best_correlation(&envelope(&reference.samples), &envelope(&recorded.samples));
    eprintln!("envelope correlation {corr:.3} at lag {} ms", lag * 10);
    // A probe on this setup measured 0.98; unrelated audio or silence scores near 0.
    assert!(
        corr > 0.9,
        "recorded audio does not match what was played: {corr}"
    );
}

#[test]
#[ignore = "needs the PulseAudio virtual microphone: run `bash scripts/test.sh`"]
fn an_unknown_device_name_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let err = MicCapture::start(Some("no such microphone"), tmp.path().join("x.wav"))
        .err()
        .expect("must fail")
        .to_string();
    assert!(
        err.contains("no such microphone") && err.contains("Settings"),
        "{err}"
    );
}
