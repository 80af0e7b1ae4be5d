//! The desktop shell: a few-line Tauri command per engine call, and engine events forwarded
//! to the window as `engine-event`. No logic of its own.

mod commands;

use rehearse_engine::{CardAnswerRecording, Engine, EnginePaths, EngineSettings, LiveSession};
use std::sync::Mutex;

/// The engine (or why it could not start, shown in the app), the session in progress and
/// the spoken answer to a study card being recorded.
pub struct AppState {
    engine: Result<Engine, String>,
    live: Mutex<Option<LiveSession>>,
    card_answer: Mutex<Option<CardAnswerRecording>>,
}

impl AppState {
    fn engine(&self) -> Result<&Engine, String> {
        self.engine.as_ref().map_err(Clone::clone)
    }
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("REHEARSE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let engine = EnginePaths::from_env()
        .and_then(|paths| Engine::new(paths, EngineSettings::from_env()))
        .map_err(|e| e.to_string());
    if let Err(e) = &engine {
        tracing::error!(error = %e, "engine could not start");
    }
    let result = tauri::Builder::default()
        .manage(AppState {
            engine,
            live: Mutex::new(None),
            card_answer: Mutex::new(None),
        })
        .invoke_handler(tauri::generate_handler![
            commands::list_prompts,
            commands::app_status,
            commands::start_practice,
            commands::stop_practice,
            commands::list_sessions,
            commands::get_session,
            commands::session_audio,
            commands::delete_session,
            commands::study_due,
            commands::study_review,
            commands::study_stats,
            commands::study_decks,
            commands::study_term,
            commands::study_search,
            commands::study_card,
            commands::study_answer_start,
            commands::study_answer_stop,
            commands::study_answer_cancel,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Rehearse could not start its window: {e}");
        std::process::exit(1);
    }
}
