//! The whiteboard's history: opaque change payloads (rehearse-board's format) by session time.

use crate::{Store, StoreError};
use rusqlite::params;

/// One stored change of a session's board.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardEventRow {
    /// Seconds from the start of the session.
    pub at: f64,
    pub payload: Vec<u8>,
}

impl Store {
    pub fn add_board_event(
        &self,
        session_id: &str,
        at: f64,
        payload: &[u8],
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO board_events (session_id, at, payload) VALUES (?1, ?2, ?3)",
            params![session_id, at, payload],
        )?;
        Ok(())
    }

    /// A session's board changes in the order they happened (by time, then recording order).
    pub fn board_events(&self, session_id: &str) -> Result<Vec<BoardEventRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, payload FROM board_events WHERE session_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt.query_map(params![session_id], |r| {
            Ok(BoardEventRow {
                at: r.get(0)?,
                payload: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// When a session's board changed, in seconds from its start.
    pub fn board_event_times(&self, session_id: &str) -> Result<Vec<f64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT at FROM board_events WHERE session_id = ?1 ORDER BY at, id")?;
        let rows = stmt.query_map(params![session_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Total stored bytes of a session's board history.
    pub fn board_history_bytes(&self, session_id: &str) -> Result<u64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(SUM(LENGTH(payload)), 0) FROM board_events WHERE session_id = ?1",
            params![session_id],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }
}
