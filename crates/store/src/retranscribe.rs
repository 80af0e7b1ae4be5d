//! Replacing a session's transcript with one from another model, keeping the old one.

use crate::{Store, StoreError};
use rehearse_core::Segment;
use rusqlite::params;

/// Marks segments a later transcription replaced: `source` becomes `superseded:<source>`
/// ("superseded:final", "superseded:corrected"); text, original text and model stay.
pub const SUPERSEDED_PREFIX: &str = "superseded:";

impl Store {
    /// In one transaction: the session's current segments become superseded (kept, with their
    /// model) and `segments` become the transcript, each stored with `model`. Returns how many
    /// segments were superseded.
    pub fn replace_transcript(
        &mut self,
        session_id: &str,
        segments: &[Segment],
        model: &str,
    ) -> Result<usize, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM sessions WHERE id = ?1)",
            params![session_id],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(StoreError::NotFound(session_id.to_string()));
        }
        let superseded = tx.execute(
            "UPDATE segments SET source = ?2 || source
             WHERE session_id = ?1 AND source NOT LIKE ?2 || '%'",
            params![session_id, SUPERSEDED_PREFIX],
        )?;
        for seg in segments {
            tx.execute(
                "INSERT INTO segments (session_id, t0, t1, text, source, model, words)
                 VALUES (?1, ?2, ?3, ?4, 'final', ?5, ?6)",
                params![
                    session_id,
                    seg.t0,
                    seg.t1,
                    seg.text,
                    model,
                    crate::words::words_to_sql(&seg.words)
                ],
            )?;
        }
        tx.execute(
            "UPDATE sessions SET model = ?2 WHERE id = ?1",
            params![session_id, model],
        )?;
        tx.commit()?;
        Ok(superseded)
    }

    /// Which models transcribed the session, oldest first, with how many segments each left
    /// (superseded ones included).
    pub fn transcript_models(&self, session_id: &str) -> Result<Vec<(String, usize)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT COALESCE(model, ''), COUNT(*) FROM segments WHERE session_id = ?1
             GROUP BY COALESCE(model, '') ORDER BY MIN(id)",
        )?;
        let rows = stmt
            .query_map(params![session_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
