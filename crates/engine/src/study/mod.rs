//! Study mode: FSRS spaced repetition over the content's cards, answers graded against a
//! card's key points, and full-text search. Every call takes `now` so that callers (and
//! tests) decide the clock.
//!
//! Scheduling uses the `fsrs` crate (fsrs-rs) with its default parameters and a desired
//! retention of 90 %. A review asks FSRS for the next memory state and interval given the
//! card's stored memory state and the whole days since its last review; the card falls due
//! `interval` days (fractional, rounded to the second) after the review. fsrs-rs has no
//! learning steps: an Again on a new card gives an interval of about five hours.
//!
//! `schedule` is the FSRS step, `gaps` what a practice session leaves to study, `decks` the
//! due queue and its counts, `answer` a spoken answer checked against a card's key points,
//! `search` the full-text index.

mod answer;
mod decks;
mod gaps;
mod schedule;
mod search;

pub use answer::suggest_grade;
pub(crate) use answer::transcribe_and_grade;
pub(crate) use gaps::queue_gaps;
pub use gaps::{StudyGaps, GAP_LEVEL};
pub use schedule::{format_time, study_now, DESIRED_RETENTION};
pub(crate) use search::ensure_search_index;

use crate::{Engine, EngineError};
use gaps::{GAP_AREA, GAP_KIND};
use rehearse_content::Card;
use rehearse_core::{GlossaryEntry, StudyCard};

impl Engine {
    /// A study card of the built-in content.
    pub fn card(&self, card_id: &str) -> Result<&Card, EngineError> {
        self.content()
            .card(card_id)
            .ok_or_else(|| EngineError::UnknownCard(card_id.to_string()))
    }

    /// A card as the study screen shows it: the front and the answer. Gap cards show the
    /// follow-up as the front and the dimension's suggestion as the answer.
    pub fn study_card(&self, card_id: &str) -> Result<StudyCard, EngineError> {
        let Some(card) = self.content().card(card_id) else {
            let g = self
                .store()?
                .gap_card(card_id)?
                .ok_or_else(|| EngineError::UnknownCard(card_id.to_string()))?;
            return Ok(StudyCard {
                card_id: g.id,
                title: g.front,
                kind: GAP_KIND.to_string(),
                area: GAP_AREA.to_string(),
                tags: vec![g.dimension],
                body: g.back,
                key_points: Vec::new(),
                weak_answers: Vec::new(),
                followups: Vec::new(),
            });
        };
        Ok(StudyCard {
            card_id: card.id.clone(),
            title: card.title.clone(),
            kind: card.kind.as_str().to_string(),
            area: card.area.as_str().to_string(),
            tags: card.tags.clone(),
            body: card.body.clone(),
            key_points: card.key_points.iter().map(|k| k.text.clone()).collect(),
            weak_answers: card.weak_answers.clone(),
            followups: card.followups.clone(),
        })
    }

    /// A glossary term with its definition.
    pub fn study_term(&self, term_id: &str) -> Result<GlossaryEntry, EngineError> {
        let t = self
            .content()
            .term(term_id)
            .ok_or_else(|| EngineError::UnknownCard(term_id.to_string()))?;
        Ok(GlossaryEntry {
            id: t.id.clone(),
            term: t.term.clone(),
            definition: t.definition.clone(),
            see_also: t.see_also.clone(),
        })
    }
}
