//! Speech models as the model picker and the download progress bar see them.

use serde::{Deserialize, Serialize};

/// Whether a model can be used now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ModelState {
    /// On disk and byte-for-byte the catalogue's file (custom models: a complete ggml file).
    Verified,
    NotInstalled,
    /// A download stopped part-way; downloading again resumes it.
    Partial,
    /// On disk but not the expected file: download or install it again.
    Damaged,
}

/// One speech model: a catalogue entry or a custom file the user installed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ModelInfo {
    /// What settings and `--model` name it by, e.g. "base.en-q5_1" or "custom/my-model".
    pub id: String,
    pub file_name: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size_bytes: u64,
    /// Lower-case hex sha256 the file must have (empty for custom models).
    pub sha256: String,
    pub english_only: bool,
    /// "f16", "q5_1", "q8_0"; "unknown" for custom models.
    pub quantisation: String,
    /// Expected speed on a 2-core machine, in words.
    pub speed_note: String,
    /// Where the file comes from.
    pub source: String,
    /// Where `download_model` fetches it; None: not downloadable (custom, or set up locally).
    pub url: Option<String>,
    pub custom: bool,
    pub state: ModelState,
    /// Bytes already downloaded when the state is `partial`.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub partial_bytes: u64,
    /// Why it is not verified and what to do, when it is not.
    pub message: Option<String>,
    /// The model the settings choose for transcription.
    pub active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum DownloadPhase {
    Fetching,
    Verifying,
    Done,
}

/// Sent while a model downloads (Tauri event "model-download").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ModelDownloadProgress {
    pub model_id: String,
    pub phase: DownloadPhase,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
}

/// What installing a local ggml file did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct InstalledModel {
    pub id: String,
    pub path: String,
    /// False when the file is a catalogue model (checked against its checksum).
    pub custom: bool,
    /// Set for custom models: their bytes cannot be checked against a known checksum.
    pub warning: Option<String>,
}
