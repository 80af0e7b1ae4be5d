use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("could not read {path} as a WAV file ({reason}); export it as WAV (PCM or float) and try again")]
    UnreadableWav { path: PathBuf, reason: String },
    #[error("{path} contains no audio samples")]
    EmptyWav { path: PathBuf },
    #[error("no microphone found: connect one (or enable it in your system's sound settings) and try again")]
    NoInputDevice,
    #[error("microphone '{0}' is not available; choose another one in Settings")]
    DeviceNotFound(String),
    #[error("the microphone could not be opened: {0}")]
    Device(String),
    #[error("resampling failed: {0}")]
    Resample(String),
    #[error("could not write the recording to {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    /// Nothing was recorded: the recording file could not even be started.
    #[error("{}", not_started_message(path, *disk_full, reason))]
    RecordingNotStarted {
        path: PathBuf,
        disk_full: bool,
        reason: String,
    },
    /// Recording stopped because a write failed; the file holds (and its header counts) the
    /// first `saved_s` seconds.
    #[error("{}", cut_message(path, *saved_s, *disk_full, reason))]
    RecordingCut {
        path: PathBuf,
        saved_s: f64,
        disk_full: bool,
        reason: String,
    },
}

/// Whether an IO error means the disk (or the user's quota on it) has no room left.
pub(crate) fn is_disk_full(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(e.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded)
}

/// `m:ss` (or `h:mm:ss`), as a player shows a position.
fn clock(seconds: f64) -> String {
    let s = seconds.max(0.0).floor() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

const FREE_SPACE: &str = "Free some space on that disk (or point REHEARSE_DATA_DIR at a \
folder on another one) before the next session.";

fn not_started_message(path: &std::path::Path, disk_full: bool, reason: &str) -> String {
    let path = path.display();
    if disk_full {
        format!("The disk is full: the recording {path} could not be started, so nothing was recorded. {FREE_SPACE}")
    } else {
        format!("Could not start the recording {path} ({reason}), so nothing was recorded. Check that the data folder is writable and try again.")
    }
}

fn cut_message(path: &std::path::Path, saved_s: f64, disk_full: bool, reason: &str) -> String {
    let (path, at) = (path.display(), clock(saved_s));
    if disk_full {
        format!("The disk is full: recording stopped because {path} could not grow. What you said up to {at} is saved. {FREE_SPACE}")
    } else {
        format!("Recording stopped: could not write {path} ({reason}). What you said up to {at} is saved. Check that disk, then start a new session.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_happened_how_much_is_kept_and_what_to_do() {
        let cut = AudioError::RecordingCut {
            path: "/data/audio/s.wav".into(),
            saved_s: 83.9,
            disk_full: true,
            reason: "No space left on device (os error 28)".into(),
        };
        assert_eq!(
            cut.to_string(),
            "The disk is full: recording stopped because /data/audio/s.wav could not grow. \
             What you said up to 01:23 is saved. Free some space on that disk (or point \
             REHEARSE_DATA_DIR at a folder on another one) before the next session."
        );
        let other = AudioError::RecordingCut {
            path: "/data/audio/s.wav".into(),
            saved_s: 3725.0,
            disk_full: false,
            reason: "Input/output error (os error 5)".into(),
        };
        let text = other.to_string();
        assert!(text.contains("(Input/output error (os error 5))"), "{text}");
        assert!(text.contains("up to 1:02:05 is saved"), "{text}");
        use std::io::{Error, ErrorKind};
        assert!(is_disk_full(&Error::from(ErrorKind::StorageFull)));
        assert!(!is_disk_full(&Error::from(ErrorKind::PermissionDenied)));
    }
}
