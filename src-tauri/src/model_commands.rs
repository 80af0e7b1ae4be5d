//! Speech models: the catalogue, downloading one (progress as the `model-download` event,
//! cancellable), installing a local file, and re-transcribing a session with another model.

use crate::AppState;
use rehearse_core::{InstalledModel, ModelDownloadProgress, ModelInfo, SessionReport};
use rehearse_engine::models::CancelToken;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, Emitter, State};

type CmdResult<T> = Result<T, String>;

/// The download in progress, so `cancel_download` can stop it. One at a time: the models
/// folder is shared and a second download of the same file would fight over its part file.
static DOWNLOAD: Mutex<Option<CancelToken>> = Mutex::new(None);

#[tauri::command]
pub async fn list_models(state: State<'_, AppState>) -> CmdResult<Vec<ModelInfo>> {
    let engine = state.engine()?;
    // Checksumming installed models takes a moment: off the main thread.
    tauri::async_runtime::spawn_blocking(move || engine.models())
        .await
        .map_err(|e| e.to_string())
}

/// Downloads catalogue model `id`; resolves with the installed path. Progress arrives as
/// `model-download` events (ModelDownloadProgress).
#[tauri::command]
pub async fn download_model(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> CmdResult<String> {
    let engine = state.engine()?;
    let cancel = CancelToken::new();
    {
        let mut slot = DOWNLOAD.lock().map_err(|e| e.to_string())?;
        if slot.is_some() {
            return Err("A model is already downloading: wait for it or cancel it first.".into());
        }
        *slot = Some(cancel.clone());
    }
    let sink = Arc::new(move |p: ModelDownloadProgress| {
        let _ = app.emit("model-download", p);
    });
    let result = tauri::async_runtime::spawn_blocking(move || {
        engine.download_model(&id, None, sink, &cancel)
    })
    .await;
    if let Ok(mut slot) = DOWNLOAD.lock() {
        *slot = None;
    }
    result
        .map_err(|e| e.to_string())?
        .map(|p| p.display().to_string())
        .map_err(|e| e.to_string())
}

/// Stops the download in progress (its part file is kept: downloading again resumes).
#[tauri::command]
pub async fn cancel_download() -> CmdResult<()> {
    if let Some(token) = DOWNLOAD.lock().map_err(|e| e.to_string())?.as_ref() {
        token.cancel();
    }
    Ok(())
}

#[tauri::command]
pub async fn install_model_file(
    state: State<'_, AppState>,
    path: String,
) -> CmdResult<InstalledModel> {
    let engine = state.engine()?;
    tauri::async_runtime::spawn_blocking(move || engine.install_model_file(&PathBuf::from(path)))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

/// Transcribes a stored session again with installed model `model_id` and re-scores it.
#[tauri::command]
pub async fn retranscribe_session(
    state: State<'_, AppState>,
    session_id: String,
    model_id: String,
) -> CmdResult<SessionReport> {
    let engine = state.engine()?;
    tauri::async_runtime::spawn_blocking(move || engine.retranscribe(&session_id, &model_id))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}
