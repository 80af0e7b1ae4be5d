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

/// Transcribes a whole recorded clip (16 kHz mono) with the same pause detection as live
/// sessions, so silence never reaches whisper.
pub(crate) fn transcribe_clip(
    stt: &mut dyn SpeechToText,
    samples: &[f32],
) -> Result<Vec<Segment>, EngineError> {
    let mut endpointer =
        rehearse_audio::Endpointer::new(rehearse_audio::EndpointerConfig::default());
    let mut utterances = endpointer.push(samples);
    utterances.extend(endpointer.finish());
    let mut segments = Vec::new();
    for u in &utterances {
        segments.extend(transcribe_utterance(stt, u)?);
    }
    Ok(segments)
}
