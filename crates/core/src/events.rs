use crate::{Phase, Segment, SessionReport, Turn};
use serde::{Deserialize, Serialize};

/// What a live session tells its shell (the desktop UI or the CLI) as it happens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EngineEvent {
    /// Recording has begun; the session exists in the store from now on.
    Started { session_id: String },
    /// Input level, RMS of the last ~100 ms in [0, 1].
    Level { rms: f32 },
    /// A final transcript segment, times from the start of the session.
    Segment { segment: Segment },
    /// The interviewer spoke.
    Turn { turn: Turn },
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
}
