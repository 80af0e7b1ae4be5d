//! The whiteboard: the live session's board, how the interviewer reads a board, a stored
//! session's board at any moment, the component palette, and exported images.

use crate::error::{CmdError, CmdResult};
use crate::state::{off_async, AppState};
use rehearse_core::{BoardGraph, ComponentInfo};
use tauri::State;

/// The whiteboard's scene (Excalidraw JSON) for the session being recorded.
#[tauri::command]
pub async fn practice_board_update(state: State<'_, AppState>, scene: String) -> CmdResult<()> {
    let live = state.live.lock().await;
    let session = live
        .as_ref()
        .ok_or_else(|| CmdError::not_running("No session is recording."))?;
    Ok(session.update_board(scene)?)
}

/// The board as the interviewer reads it (components, arrows, notes), for the list under the
/// whiteboard; recording or not.
#[tauri::command]
pub async fn read_board(scene: String) -> CmdResult<BoardGraph> {
    off_async(move || rehearse_engine::read_board(&scene)).await
}

/// A stored session's board as it was at `t_s` seconds (scene JSON), or null.
#[tauri::command]
pub async fn session_board_at(
    state: State<'_, AppState>,
    id: String,
    t_s: f64,
) -> CmdResult<Option<String>> {
    state
        .blocking(move |engine| engine.session_board_at(&id, t_s))
        .await
}

/// When a stored session's board changed, in seconds from its start.
#[tauri::command]
pub async fn session_board_times(state: State<'_, AppState>, id: String) -> CmdResult<Vec<f64>> {
    state
        .blocking(move |engine| engine.session_board_times(&id))
        .await
}

/// The component library for the whiteboard's palette.
#[tauri::command]
pub fn board_components(state: State<'_, AppState>) -> CmdResult<Vec<ComponentInfo>> {
    Ok(state.engine()?.board_components())
}

/// Writes an exported whiteboard image (`ext` "svg" or "png") into the data folder's
/// `exports/`; returns the path written.
#[tauri::command]
pub async fn export_board_file(
    state: State<'_, AppState>,
    name: String,
    ext: String,
    bytes: Vec<u8>,
) -> CmdResult<String> {
    let path = state
        .blocking(move |engine| engine.export_board_file(&name, &ext, &bytes))
        .await?;
    Ok(path.display().to_string())
}
