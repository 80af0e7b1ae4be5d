//! The engine: the one API that the CLI and the desktop shell call. It wires audio capture,
//! speech-to-text, the interviewer and the store, and reports progress as [`EngineEvent`]s.
//! It knows nothing of Tauri.

pub mod board_export;
mod board_history;
mod board_svg;
mod card_answer;
mod error;
pub mod export;
mod file_practice;
pub mod interviewer_backend;
mod live;
mod llm_check;
mod marks;
mod mic_test;
pub mod models;
mod neutral;
mod paths;
mod recovery;
mod retention;
mod retranscribe;
mod review;
mod secrets;
mod settings;
pub mod settings_file;
pub mod stream;
mod study;
mod transcribe;
mod user_settings;
pub mod vault;

pub use board_history::read_board;
pub use card_answer::CardAnswerRecording;
pub use error::EngineError;
pub use live::{mic_lost_message, InputSwitch, LiveSession};
pub use llm_check::{check_llm_connection, find_local_llm_servers, CHECK_TIMEOUT, FIND_TIMEOUT};
pub use mic_test::MAX_MIC_TEST_S;
pub use neutral::Remedy;
pub use paths::EnginePaths;
/// The board as the interviewer reads it, in words: components with kind, arrows, notes.
pub use rehearse_board::describe as describe_board;
pub use secrets::{
    resolve_api_key, store_api_key, OsKeychain, SecretError, SecretStore, API_KEY_VAR,
};
pub use settings::{EngineSettings, LlmSettings};
pub use settings_file::{
    default_app_settings, engine_settings, parse_settings, parse_settings_text, settings_to_json,
    ParsedSettings, SETTINGS_FILE,
};
pub use study::{format_time, study_now, suggest_grade, StudyGaps, DESIRED_RETENTION, GAP_LEVEL};
pub use transcribe::{transcribe_clip, PACKED_WINDOW_S};
pub use user_settings::{
    load_user_settings, load_user_settings_from, save_user_settings, save_user_settings_from,
    SettingsSources, UserSettings,
};

use rehearse_content::Content;
use rehearse_core::{AppStatus, EngineEvent, PromptInfo, SessionReport, SessionSummary};
use rehearse_store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Receives live events; called from engine threads.
pub type EventSink = Arc<dyn Fn(EngineEvent) + Send + Sync>;

pub struct Engine {
    paths: EnginePaths,
    settings: EngineSettings,
    content: Content,
    /// Problems in the user's own cards (`<data folder>/cards/<area>/*.md`), which are left
    /// out until fixed.
    user_content_problems: Vec<rehearse_content::ContentProblem>,
    /// Sessions found interrupted by a crash when this engine started.
    interrupted_at_start: Vec<String>,
}

/// Which processors this build's speech recognition was compiled for (docs/packaging.md).
pub fn speech_build() -> String {
    rehearse_stt::build_baseline().to_string()
}

/// What the app shows when the engine itself could not start: nothing is ready, and
/// `message` says why.
pub fn status_without_engine(message: String) -> AppStatus {
    AppStatus {
        model_name: String::new(),
        model_ready: false,
        model_message: Some(message),
        input_devices: Vec::new(),
        default_input: None,
        data_dir: String::new(),
        speech_build: speech_build(),
    }
}

impl Engine {
    /// Loads the built-in content (plus the user's own cards from the data folder) and opens
    /// (migrating) the store, so a damaged database or bad content is reported at start, not
    /// in the middle of a session. Rebuilds the search index when the content differs from the
    /// one it was built from.
    pub fn new(paths: EnginePaths, settings: EngineSettings) -> Result<Self, EngineError> {
        // Owner-only before anything personal is written (and fixed for older folders).
        vault::tighten_data_folder(&paths)?;
        let (content, user_content_problems) = Content::embedded_with_user_cards(&paths.data_dir)?;
        for p in &user_content_problems {
            tracing::warn!(problem = %p, "left out a card of yours");
        }
        let mut store = Store::open(&paths.db_path())?;
        study::ensure_search_index(&content, &mut store)?;
        // Sessions left "recording" by a process that died become interrupted (recordings
        // repaired), so they show at start and can be finished or deleted.
        let interrupted_at_start = recovery::recover_interrupted(&paths, &store)?;
        let engine = Engine {
            paths,
            settings,
            content,
            user_content_problems,
            interrupted_at_start,
        };
        if let Err(e) = engine.apply_retention() {
            tracing::warn!(error = %e, "could not delete old sessions");
        }
        Ok(engine)
    }

    /// Sessions this start found interrupted by a crash (see [`Engine::interrupted_sessions`]
    /// for all interrupted ones).
    pub fn interrupted_at_start(&self) -> &[String] {
        &self.interrupted_at_start
    }

    /// What is wrong with the user's own cards (those cards are left out until fixed).
    pub fn user_content_problems(&self) -> &[rehearse_content::ContentProblem] {
        &self.user_content_problems
    }

    pub fn paths(&self) -> &EnginePaths {
        &self.paths
    }

    pub fn settings(&self) -> &EngineSettings {
        &self.settings
    }

    pub fn prompts(&self) -> Vec<PromptInfo> {
        self.content.prompts().iter().map(|p| p.info()).collect()
    }

    pub(crate) fn content(&self) -> &Content {
        &self.content
    }

    pub(crate) fn store(&self) -> Result<Store, EngineError> {
        Ok(Store::open(&self.paths.db_path())?)
    }

    /// The installed speech model's path, verified (size and checksum).
    pub fn verified_model(&self) -> Result<PathBuf, EngineError> {
        // Catalogue models by checksum, custom ones (`custom/NAME`) by their ggml structure.
        models::verified_model_path(&self.paths.models_dir, &self.settings.model_id)
    }

    /// What the app shows at start: model readiness and microphones.
    pub fn status(&self) -> AppStatus {
        self.status_with(EngineError::to_string)
    }

    /// [`Engine::status`] with the model's problem put into words by `describe` (a shell
    /// adds what to do in its own words).
    pub fn status_with(&self, describe: impl Fn(&EngineError) -> String) -> AppStatus {
        // A processor this build cannot serve comes first: no model would transcribe on it.
        let model_message = match rehearse_stt::check_cpu() {
            Err(cpu) => Some(cpu.to_string()),
            Ok(()) => self.verified_model().err().map(|e| describe(&e)),
        };
        let input_devices = rehearse_audio::list_input_devices().unwrap_or_default();
        AppStatus {
            model_name: self.settings.model_id.clone(),
            model_ready: model_message.is_none(),
            model_message,
            default_input: self
                .settings
                .input_device
                .clone()
                .or_else(rehearse_audio::default_input_device_name),
            input_devices,
            data_dir: self.paths.data_dir.display().to_string(),
            speech_build: speech_build(),
        }
    }

    pub fn sessions(&self) -> Result<Vec<SessionSummary>, EngineError> {
        let mut list = self.store()?.list_sessions()?;
        self.name_prompts(&mut list);
        Ok(list)
    }

    pub fn session(&self, id: &str) -> Result<SessionReport, EngineError> {
        Ok(self.store()?.session_report(id)?)
    }

    /// The stored recording of a session.
    pub fn session_audio_path(&self, id: &str) -> Result<PathBuf, EngineError> {
        let path = PathBuf::from(self.store()?.audio_path(id)?);
        if !path.exists() {
            return Err(EngineError::AudioMissing(path));
        }
        Ok(path)
    }

    /// Deletes a session's rows and its audio file.
    pub fn delete_session(&self, id: &str) -> Result<(), EngineError> {
        let audio = self.store()?.delete_session(id)?;
        remove_if_exists(Path::new(&audio))
    }

    /// Transcribes, interviews and scores a recorded answer; stores it as a session.
    pub fn practice_file(&self, prompt_id: &str, wav: &Path) -> Result<SessionReport, EngineError> {
        self.practice_file_with_board(prompt_id, wav, None)
    }

    /// `practice_file` with a whiteboard (Excalidraw scene JSON) drawn for the whole answer:
    /// the interviewer reads it, and it is stored as the session's board at 0 s. A board that
    /// cannot be read is an error before anything is stored.
    pub fn practice_file_with_board(
        &self,
        prompt_id: &str,
        wav: &Path,
        board: Option<&str>,
    ) -> Result<SessionReport, EngineError> {
        file_practice::run(self, prompt_id, wav, board)
    }

    /// Starts recording from the microphone with live transcription and follow-ups.
    pub fn start_live(
        &self,
        prompt_id: &str,
        events: EventSink,
    ) -> Result<LiveSession, EngineError> {
        live::start(self, prompt_id, events, live::LiveInput::Mic)
    }
}

fn remove_if_exists(path: &Path) -> Result<(), EngineError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(EngineError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

/// Records a new session in the store, status "recording", before any audio is processed.
pub(crate) fn record_new_session(
    engine: &Engine,
    store: &Store,
    session_id: &str,
    prompt_id: &str,
    audio_path: &Path,
) -> Result<(), EngineError> {
    store.create_session(&rehearse_store::NewSession {
        id: session_id.to_string(),
        prompt_id: prompt_id.to_string(),
        started_at: now_rfc3339(),
        audio_path: audio_path.display().to_string(),
        model: Some(engine.settings().model_id.clone()),
    })?;
    Ok(())
}

pub(crate) fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
