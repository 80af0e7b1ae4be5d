//! A microphone that disappears mid-session: the capture's watchdog reports it, the session
//! says so and waits, and the candidate either continues on another input (the recording goes
//! on in the same file, the gap marked) or stops and has what was said scored. The app and
//! the CLI share this path; the CLI, which cannot pick another input, waits a few seconds for
//! the sound to come back (a stalled sound server) and then stops.

use super::{Coordinator, LiveSession};
use crate::EngineError;
use crossbeam_channel::{bounded, Sender};
use rehearse_audio::MicCapture;
use rehearse_core::EngineEvent;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the candidate is told when the microphone stops (by the app and the CLI alike).
pub fn mic_lost_message(device: &str) -> String {
    format!("The microphone stopped: {device}. What you said so far is saved.")
}

/// A request to continue the recording on `device` (None: the system default), answered with
/// the device's name or why it could not be opened.
pub(crate) struct SwitchRequest {
    pub device: Option<String>,
    pub reply: Sender<Result<String, EngineError>>,
}

/// How long continuing on another input may take (opening a device is bounded below this).
const SWITCH_WAIT: Duration = Duration::from_secs(20);

/// A handle that continues a live session on another input; it can be moved off the thread
/// that holds the session (opening a device takes a moment).
pub struct InputSwitch {
    tx: Sender<SwitchRequest>,
}

impl InputSwitch {
    /// Reopens capture on `device` (None: the system default); the recording continues in
    /// the same file and the gap is marked. Returns the device's name.
    pub fn to(self, device: Option<&str>) -> Result<String, EngineError> {
        let (reply, answer) = bounded(1);
        let request = SwitchRequest {
            device: device.map(str::to_string),
            reply,
        };
        let ended = || EngineError::SessionThread("the session has already ended".into());
        self.tx.send(request).map_err(|_| ended())?;
        answer.recv_timeout(SWITCH_WAIT).map_err(|_| ended())?
    }
}

impl LiveSession {
    /// A handle to continue this session on another input after its microphone was lost.
    pub fn input_switch(&self) -> InputSwitch {
        InputSwitch {
            tx: self.switch_tx.clone(),
        }
    }

    /// [`InputSwitch::to`] on this session: blocks while the device opens.
    pub fn continue_on(&self, device: Option<&str>) -> Result<String, EngineError> {
        self.input_switch().to(device)
    }
}

/// Wall-clock time the session spent without a microphone, in ms: marks are taken on the
/// wall clock and must not count it (the recording holds no audio for the gap).
#[derive(Clone, Default)]
pub(crate) struct LostTime(Arc<AtomicU64>);

impl LostTime {
    pub fn get(&self) -> Duration {
        Duration::from_millis(self.0.load(Ordering::Relaxed))
    }

    fn add(&self, d: Duration) {
        let ms = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        self.0.fetch_add(ms, Ordering::Relaxed);
    }
}

/// The microphone that was lost, while the session waits for the candidate.
pub(crate) struct LostMic {
    device: String,
    since: Instant,
}

impl Coordinator {
    pub(super) fn on_device_lost(&mut self, device: String, reason: &str) {
        if self.mic_lost.is_some() {
            return;
        }
        // Info, not warn: the MicLost event is how the candidate hears of it (once).
        tracing::info!(session = %self.session_id, %device, %reason, "the microphone stopped");
        (self.events)(EngineEvent::MicLost {
            device: device.clone(),
            at_s: self.clock_s,
            message: mic_lost_message(&device),
        });
        self.mic_lost = Some(LostMic {
            device,
            since: Instant::now(),
        });
    }

    /// Continues on the input asked for; a failure leaves the session waiting.
    pub(super) fn on_switch(&mut self, capture: &mut MicCapture, request: SwitchRequest) {
        let switched = capture
            .switch_input(request.device.as_deref())
            .map_err(EngineError::from);
        if let Ok(device) = &switched {
            self.resumed(device.clone());
        }
        let _ = request.reply.send(switched);
    }

    /// Sound came again from the lost input by itself (its server came back, or it was only
    /// slow): the session goes on as if switched to it.
    pub(super) fn on_audio_while_lost(&mut self) {
        if let Some(lost) = &self.mic_lost {
            let device = lost.device.clone();
            self.resumed(device);
        }
    }

    /// Marks the gap where the recording continues and tells the candidate.
    fn resumed(&mut self, device: String) {
        let Some(lost) = self.mic_lost.take() else {
            return;
        };
        self.lost_time.add(lost.since.elapsed());
        let at_s = self.clock_s;
        if let Err(e) = self
            .store
            .add_mark(&self.session_id, at_s, &crate::now_rfc3339())
        {
            tracing::warn!(error = %e, "could not mark the gap in the recording");
        }
        let at = crate::export::mmss(at_s);
        (self.events)(EngineEvent::MicResumed {
            device: device.clone(),
            at_s,
            message: format!(
                "Recording continues on {device}. The gap at {at} is marked in the review."
            ),
        });
    }
}
