use crate::{downmix, AudioError, Resampler, TARGET_RATE};
use std::path::Path;

/// A whole recording as 16 kHz mono samples.
#[derive(Debug, Clone)]
pub struct AudioClip {
    pub samples: Vec<f32>,
    pub duration_s: f64,
}

/// Reads a WAV of any common rate, channel count and bit depth (8/16/24/32-bit PCM, 32-bit
/// float) into 16 kHz mono.
pub fn read_wav_16k_mono(path: &Path) -> Result<AudioClip, AudioError> {
    let unreadable = |reason: String| AudioError::UnreadableWav {
        path: path.to_path_buf(),
        reason,
    };
    let mut reader = hound::WavReader::open(path).map_err(|e| unreadable(e.to_string()))?;
    let spec = reader.spec();
    if spec.channels == 0 || spec.sample_rate == 0 {
        return Err(unreadable(
            "the header declares no channels or no sample rate".into(),
        ));
    }
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(|e| unreadable(e.to_string()))?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
            reader
                .samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(|e| unreadable(e.to_string()))?
        }
    };
    let mono = downmix(&interleaved, spec.channels as usize);
    if mono.is_empty() {
        return Err(AudioError::EmptyWav {
            path: path.to_path_buf(),
        });
    }
    let mut resampler = Resampler::new(spec.sample_rate, TARGET_RATE)?;
    let mut samples = resampler.push(&mono)?;
    samples.extend(resampler.finish()?);
    let duration_s = mono.len() as f64 / spec.sample_rate as f64;
    Ok(AudioClip {
        samples,
        duration_s,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_tone(path: &Path, rate: u32, channels: u16, bits: u16, float: bool, secs: f32) {
        let spec = hound::WavSpec {
            channels,
            sample_rate: rate,
            bits_per_sample: bits,
            sample_format: if float {
                hound::SampleFormat::Float
            } else {
                hound::SampleFormat::Int
            },
        };
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        let n = (rate as f32 * secs) as usize;
        for i in 0..n {
            let v = (2.0 * std::f32::consts::PI * 300.0 * i as f32 / rate as f32).sin() * 0.5;
            for _ in 0..channels {
                if float {
                    w.write_sample(v).unwrap();
                } else {
                    let max = (1i64 << (bits - 1)) as f32 - 1.0;
                    w.write_sample((v * max) as i32).unwrap();
                }
            }
        }
        w.finalize().unwrap();
    }

    #[test]
    fn reads_common_formats_into_16k_mono() {
        let tmp = tempfile::tempdir().unwrap();
        for (rate, ch, bits, float) in [
            (16_000, 1, 16, false),
            (44_100, 2, 16, false),
            (48_000, 2, 24, false),
            (22_050, 1, 8, false),
            (48_000, 1, 32, true),
            (8_000, 2, 32, false),
        ] {
            let p = tmp.path().join(format!("t{rate}_{ch}_{bits}_{float}.wav"));
            write_tone(&p, rate, ch, bits, float, 1.5);
            let clip = read_wav_16k_mono(&p).unwrap();
            assert!((clip.duration_s - 1.5).abs() < 0.01, "{p:?}");
            assert!(
                (clip.samples.len() as i64 - 24_000).abs() < 500,
                "{p:?} {}",
                clip.samples.len()
            );
            let peak = clip.samples.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            assert!((0.4..0.6).contains(&peak), "{p:?} peak {peak}");
        }
    }

    #[test]
    fn corrupt_and_empty_files_give_clear_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let bad = tmp.path().join("bad.wav");
        std::fs::write(&bad, b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk").unwrap();
        let err = read_wav_16k_mono(&bad).unwrap_err().to_string();
        assert!(err.contains("bad.wav") && err.contains("WAV"), "{err}");
        let missing = read_wav_16k_mono(&tmp.path().join("missing.wav")).unwrap_err();
        assert!(matches!(missing, AudioError::UnreadableWav { .. }));
        let empty = tmp.path().join("empty.wav");
        write_tone(&empty, 16_000, 1, 16, false, 0.0);
        assert!(matches!(
            read_wav_16k_mono(&empty),
            Err(AudioError::EmptyWav { .. })
        ));
    }
}
