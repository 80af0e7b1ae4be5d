//! Cached per-session delivery figures (pace, filler rate) for Progress. The cache is
//! derived data: triggers on `segments` drop a session's row whenever its transcript
//! changes, and [`Store::backfill_session_stats`] fills missing rows from the current
//! transcript.

use crate::{Store, StoreError};
use rehearse_core::Segment;
use rusqlite::{params, TransactionBehavior};
use std::collections::HashMap;

/// One session's cached figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SessionStats {
    /// Words per minute of talk time.
    pub pace_wpm: f64,
    /// Fillers per 100 words.
    pub filler_rate: f64,
}

impl Store {
    /// Every cached row: `None` for a session known to have no transcript. Sessions missing
    /// from the map have no (current) cached figures.
    pub fn session_stats_all(&self) -> Result<HashMap<String, Option<SessionStats>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT session_id, pace_wpm, filler_rate FROM session_stats")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<f64>>(1)?,
                r.get::<_, Option<f64>>(2)?,
            ))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (sid, pace, rate) = row?;
            let stats = match (pace, rate) {
                (Some(pace_wpm), Some(filler_rate)) => Some(SessionStats {
                    pace_wpm,
                    filler_rate,
                }),
                _ => None,
            };
            out.insert(sid, stats);
        }
        Ok(out)
    }

    /// Computes and caches the figures of `session_ids` from their current transcripts with
    /// `figures` (which returns pace and filler rate), in one write transaction so no writer
    /// can change a transcript between the read and the cached row. Returns what it stored.
    pub fn backfill_session_stats(
        &mut self,
        session_ids: &[String],
        figures: impl Fn(&[Segment]) -> (f64, f64),
    ) -> Result<HashMap<String, Option<SessionStats>>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut out = HashMap::with_capacity(session_ids.len());
        {
            let mut read = tx.prepare(
                "SELECT t0, t1, text FROM segments
                 WHERE session_id = ?1 AND source NOT LIKE 'superseded:%' ORDER BY t0, id",
            )?;
            let mut write = tx.prepare(
                "INSERT INTO session_stats (session_id, pace_wpm, filler_rate)
                 SELECT id, ?2, ?3 FROM sessions WHERE id = ?1
                 ON CONFLICT (session_id) DO UPDATE
                 SET pace_wpm = excluded.pace_wpm, filler_rate = excluded.filler_rate",
            )?;
            for sid in session_ids {
                let segments = read
                    .query_map(params![sid], |r| {
                        Ok(Segment {
                            t0: r.get(0)?,
                            t1: r.get(1)?,
                            text: r.get(2)?,
                            words: Vec::new(),
                        })
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                let stats = (!segments.is_empty()).then(|| {
                    let (pace_wpm, filler_rate) = figures(&segments);
                    SessionStats {
                        pace_wpm,
                        filler_rate,
                    }
                });
                write.execute(params![
                    sid,
                    stats.map(|s| s.pace_wpm),
                    stats.map(|s| s.filler_rate)
                ])?;
                out.insert(sid.clone(), stats);
            }
        }
        tx.commit()?;
        Ok(out)
    }
}
