//! Study gaps from practice sessions: cards queued for study because a rubric dimension
//! scored low, and gap cards made from the follow-ups on such dimensions. What counts as a
//! gap is decided in the engine; this module keeps it, idempotently per session.

use crate::{Store, StoreError};
use rusqlite::{params, OptionalExtension, Row};

/// A card waiting at the front of study, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedCard {
    pub card_id: String,
    pub session_id: String,
    pub dimension: String,
    pub reason: String,
}

/// A follow-up turned into a question card.
#[derive(Debug, Clone, PartialEq)]
pub struct GapCardRow {
    /// `gap-<session>-<n>`.
    pub id: String,
    pub session_id: String,
    /// The follow-up's place among the session's turns, from 1.
    pub n: u32,
    pub dimension: String,
    /// The follow-up itself.
    pub front: String,
    pub back: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// Everything one session found: queue entries (content cards and gap cards) and gap cards.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudyGapRows {
    pub queued: Vec<QueuedCard>,
    pub gap_cards: Vec<GapCardRow>,
}

const GAP_COLUMNS: &str = "id, session_id, n, dimension, front, back, created_at";

fn gap_from_row(r: &Row<'_>) -> rusqlite::Result<GapCardRow> {
    Ok(GapCardRow {
        id: r.get(0)?,
        session_id: r.get(1)?,
        n: r.get(2)?,
        dimension: r.get(3)?,
        front: r.get(4)?,
        back: r.get(5)?,
        created_at: r.get(6)?,
    })
}

impl Store {
    /// Stores a session's gaps in one transaction. Entries already stored for the session
    /// (same card, or same gap card id) are left as they are, cleared or not, so recording a
    /// session twice adds nothing. Returns how many rows were added.
    pub fn record_study_gaps(
        &mut self,
        gaps: &StudyGapRows,
        queued_at: &str,
    ) -> Result<usize, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut added = 0;
        for g in &gaps.gap_cards {
            added += tx.execute(
                "INSERT OR IGNORE INTO gap_cards (id, session_id, n, dimension, front, back, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![g.id, g.session_id, g.n, g.dimension, g.front, g.back, g.created_at],
            )?;
        }
        for q in &gaps.queued {
            added += tx.execute(
                "INSERT OR IGNORE INTO study_queue (card_id, session_id, dimension, reason, queued_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![q.card_id, q.session_id, q.dimension, q.reason, queued_at],
            )?;
        }
        tx.commit()?;
        Ok(added)
    }

    /// Cards still queued (not reviewed since), once each, in the order they were first
    /// queued; the reason is that of the first queueing.
    pub fn queued_cards(&self) -> Result<Vec<QueuedCard>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT q.card_id, q.session_id, q.dimension, q.reason FROM study_queue q
             WHERE q.cleared_at IS NULL
               AND q.id = (SELECT MIN(id) FROM study_queue p
                           WHERE p.card_id = q.card_id AND p.cleared_at IS NULL)
             ORDER BY q.id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(QueuedCard {
                    card_id: r.get(0)?,
                    session_id: r.get(1)?,
                    dimension: r.get(2)?,
                    reason: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Every queue entry of one session, cleared or not, in queue order.
    pub fn session_study_gaps(&self, session_id: &str) -> Result<StudyGapRows, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT card_id, session_id, dimension, reason FROM study_queue
             WHERE session_id = ?1 ORDER BY id",
        )?;
        let queued = stmt
            .query_map(params![session_id], |r| {
                Ok(QueuedCard {
                    card_id: r.get(0)?,
                    session_id: r.get(1)?,
                    dimension: r.get(2)?,
                    reason: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {GAP_COLUMNS} FROM gap_cards WHERE session_id = ?1 ORDER BY n"
        ))?;
        let gap_cards = stmt
            .query_map(params![session_id], gap_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(StudyGapRows { queued, gap_cards })
    }

    pub fn gap_card(&self, id: &str) -> Result<Option<GapCardRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {GAP_COLUMNS} FROM gap_cards WHERE id = ?1"),
                params![id],
                gap_from_row,
            )
            .optional()?)
    }

    /// Every gap card, oldest first.
    pub fn gap_cards(&self) -> Result<Vec<GapCardRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {GAP_COLUMNS} FROM gap_cards ORDER BY created_at, session_id, n"
        ))?;
        let rows = stmt
            .query_map([], gap_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
