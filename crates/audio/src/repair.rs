//! Repairing a WAV file left by a process that was killed while recording.
//!
//! [`WavRecorder`](crate::WavRecorder) rewrites the header every half second, so a killed
//! recorder leaves a header that undercounts whatever was written after its last rewrite
//! (and a header of zero sizes if it died in the first half second). The samples on disk are
//! all valid 16-bit PCM, so the fix is to set the RIFF and data chunk sizes from the file's
//! length, dropping a trailing half sample.

use crate::AudioError;
use std::fs::OpenOptions;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Fixes the RIFF and `data` chunk sizes of a PCM WAV file from its length; returns the
/// duration in seconds the file now holds. A file whose sizes are already right is left as
/// it is.
pub fn repair_wav(path: &Path) -> Result<f64, AudioError> {
    let bad = |reason: String| AudioError::UnreadableWav {
        path: path.to_path_buf(),
        reason,
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| bad(e.to_string()))?;
    let len = file.metadata().map_err(|e| bad(e.to_string()))?.len();
    let mut head = vec![0u8; len.min(4096) as usize];
    file.read_exact(&mut head).map_err(|e| bad(e.to_string()))?;
    if head.len() < 12 || &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Err(bad("not a RIFF/WAVE file".into()));
    }
    // Walk the chunks up to `data`, noting the format.
    let mut pos = 12usize;
    let mut block_align = 0u64;
    let mut byte_rate = 0u64;
    let data_start = loop {
        if pos + 8 > head.len() {
            return Err(bad("no data chunk in the first 4 KiB".into()));
        }
        let id = &head[pos..pos + 4];
        let size = u32::from_le_bytes([head[pos + 4], head[pos + 5], head[pos + 6], head[pos + 7]]);
        if id == b"fmt " && pos + 8 + 16 <= head.len() {
            let f = &head[pos + 8..];
            byte_rate = u64::from(u32::from_le_bytes([f[8], f[9], f[10], f[11]]));
            block_align = u64::from(u16::from_le_bytes([f[12], f[13]]));
        }
        if id == b"data" {
            break pos + 8;
        }
        pos += 8 + size as usize + (size as usize & 1);
    };
    if block_align == 0 || byte_rate == 0 {
        return Err(bad("no usable fmt chunk before the data".into()));
    }
    let data_len = (len - data_start as u64) / block_align * block_align;
    let data_size = u32::try_from(data_len).map_err(|_| bad("over 4 GiB".into()))?;
    let riff_size =
        u32::try_from(data_start as u64 - 8 + data_len).map_err(|_| bad("over 4 GiB".into()))?;
    let write_err = |e: std::io::Error| AudioError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    file.seek(SeekFrom::Start(4)).map_err(write_err)?;
    file.write_all(&riff_size.to_le_bytes())
        .map_err(write_err)?;
    file.seek(SeekFrom::Start(data_start as u64 - 4))
        .map_err(write_err)?;
    file.write_all(&data_size.to_le_bytes())
        .map_err(write_err)?;
    file.set_len(data_start as u64 + data_len)
        .map_err(write_err)?;
    file.sync_all().map_err(write_err)?;
    Ok(data_len as f64 / byte_rate as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{WavRecorder, TARGET_RATE};

    #[test]
    fn a_header_left_by_a_killed_recorder_is_fixed_from_the_file_length() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("rec.wav");
        let mut rec = WavRecorder::create(&path).unwrap();
        rec.write(&vec![0.25; TARGET_RATE as usize]).unwrap();
        // What a crash leaves: the header says one second; append 0.75 s the header does not
        // count (as if written after the last rewrite) plus half a sample.
        std::mem::forget(rec);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&vec![0x10u8; (TARGET_RATE as usize * 3 / 4) * 2 + 1])
            .unwrap();
        drop(f);
        let before = hound::WavReader::open(&path).unwrap().duration();
        assert!(before <= TARGET_RATE, "{before}");
        let seconds = repair_wav(&path).unwrap();
        assert!((seconds - 1.75).abs() < 1e-9, "{seconds}");
        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.duration(), TARGET_RATE * 7 / 4);
        let samples: Vec<i16> = reader.into_samples().map(|s| s.unwrap()).collect();
        assert_eq!(samples.len(), (TARGET_RATE * 7 / 4) as usize);
        // Repairing again changes nothing.
        assert!((repair_wav(&path).unwrap() - 1.75).abs() < 1e-9);
    }

    #[test]
    fn not_a_wav_is_an_error_not_a_panic() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("x.wav");
        std::fs::write(&path, b"RIFF\0\0\0\0WAVEjunk").unwrap();
        assert!(repair_wav(&path).is_err());
        std::fs::write(&path, b"hello").unwrap();
        assert!(repair_wav(&path).is_err());
    }
}
