//! The user's settings as the app stores and shows them. Parsing (defaults per field, salvage,
//! migrations) lives in the engine; these are only the shapes, shared with the UI.
//!
//! The LLM API key is deliberately not here: it lives in the OS keychain or the environment,
//! so no settings file, export or webview ever holds it.

use serde::{Deserialize, Serialize};

/// The settings file's current shape. Older files are migrated up to it when read.
pub const SETTINGS_SCHEMA_VERSION: u32 = 2;

/// Everything the user can change in Settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AppSettings {
    pub schema_version: u32,
    /// False until onboarding was finished or skipped once.
    pub onboarded: bool,
    /// None: the system's default input.
    pub input_device: Option<String>,
    pub model_id: String,
    /// whisper.cpp threads; None: chosen from the number of cores.
    pub whisper_threads: Option<u32>,
    pub use_gpu: bool,
    /// The spoken language, e.g. "en".
    pub language: String,
    pub interview_length: InterviewLength,
    pub interruption_style: InterruptionStyle,
    pub llm: LlmPreferences,
    pub retention: Retention,
    pub theme: Theme,
}

/// How long a practice interview runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum InterviewLength {
    /// A full 45-minute interview.
    Full45,
    /// A 10-minute drill.
    Drill10,
}

impl InterviewLength {
    pub fn minutes(self) -> u32 {
        match self {
            InterviewLength::Full45 => 45,
            InterviewLength::Drill10 => 10,
        }
    }

    /// How the interview's time is split between its phases.
    pub fn phase_plan(self) -> crate::PhasePlan {
        match self {
            InterviewLength::Full45 => crate::PhasePlan::full_45(),
            InterviewLength::Drill10 => crate::PhasePlan::drill_10(),
        }
    }
}

/// When the interviewer may speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum InterruptionStyle {
    /// At natural pauses, as a real interviewer does.
    AtPauses,
    /// Questions wait until the candidate says they are done (Stop).
    HoldUntilDone,
}

/// The OpenAI-compatible interviewer (the key is kept elsewhere: see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LlmPreferences {
    /// False: the offline interviewer only.
    pub enabled: bool,
    /// The API root, e.g. `http://127.0.0.1:8080/v1`.
    pub base_url: String,
    pub model: String,
    /// The deadline for one call, retries included.
    pub timeout_s: f64,
}

/// What is kept, and for how long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Retention {
    /// Keep a session's audio after it is scored.
    pub keep_audio: bool,
    /// Delete sessions older than this many days; None: keep them.
    pub delete_after_days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    Light,
    Dark,
    /// Follow the system's light or dark preference.
    System,
}

/// A field of the settings file that could not be used as written; the app uses its default
/// (or drops it) and shows this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SettingsProblem {
    /// The field's path in the file, e.g. `llm.timeout_s`.
    pub field: String,
    pub message: String,
}

/// The settings the app runs with, and what was wrong with the file they came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LoadedSettings {
    pub settings: AppSettings,
    pub problems: Vec<SettingsProblem>,
    /// The file's schema version when it was older than the current one.
    pub migrated_from: Option<u32>,
    /// Settings that environment variables override (their names), which Settings cannot change.
    pub env_overrides: Vec<String>,
    pub api_key: ApiKeyStatus,
}

/// Whether an LLM API key is set and where; never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ApiKeyStatus {
    pub source: ApiKeySource,
    /// Whether the OS keychain can be used on this machine (else keys come from the environment).
    pub keychain_available: bool,
    /// Why the keychain cannot be used, when it cannot.
    pub keychain_message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ApiKeySource {
    None,
    Keychain,
    /// `REHEARSE_LLM_API_KEY`.
    Environment,
}

/// The answer to "Test connection".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LlmCheck {
    pub ok: bool,
    /// How long the call took, in milliseconds.
    pub latency_ms: u32,
    /// What happened, in words.
    pub message: String,
}

/// An OpenAI-compatible server found on this machine at its usual port (Ollama, LM Studio,
/// llama.cpp's server), with the models it offers: Settings and onboarding offer it so that
/// nobody has to type a URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LocalLlmServer {
    /// What it is, e.g. "Ollama".
    pub name: String,
    /// The base URL to put in the settings, e.g. `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    pub models: Vec<String>,
}

/// A short recording from the microphone, to check it works (the level events come as
/// `EngineEvent::Level` while it records).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct MicCheck {
    pub device: String,
    pub seconds: f64,
    /// The loudest 100 ms, RMS in [0, 1].
    pub peak_rms: f32,
    /// The quietest 100 ms, RMS in [0, 1]: the noise floor.
    pub floor_rms: f32,
    /// In words: "heard you", "too quiet", ...
    pub verdict: String,
}
