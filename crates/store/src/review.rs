//! Review: the sessions query (filters and full-text search over transcripts), segment
//! corrections, score history, retention and recovery bookkeeping.

use crate::search::fts_query;
use crate::{Store, StoreError};
use rehearse_core::{
    DimensionId, DimensionLevel, ScoreVersion, Segment, SessionQuery, SessionStatus, SessionSummary,
};
use rusqlite::{params, OptionalExtension, ToSql};
use std::collections::HashMap;

/// The latest scorecard of one session, in brief.
#[derive(Debug, Clone)]
struct LatestScores {
    grader: String,
    levels: Vec<DimensionLevel>,
}

/// A stored segment with its id.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSegment {
    pub id: i64,
    pub segment: Segment,
    pub original_text: Option<String>,
}

/// SQLite timestamps in the same shape the engine writes (RFC 3339, seconds, `Z`).
const NOW_SQL: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

/// A bound of a date range: a bare date means the start (`from`) or the end (`to`) of that
/// day, so the comparison with stored RFC 3339 text is a plain string comparison.
fn range_bound(value: &str, end_of_day: bool) -> String {
    let v = value.trim();
    if v.len() == 10 {
        if end_of_day {
            format!("{v}T23:59:59Z")
        } else {
            format!("{v}T00:00:00Z")
        }
    } else {
        v.to_string()
    }
}

impl Store {
    /// Sessions matching `query`, newest first. A text query matches sessions where one
    /// transcript segment holds every word (stemmed); the best segment becomes the snippet.
    /// `prompt_title` is the prompt id here: the engine, which knows the content, names it.
    pub fn query_sessions(&self, query: &SessionQuery) -> Result<Vec<SessionSummary>, StoreError> {
        // Prompt and date range filter both the search and the list, in SQL.
        let mut filter_sql = String::new();
        let mut filter_args: Vec<(&str, String)> = Vec::new();
        if let Some(p) = query.prompt_id.as_deref().filter(|p| !p.is_empty()) {
            filter_sql.push_str(" AND s.prompt_id = :prompt");
            filter_args.push((":prompt", p.to_string()));
        }
        if let Some(f) = query.from.as_deref().filter(|f| !f.trim().is_empty()) {
            filter_sql.push_str(" AND s.started_at >= :from");
            filter_args.push((":from", range_bound(f, false)));
        }
        if let Some(t) = query.to.as_deref().filter(|t| !t.trim().is_empty()) {
            filter_sql.push_str(" AND s.started_at <= :to");
            filter_args.push((":to", range_bound(t, true)));
        }
        let filter_params: Vec<(&str, &dyn ToSql)> = filter_args
            .iter()
            .map(|(name, value)| (*name, value as &dyn ToSql))
            .collect();
        // Full-text first: it decides which sessions are in at all. SQLite picks each
        // session's best-ranked matching segment (bm25, the default rank) in a grouped pass,
        // then makes snippets for those segments only, in a second pass over the same match
        // (`+rowid` keeps the IN list a filter rather than one FTS lookup per segment, which
        // is far slower). Snippets re-tokenise their segment, so making one for every
        // matching segment was what made broad searches slow.
        let snippets: Option<HashMap<String, String>> = match query.text.as_deref() {
            Some(text) if !text.trim().is_empty() => {
                let Some(fts) = fts_query(text) else {
                    return Ok(Vec::new());
                };
                // A bare column next to MIN() comes from the row holding the minimum (SQLite).
                let mut stmt = self.conn.prepare_cached(&format!(
                    "WITH best AS (
                         SELECT seg.id AS segment_id, MIN(transcript_fts.rank)
                         FROM transcript_fts
                         JOIN segments seg ON seg.id = transcript_fts.rowid
                         JOIN sessions s ON s.id = seg.session_id
                         WHERE transcript_fts MATCH :fts
                           AND seg.source NOT LIKE 'superseded:%'{filter_sql}
                         GROUP BY seg.session_id
                     )
                     SELECT (SELECT session_id FROM segments WHERE id = f.rowid),
                            snippet(transcript_fts, 0, '**', '**', '…', 12)
                     FROM transcript_fts f
                     WHERE transcript_fts MATCH :fts AND +f.rowid IN (SELECT segment_id FROM best)"
                ))?;
                let mut fts_params = filter_params.clone();
                fts_params.push((":fts", &fts));
                let rows = stmt.query_map(fts_params.as_slice(), |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?;
                Some(rows.collect::<Result<HashMap<_, _>, _>>()?)
            }
            _ => None,
        };
        let latest = self.latest_scores_all()?;

        let sql = format!(
            "SELECT s.id, s.prompt_id, s.started_at, s.duration_s, s.status
             FROM sessions s WHERE 1 = 1{filter_sql}
             ORDER BY s.started_at DESC, s.rowid DESC"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(filter_params.as_slice(), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, f64>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (session_id, prompt_id, started_at, duration_s, status) = row?;
            let snippet = match &snippets {
                Some(found) => match found.get(&session_id) {
                    Some(s) => Some(s.clone()),
                    None => continue,
                },
                None => None,
            };
            let scores = latest.get(&session_id);
            if let (Some(dim), Some(below)) = (query.dimension, query.below_level) {
                let level = scores.and_then(|s| s.levels.iter().find(|l| l.id == dim));
                match level {
                    Some(l) if l.level < below => {}
                    _ => continue,
                }
            }
            let levels = scores.map(|s| s.levels.clone()).unwrap_or_default();
            let overall = (!levels.is_empty()).then(|| {
                levels.iter().map(|l| f64::from(l.level)).sum::<f64>() / levels.len() as f64
            });
            out.push(SessionSummary {
                prompt_title: prompt_id.clone(),
                session_id,
                prompt_id,
                started_at,
                duration_s,
                status: parse_status(&status)?,
                grader: scores.map(|s| s.grader.clone()),
                overall,
                levels,
                snippet,
            });
        }
        Ok(out)
    }

    /// Every session's latest score version, in one pass.
    fn latest_scores_all(&self) -> Result<HashMap<String, LatestScores>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT sc.session_id, sc.dimension, sc.level, sc.grader
             FROM scores sc
             JOIN (SELECT session_id, MAX(version) AS v FROM scores GROUP BY session_id) m
               ON m.session_id = sc.session_id AND m.v = sc.version
             ORDER BY sc.session_id, sc.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u8>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out: HashMap<String, LatestScores> = HashMap::new();
        for row in rows {
            let (sid, dim, level, grader) = row?;
            let id = parse_dimension(&dim)?;
            out.entry(sid)
                .or_insert_with(|| LatestScores {
                    grader,
                    levels: Vec::new(),
                })
                .levels
                .push(DimensionLevel { id, level });
        }
        Ok(out)
    }

    /// The session's current segments with their ids, in transcript order (segments a
    /// re-transcription superseded are kept in the table but are not the transcript).
    pub fn stored_segments(&self, session_id: &str) -> Result<Vec<StoredSegment>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, t0, t1, text, original_text, words FROM segments
             WHERE session_id = ?1 AND source NOT LIKE 'superseded:%' ORDER BY t0, id",
        )?;
        let rows = stmt
            .query_map(params![session_id], |r| {
                Ok(StoredSegment {
                    id: r.get(0)?,
                    segment: Segment {
                        t0: r.get(1)?,
                        t1: r.get(2)?,
                        text: r.get(3)?,
                        words: crate::words::words_from_sql(r.get(5)?),
                    },
                    original_text: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Replaces a segment's text with the candidate's correction. The first correction keeps
    /// what whisper heard in `original_text`; later ones keep it too. Returns the segment's
    /// place in the transcript, from 1.
    pub fn correct_segment(
        &self,
        session_id: &str,
        segment_id: i64,
        text: &str,
    ) -> Result<usize, StoreError> {
        let n = self.conn.execute(
            "UPDATE segments
             SET original_text = COALESCE(original_text, text), text = ?3, source = 'corrected',
                 words = NULL
             WHERE id = ?2 AND session_id = ?1 AND source NOT LIKE 'superseded:%'",
            params![session_id, segment_id, text],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(format!(
                "{session_id} (segment {segment_id})"
            )));
        }
        let place: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM segments a JOIN segments b ON b.id = ?2
             WHERE a.session_id = ?1 AND a.source NOT LIKE 'superseded:%'
               AND (a.t0 < b.t0 OR (a.t0 = b.t0 AND a.id <= b.id))",
            params![session_id, segment_id],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(place).unwrap_or(0))
    }

    /// Records why a score version exists (called for every new version).
    pub(crate) fn record_score_version(
        tx: &rusqlite::Transaction<'_>,
        session_id: &str,
        version: i64,
        reason: &str,
    ) -> Result<(), StoreError> {
        tx.execute(
            &format!(
                "INSERT INTO score_versions (session_id, version, created_at, reason)
                 VALUES (?1, ?2, {NOW_SQL}, ?3)"
            ),
            params![session_id, version, reason],
        )?;
        Ok(())
    }

    /// Every score version of a session, oldest first.
    pub fn score_history(&self, session_id: &str) -> Result<Vec<ScoreVersion>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT sc.version, sc.dimension, sc.level, sc.grader,
                    COALESCE(v.created_at, ''), COALESCE(v.reason, 'scored')
             FROM scores sc
             LEFT JOIN score_versions v ON v.session_id = sc.session_id AND v.version = sc.version
             WHERE sc.session_id = ?1
             ORDER BY sc.version, sc.id",
        )?;
        let rows = stmt.query_map(params![session_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u8>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out: Vec<ScoreVersion> = Vec::new();
        for row in rows {
            let (version, dim, level, grader, created_at, reason) = row?;
            let version = u32::try_from(version)
                .map_err(|_| StoreError::Inconsistent(format!("score version {version}")))?;
            let id = parse_dimension(&dim)?;
            match out.last_mut() {
                Some(v) if v.version == version => v.levels.push(DimensionLevel { id, level }),
                _ => out.push(ScoreVersion {
                    version,
                    created_at,
                    grader,
                    reason,
                    levels: vec![DimensionLevel { id, level }],
                    overall: 0.0,
                }),
            }
        }
        for v in &mut out {
            v.overall = v.levels.iter().map(|l| f64::from(l.level)).sum::<f64>()
                / v.levels.len().max(1) as f64;
        }
        Ok(out)
    }

    /// Ids of sessions that started before `cutoff` (RFC 3339), oldest first.
    pub fn sessions_started_before(&self, cutoff: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM sessions WHERE started_at < ?1 ORDER BY started_at")?;
        let ids = stmt
            .query_map(params![cutoff], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    }

    /// Sessions in `status`, with their audio paths.
    pub fn sessions_in_status(
        &self,
        status: SessionStatus,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, audio_path FROM sessions WHERE status = ?1 ORDER BY started_at")?;
        let rows = stmt
            .query_map(params![status.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<(String, String)>, _>>()?;
        Ok(rows)
    }

    pub fn session_status(&self, session_id: &str) -> Result<SessionStatus, StoreError> {
        let s: String = self
            .conn
            .query_row(
                "SELECT status FROM sessions WHERE id = ?1",
                params![session_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(session_id.to_string()))?;
        parse_status(&s)
    }

    /// Sets the status (and the duration, when known) without touching anything else.
    pub fn set_session_status(
        &self,
        session_id: &str,
        status: SessionStatus,
        duration_s: Option<f64>,
    ) -> Result<(), StoreError> {
        let n = self.conn.execute(
            "UPDATE sessions SET status = ?2, duration_s = COALESCE(?3, duration_s) WHERE id = ?1",
            params![session_id, status.as_str(), duration_s],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(session_id.to_string()));
        }
        Ok(())
    }

    /// Marks a session still "recording" as interrupted, in one statement; false when it is
    /// no longer recording (its recorder finished it meanwhile), and then nothing changes.
    pub fn interrupt_if_recording(&self, session_id: &str) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE sessions SET status = ?2 WHERE id = ?1 AND status = ?3",
            params![
                session_id,
                SessionStatus::Interrupted.as_str(),
                SessionStatus::Recording.as_str()
            ],
        )?;
        Ok(n == 1)
    }

    /// Notes that the session's recording was deleted on purpose (the keep-audio setting).
    pub fn mark_audio_discarded(&self, session_id: &str) -> Result<(), StoreError> {
        self.conn.execute(
            &format!("UPDATE sessions SET audio_discarded_at = {NOW_SQL} WHERE id = ?1"),
            params![session_id],
        )?;
        Ok(())
    }

    pub fn audio_discarded(&self, session_id: &str) -> Result<bool, StoreError> {
        let at: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT audio_discarded_at FROM sessions WHERE id = ?1",
                params![session_id],
                |r| r.get(0),
            )
            .optional()?;
        match at {
            Some(at) => Ok(at.is_some()),
            None => Err(StoreError::NotFound(session_id.to_string())),
        }
    }

    /// Every session's segments (for trends over all sessions), keyed by session id.
    pub fn all_segments(&self) -> Result<HashMap<String, Vec<Segment>>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT session_id, t0, t1, text, words FROM segments
                 WHERE source NOT LIKE 'superseded:%' ORDER BY session_id, t0, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Segment {
                    t0: r.get(1)?,
                    t1: r.get(2)?,
                    text: r.get(3)?,
                    words: crate::words::words_from_sql(r.get(4)?),
                },
            ))
        })?;
        let mut out: HashMap<String, Vec<Segment>> = HashMap::new();
        for row in rows {
            let (sid, seg) = row?;
            out.entry(sid).or_default().push(seg);
        }
        Ok(out)
    }
}

pub(crate) fn parse_status(s: &str) -> Result<SessionStatus, StoreError> {
    SessionStatus::parse(s)
        .ok_or_else(|| StoreError::Inconsistent(format!("unknown session status '{s}'")))
}

fn parse_dimension(s: &str) -> Result<DimensionId, StoreError> {
    s.parse()
        .map_err(|e: rehearse_core::UnknownDimension| StoreError::Inconsistent(e.to_string()))
}
