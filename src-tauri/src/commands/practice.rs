//! Practice: the prompts, readiness, and the session being recorded (start, stop, mark a
//! moment, next phase, continue on another input after the microphone was lost). Engine
//! events go to the window as `engine-event`.

use crate::error::{app_message, CmdError, CmdResult};
use crate::state::{off_async, AppState};
use rehearse_core::{AppStatus, EngineEvent, PromptInfo, SessionReport};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, State};

const NOT_RECORDING: &str = "No session is recording.";

#[tauri::command]
pub fn list_prompts(state: State<'_, AppState>) -> CmdResult<Vec<PromptInfo>> {
    Ok(state.engine()?.prompts())
}

/// Model readiness and microphones; an engine that could not start is shown, not an error.
#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    match state.engine() {
        // Checksumming the model and listing devices take a moment.
        Ok(_) => {
            state
                .blocking(|engine| Ok::<_, CmdError>(engine.status_with(app_message)))
                .await
        }
        Err(e) => Ok(rehearse_engine::status_without_engine(e.message)),
    }
}

/// Starts recording; resolves with the new session's id.
#[tauri::command]
pub async fn start_practice(
    app: AppHandle,
    state: State<'_, AppState>,
    prompt_id: String,
) -> CmdResult<String> {
    let mut live = state.live.lock().await;
    if live.is_some() {
        return Err(CmdError::busy(
            "A session is already recording: stop it first.",
        ));
    }
    let sink = Arc::new(move |event: EngineEvent| {
        let _ = app.emit("engine-event", event);
    });
    let session = state
        .blocking(move |engine| engine.start_live(&prompt_id, sink))
        .await?;
    let id = session.id().to_string();
    *live = Some(session);
    Ok(id)
}

/// Stops recording; resolves once the tail is transcribed, scored and stored.
#[tauri::command]
pub async fn stop_practice(state: State<'_, AppState>) -> CmdResult<SessionReport> {
    let session = state.live.lock().await.take();
    let session = session.ok_or_else(|| CmdError::not_running(NOT_RECORDING))?;
    off_async(move || session.stop()).await
}

/// Marks this moment of the session being recorded; returns its time in seconds.
#[tauri::command]
pub async fn mark_moment(state: State<'_, AppState>) -> CmdResult<f64> {
    let live = state.live.lock().await;
    let session = live
        .as_ref()
        .ok_or_else(|| CmdError::not_running(NOT_RECORDING))?;
    Ok(session.mark()?)
}

/// Moves the session being recorded on to its next interview phase.
#[tauri::command]
pub async fn next_phase(state: State<'_, AppState>) -> CmdResult<()> {
    let live = state.live.lock().await;
    let session = live
        .as_ref()
        .ok_or_else(|| CmdError::not_running(NOT_RECORDING))?;
    Ok(session.next_phase()?)
}

/// Continues the session being recorded on `device` (None: the system default) after its
/// microphone was lost; resolves with the device's name once it records.
#[tauri::command]
pub async fn continue_on_input(
    state: State<'_, AppState>,
    device: Option<String>,
) -> CmdResult<String> {
    let live = state.live.lock().await;
    let session = live
        .as_ref()
        .ok_or_else(|| CmdError::not_running(NOT_RECORDING))?;
    let switch = session.input_switch();
    drop(live);
    off_async(move || switch.to(device.as_deref())).await
}
