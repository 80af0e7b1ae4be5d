//! "Test microphone": a few seconds from the chosen input, its level reported live as
//! [`EngineEvent::Level`] and the clip kept so the UI can play it back.

use crate::{Engine, EngineError, EventSink};
use rehearse_audio::{MicCapture, MicFrames};
use rehearse_core::{EngineEvent, MicCheck};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The longest test recording accepted.
pub const MAX_MIC_TEST_S: f64 = 15.0;
const WINDOW: usize = 1_600; // 100 ms at 16 kHz
/// Speech from a working microphone peaks well above this RMS; a muted one stays below.
const HEARD_RMS: f32 = 0.01;

impl Engine {
    /// Where the last test clip is kept (overwritten by the next test).
    pub fn mic_test_path(&self) -> PathBuf {
        self.paths().data_dir.join("mic-test.wav")
    }

    /// Records `seconds` (at most [`MAX_MIC_TEST_S`]) from the input device in the settings,
    /// sending a level every 100 ms, and says whether it heard anything.
    pub fn mic_test(&self, seconds: f64, events: EventSink) -> Result<MicCheck, EngineError> {
        let seconds = seconds.clamp(0.5, MAX_MIC_TEST_S);
        let device = self.settings().input_device.clone();
        drop(crate::vault::create_private_file(&self.mic_test_path())?);
        let (capture, frames) = MicCapture::start(device.as_deref(), self.mic_test_path())?;
        let deadline = Instant::now() + Duration::from_secs_f64(seconds);
        let (mut sum, mut n) = (0.0f64, 0usize);
        let (mut peak, mut floor) = (0.0f32, f32::MAX);
        let mut lost = None;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match frames.recv_timeout(left) {
                Ok(MicFrames::Audio(samples)) => {
                    for s in samples {
                        sum += f64::from(s) * f64::from(s);
                        n += 1;
                        if n == WINDOW {
                            let rms = (sum / n as f64).sqrt() as f32;
                            peak = peak.max(rms);
                            floor = floor.min(rms);
                            events(EngineEvent::Level { rms });
                            (sum, n) = (0.0, 0);
                        }
                    }
                }
                Ok(MicFrames::DeviceLost { device, reason }) => {
                    lost = Some(format!("{device}: {reason}"));
                    break;
                }
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => break,
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
            }
        }
        let recorded = capture.stop()?;
        if floor == f32::MAX {
            floor = 0.0;
        }
        let verdict = match lost {
            Some(reason) => format!("The microphone stopped during the test ({reason})."),
            None if peak >= HEARD_RMS => "Heard you: the microphone works.".to_string(),
            None => "Nothing was heard: check the microphone is not muted and is the one chosen."
                .to_string(),
        };
        Ok(MicCheck {
            device: device
                .or_else(rehearse_audio::default_input_device_name)
                .unwrap_or_else(|| "the default input".into()),
            seconds: recorded,
            peak_rms: peak,
            floor_rms: floor,
            verdict,
        })
    }
}
