//! Speech models: the catalogue, downloading one (progress as the `model-download` event,
//! cancellable), installing a local file, and re-transcribing a session with another model.

use crate::error::{CmdError, CmdResult};
use crate::state::AppState;
use rehearse_core::{InstalledModel, ModelDownloadProgress, ModelInfo, SessionReport};
use rehearse_engine::models::CancelToken;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::{AppHandle, Emitter, State};

#[tauri::command]
pub async fn list_models(state: State<'_, AppState>) -> CmdResult<Vec<ModelInfo>> {
    // Checksumming installed models takes a moment.
    state
        .blocking(|engine| Ok::<_, CmdError>(engine.models()))
        .await
}

/// Downloads catalogue model `id`; resolves with the installed path. Progress arrives as
/// `model-download` events (ModelDownloadProgress).
#[tauri::command]
pub async fn download_model(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> CmdResult<String> {
    let cancel = CancelToken::new();
    {
        let mut slot = state.download.lock()?;
        if slot.is_some() {
            return Err(CmdError::busy(
                "A model is already downloading: wait for it or cancel it first.",
            ));
        }
        *slot = Some(cancel.clone());
    }
    let sink = Arc::new(move |p: ModelDownloadProgress| {
        let _ = app.emit("model-download", p);
    });
    let result = state
        .blocking(move |engine| engine.download_model(&id, None, sink, &cancel))
        .await;
    if let Ok(mut slot) = state.download.lock() {
        *slot = None;
    }
    Ok(result?.display().to_string())
}

/// Stops the download in progress (its part file is kept: downloading again resumes).
#[tauri::command]
pub async fn cancel_download(state: State<'_, AppState>) -> CmdResult<()> {
    if let Some(token) = state.download.lock()?.as_ref() {
        token.cancel();
    }
    Ok(())
}

#[tauri::command]
pub async fn install_model_file(
    state: State<'_, AppState>,
    path: String,
) -> CmdResult<InstalledModel> {
    state
        .blocking(move |engine| engine.install_model_file(&PathBuf::from(path)))
        .await
}

/// Transcribes a stored session again with installed model `model_id` and re-scores it.
#[tauri::command]
pub async fn retranscribe_session(
    state: State<'_, AppState>,
    session_id: String,
    model_id: String,
) -> CmdResult<SessionReport> {
    state
        .blocking(move |engine| engine.retranscribe(&session_id, &model_id))
        .await
}
