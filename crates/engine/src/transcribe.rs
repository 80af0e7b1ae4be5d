use crate::{Engine, EngineError};
use rehearse_audio::Utterance;
use rehearse_core::{Segment, Word};
use rehearse_stt::{SpeechToText, WhisperOptions, WhisperStt};

pub(crate) fn load_stt(engine: &Engine) -> Result<WhisperStt, EngineError> {
    let path = engine.verified_model()?;
    let options = WhisperOptions {
        threads: engine.settings().whisper_threads,
        initial_prompt: engine.settings().whisper_prompt.clone(),
        use_gpu: engine.settings().use_gpu,
        ..WhisperOptions::default()
    };
    Ok(WhisperStt::load(&path, options)?)
}

impl Engine {
    /// Loads the selected model once and says where it runs: the CPU, a GPU, or the CPU
    /// because the GPU could not be used (with the reason). For `rehearse models verify`.
    pub fn speech_backend(&self) -> Result<rehearse_stt::BackendChoice, EngineError> {
        Ok(load_stt(self)?.backend().clone())
    }
}

/// Transcribes one utterance; segment times become session times.
pub(crate) fn transcribe_utterance(
    stt: &mut dyn SpeechToText,
    utterance: &Utterance,
) -> Result<Vec<Segment>, EngineError> {
    transcribe_piece(stt, utterance, None)
}

/// Transcribes an utterance or a piece of one, with the text said just before it as context
/// when it continues that text; segment times become session times.
pub(crate) fn transcribe_piece(
    stt: &mut dyn SpeechToText,
    piece: &Utterance,
    previous_text: Option<&str>,
) -> Result<Vec<Segment>, EngineError> {
    let segments = match previous_text {
        Some(text) if !text.trim().is_empty() => stt.transcribe_after(&piece.samples, text)?,
        _ => stt.transcribe(&piece.samples)?,
    };
    Ok(place_segments(segments, piece))
}

/// Segment and word times from a transcription of (the start of) `utterance` become session
/// times, clamped to the utterance.
pub(crate) fn place_segments(segments: Vec<Segment>, utterance: &Utterance) -> Vec<Segment> {
    let length = utterance.samples.len() as f64 / rehearse_audio::TARGET_RATE as f64;
    let at = |t: f64| utterance.t0 + t.clamp(0.0, length);
    segments
        .into_iter()
        .map(|s| Segment {
            t0: at(s.t0),
            t1: at(s.t1),
            text: s.text.trim().to_string(),
            words: s
                .words
                .into_iter()
                .map(|w| Word {
                    t0: at(w.t0),
                    t1: at(w.t1),
                    text: w.text,
                })
                .collect(),
        })
        .filter(|s| !s.text.is_empty())
        .collect()
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
