use crate::board_history::store_whole_board;
use crate::interviewer_backend::build_interviewer;
use crate::study::queue_gaps;
use crate::transcribe::{load_stt, transcribe_clip};
use crate::{now_rfc3339, record_new_session, Engine, EngineError};
use rehearse_audio::read_wav_16k_mono;
use rehearse_core::{SessionReport, SessionStatus};
use std::path::Path;

/// Practice from a recorded answer: everything the live path does, at file speed.
/// `board`: an Excalidraw scene on the board for the whole answer (stored as one change at 0 s).
pub(crate) fn run(
    engine: &Engine,
    prompt_id: &str,
    wav: &Path,
    board: Option<&str>,
) -> Result<SessionReport, EngineError> {
    // Check everything that can be checked before anything is stored.
    let (prompt, rubric) = engine.content().prompt_with_rubric(prompt_id)?;
    let graph = board.map(rehearse_board::scene_to_graph).transpose()?;
    let clip = read_wav_16k_mono(wav)?;
    let mut stt = load_stt(engine)?;

    let session_id = uuid::Uuid::new_v4().to_string();
    let audio_path = engine.paths().new_audio_path(&session_id)?;
    // Held until the session is stored; a crash releases it (see recovery.rs).
    let _recording_lock = crate::recovery::RecordingLock::acquire(engine.paths(), &session_id)?;
    std::fs::copy(wav, &audio_path).map_err(|source| EngineError::Io {
        path: audio_path.clone(),
        source,
    })?;
    // A copy takes the source's mode; the recording is private.
    crate::vault::make_private(&audio_path)?;
    let mut store = engine.store()?;
    record_new_session(engine, &store, &session_id, &prompt.id, &audio_path)?;

    let result = (|| -> Result<(), EngineError> {
        if let Some(scene) = board {
            store_whole_board(&store, &session_id, 0.0, scene)?;
        }
        // The same pause detection as live sessions (silence never reaches whisper), the
        // speech packed into windows as whisper hears it best (see `transcribe_clip`).
        let segments = transcribe_clip(&mut stt, &clip.samples)?;
        for seg in &segments {
            store.add_segment(&session_id, seg, Some(&engine.settings().model_id))?;
        }
        // Offline only unless an LLM is configured; then each turn and the scorecard come
        // from the LLM, or from the offline interviewer where it failed (logged, and
        // recorded as the backend "offline").
        let (mut interviewer, notice) = build_interviewer(engine.settings(), prompt, rubric);
        if let Some(n) = notice {
            tracing::warn!("{n}");
        }
        if let Some(graph) = graph {
            interviewer.set_board(graph);
        }
        for turn in interviewer.run_over_recording(&segments, clip.duration_s) {
            if let Some(n) = turn.notice() {
                tracing::warn!("{n}");
            }
            store.add_turn(&session_id, &turn.value, &turn.backend)?;
        }
        let card = interviewer.score(&segments);
        if let Some(n) = card.notice() {
            tracing::warn!("{n}");
        }
        store.save_scorecard(&session_id, &card.value)?;
        // Derived from the stored session: a failure here leaves the session as it is.
        if let Err(e) = queue_gaps(&mut store, rubric, &prompt.title, &session_id) {
            tracing::warn!(error = %e, "could not queue the session's study gaps");
        }
        store.finish_session(
            &session_id,
            &now_rfc3339(),
            clip.duration_s,
            SessionStatus::Done,
        )?;
        crate::retention::after_scoring(engine.settings().keep_audio, &store, &session_id);
        Ok(())
    })();
    if let Err(e) = result {
        // Keep the audio and whatever was transcribed; mark the session for recovery.
        let _ = store.finish_session(
            &session_id,
            &now_rfc3339(),
            clip.duration_s,
            SessionStatus::Interrupted,
        );
        return Err(e);
    }
    Ok(store.session_report(&session_id)?)
}
