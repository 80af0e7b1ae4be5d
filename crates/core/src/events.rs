use crate::{Phase, Segment, SessionReport, Turn};
use serde::{Deserialize, Serialize};

/// What a live session tells its shell (the desktop UI or the CLI) as it happens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "type", rename_all = "snake_case")]
// `Finished` (the whole report) is far larger than the rest, but it is sent once per session
// and events are moved one at a time: boxing it would save nothing that matters.
#[allow(clippy::large_enum_variant)]
pub enum EngineEvent {
    /// Recording has begun; the session exists in the store from now on.
    Started { session_id: String },
    /// Input level, RMS of the last ~100 ms in [0, 1].
    Level { rms: f32 },
    /// A final transcript segment, times from the start of the session.
    Segment { segment: Segment },
    /// Provisional text of the utterance in progress, which began at `t0` (seconds from the
    /// start of the session): replaced by the next partial, and cleared by the next
    /// `Segment`. Empty text clears it (nothing was transcribed after all).
    Partial { t0: f64, text: String },
    /// The interviewer spoke.
    Turn { turn: Turn },
    /// The LLM interviewer's follow-up as it is being generated (the question's text so far).
    /// A preview only: the next `Turn` replaces it; empty text withdraws it (the model
    /// started over, or failed and the offline interviewer's turn follows with a notice).
    InterviewerDraft { text_so_far: String },
    /// A phase of the interview began (the first at start): seconds from the session's
    /// start, and how long the phase's budget is.
    Phase {
        phase: Phase,
        started_s: f64,
        budget_s: f64,
    },
    /// Something the candidate should know that did not stop the session.
    Notice { message: String },
    /// The session could not go on; what was recorded is kept.
    Error { message: String },
    /// The microphone stopped delivering sound (unplugged, or its sound server went away) at
    /// `at_s` seconds into the session. What was said so far is saved and the session waits:
    /// it continues on another input (the same recording, the gap marked) or is stopped and
    /// scored. `message` says so in plain words.
    MicLost {
        device: String,
        at_s: f64,
        message: String,
    },
    /// Recording goes on after a lost microphone, on `device`; the gap is marked at `at_s`.
    MicResumed {
        device: String,
        at_s: f64,
        message: String,
    },
    /// Scored and stored.
    Finished { report: SessionReport },
}

/// A practice prompt as the prompt picker shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PromptInfo {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub brief: String,
}

/// What the app needs to know at start to tell the candidate whether practice can begin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AppStatus {
    pub model_name: String,
    pub model_ready: bool,
    /// Why the model is not ready and what to do, when it is not.
    pub model_message: Option<String>,
    pub input_devices: Vec<String>,
    pub default_input: Option<String>,
    pub data_dir: String,
    /// Which processors this build's speech recognition was compiled for, e.g.
    /// "x86-64-v3 (SSE3, SSSE3, AVX, AVX2, FMA, F16C, BMI2)" (Settings > About).
    pub speech_build: String,
}
