//! Spaced-repetition state of study cards and the review log. Scheduling itself (FSRS)
//! happens in the engine; this module only keeps what it decided.

use crate::{Store, StoreError};
use rehearse_core::{CardLearningState, ReviewGrade};
use rusqlite::{params, OptionalExtension, Row};

/// The stored schedule of one card that has been reviewed at least once.
#[derive(Debug, Clone, PartialEq)]
pub struct CardStateRow {
    pub card_id: String,
    pub stability: f64,
    pub difficulty: f64,
    /// RFC 3339, UTC.
    pub due: String,
    /// RFC 3339, UTC.
    pub last_review: String,
    pub reps: u32,
    pub lapses: u32,
    /// Never `New`: a new card has no row.
    pub state: CardLearningState,
}

/// One review as it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewLogEntry {
    pub card_id: String,
    pub grade: ReviewGrade,
    /// RFC 3339, UTC.
    pub reviewed_at: String,
    /// Days since the previous review of the card (0 for its first review).
    pub elapsed_days: f64,
    /// The interval chosen at this review, in days.
    pub scheduled_days: f64,
    pub state_before: CardLearningState,
}

const STATE_COLUMNS: &str = "card_id, stability, difficulty, due, last_review, reps, lapses, state";

fn state_from_row(r: &Row<'_>) -> rusqlite::Result<(CardStateRow, String)> {
    let state: String = r.get(7)?;
    Ok((
        CardStateRow {
            card_id: r.get(0)?,
            stability: r.get(1)?,
            difficulty: r.get(2)?,
            due: r.get(3)?,
            last_review: r.get(4)?,
            reps: r.get(5)?,
            lapses: r.get(6)?,
            state: CardLearningState::New,
        },
        state,
    ))
}

fn parse_state((mut row, state): (CardStateRow, String)) -> Result<CardStateRow, StoreError> {
    row.state = CardLearningState::parse(&state)
        .ok_or_else(|| StoreError::Inconsistent(format!("unknown card state '{state}'")))?;
    Ok(row)
}

impl Store {
    /// The card's schedule; None for a card never reviewed.
    pub fn card_state(&self, card_id: &str) -> Result<Option<CardStateRow>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {STATE_COLUMNS} FROM card_state WHERE card_id = ?1"),
                params![card_id],
                state_from_row,
            )
            .optional()?
            .map(parse_state)
            .transpose()
    }

    /// Every reviewed card's schedule, soonest due first.
    pub fn card_states(&self) -> Result<Vec<CardStateRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {STATE_COLUMNS} FROM card_state ORDER BY due, card_id"
        ))?;
        let rows = stmt
            .query_map([], state_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(parse_state).collect()
    }

    /// Stores a review and the schedule it produced, together or not at all, and takes the
    /// card off the study-gap queue.
    pub fn record_review(
        &mut self,
        state: &CardStateRow,
        review: &ReviewLogEntry,
    ) -> Result<(), StoreError> {
        if state.state == CardLearningState::New {
            return Err(StoreError::Inconsistent(
                "a reviewed card cannot be stored as new".into(),
            ));
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO card_state (card_id, stability, difficulty, due, last_review, reps, lapses, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (card_id) DO UPDATE SET
                stability = excluded.stability, difficulty = excluded.difficulty,
                due = excluded.due, last_review = excluded.last_review, reps = excluded.reps,
                lapses = excluded.lapses, state = excluded.state",
            params![
                state.card_id,
                state.stability,
                state.difficulty,
                state.due,
                state.last_review,
                state.reps,
                state.lapses,
                state.state.as_str()
            ],
        )?;
        tx.execute(
            "INSERT INTO review_log (card_id, grade, reviewed_at, elapsed_days, scheduled_days, state_before)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                review.card_id,
                review.grade.rating(),
                review.reviewed_at,
                review.elapsed_days,
                review.scheduled_days,
                review.state_before.as_str()
            ],
        )?;
        // A review answers whatever practice gap queued the card.
        tx.execute(
            "UPDATE study_queue SET cleared_at = ?2 WHERE card_id = ?1 AND cleared_at IS NULL",
            params![review.card_id, review.reviewed_at],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Reviews in the order they happened; of one card, or of all cards.
    pub fn review_log(&self, card_id: Option<&str>) -> Result<Vec<ReviewLogEntry>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT card_id, grade, reviewed_at, elapsed_days, scheduled_days, state_before
             FROM review_log WHERE ?1 IS NULL OR card_id = ?1 ORDER BY reviewed_at, id",
        )?;
        let rows = stmt
            .query_map(params![card_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, u8>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, f64>(3)?,
                    r.get::<_, f64>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(
                |(card_id, grade, reviewed_at, elapsed_days, scheduled_days, before)| {
                    Ok(ReviewLogEntry {
                        card_id,
                        grade: ReviewGrade::from_rating(grade).ok_or_else(|| {
                            StoreError::Inconsistent(format!("review grade {grade}"))
                        })?,
                        reviewed_at,
                        elapsed_days,
                        scheduled_days,
                        state_before: CardLearningState::parse(&before).ok_or_else(|| {
                            StoreError::Inconsistent(format!("unknown card state '{before}'"))
                        })?,
                    })
                },
            )
            .collect()
    }
}
