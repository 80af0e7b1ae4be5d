use crate::{AudioError, TARGET_RATE};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Writes 16 kHz mono 16-bit WAV and rewrites the header every half second of audio, so a
/// file left by a killed process is valid up to its last flush.
pub struct WavRecorder {
    writer: Option<hound::WavWriter<BufWriter<File>>>,
    path: PathBuf,
    samples: u64,
    since_flush: usize,
}

const FLUSH_EVERY: usize = TARGET_RATE as usize / 2;

impl WavRecorder {
    pub fn create(path: &Path) -> Result<Self, AudioError> {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: TARGET_RATE,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let writer = hound::WavWriter::create(path, spec).map_err(|e| AudioError::Write {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Ok(WavRecorder {
            writer: Some(writer),
            path: path.to_path_buf(),
            samples: 0,
            since_flush: 0,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn duration_s(&self) -> f64 {
        self.samples as f64 / TARGET_RATE as f64
    }

    pub fn write(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        let Some(writer) = self.writer.as_mut() else {
            return Ok(());
        };
        let err = |e: hound::Error| AudioError::Write {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        for s in samples {
            let v = (s.clamp(-1.0, 1.0) * i16::MAX as f32) as i16;
            writer.write_sample(v).map_err(err)?;
        }
        self.samples += samples.len() as u64;
        self.since_flush += samples.len();
        if self.since_flush >= FLUSH_EVERY {
            writer.flush().map_err(err)?;
            self.since_flush = 0;
        }
        Ok(())
    }

    /// Finalises the header; returns the recorded duration in seconds.
    pub fn finish(mut self) -> Result<f64, AudioError> {
        if let Some(writer) = self.writer.take() {
            writer.finalize().map_err(|e| AudioError::Write {
                path: self.path.clone(),
                reason: e.to_string(),
            })?;
        }
        Ok(self.duration_s())
    }
}

impl Drop for WavRecorder {
    fn drop(&mut self) {
        if let Some(writer) = self.writer.take() {
            let _ = writer.finalize();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_is_readable_after_each_flush_without_finish() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("rec.wav");
        let mut rec = WavRecorder::create(&path).unwrap();
        rec.write(&vec![0.25; TARGET_RATE as usize]).unwrap();
        // Simulate a crash: read the file while the writer is still open.
        let reader = hound::WavReader::open(&path).unwrap();
        assert!(
            reader.duration() >= TARGET_RATE / 2,
            "{}",
            reader.duration()
        );
        assert_eq!(rec.finish().unwrap(), 1.0);
        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.duration(), TARGET_RATE);
    }
}
