//! Re-transcribing a stored session with another model, then re-scoring it.
//!
//! The old transcript is kept (its segments are marked superseded, with their model) and the
//! old scorecard stays as an earlier score version. The interviewer's turns are not replayed:
//! they happened during the session, whatever the transcript now says.

use crate::interviewer_backend::build_interviewer;
use crate::transcribe::transcribe_clip;
use crate::{Engine, EngineError};
use rehearse_core::SessionReport;
use rehearse_stt::{WhisperOptions, WhisperStt};
use tracing::{info, warn};

impl Engine {
    /// Transcribes session `session_id`'s recording with model `model_id` (installed: a
    /// catalogue id or `custom/NAME`), stores the new transcript with its model, and adds a
    /// score version computed from it. Returns the updated report.
    pub fn retranscribe(
        &self,
        session_id: &str,
        model_id: &str,
    ) -> Result<SessionReport, EngineError> {
        // Everything that can fail cheaply is checked before the slow part.
        let report = self.session(session_id)?;
        let (prompt, rubric) = self.content().prompt_with_rubric(&report.prompt_id)?;
        let audio = self.session_audio_path(session_id)?;
        let clip = rehearse_audio::read_wav_16k_mono(&audio)?;
        let model_path = self.verified_model_by_id(model_id)?;
        let options = WhisperOptions {
            threads: self.settings().whisper_threads,
            initial_prompt: self.settings().whisper_prompt.clone(),
            use_gpu: self.settings().use_gpu,
            ..WhisperOptions::default()
        };
        let mut stt = WhisperStt::load(&model_path, options)?;
        let started = std::time::Instant::now();
        // The same pause detection and whisper settings as live sessions.
        let segments = transcribe_clip(&mut stt, &clip.samples)?;
        info!(
            session = session_id,
            model = model_id,
            segments = segments.len(),
            audio_s = clip.duration_s,
            took_s = started.elapsed().as_secs_f64(),
            "re-transcribed"
        );
        let mut store = self.store()?;
        store.replace_transcript(session_id, &segments, model_id)?;
        let (interviewer, notice) = build_interviewer(self.settings(), prompt, rubric);
        if let Some(n) = notice {
            warn!("{n}");
        }
        let card = interviewer.score(&segments);
        if let Some(n) = card.notice() {
            warn!("{n}");
        }
        store.save_scorecard_with_reason(
            session_id,
            &card.value,
            &format!("re-transcribed with {model_id}"),
        )?;
        Ok(store.session_report(session_id)?)
    }
}
