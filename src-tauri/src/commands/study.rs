//! Study: the spaced-repetition queue, reviews, decks, search, and a spoken answer to a card
//! recorded, transcribed and graded against its key points.

use crate::error::{CmdError, CmdResult};
use crate::state::{off_async, AppState};
use rehearse_core::{
    CardSchedule, DueCard, GlossaryEntry, ReviewGrade, SearchHit, SpokenAnswer, StudyCard,
    StudyDeck, StudyStats,
};
use rehearse_engine::study_now;
use tauri::State;

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
        .blocking(move |engine| {
            engine.cards_due_in(
                area.as_deref(),
                study_now(),
                limit.unwrap_or(DEFAULT_DUE_LIMIT),
            )
        })
        .await
}

#[tauri::command]
pub async fn study_review(
    state: State<'_, AppState>,
    card_id: String,
    grade: ReviewGrade,
) -> CmdResult<CardSchedule> {
    state
        .blocking(move |engine| engine.review_card(&card_id, grade, study_now()))
        .await
}

#[tauri::command]
pub async fn study_stats(
    state: State<'_, AppState>,
    area: Option<String>,
) -> CmdResult<StudyStats> {
    state
        .blocking(move |engine| engine.study_stats_in(area.as_deref(), study_now()))
        .await
}

#[tauri::command]
pub async fn study_decks(state: State<'_, AppState>) -> CmdResult<Vec<StudyDeck>> {
    state
        .blocking(move |engine| engine.study_decks(study_now()))
        .await
}

#[tauri::command]
pub async fn study_term(state: State<'_, AppState>, term_id: String) -> CmdResult<GlossaryEntry> {
    state
        .blocking(move |engine| engine.study_term(&term_id))
        .await
}

#[tauri::command]
pub async fn study_search(
    state: State<'_, AppState>,
    query: String,
    limit: Option<usize>,
) -> CmdResult<Vec<SearchHit>> {
    state
        .blocking(move |engine| engine.search(&query, limit.unwrap_or(DEFAULT_SEARCH_LIMIT)))
        .await
}

#[tauri::command]
pub async fn study_card(state: State<'_, AppState>, card_id: String) -> CmdResult<StudyCard> {
    state
        .blocking(move |engine| engine.study_card(&card_id))
        .await
}
/// Starts recording a spoken answer to a question card. Returns the card's id.
#[tauri::command]
pub async fn study_answer_start(state: State<'_, AppState>, card_id: String) -> CmdResult<String> {
    let mut slot = state.card_answer.lock().await;
    if slot.is_some() {
        return Err(CmdError::busy(
            "An answer is already being recorded: stop it first.",
        ));
    }
    let recording = state
        .blocking(move |engine| engine.start_card_answer(&card_id))
        .await?;
    let id = recording.card_id().to_string();
    *slot = Some(recording);
    Ok(id)
}

/// Stops the recording, transcribes it and grades it against the card's key points.
#[tauri::command]
pub async fn study_answer_stop(state: State<'_, AppState>) -> CmdResult<SpokenAnswer> {
    let recording = state.card_answer.lock().await.take();
    let recording =
        recording.ok_or_else(|| CmdError::not_running("No answer is being recorded."))?;
    off_async(move || recording.stop()).await
}

/// Discards the answer being recorded, if any (leaving the Study screen, Escape).
#[tauri::command]
pub async fn study_answer_cancel(state: State<'_, AppState>) -> CmdResult<()> {
    let recording = state.card_answer.lock().await.take();
    // Stopping the capture joins its threads.
    off_async(move || {
        drop(recording);
        Ok::<_, CmdError>(())
    })
    .await
}
