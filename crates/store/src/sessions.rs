use crate::review::parse_status;
use crate::{Store, StoreError};
use rehearse_core::{
    AudioInfo, DimensionId, DimensionScore, Evidence, Scorecard, Segment, SessionReport,
    SessionStatus, SessionSummary, Transcript, Turn, TurnRole,
};
use rusqlite::{params, OptionalExtension};

/// What is known when a session starts.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub prompt_id: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub audio_path: String,
    pub model: Option<String>,
}

impl Store {
    pub fn create_session(&self, s: &NewSession) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO sessions (id, prompt_id, started_at, status, audio_path, model)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                s.id,
                s.prompt_id,
                s.started_at,
                SessionStatus::Recording.as_str(),
                s.audio_path,
                s.model
            ],
        )?;
        Ok(())
    }

    pub fn add_segment(
        &self,
        session_id: &str,
        seg: &Segment,
        model: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO segments (session_id, t0, t1, text, source, model, words) VALUES (?1, ?2, ?3, ?4, 'final', ?5, ?6)",
            params![session_id, seg.t0, seg.t1, seg.text, model, crate::words::words_to_sql(&seg.words)],
        )?;
        Ok(())
    }

    pub fn add_turn(&self, session_id: &str, turn: &Turn, backend: &str) -> Result<(), StoreError> {
        let targets = serde_json::to_string(&turn.targets)
            .map_err(|e| StoreError::Inconsistent(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO turns (session_id, at, role, text, targets, backend) VALUES (?1, ?2, 'interviewer', ?3, ?4, ?5)",
            params![session_id, turn.at, turn.text, targets, backend],
        )?;
        Ok(())
    }

    /// Stores a scorecard as a new version; returns the version number.
    pub fn save_scorecard(
        &mut self,
        session_id: &str,
        card: &Scorecard,
    ) -> Result<i64, StoreError> {
        self.save_scorecard_with_reason(session_id, card, "scored")
    }

    /// Stores a scorecard as a new version with why it was made (e.g. "after correcting
    /// segment 3"); returns the version number. Earlier versions stay as they are.
    pub fn save_scorecard_with_reason(
        &mut self,
        session_id: &str,
        card: &Scorecard,
        reason: &str,
    ) -> Result<i64, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM scores WHERE session_id = ?1",
            params![session_id],
            |r| r.get(0),
        )?;
        for d in &card.dimensions {
            tx.execute(
                "INSERT INTO scores (session_id, version, dimension, level, suggestion, grader, checks)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    session_id,
                    version,
                    d.id.as_str(),
                    d.level,
                    d.suggestion,
                    card.grader,
                    checks_json(&d.checks)?
                ],
            )?;
            let score_id = tx.last_insert_rowid();
            for e in &d.evidence {
                tx.execute(
                    "INSERT INTO evidence (score_id, quote, t0) VALUES (?1, ?2, ?3)",
                    params![score_id, e.quote, e.t0],
                )?;
            }
        }
        crate::tradeoffs::save_tradeoffs(&tx, session_id, version, &card.tradeoffs)?;
        Store::record_score_version(&tx, session_id, version, reason)?;
        tx.commit()?;
        Ok(version)
    }

    pub fn finish_session(
        &self,
        session_id: &str,
        ended_at: &str,
        duration_s: f64,
        status: SessionStatus,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE sessions SET ended_at = ?2, duration_s = ?3, status = ?4 WHERE id = ?1",
            params![session_id, ended_at, duration_s, status.as_str()],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(session_id.to_string()));
        }
        Ok(())
    }

    /// Newest first.
    pub fn list_sessions(&self) -> Result<Vec<SessionSummary>, StoreError> {
        self.query_sessions(&rehearse_core::SessionQuery::default())
    }

    pub fn session_report(&self, session_id: &str) -> Result<SessionReport, StoreError> {
        type Head = (String, String, f64, String, String, Option<String>);
        let head: Option<Head> = self
            .conn
            .query_row(
                "SELECT prompt_id, audio_path, duration_s, status, started_at, audio_discarded_at
                 FROM sessions WHERE id = ?1",
                params![session_id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .optional()?;
        let (prompt_id, audio_path, duration_s, status, started_at, discarded_at) =
            head.ok_or_else(|| StoreError::NotFound(session_id.to_string()))?;
        let audio_available = discarded_at.is_none() && std::path::Path::new(&audio_path).is_file();

        let stored = self.stored_segments(session_id)?;
        let mut segments = Vec::with_capacity(stored.len());
        let mut segment_refs = Vec::with_capacity(stored.len());
        for s in stored {
            segment_refs.push(rehearse_core::SegmentRef {
                id: s.id,
                corrected: s.original_text.is_some(),
                original_text: s.original_text,
            });
            segments.push(s.segment);
        }

        let mut stmt = self
            .conn
            .prepare("SELECT at, text, targets FROM turns WHERE session_id = ?1 ORDER BY at, id")?;
        let raw_turns = stmt
            .query_map(params![session_id], |r| {
                Ok((
                    r.get::<_, f64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut turns = Vec::new();
        for (at, text, targets) in raw_turns {
            let targets: Vec<DimensionId> = serde_json::from_str(&targets)
                .map_err(|e| StoreError::Inconsistent(format!("turn targets: {e}")))?;
            turns.push(Turn {
                at,
                role: TurnRole::Interviewer,
                text,
                targets,
            });
        }

        Ok(SessionReport {
            session_id: session_id.to_string(),
            prompt_id,
            audio: AudioInfo {
                path: audio_path,
                duration_s,
                available: audio_available,
            },
            transcript: Transcript { segments },
            turns,
            scorecard: self.latest_scorecard(session_id)?,
            segment_refs,
            score_version: self.latest_score_version(session_id)?,
            status: parse_status(&status)?,
            started_at,
        })
    }

    fn latest_score_version(&self, session_id: &str) -> Result<Option<u32>, StoreError> {
        let v: Option<i64> = self.conn.query_row(
            "SELECT MAX(version) FROM scores WHERE session_id = ?1",
            params![session_id],
            |r| r.get(0),
        )?;
        Ok(v.and_then(|v| u32::try_from(v).ok()))
    }

    /// The newest scorecard version; an empty "unscored" card when there is none yet.
    fn latest_scorecard(&self, session_id: &str) -> Result<Scorecard, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, dimension, level, suggestion, grader, checks FROM scores
             WHERE session_id = ?1
               AND version = (SELECT MAX(version) FROM scores WHERE session_id = ?1)
             ORDER BY id",
        )?;
        let rows = stmt
            .query_map(params![session_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u8>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut grader = String::from("unscored");
        let mut dimensions = Vec::new();
        let mut ev_stmt = self
            .conn
            .prepare("SELECT quote, t0 FROM evidence WHERE score_id = ?1 ORDER BY t0, id")?;
        for (score_id, dim, level, suggestion, g, checks) in rows {
            grader = g;
            let evidence = ev_stmt
                .query_map(params![score_id], |r| {
                    Ok(Evidence {
                        quote: r.get(0)?,
                        t0: r.get(1)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            dimensions.push(DimensionScore {
                id: dim.parse().map_err(|e: rehearse_core::UnknownDimension| {
                    StoreError::Inconsistent(e.to_string())
                })?,
                level,
                evidence,
                suggestion,
                checks: checks_from_json(checks.as_deref()),
            });
        }
        let tradeoffs = match self.latest_score_version(session_id)? {
            Some(v) => self.tradeoffs(session_id, i64::from(v))?,
            None => Vec::new(),
        };
        Ok(Scorecard {
            grader,
            dimensions,
            tradeoffs,
        })
    }

    pub fn audio_path(&self, session_id: &str) -> Result<String, StoreError> {
        self.conn
            .query_row(
                "SELECT audio_path FROM sessions WHERE id = ?1",
                params![session_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(session_id.to_string()))
    }

    /// Deletes the session's rows; returns its audio path so the caller can remove the file.
    pub fn delete_session(&self, session_id: &str) -> Result<String, StoreError> {
        let path = self.audio_path(session_id)?;
        self.conn
            .execute("DELETE FROM sessions WHERE id = ?1", params![session_id])?;
        Ok(path)
    }
}

/// A dimension's checks as stored (`scores.checks`).
fn checks_json(checks: &[rehearse_core::CheckResult]) -> Result<Option<String>, StoreError> {
    if checks.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(checks)
        .map(Some)
        .map_err(|e| StoreError::Inconsistent(format!("a checklist could not be written: {e}")))
}

/// The checks read back: none for scores stored before checklists, and none (with a warning)
/// for a value that no longer reads; the level and quotes stand either way.
fn checks_from_json(json: Option<&str>) -> Vec<rehearse_core::CheckResult> {
    match json.map(serde_json::from_str::<Vec<rehearse_core::CheckResult>>) {
        None => Vec::new(),
        Some(Ok(checks)) => checks,
        Some(Err(e)) => {
            tracing::warn!(error = %e, "a stored checklist does not read; showing the level without it");
            Vec::new()
        }
    }
}
