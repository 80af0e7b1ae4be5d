//! A spoken answer to a card: transcribed, checked against the card's key points, and a grade
//! suggested from the share covered.

use crate::transcribe::{load_stt, transcribe_clip};
use crate::{Engine, EngineError};
use rehearse_content::Card;
use rehearse_core::{AnswerCoverage, CoveredPoint, MissedPoint, ReviewGrade, SpokenAnswer};
use rehearse_stt::SpeechToText;
use std::path::Path;

/// Suggested grade from the share of a card's key points an answer covers:
/// at least 90 % Easy, at least 60 % Good, at least 30 % Hard, below that Again.
pub fn suggest_grade(covered: usize, total: usize) -> ReviewGrade {
    if total == 0 {
        return ReviewGrade::Again;
    }
    let share = covered as f64 / total as f64;
    if share >= 0.9 {
        ReviewGrade::Easy
    } else if share >= 0.6 {
        ReviewGrade::Good
    } else if share >= 0.3 {
        ReviewGrade::Hard
    } else {
        ReviewGrade::Again
    }
}

/// Checks `transcript` against the card's key points.
pub(crate) fn grade_answer(card: &Card, transcript: &str) -> Result<AnswerCoverage, EngineError> {
    if card.key_points.is_empty() {
        return Err(EngineError::NoKeyPoints(card.id.clone()));
    }
    let mut covered = Vec::new();
    let mut missed = Vec::new();
    for kp in &card.key_points {
        match kp.covered_by(transcript) {
            Some(phrase) => covered.push(CoveredPoint {
                key_point_id: kp.id.clone(),
                text: kp.text.clone(),
                matched_phrase: phrase.to_string(),
            }),
            None => missed.push(MissedPoint {
                key_point_id: kp.id.clone(),
                text: kp.text.clone(),
            }),
        }
    }
    let suggested_grade = suggest_grade(covered.len(), card.key_points.len());
    Ok(AnswerCoverage {
        card_id: card.id.clone(),
        covered,
        missed,
        suggested_grade,
    })
}

/// Transcribes a recorded answer (16 kHz mono WAV) with `stt` and grades it against the
/// card's key points.
pub(crate) fn transcribe_and_grade(
    stt: &mut dyn SpeechToText,
    card: &Card,
    wav: &Path,
) -> Result<SpokenAnswer, EngineError> {
    let clip = rehearse_audio::read_wav_16k_mono(wav)?;
    grade_clip(stt, card, &clip)
}

/// Transcribes an answer already read into memory and checks it against the card.
fn grade_clip(
    stt: &mut dyn SpeechToText,
    card: &Card,
    clip: &rehearse_audio::AudioClip,
) -> Result<SpokenAnswer, EngineError> {
    let segments = transcribe_clip(stt, &clip.samples)?;
    let transcript = segments
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let coverage = grade_answer(card, &transcript)?;
    Ok(SpokenAnswer {
        transcript,
        coverage,
    })
}

impl Engine {
    /// Which of the card's key points `transcript` covers, and a suggested grade
    /// (see [`suggest_grade`] for the thresholds). Errors for cards without key points.
    pub fn grade_spoken_answer(
        &self,
        card_id: &str,
        transcript: &str,
    ) -> Result<AnswerCoverage, EngineError> {
        grade_answer(self.card(card_id)?, transcript)
    }

    /// Transcribes a recorded answer (WAV) with the installed speech model and grades it
    /// against the card's key points. Nothing is stored.
    pub fn grade_spoken_answer_file(
        &self,
        card_id: &str,
        wav: &Path,
    ) -> Result<SpokenAnswer, EngineError> {
        let card = self.card(card_id)?;
        if card.key_points.is_empty() {
            return Err(EngineError::NoKeyPoints(card.id.clone()));
        }
        // The user's file is checked before the model is loaded: its problem is the one to
        // report first.
        let clip = rehearse_audio::read_wav_16k_mono(wav)?;
        let mut stt = load_stt(self)?;
        grade_clip(&mut stt, card, &clip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_thresholds() {
        assert_eq!(suggest_grade(0, 4), ReviewGrade::Again);
        assert_eq!(suggest_grade(1, 4), ReviewGrade::Again);
        assert_eq!(suggest_grade(2, 5), ReviewGrade::Hard);
        assert_eq!(suggest_grade(2, 4), ReviewGrade::Hard);
        assert_eq!(suggest_grade(3, 4), ReviewGrade::Good);
        assert_eq!(suggest_grade(4, 4), ReviewGrade::Easy);
        assert_eq!(suggest_grade(9, 10), ReviewGrade::Easy);
    }
}
