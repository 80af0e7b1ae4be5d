//! Settings (kept with tauri-plugin-store in `<data folder>/settings.json`, on the Rust side
//! only: the webview has no store permission), the LLM API key (keychain or environment,
//! never sent to the webview), "Test connection", "Test microphone", and marking a moment.
//! Parsing, salvage, migrations and env overrides are the engine's.

use crate::AppState;
use rehearse_core::{
    ApiKeyStatus, AppSettings, EngineEvent, LlmCheck, LlmPreferences, LoadedSettings,
    LocalLlmServer, MicCheck,
};
use rehearse_engine::{
    check_llm_connection, engine_settings, parse_settings_text, resolve_api_key, settings_to_json,
    store_api_key, Engine, EnginePaths, LlmSettings, OsKeychain, SecretStore, SETTINGS_FILE,
};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_store::StoreExt;

type CmdResult<T> = Result<T, String>;

/// The store's reader: the engine's salvaging parser, so a broken file loads as its defaults
/// (with the problems reported by [`load`]) instead of failing.
fn salvage(
    bytes: &[u8],
) -> Result<
    std::collections::HashMap<String, serde_json::Value>,
    Box<dyn std::error::Error + Send + Sync>,
> {
    let parsed = parse_settings_text(&String::from_utf8_lossy(bytes));
    match settings_to_json(&parsed.settings) {
        serde_json::Value::Object(m) => Ok(m.into_iter().collect()),
        _ => Ok(Default::default()),
    }
}

fn open_store(
    app: &AppHandle,
    paths: &EnginePaths,
) -> CmdResult<Arc<tauri_plugin_store::Store<tauri::Wry>>> {
    app.store_builder(paths.data_dir.join(SETTINGS_FILE))
        .disable_auto_save()
        .deserialize(salvage)
        .build()
        .map_err(|e| format!("could not open the settings file: {e}"))
}

fn write_store(
    store: &tauri_plugin_store::Store<tauri::Wry>,
    settings: &AppSettings,
) -> CmdResult<()> {
    store.clear();
    if let serde_json::Value::Object(m) = settings_to_json(settings) {
        for (k, v) in m {
            store.set(k, v);
        }
    }
    store
        .save()
        .map_err(|e| format!("could not save the settings: {e}"))
}

/// The engine for these settings, and what the UI should know about them.
fn start_engine(
    paths: EnginePaths,
    settings: &AppSettings,
) -> (Result<Arc<Engine>, String>, Vec<String>, ApiKeyStatus) {
    let (key, key_status) = resolve_api_key(&OsKeychain::for_llm_key(), |k| std::env::var(k).ok());
    let (engine_settings, overrides) = engine_settings(settings, key, |k| std::env::var(k).ok());
    let engine = Engine::new(paths, engine_settings)
        .map(Arc::new)
        .map_err(|e| e.to_string());
    (engine, overrides, key_status)
}

/// Reads the settings file (salvaging what it can, migrating old versions, moving a key an
/// old version stored there into the keychain) and starts the engine with it. Called once at
/// start; a failure leaves the app running with the error shown.
pub fn load(app: &AppHandle) {
    let state = app.state::<AppState>();
    let paths = match EnginePaths::from_env() {
        Ok(p) => p,
        Err(e) => {
            state.replace_engine(Err(e.to_string()));
            return;
        }
    };
    let file = paths.data_dir.join(SETTINGS_FILE);
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            tracing::warn!(path = %file.display(), error = %e, "could not read the settings file");
            String::new()
        }
    };
    let mut parsed = parse_settings_text(if text.trim().is_empty() { "{}" } else { &text });
    if std::env::var("REHEARSE_SKIP_ONBOARDING").is_ok_and(|v| v == "1") {
        parsed.settings.onboarded = true;
    }
    if let Some(key) = parsed.legacy_api_key.take() {
        if let Err(e) = store_api_key(&OsKeychain::for_llm_key(), &key) {
            parsed.problems.push(rehearse_core::SettingsProblem {
                field: "llm_api_key".into(),
                message: format!("the key could not be moved to the keychain: {e}"),
            });
        }
    }
    for p in &parsed.problems {
        tracing::warn!(field = %p.field, problem = %p.message, "settings file");
    }
    if let Ok(store) = open_store(app, &paths) {
        // A migrated file is rewritten at once, so a key an old version left in it is gone.
        if parsed.migrated_from.is_some() {
            if let Err(e) = write_store(&store, &parsed.settings) {
                tracing::warn!(error = %e, "could not rewrite the migrated settings file");
            }
        }
    }
    let (engine, env_overrides, api_key) = start_engine(paths, &parsed.settings);
    if let Err(e) = &engine {
        tracing::error!(error = %e, "engine could not start");
    }
    state.replace_engine(engine);
    let loaded = LoadedSettings {
        settings: parsed.settings,
        problems: parsed.problems,
        migrated_from: parsed.migrated_from,
        env_overrides,
        api_key,
    };
    match state.settings.lock() {
        Ok(mut slot) => *slot = Some(loaded),
        Err(poisoned) => *poisoned.into_inner() = Some(loaded),
    };
}

fn loaded(state: &AppState) -> CmdResult<LoadedSettings> {
    state
        .settings
        .lock()
        .map_err(|e| e.to_string())?
        .clone()
        .ok_or_else(|| "the settings are still being read".into())
}

fn api_key_status() -> ApiKeyStatus {
    resolve_api_key(&OsKeychain::for_llm_key(), |k| std::env::var(k).ok()).1
}

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> CmdResult<LoadedSettings> {
    let mut l = loaded(&state)?;
    l.api_key = api_key_status();
    Ok(l)
}

/// Saves the settings and applies them: the engine is restarted with them (not while a
/// session is recording).
#[tauri::command]
pub async fn save_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: AppSettings,
) -> CmdResult<LoadedSettings> {
    if state.live.lock().map_err(|e| e.to_string())?.is_some() {
        return Err("A session is recording: stop it before changing settings.".into());
    }
    let paths = EnginePaths::from_env().map_err(|e| e.to_string())?;
    let store = open_store(&app, &paths)?;
    // Through the parser, so what is saved is what a later start reads.
    let parsed = rehearse_engine::parse_settings(&settings_to_json(&settings));
    write_store(&store, &parsed.settings)?;
    let (engine, env_overrides, api_key) = start_engine(paths, &parsed.settings);
    state.replace_engine(engine);
    let l = LoadedSettings {
        settings: parsed.settings,
        problems: parsed.problems,
        migrated_from: None,
        env_overrides,
        api_key,
    };
    *state.settings.lock().map_err(|e| e.to_string())? = Some(l.clone());
    Ok(l)
}

/// Keeps the key in the OS keychain and applies it. The key never comes back to the webview.
#[tauri::command]
pub async fn set_api_key(
    app: AppHandle,
    state: State<'_, AppState>,
    key: String,
) -> CmdResult<ApiKeyStatus> {
    store_api_key(&OsKeychain::for_llm_key(), &key).map_err(|e| e.to_string())?;
    let settings = loaded(&state)?.settings;
    save_settings(app, state, settings).await.map(|l| l.api_key)
}

#[tauri::command]
pub async fn clear_api_key(app: AppHandle, state: State<'_, AppState>) -> CmdResult<ApiKeyStatus> {
    OsKeychain::for_llm_key()
        .delete()
        .map_err(|e| e.to_string())?;
    let settings = loaded(&state)?.settings;
    save_settings(app, state, settings).await.map(|l| l.api_key)
}

/// One tiny chat call to the server in `llm` (as typed, not yet saved), with the stored key.
#[tauri::command]
pub async fn test_llm_connection(llm: LlmPreferences) -> CmdResult<LlmCheck> {
    let (api_key, _) = resolve_api_key(&OsKeychain::for_llm_key(), |k| std::env::var(k).ok());
    let settings = LlmSettings {
        base_url: llm.base_url.trim().to_string(),
        model: llm.model.trim().to_string(),
        api_key,
        timeout_s: llm.timeout_s,
    };
    tauri::async_runtime::spawn_blocking(move || check_llm_connection(&settings))
        .await
        .map_err(|e| e.to_string())
}

/// The OpenAI-compatible servers on this machine at their usual ports, with their models.
#[tauri::command]
pub async fn find_local_llm_servers() -> CmdResult<Vec<LocalLlmServer>> {
    tauri::async_runtime::spawn_blocking(rehearse_engine::find_local_llm_servers)
        .await
        .map_err(|e| e.to_string())
}

/// Records a few seconds from the chosen microphone; levels arrive as `mic-level` events.
#[tauri::command]
pub async fn mic_test(
    app: AppHandle,
    state: State<'_, AppState>,
    seconds: f64,
) -> CmdResult<MicCheck> {
    let engine = state.engine()?;
    let sink = Arc::new(move |event: EngineEvent| {
        let _ = app.emit("mic-level", event);
    });
    tauri::async_runtime::spawn_blocking(move || engine.mic_test(seconds, sink))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

/// The last test recording's WAV bytes, to play back.
#[tauri::command]
pub async fn mic_test_audio(state: State<'_, AppState>) -> CmdResult<tauri::ipc::Response> {
    let path = state.engine()?.mic_test_path();
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(tauri::ipc::Response::new(bytes))
}

/// Marks this moment of the session being recorded; returns its time in seconds.
#[tauri::command]
pub async fn mark_moment(state: State<'_, AppState>) -> CmdResult<f64> {
    let live = state.live.lock().map_err(|e| e.to_string())?;
    let session = live.as_ref().ok_or("No session is recording.")?;
    session.mark().map_err(|e| e.to_string())
}

/// A stored session's marks, in seconds from its start.
#[tauri::command]
pub async fn session_marks(state: State<'_, AppState>, session_id: String) -> CmdResult<Vec<f64>> {
    state
        .engine()?
        .session_marks(&session_id)
        .map_err(|e| e.to_string())
}
