//! Settings: reading and saving them (the engine's `load_user_settings`/`save_user_settings`:
//! `settings.json` in the data folder, never seen by the webview), the LLM API key (keychain
//! or environment, never sent to the webview), "Test connection", finding local LLM servers
//! and "Test microphone".

use super::review::read_file;
use crate::error::{app_message, CmdError, CmdResult, ErrorKind};
use crate::state::{off_async, AppState};
use rehearse_core::{
    ApiKeyStatus, AppSettings, EngineEvent, LlmCheck, LlmPreferences, LoadedSettings,
    LocalLlmServer, MicCheck,
};
use rehearse_engine::{
    check_llm_connection, resolve_api_key, store_api_key, EnginePaths, LlmSettings, OsKeychain,
    SecretStore,
};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Manager, State};

/// The key from the keychain (asked over D-Bus, so off the async workers) or the environment.
async fn api_key() -> CmdResult<(Option<String>, ApiKeyStatus)> {
    off_async(|| {
        Ok::<_, CmdError>(resolve_api_key(&OsKeychain::for_llm_key(), |k| {
            std::env::var(k).ok()
        }))
    })
    .await
}

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> CmdResult<LoadedSettings> {
    let mut loaded = state.loaded_settings()?;
    loaded.api_key = api_key().await?.1;
    Ok(loaded)
}

/// Saves the settings and applies them: the engine is restarted with them (not while a
/// session is recording, and no session starts until it has).
#[tauri::command]
pub async fn save_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: AppSettings,
) -> CmdResult<LoadedSettings> {
    let live = state.live.lock().await;
    if live.is_some() {
        return Err(CmdError::busy(
            "A session is recording: stop it before changing settings.",
        ));
    }
    let saved = off_async(move || {
        let paths = EnginePaths::from_env()?;
        let user = rehearse_engine::save_user_settings(&paths, &settings).map_err(|e| {
            CmdError::new(
                ErrorKind::Settings,
                format!("could not save the settings: {}", app_message(&e)),
            )
        })?;
        Ok::<_, CmdError>(app.state::<AppState>().apply(paths, user))
    })
    .await;
    drop(live);
    saved
}

/// Keeps the key in the OS keychain and applies it. The key never comes back to the webview.
#[tauri::command]
pub async fn set_api_key(
    app: AppHandle,
    state: State<'_, AppState>,
    key: String,
) -> CmdResult<ApiKeyStatus> {
    off_async(move || store_api_key(&OsKeychain::for_llm_key(), &key)).await?;
    let settings = state.loaded_settings()?.settings;
    Ok(save_settings(app, state, settings).await?.api_key)
}

#[tauri::command]
pub async fn clear_api_key(app: AppHandle, state: State<'_, AppState>) -> CmdResult<ApiKeyStatus> {
    off_async(|| OsKeychain::for_llm_key().delete()).await?;
    let settings = state.loaded_settings()?.settings;
    Ok(save_settings(app, state, settings).await?.api_key)
}

/// One tiny chat call to the server in `llm` (as typed, not yet saved), with the stored key.
#[tauri::command]
pub async fn test_llm_connection(llm: LlmPreferences) -> CmdResult<LlmCheck> {
    let settings = LlmSettings {
        base_url: llm.base_url.trim().to_string(),
        model: llm.model.trim().to_string(),
        api_key: api_key().await?.0,
        timeout_s: llm.timeout_s,
    };
    off_async(move || Ok::<_, CmdError>(check_llm_connection(&settings))).await
}

/// The OpenAI-compatible servers on this machine at their usual ports, with their models.
#[tauri::command]
pub async fn find_local_llm_servers() -> CmdResult<Vec<LocalLlmServer>> {
    off_async(|| Ok::<_, CmdError>(rehearse_engine::find_local_llm_servers())).await
}

/// Records a few seconds from the chosen microphone; levels arrive as `mic-level` events.
#[tauri::command]
pub async fn mic_test(
    app: AppHandle,
    state: State<'_, AppState>,
    seconds: f64,
) -> CmdResult<MicCheck> {
    let sink = Arc::new(move |event: EngineEvent| {
        let _ = app.emit("mic-level", event);
    });
    state
        .blocking(move |engine| engine.mic_test(seconds, sink))
        .await
}

/// The last test recording's WAV bytes, to play back.
#[tauri::command]
pub async fn mic_test_audio(state: State<'_, AppState>) -> CmdResult<tauri::ipc::Response> {
    let bytes = state
        .blocking(|engine| read_file(&engine.mic_test_path()))
        .await?;
    Ok(tauri::ipc::Response::new(bytes))
}
