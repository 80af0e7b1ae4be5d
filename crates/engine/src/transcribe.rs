use crate::{Engine, EngineError};
use rehearse_audio::Utterance;
use rehearse_core::Segment;
use rehearse_stt::{SpeechToText, WhisperOptions, WhisperStt};

pub(crate) fn load_stt(engine: &Engine) -> Result<WhisperStt, EngineError> {
    let path = engine.verified_model()?;
    let options = WhisperOptions {
        threads: engine.settings().whisper_threads,
        initial_prompt: engine.settings().whisper_prompt.clone(),
    };
    Ok(WhisperStt::load(&path, options)?)
}

/// Transcribes one utterance; segment times become session times.
pub(crate) fn transcribe_utterance(
    stt: &mut dyn SpeechToText,
    utterance: &Utterance,
) -> Result<Vec<Segment>, EngineError> {
    let segments = stt.transcribe(&utterance.samples)?;
    let length = utterance.samples.len() as f64 / rehearse_audio::TARGET_RATE as f64;
    Ok(segments
        .into_iter()
        .map(|s| Segment {
            t0: utterance.t0 + s.t0.clamp(0.0, length),
            t1: utterance.t0 + s.t1.clamp(0.0, length),
            text: s.text.trim().to_string(),
        })
        .filter(|s| !s.text.is_empty())
        .collect())
}
