//! The desktop shell: a few-line Tauri command per engine call, and engine events forwarded
//! to the window as `engine-event`. No logic of its own.

mod commands;
mod model_commands;
mod review_commands;
mod settings_commands;

use rehearse_core::LoadedSettings;
use rehearse_engine::{CardAnswerRecording, Engine, LiveSession};
use std::sync::{Arc, Mutex, RwLock};

/// The engine (or why it could not start, shown in the app), the session in progress and
/// the spoken answer to a study card being recorded.
pub struct AppState {
    /// Replaced when the settings are saved (see settings_commands).
    engine: RwLock<Result<Arc<Engine>, String>>,
    /// The settings the engine runs with; None until read at start.
    settings: Mutex<Option<LoadedSettings>>,
    live: Mutex<Option<LiveSession>>,
    card_answer: Mutex<Option<CardAnswerRecording>>,
}

impl AppState {
    fn engine(&self) -> Result<Arc<Engine>, String> {
        match self.engine.read() {
            Ok(engine) => engine.clone(),
            Err(e) => Err(e.to_string()),
        }
    }

    fn replace_engine(&self, engine: Result<Arc<Engine>, String>) {
        match self.engine.write() {
            Ok(mut slot) => *slot = engine,
            Err(mut poisoned) => **poisoned.get_mut() = engine,
        }
    }
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            // whisper.cpp's own log is off unless asked for (REHEARSE_LOG=whisper_rs=debug):
            // it reports every cancelled live partial as an error ("failed to decode"), and
            // real failures reach the user through our own errors.
            tracing_subscriber::EnvFilter::try_from_env("REHEARSE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,whisper_rs=off")),
        )
        .init();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .manage(AppState {
            engine: RwLock::new(Err("the engine is starting".into())),
            settings: Mutex::new(None),
            live: Mutex::new(None),
            card_answer: Mutex::new(None),
        })
        .setup(|app| {
            // The settings file, then the engine built from it (and the environment).
            settings_commands::load(app.handle());
            Ok(())
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
            settings_commands::get_settings,
            settings_commands::save_settings,
            settings_commands::set_api_key,
            settings_commands::clear_api_key,
            settings_commands::test_llm_connection,
            settings_commands::find_local_llm_servers,
            settings_commands::mic_test,
            settings_commands::mic_test_audio,
            settings_commands::mark_moment,
            settings_commands::session_marks,
            commands::export_board_file,
            commands::practice_board_update,
            commands::read_board,
            commands::next_phase,
            commands::session_board_at,
            commands::session_board_times,
            commands::board_components,
            review_commands::search_sessions,
            review_commands::correct_segment,
            review_commands::score_history,
            review_commands::session_analytics,
            review_commands::session_attempts,
            review_commands::compare_sessions,
            review_commands::progress,
            review_commands::export_session,
            review_commands::interrupted_sessions,
            review_commands::finish_interrupted,
            review_commands::prune_sessions,
            model_commands::list_models,
            model_commands::download_model,
            model_commands::cancel_download,
            model_commands::install_model_file,
            model_commands::retranscribe_session,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Rehearse could not start its window: {e}");
        std::process::exit(1);
    }
}
