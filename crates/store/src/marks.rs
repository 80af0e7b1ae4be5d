//! Moments the candidate marked during a session.

use crate::{Store, StoreError};
use rusqlite::params;

impl Store {
    /// Records a mark `at` seconds into the session.
    pub fn add_mark(&self, session_id: &str, at: f64, created_at: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO marks (session_id, at, created_at) VALUES (?1, ?2, ?3)",
            params![session_id, at, created_at],
        )?;
        Ok(())
    }

    /// A session's marks, in seconds from its start, earliest first.
    pub fn marks(&self, session_id: &str) -> Result<Vec<f64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT at FROM marks WHERE session_id = ?1 ORDER BY at")?;
        let rows = stmt.query_map(params![session_id], |r| r.get::<_, f64>(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
