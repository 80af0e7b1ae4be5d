//! The desktop shell: a few-line Tauri command per engine call (src/commands/, by feature),
//! engine events forwarded to the window as `engine-event`, errors as [`CmdError`]. No logic
//! of its own: settings, errors' wording and everything else live in the engine.

mod commands;
mod error;
mod state;

pub use error::{CmdError, ErrorKind};
pub use state::AppState;

use commands::{board, models, practice, review, settings, study};
use tauri::Manager;

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
        .manage(AppState::default())
        .setup(|app| {
            // The saved settings, then the engine built from them (and the environment).
            app.state::<AppState>().start();
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            practice::list_prompts,
            practice::app_status,
            practice::start_practice,
            practice::stop_practice,
            practice::mark_moment,
            practice::next_phase,
            practice::continue_on_input,
            review::list_sessions,
            review::get_session,
            review::session_audio,
            review::delete_session,
            review::session_marks,
            review::search_sessions,
            review::correct_segment,
            review::score_history,
            review::session_analytics,
            review::session_attempts,
            review::compare_sessions,
            review::progress,
            review::export_session,
            review::interrupted_sessions,
            review::finish_interrupted,
            review::prune_sessions,
            study::study_due,
            study::study_review,
            study::study_stats,
            study::study_decks,
            study::study_term,
            study::study_search,
            study::study_card,
            study::study_answer_start,
            study::study_answer_stop,
            study::study_answer_cancel,
            settings::get_settings,
            settings::save_settings,
            settings::set_api_key,
            settings::clear_api_key,
            settings::test_llm_connection,
            settings::find_local_llm_servers,
            settings::mic_test,
            settings::mic_test_audio,
            board::export_board_file,
            board::practice_board_update,
            board::read_board,
            board::session_board_at,
            board::session_board_times,
            board::board_components,
            models::list_models,
            models::download_model,
            models::cancel_download,
            models::install_model_file,
            models::retranscribe_session,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Rehearse could not start its window: {e}");
        std::process::exit(1);
    }
}
