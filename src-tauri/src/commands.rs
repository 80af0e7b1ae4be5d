use crate::AppState;
use rehearse_core::{
    AppStatus, BoardGraph, CardSchedule, DueCard, EngineEvent, GlossaryEntry, PromptInfo,
    ReviewGrade, SearchHit, SessionReport, SessionSummary, SpokenAnswer, StudyCard, StudyDeck,
    StudyStats,
};
use rehearse_engine::study_now;
use std::sync::Arc;
use tauri::{AppHandle, Emitter, State};

type CmdResult<T> = Result<T, String>;

#[tauri::command]
pub fn list_prompts(state: State<'_, AppState>) -> CmdResult<Vec<PromptInfo>> {
    Ok(state.engine()?.prompts())
}

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    match state.engine() {
        Ok(engine) => Ok(engine.status()),
        Err(message) => Ok(AppStatus {
            model_name: String::new(),
            model_ready: false,
            model_message: Some(message),
            input_devices: Vec::new(),
            default_input: None,
            data_dir: String::new(),
        }),
    }
}

#[tauri::command]
pub async fn start_practice(
    app: AppHandle,
    state: State<'_, AppState>,
    prompt_id: String,
) -> CmdResult<String> {
    let mut live = state.live.lock().map_err(|e| e.to_string())?;
    if live.is_some() {
        return Err("A session is already recording: stop it first.".into());
    }
    let sink = Arc::new(move |event: EngineEvent| {
        let _ = app.emit("engine-event", event);
    });
    let session = state
        .engine()?
        .start_live(&prompt_id, sink)
        .map_err(|e| e.to_string())?;
    let id = session.id().to_string();
    *live = Some(session);
    Ok(id)
}

#[tauri::command]
pub async fn stop_practice(state: State<'_, AppState>) -> CmdResult<SessionReport> {
    let session = state
        .live
        .lock()
        .map_err(|e| e.to_string())?
        .take()
        .ok_or("No session is recording.")?;
    tauri::async_runtime::spawn_blocking(move || session.stop())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn list_sessions(state: State<'_, AppState>) -> CmdResult<Vec<SessionSummary>> {
    state.engine()?.sessions().map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn get_session(
    state: State<'_, AppState>,
    session_id: String,
) -> CmdResult<SessionReport> {
    state
        .engine()?
        .session(&session_id)
        .map_err(|e| e.to_string())
}

/// The recording's bytes, for a Blob URL in the page (nothing outside the app is reachable).
#[tauri::command]
pub async fn session_audio(
    state: State<'_, AppState>,
    session_id: String,
) -> CmdResult<tauri::ipc::Response> {
    let path = state
        .engine()?
        .session_audio_path(&session_id)
        .map_err(|e| e.to_string())?;
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(tauri::ipc::Response::new(bytes))
}

#[tauri::command]
pub async fn delete_session(state: State<'_, AppState>, session_id: String) -> CmdResult<()> {
    state
        .engine()?
        .delete_session(&session_id)
        .map_err(|e| e.to_string())
}

/// How many due cards the study queue asks for when the UI names no limit.
const DEFAULT_DUE_LIMIT: usize = 500;
const DEFAULT_SEARCH_LIMIT: usize = 20;

#[tauri::command]
pub async fn study_due(
    state: State<'_, AppState>,
    limit: Option<usize>,
    area: Option<String>,
) -> CmdResult<Vec<DueCard>> {
    state
        .engine()?
        .cards_due_in(
            area.as_deref(),
            study_now(),
            limit.unwrap_or(DEFAULT_DUE_LIMIT),
        )
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn study_review(
    state: State<'_, AppState>,
    card_id: String,
    grade: ReviewGrade,
) -> CmdResult<CardSchedule> {
    state
        .engine()?
        .review_card(&card_id, grade, study_now())
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn study_stats(
    state: State<'_, AppState>,
    area: Option<String>,
) -> CmdResult<StudyStats> {
    state
        .engine()?
        .study_stats_in(area.as_deref(), study_now())
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn study_decks(state: State<'_, AppState>) -> CmdResult<Vec<StudyDeck>> {
    state
        .engine()?
        .study_decks(study_now())
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn study_term(state: State<'_, AppState>, term_id: String) -> CmdResult<GlossaryEntry> {
    state
        .engine()?
        .study_term(&term_id)
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn study_search(
    state: State<'_, AppState>,
    query: String,
    limit: Option<usize>,
) -> CmdResult<Vec<SearchHit>> {
    state
        .engine()?
        .search(&query, limit.unwrap_or(DEFAULT_SEARCH_LIMIT))
        .map_err(|e| e.to_string())
}

#[tauri::command]
pub async fn study_card(state: State<'_, AppState>, card_id: String) -> CmdResult<StudyCard> {
    state
        .engine()?
        .study_card(&card_id)
        .map_err(|e| e.to_string())
}

/// Starts recording a spoken answer to a question card. Returns the card's id.
#[tauri::command]
pub async fn study_answer_start(state: State<'_, AppState>, card_id: String) -> CmdResult<String> {
    let mut slot = state.card_answer.lock().map_err(|e| e.to_string())?;
    if slot.is_some() {
        return Err("An answer is already being recorded: stop it first.".into());
    }
    let recording = state
        .engine()?
        .start_card_answer(&card_id)
        .map_err(|e| e.to_string())?;
    let id = recording.card_id().to_string();
    *slot = Some(recording);
    Ok(id)
}

/// Stops the recording, transcribes it and grades it against the card's key points.
#[tauri::command]
pub async fn study_answer_stop(state: State<'_, AppState>) -> CmdResult<SpokenAnswer> {
    let recording = state
        .card_answer
        .lock()
        .map_err(|e| e.to_string())?
        .take()
        .ok_or("No answer is being recorded.")?;
    tauri::async_runtime::spawn_blocking(move || recording.stop())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

/// Discards the answer being recorded, if any (leaving the Study screen, Escape).
#[tauri::command]
pub async fn study_answer_cancel(state: State<'_, AppState>) -> CmdResult<()> {
    let recording = state.card_answer.lock().map_err(|e| e.to_string())?.take();
    tauri::async_runtime::spawn_blocking(move || drop(recording))
        .await
        .map_err(|e| e.to_string())
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
    state
        .engine()?
        .export_board_file(&name, &ext, &bytes)
        .map(|path| path.display().to_string())
        .map_err(|e| e.to_string())
}

/// The whiteboard's scene (Excalidraw JSON) for the session being recorded.
#[tauri::command]
pub async fn practice_board_update(state: State<'_, AppState>, scene: String) -> CmdResult<()> {
    let live = state.live.lock().map_err(|e| e.to_string())?;
    let session = live.as_ref().ok_or("No session is recording.")?;
    session.update_board(scene).map_err(|e| e.to_string())
}

/// The board as the interviewer reads it (components, arrows, notes), for the list under the
/// whiteboard; recording or not.
#[tauri::command]
pub async fn read_board(scene: String) -> CmdResult<BoardGraph> {
    tauri::async_runtime::spawn_blocking(move || rehearse_engine::read_board(&scene))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

/// Moves the session being recorded on to its next interview phase.
#[tauri::command]
pub async fn next_phase(state: State<'_, AppState>) -> CmdResult<()> {
    let live = state.live.lock().map_err(|e| e.to_string())?;
    let session = live.as_ref().ok_or("No session is recording.")?;
    session.next_phase().map_err(|e| e.to_string())
}

/// A stored session's board as it was at `t_s` seconds (scene JSON), or null.
#[tauri::command]
pub async fn session_board_at(
    state: State<'_, AppState>,
    id: String,
    t_s: f64,
) -> CmdResult<Option<String>> {
    state
        .engine()?
        .session_board_at(&id, t_s)
        .map_err(|e| e.to_string())
}

/// When a stored session's board changed, in seconds from its start.
#[tauri::command]
pub async fn session_board_times(state: State<'_, AppState>, id: String) -> CmdResult<Vec<f64>> {
    state
        .engine()?
        .session_board_times(&id)
        .map_err(|e| e.to_string())
}

/// The component library for the whiteboard's palette.
#[tauri::command]
pub fn board_components(
    state: State<'_, AppState>,
) -> CmdResult<Vec<rehearse_core::ComponentInfo>> {
    Ok(state.engine()?.board_components())
}
