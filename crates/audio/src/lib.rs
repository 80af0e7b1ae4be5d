//! Audio in: microphone capture on its own thread, WAV files of any common format, both
//! turned into 16 kHz mono f32 frames; a crash-safe WAV recorder; voice activity and pause detection.

mod capture;
mod cpal_input;
mod endpoint;
mod error;
mod processing;
mod recorder;
mod repair;
mod resample;
mod voice;
mod wav_input;

pub use capture::{FeedEnd, MicCapture, MicFrames, SamplesFeed};
pub use cpal_input::{default_input_device_name, list_input_devices};
pub use endpoint::{Endpointer, EndpointerConfig, Utterance};
pub use error::AudioError;
pub use processing::WATCHDOG;
pub use recorder::WavRecorder;
pub use repair::repair_wav;
pub use resample::{downmix, Resampler};
pub use voice::{VoiceActivity, VOICE_FRAME, VOICE_THRESHOLD};
pub use wav_input::{read_wav_16k_mono, AudioClip};

/// Whisper's input rate; everything downstream of capture works at this rate.
pub const TARGET_RATE: u32 = 16_000;
