use crate::{AudioError, TARGET_RATE};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Writes 16 kHz mono 16-bit WAV and rewrites the header every half second of audio, so a
/// file left by a killed process is valid up to its last flush. A write that fails (a full
/// disk) ends the recording: the file is closed, its header set to what reached the disk, and
/// every later write is refused with the same kind of error.
pub struct WavRecorder {
    writer: Option<hound::WavWriter<BufWriter<File>>>,
    path: PathBuf,
    samples: u64,
    since_flush: usize,
    /// Set once a write failed: (disk full, reason, seconds saved).
    failed: Option<(bool, String, f64)>,
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
        let not_started = |e: hound::Error| {
            // A header that did not fit leaves a stub no player reads: take it away.
            let _ = std::fs::remove_file(path);
            AudioError::RecordingNotStarted {
                path: path.to_path_buf(),
                disk_full: hound_disk_full(&e),
                reason: e.to_string(),
            }
        };
        let mut writer = hound::WavWriter::create(path, spec).map_err(not_started)?;
        // The header goes to disk now, so a disk with no room is found before recording.
        if let Err(e) = writer.flush() {
            drop(writer);
            return Err(not_started(e));
        }
        Ok(WavRecorder {
            writer: Some(writer),
            path: path.to_path_buf(),
            samples: 0,
            since_flush: 0,
            failed: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Seconds handed to [`write`](Self::write) so far (after a failed write: seconds saved).
    pub fn duration_s(&self) -> f64 {
        match &self.failed {
            Some((_, _, saved_s)) => *saved_s,
            None => self.samples as f64 / TARGET_RATE as f64,
        }
    }

    pub fn write(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        if self.failed.is_some() {
            return Err(self.cut_error());
        }
        let Some(writer) = self.writer.as_mut() else {
            return Ok(());
        };
        let mut written = Ok(());
        for s in samples {
            let v = (s.clamp(-1.0, 1.0) * i16::MAX as f32) as i16;
            written = writer.write_sample(v);
            if written.is_err() {
                break;
            }
        }
        if written.is_ok() {
            self.samples += samples.len() as u64;
            self.since_flush += samples.len();
            if self.since_flush >= FLUSH_EVERY {
                written = writer.flush();
                self.since_flush = 0;
            }
        }
        written.map_err(|e| self.fail(e))
    }

    /// Finalises the header; returns the recorded duration in seconds.
    pub fn finish(mut self) -> Result<f64, AudioError> {
        if self.failed.is_some() {
            return Err(self.cut_error());
        }
        if let Some(writer) = self.writer.take() {
            if let Err(e) = writer.finalize() {
                return Err(self.fail(e));
            }
        }
        Ok(self.duration_s())
    }

    /// Closes the file after a failed write and sets its header from what is on disk: the
    /// buffered writer only ever leaves a prefix of the samples there, so the file is valid
    /// up to its last whole sample.
    fn fail(&mut self, e: hound::Error) -> AudioError {
        drop(self.writer.take());
        let saved_s = match crate::repair_wav(&self.path) {
            Ok(seconds) => seconds,
            Err(repair) => {
                tracing::warn!(error = %repair, "could not set the header of a cut recording");
                0.0
            }
        };
        let disk_full = hound_disk_full(&e);
        tracing::debug!(path = %self.path.display(), error = %e, saved_s, "recording cut by a failed write");
        self.failed = Some((disk_full, e.to_string(), saved_s));
        self.cut_error()
    }

    fn cut_error(&self) -> AudioError {
        let (disk_full, reason, saved_s) = self.failed.clone().unwrap_or_default();
        AudioError::RecordingCut {
            path: self.path.clone(),
            saved_s,
            disk_full,
            reason,
        }
    }
}

fn hound_disk_full(e: &hound::Error) -> bool {
    matches!(e, hound::Error::IoError(io) if crate::error::is_disk_full(io))
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

/// The recorder on a disk that fills up: a real (tmpfs) file system, mounted by the test.
#[cfg(test)]
mod full_disk {
    use super::*;
    use rehearse_testkit::SmallDisk;

    #[test]
    fn a_full_disk_cuts_the_recording_cleanly_with_a_valid_file_and_a_clear_error() {
        let Some(disk) = SmallDisk::mount("WavRecorder on a full disk", 300 * 1024) else {
            return;
        };
        let path = disk.path().join("rec.wav");
        let mut rec = WavRecorder::create(&path).unwrap();
        // A ramp, so the samples read back can be checked one by one.
        let sample = |i: usize| ((i % 2000) as f32 / 2000.0) - 0.5;
        let chunk = 1_600; // 100 ms, as capture hands them over
        let mut fed = 0usize;
        let err = loop {
            let samples: Vec<f32> = (fed..fed + chunk).map(sample).collect();
            match rec.write(&samples) {
                Ok(()) => fed += chunk,
                Err(e) => break e,
            }
            assert!(fed < TARGET_RATE as usize * 60, "300 KiB never filled up");
        };
        let AudioError::RecordingCut {
            saved_s, disk_full, ..
        } = &err
        else {
            panic!("not a cut recording: {err:?}");
        };
        assert!(disk_full, "{err:?}");
        let message = err.to_string();
        assert!(message.starts_with("The disk is full: "), "{message}");
        assert!(!message.contains("os error"), "{message}");
        // 300 KiB hold about 9.6 s of 16 kHz 16-bit audio.
        assert!((8.0..=9.7).contains(saved_s), "{saved_s}");
        assert!(message.contains("What you said up to 00:0"), "{message}");
        // Later writes and finish() report the same cut, never a panic or a silent success.
        assert!(matches!(
            rec.write(&[0.0; 16]),
            Err(AudioError::RecordingCut { .. })
        ));
        assert!(matches!(rec.finish(), Err(AudioError::RecordingCut { .. })));

        // The file reads to its end, holds what was reported, and every sample is the one fed.
        let reader = hound::WavReader::open(&path).unwrap();
        let on_disk = reader.duration() as usize;
        assert!((on_disk as f64 / TARGET_RATE as f64 - saved_s).abs() < 1e-9);
        assert!(
            on_disk <= fed + chunk && on_disk + FLUSH_EVERY + chunk >= fed,
            "{on_disk} of {fed}"
        );
        let read: Vec<i16> = reader.into_samples().map(|s| s.unwrap()).collect();
        assert_eq!(read.len(), on_disk);
        for (i, v) in read.iter().enumerate() {
            let want = (sample(i) * i16::MAX as f32) as i16;
            assert_eq!(*v, want, "sample {i}");
        }
    }

    #[test]
    fn a_disk_already_full_refuses_to_start_and_leaves_no_stub() {
        let Some(disk) = SmallDisk::mount("WavRecorder on a disk already full", 64 * 1024) else {
            return;
        };
        disk.fill_with("filler");
        let path = disk.path().join("rec.wav");
        let err = WavRecorder::create(&path)
            .err()
            .expect("no room even for the header");
        let message = err.to_string();
        assert!(message.starts_with("The disk is full: "), "{message}");
        assert!(message.contains("nothing was recorded"), "{message}");
        assert!(!path.exists());
    }
}
