//! Trade-off decisions stored with the score version they belong to.

use crate::{Store, StoreError};
use rehearse_core::{Evidence, TradeOffDecision, TradeOffPart};
use rusqlite::{params, Connection};

/// Writes `decisions` for one score version, in order.
pub(crate) fn save_tradeoffs(
    conn: &Connection,
    session_id: &str,
    version: i64,
    decisions: &[TradeOffDecision],
) -> Result<(), StoreError> {
    for (ord, d) in decisions.iter().enumerate() {
        let missing: Vec<&str> = d.missing.iter().map(|p| p.as_str()).collect();
        let missing = serde_json::to_string(&missing)
            .map_err(|e| StoreError::Inconsistent(format!("trade-off parts: {e}")))?;
        conn.execute(
            "INSERT INTO tradeoffs (session_id, version, ord, choice, alternative, reason,
                 reason_t0, number, otherwise, otherwise_t0, quote, t0, level, missing, suggestion)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                session_id,
                version,
                ord as i64,
                d.choice,
                d.alternative,
                d.reason.as_ref().map(|e| e.quote.as_str()),
                d.reason.as_ref().map(|e| e.t0),
                d.number,
                d.otherwise.as_ref().map(|e| e.quote.as_str()),
                d.otherwise.as_ref().map(|e| e.t0),
                d.evidence.quote,
                d.evidence.t0,
                d.level.min(4),
                missing,
                d.suggestion,
            ],
        )?;
    }
    Ok(())
}

fn evidence(quote: Option<String>, t0: Option<f64>) -> Option<Evidence> {
    quote.map(|quote| Evidence {
        quote,
        t0: t0.unwrap_or(0.0),
    })
}

impl Store {
    /// The decisions stored with score `version` of a session (empty for versions scored
    /// before decisions were graded).
    pub fn tradeoffs(
        &self,
        session_id: &str,
        version: i64,
    ) -> Result<Vec<TradeOffDecision>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT choice, alternative, reason, reason_t0, number, otherwise, otherwise_t0,
                    quote, t0, level, missing, suggestion
             FROM tradeoffs WHERE session_id = ?1 AND version = ?2 ORDER BY ord",
        )?;
        let rows = stmt
            .query_map(params![session_id, version], |r| {
                Ok((
                    TradeOffDecision {
                        choice: r.get(0)?,
                        alternative: r.get(1)?,
                        reason: evidence(r.get(2)?, r.get(3)?),
                        number: r.get(4)?,
                        otherwise: evidence(r.get(5)?, r.get(6)?),
                        evidence: Evidence {
                            quote: r.get(7)?,
                            t0: r.get(8)?,
                        },
                        level: r.get(9)?,
                        missing: Vec::new(),
                        suggestion: r.get(11)?,
                    },
                    r.get::<_, String>(10)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(mut d, missing)| {
                d.missing = serde_json::from_str::<Vec<TradeOffPart>>(&missing)
                    .map_err(|e| StoreError::Inconsistent(format!("trade-off parts: {e}")))?;
                Ok(d)
            })
            .collect()
    }
}
