//! The FSRS step: a card's next memory state, due time and learning state after a review,
//! and the review recorded.

use crate::{Engine, EngineError};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use fsrs::{MemoryState, FSRS};
use rehearse_core::{CardLearningState, CardSchedule, ReviewGrade};
use rehearse_store::{CardStateRow, ReviewLogEntry, Store, StoreError};

/// The share of cards FSRS aims to have you remember when they fall due.
pub const DESIRED_RETENTION: f32 = 0.9;

pub(super) const DAY_SECONDS: f64 = 86_400.0;

/// The current time, for callers that have no clock of their own to pass as `now`.
pub fn study_now() -> DateTime<Utc> {
    Utc::now()
}

/// RFC 3339 in UTC to the second, the form every stored time has.
pub fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(super) fn parse_time(s: &str) -> Result<DateTime<Utc>, EngineError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            EngineError::Store(StoreError::Inconsistent(format!(
                "stored time '{s}' is not RFC 3339: {e}"
            )))
        })
}

/// What one review does to a card: its new stored state, the log entry, and the interval.
pub(crate) struct Scheduled {
    pub state: CardStateRow,
    pub log: ReviewLogEntry,
    pub interval_days: f64,
}

/// Pure FSRS step: the card's schedule after answering `grade` at `now`.
pub(crate) fn schedule_review(
    card_id: &str,
    prev: Option<&CardStateRow>,
    grade: ReviewGrade,
    now: DateTime<Utc>,
) -> Result<Scheduled, EngineError> {
    let fail = |reason: String| EngineError::Schedule {
        card_id: card_id.to_string(),
        reason,
    };
    let elapsed_days = match prev {
        Some(p) => {
            ((now - parse_time(&p.last_review)?).num_seconds() as f64 / DAY_SECONDS).max(0.0)
        }
        None => 0.0,
    };
    let memory = prev.map(|p| MemoryState {
        stability: p.stability as f32,
        difficulty: p.difficulty as f32,
    });
    let next = FSRS::default()
        .next_states(memory, DESIRED_RETENTION, elapsed_days.floor() as u32)
        .map_err(|e| fail(e.to_string()))?;
    let item = match grade {
        ReviewGrade::Again => next.again,
        ReviewGrade::Hard => next.hard,
        ReviewGrade::Good => next.good,
        ReviewGrade::Easy => next.easy,
    };
    let interval_days = f64::from(item.interval);
    if !interval_days.is_finite() || interval_days < 0.0 {
        return Err(fail(format!("FSRS gave the interval {interval_days}")));
    }
    let due = now + Duration::seconds((interval_days * DAY_SECONDS).round() as i64);
    let before = prev.map_or(CardLearningState::New, |p| p.state);
    let after = match (grade, before) {
        (ReviewGrade::Again, CardLearningState::Review | CardLearningState::Relearning) => {
            CardLearningState::Relearning
        }
        (ReviewGrade::Again, _) => CardLearningState::Learning,
        _ => CardLearningState::Review,
    };
    let lapse = grade == ReviewGrade::Again && before == CardLearningState::Review;
    let reviewed_at = format_time(now);
    Ok(Scheduled {
        state: CardStateRow {
            card_id: card_id.to_string(),
            stability: f64::from(item.memory.stability),
            difficulty: f64::from(item.memory.difficulty),
            due: format_time(due),
            last_review: reviewed_at.clone(),
            reps: prev.map_or(0, |p| p.reps) + 1,
            lapses: prev.map_or(0, |p| p.lapses) + u32::from(lapse),
            state: after,
        },
        log: ReviewLogEntry {
            card_id: card_id.to_string(),
            grade,
            reviewed_at,
            elapsed_days,
            scheduled_days: interval_days,
            state_before: before,
        },
        interval_days,
    })
}

impl Engine {
    /// The id of a content card or a stored gap card; UnknownCard otherwise.
    fn reviewable_id(&self, store: &Store, card_id: &str) -> Result<String, EngineError> {
        if let Some(card) = self.content().card(card_id) {
            return Ok(card.id.clone());
        }
        match store.gap_card(card_id)? {
            Some(g) => Ok(g.id),
            None => Err(EngineError::UnknownCard(card_id.to_string())),
        }
    }

    /// Records a review of `card_id` (a content card or a gap card) at `now`, takes it off
    /// the study-gap queue, and returns when it is next due, as FSRS computes it.
    pub fn review_card(
        &self,
        card_id: &str,
        grade: ReviewGrade,
        now: DateTime<Utc>,
    ) -> Result<CardSchedule, EngineError> {
        let mut store = self.store()?;
        let id = self.reviewable_id(&store, card_id)?;
        let prev = store.card_state(&id)?;
        let s = schedule_review(&id, prev.as_ref(), grade, now)?;
        store.record_review(&s.state, &s.log)?;
        Ok(CardSchedule {
            card_id: id,
            grade,
            state: s.state.state,
            reviewed_at: s.log.reviewed_at,
            due: s.state.due,
            interval_days: s.interval_days,
            stability: s.state.stability,
            difficulty: s.state.difficulty,
            reps: s.state.reps,
            lapses: s.state.lapses,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lapses_count_only_forgetting_a_learned_card() {
        let t0 = DateTime::parse_from_rfc3339("2026-01-01T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let a = schedule_review("c", None, ReviewGrade::Again, t0).unwrap();
        assert_eq!(a.state.state, CardLearningState::Learning);
        assert_eq!(a.state.lapses, 0);
        let g = schedule_review(
            "c",
            Some(&a.state),
            ReviewGrade::Good,
            t0 + Duration::days(1),
        )
        .unwrap();
        assert_eq!(g.state.state, CardLearningState::Review);
        let f = schedule_review(
            "c",
            Some(&g.state),
            ReviewGrade::Again,
            t0 + Duration::days(5),
        )
        .unwrap();
        assert_eq!(f.state.state, CardLearningState::Relearning);
        assert_eq!((f.state.reps, f.state.lapses), (3, 1));
        assert_eq!(f.log.state_before, CardLearningState::Review);
        assert!((f.log.elapsed_days - 4.0).abs() < 1e-9);
    }
}
