//! Review and progress commands: a few lines each over the engine (see
//! crates/engine/src/review.rs, export.rs, recovery.rs and retention.rs).

use crate::AppState;
use rehearse_core::{
    DeliveryAnalytics, ExportFormat, ExportedFile, Progress, PruneResult, ScoreVersion,
    SessionComparison, SessionQuery, SessionReport, SessionSummary,
};
use tauri::State;

type CmdResult<T> = Result<T, String>;

/// Sessions matching the query (full-text over transcripts and filters), newest first.
#[tauri::command]
pub async fn search_sessions(
    state: State<'_, AppState>,
    query: SessionQuery,
) -> CmdResult<Vec<SessionSummary>> {
    state
        .engine()?
        .search_sessions(&query)
        .map_err(|e| e.to_string())
}

/// Corrects one transcript segment and re-scores; the report shows the new score version.
#[tauri::command]
pub async fn correct_segment(
    state: State<'_, AppState>,
    session_id: String,
    segment_id: i64,
    text: String,
) -> CmdResult<SessionReport> {
    state
        .engine()?
        .correct_segment(&session_id, segment_id, &text)
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn score_history(
    state: State<'_, AppState>,
    session_id: String,
) -> CmdResult<Vec<ScoreVersion>> {
    state
        .engine()?
        .score_history(&session_id)
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn session_analytics(
    state: State<'_, AppState>,
    session_id: String,
) -> CmdResult<DeliveryAnalytics> {
    state
        .engine()?
        .session_analytics(&session_id)
        .map_err(|e| e.to_string())
}

/// Sessions on one prompt, oldest first.
#[tauri::command]
pub async fn session_attempts(
    state: State<'_, AppState>,
    prompt_id: String,
) -> CmdResult<Vec<SessionSummary>> {
    state
        .engine()?
        .attempts(&prompt_id)
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn compare_sessions(
    state: State<'_, AppState>,
    a: String,
    b: String,
) -> CmdResult<SessionComparison> {
    state
        .engine()?
        .compare_sessions(&a, &b)
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn progress(state: State<'_, AppState>) -> CmdResult<Progress> {
    state.engine()?.progress().map_err(|e| e.to_string())
}

/// Writes the export into the data folder's `exports/` and says where.
#[tauri::command]
pub async fn export_session(
    state: State<'_, AppState>,
    session_id: String,
    format: ExportFormat,
) -> CmdResult<ExportedFile> {
    state
        .engine()?
        .export_session(&session_id, format, None)
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn interrupted_sessions(state: State<'_, AppState>) -> CmdResult<Vec<SessionSummary>> {
    state
        .engine()?
        .interrupted_sessions()
        .map_err(|e| e.to_string())
}

/// Transcribes what was not yet transcribed of an interrupted session and scores it.
#[tauri::command]
pub async fn finish_interrupted(
    state: State<'_, AppState>,
    session_id: String,
) -> CmdResult<SessionReport> {
    state
        .engine()?
        .finish_interrupted(&session_id)
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn prune_sessions(
    state: State<'_, AppState>,
    older_than_days: u32,
) -> CmdResult<PruneResult> {
    state
        .engine()?
        .prune_sessions_older_than(older_than_days)
        .map_err(|e| e.to_string())
}
