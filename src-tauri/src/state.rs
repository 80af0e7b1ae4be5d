//! What the app holds between commands: the engine (or why it could not start), the settings
//! it runs with, the session being recorded, the spoken answer being recorded and the model
//! download in progress.

use crate::error::{CmdError, CmdResult, ErrorKind};
use rehearse_core::LoadedSettings;
use rehearse_engine::models::CancelToken;
use rehearse_engine::{CardAnswerRecording, Engine, EnginePaths, LiveSession, UserSettings};
use std::sync::{Arc, Mutex, RwLock};
use tauri::async_runtime;

pub struct AppState {
    /// Replaced when the settings are saved.
    engine: RwLock<Result<Arc<Engine>, CmdError>>,
    /// The settings the engine runs with; None until read at start.
    settings: Mutex<Option<LoadedSettings>>,
    /// Async locks: starting a session loads the speech model off the async workers while
    /// the slot stays taken, so two starts never race.
    pub live: async_runtime::Mutex<Option<LiveSession>>,
    pub card_answer: async_runtime::Mutex<Option<CardAnswerRecording>>,
    /// The model download in progress, so it can be cancelled. One at a time: the models
    /// folder is shared and a second download of the same file would fight over its part file.
    pub download: Mutex<Option<CancelToken>>,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            engine: RwLock::new(Err(CmdError::new(
                ErrorKind::Engine,
                "the engine is starting",
            ))),
            settings: Mutex::new(None),
            live: async_runtime::Mutex::new(None),
            card_answer: async_runtime::Mutex::new(None),
            download: Mutex::new(None),
        }
    }
}

impl AppState {
    pub fn engine(&self) -> CmdResult<Arc<Engine>> {
        self.engine.read()?.clone()
    }

    /// Runs blocking engine work (transcription, the database, files, the keychain) on the
    /// blocking pool, so no async worker waits on it.
    pub async fn blocking<T, E>(
        &self,
        work: impl FnOnce(&Engine) -> Result<T, E> + Send + 'static,
    ) -> CmdResult<T>
    where
        T: Send + 'static,
        E: Send + 'static,
        CmdError: From<E>,
    {
        let engine = self.engine()?;
        off_async(move || work(&engine)).await
    }

    /// Reads the saved settings (salvaged, migrated, the key moved to the keychain: see
    /// `rehearse_engine::load_user_settings`) and starts the engine with them. A failure
    /// leaves the app running with the error shown.
    pub fn start(&self) {
        let paths = match EnginePaths::from_env() {
            Ok(p) => p,
            Err(e) => return self.replace_engine(Err(e.into())),
        };
        let user = rehearse_engine::load_user_settings(&paths);
        self.apply(paths, user);
    }

    /// Restarts the engine with these settings and keeps them as the ones in use.
    pub fn apply(&self, paths: EnginePaths, user: UserSettings) -> LoadedSettings {
        let engine = Engine::new(paths, user.engine).map(Arc::new);
        if let Err(e) = &engine {
            tracing::error!(error = %e, "engine could not start");
        }
        self.replace_engine(engine.map_err(CmdError::from));
        let loaded = user.loaded;
        match self.settings.lock() {
            Ok(mut slot) => *slot = Some(loaded.clone()),
            Err(poisoned) => *poisoned.into_inner() = Some(loaded.clone()),
        }
        loaded
    }

    pub fn loaded_settings(&self) -> CmdResult<LoadedSettings> {
        self.settings
            .lock()?
            .clone()
            .ok_or_else(|| CmdError::new(ErrorKind::Settings, "the settings are still being read"))
    }

    fn replace_engine(&self, engine: Result<Arc<Engine>, CmdError>) {
        match self.engine.write() {
            Ok(mut slot) => *slot = engine,
            Err(mut poisoned) => **poisoned.get_mut() = engine,
        }
    }
}

/// Runs blocking work that needs no engine (stopping a recording, probing ports) on the
/// blocking pool.
pub async fn off_async<T, E>(work: impl FnOnce() -> Result<T, E> + Send + 'static) -> CmdResult<T>
where
    T: Send + 'static,
    E: Send + 'static,
    CmdError: From<E>,
{
    Ok(async_runtime::spawn_blocking(work).await??)
}
