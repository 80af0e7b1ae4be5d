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
}
