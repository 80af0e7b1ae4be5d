//! Review and progress: stored sessions, their transcripts, scores, analytics, exports and
//! recordings, crash recovery and retention. All of it reads the database or files, so it
//! runs on the blocking pool.

use crate::error::CmdResult;
use crate::state::AppState;
use rehearse_core::{
    DeliveryAnalytics, ExportFormat, ExportedFile, Progress, PruneResult, ScoreVersion,
    SessionComparison, SessionQuery, SessionReport, SessionSummary,
};
use rehearse_engine::EngineError;
use tauri::State;

/// Stored sessions, newest first.
#[tauri::command]
pub async fn list_sessions(state: State<'_, AppState>) -> CmdResult<Vec<SessionSummary>> {
    state.blocking(move |engine| engine.sessions()).await
}

#[tauri::command]
pub async fn get_session(
    state: State<'_, AppState>,
    session_id: String,
) -> CmdResult<SessionReport> {
    state
        .blocking(move |engine| engine.session(&session_id))
        .await
}

/// Deletes a session's rows and its recording.
#[tauri::command]
pub async fn delete_session(state: State<'_, AppState>, session_id: String) -> CmdResult<()> {
    state
        .blocking(move |engine| engine.delete_session(&session_id))
        .await
}

/// A stored session's marks, in seconds from its start.
#[tauri::command]
pub async fn session_marks(state: State<'_, AppState>, session_id: String) -> CmdResult<Vec<f64>> {
    state
        .blocking(move |engine| engine.session_marks(&session_id))
        .await
}

/// Sessions matching the query (full-text over transcripts and filters), newest first.
#[tauri::command]
pub async fn search_sessions(
    state: State<'_, AppState>,
    query: SessionQuery,
) -> CmdResult<Vec<SessionSummary>> {
    state
        .blocking(move |engine| engine.search_sessions(&query))
        .await
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
        .blocking(move |engine| engine.correct_segment(&session_id, segment_id, &text))
        .await
}

#[tauri::command]
pub async fn score_history(
    state: State<'_, AppState>,
    session_id: String,
) -> CmdResult<Vec<ScoreVersion>> {
    state
        .blocking(move |engine| engine.score_history(&session_id))
        .await
}

#[tauri::command]
pub async fn session_analytics(
    state: State<'_, AppState>,
    session_id: String,
) -> CmdResult<DeliveryAnalytics> {
    state
        .blocking(move |engine| engine.session_analytics(&session_id))
        .await
}

/// Sessions on one prompt, oldest first.
#[tauri::command]
pub async fn session_attempts(
    state: State<'_, AppState>,
    prompt_id: String,
) -> CmdResult<Vec<SessionSummary>> {
    state
        .blocking(move |engine| engine.attempts(&prompt_id))
        .await
}

#[tauri::command]
pub async fn compare_sessions(
    state: State<'_, AppState>,
    a: String,
    b: String,
) -> CmdResult<SessionComparison> {
    state
        .blocking(move |engine| engine.compare_sessions(&a, &b))
        .await
}

#[tauri::command]
pub async fn progress(state: State<'_, AppState>) -> CmdResult<Progress> {
    state.blocking(move |engine| engine.progress()).await
}

/// Writes the export into the data folder's `exports/` and says where.
#[tauri::command]
pub async fn export_session(
    state: State<'_, AppState>,
    session_id: String,
    format: ExportFormat,
) -> CmdResult<ExportedFile> {
    state
        .blocking(move |engine| engine.export_session(&session_id, format, None))
        .await
}

#[tauri::command]
pub async fn interrupted_sessions(state: State<'_, AppState>) -> CmdResult<Vec<SessionSummary>> {
    state
        .blocking(move |engine| engine.interrupted_sessions())
        .await
}

/// Transcribes what was not yet transcribed of an interrupted session and scores it.
#[tauri::command]
pub async fn finish_interrupted(
    state: State<'_, AppState>,
    session_id: String,
) -> CmdResult<SessionReport> {
    state
        .blocking(move |engine| engine.finish_interrupted(&session_id))
        .await
}

#[tauri::command]
pub async fn prune_sessions(
    state: State<'_, AppState>,
    older_than_days: u32,
) -> CmdResult<PruneResult> {
    state
        .blocking(move |engine| engine.prune_sessions_older_than(older_than_days))
        .await
}
/// The recording's bytes, for a Blob URL in the page (nothing outside the app is reachable).
#[tauri::command]
pub async fn session_audio(
    state: State<'_, AppState>,
    session_id: String,
) -> CmdResult<tauri::ipc::Response> {
    let bytes = state
        .blocking(move |engine| read_file(&engine.session_audio_path(&session_id)?))
        .await?;
    Ok(tauri::ipc::Response::new(bytes))
}

pub(crate) fn read_file(path: &std::path::Path) -> Result<Vec<u8>, EngineError> {
    std::fs::read(path).map_err(|source| EngineError::Io {
        path: path.to_path_buf(),
        source,
    })
}
