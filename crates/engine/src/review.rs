//! Review and progress over stored sessions: search and filters, corrections with re-scoring
//! (score history), delivery analytics, attempts and their comparison, progress over time.

use crate::{Engine, EngineError};
use rehearse_core::{
    AttemptSide, CardLink, DeliveryAnalytics, DimensionId, DimensionLevel, DimensionSeries,
    LevelDelta, Progress, ProgressPoint, ScoreVersion, SessionComparison, SessionQuery,
    SessionReport, SessionSummary, WeakDimension, ALL_DIMENSIONS,
};
use rehearse_interviewer::{delivery_analytics, pace_and_filler_rate, score_transcript};
use std::collections::HashMap;

/// The weakest dimensions are judged over this many most recent scored sessions.
pub const PROGRESS_RECENT_SESSIONS: usize = 5;
/// How many weakest dimensions Progress names.
pub const PROGRESS_WEAKEST: usize = 3;

impl Engine {
    /// Sessions matching `query` (full-text over transcripts, prompt, date range, a dimension
    /// below a level), newest first, with prompt titles.
    pub fn search_sessions(
        &self,
        query: &SessionQuery,
    ) -> Result<Vec<SessionSummary>, EngineError> {
        let mut list = self.store()?.query_sessions(query)?;
        self.name_prompts(&mut list);
        Ok(list)
    }

    pub(crate) fn name_prompts(&self, list: &mut [SessionSummary]) {
        let titles: HashMap<&str, &str> = self
            .content()
            .prompts()
            .iter()
            .map(|p| (p.id.as_str(), p.title.as_str()))
            .collect();
        for s in list {
            if let Some(t) = titles.get(s.prompt_id.as_str()) {
                s.prompt_title = (*t).to_string();
            }
        }
    }

    /// Replaces a transcript segment's text with the candidate's correction (what whisper
    /// heard is kept), then re-scores the session with the offline grader from the corrected
    /// transcript as a new score version ("after correcting segment N"). Returns the report,
    /// which shows the new version.
    pub fn correct_segment(
        &self,
        session_id: &str,
        segment_id: i64,
        text: &str,
    ) -> Result<SessionReport, EngineError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(EngineError::InvalidInput(
                "a corrected segment needs some text; delete words, not the whole segment".into(),
            ));
        }
        let mut store = self.store()?;
        let prompt_id = store.session_report(session_id)?.prompt_id;
        let (_, rubric) = self.content().prompt_with_rubric(&prompt_id)?;
        let place = store.correct_segment(session_id, segment_id, text)?;
        let segments: Vec<_> = store
            .stored_segments(session_id)?
            .into_iter()
            .map(|s| s.segment)
            .collect();
        // The offline grader: deterministic, local and instant, so a correction never waits
        // on (or spends) an LLM.
        let card = score_transcript(rubric, &segments);
        store.save_scorecard_with_reason(
            session_id,
            &card,
            &format!("after correcting segment {place}"),
        )?;
        Ok(store.session_report(session_id)?)
    }

    /// Every score version of the session, oldest first.
    pub fn score_history(&self, session_id: &str) -> Result<Vec<ScoreVersion>, EngineError> {
        let store = self.store()?;
        // A clear "no such session" rather than an empty history.
        store.session_status(session_id)?;
        Ok(store.score_history(session_id)?)
    }

    /// Pace, fillers, pauses, signposting and talk time of the session's (current) transcript.
    pub fn session_analytics(&self, session_id: &str) -> Result<DeliveryAnalytics, EngineError> {
        let report = self.store()?.session_report(session_id)?;
        Ok(delivery_analytics(
            &report.transcript.segments,
            report.audio.duration_s,
        ))
    }

    /// Sessions on the same prompt, oldest first (attempt 1, 2, ...).
    pub fn attempts(&self, prompt_id: &str) -> Result<Vec<SessionSummary>, EngineError> {
        let mut list = self.search_sessions(&SessionQuery {
            prompt_id: Some(prompt_id.to_string()),
            ..Default::default()
        })?;
        list.reverse();
        Ok(list)
    }

    /// Two attempts side by side: levels, the trade-offs named (the scorecard's trade-off
    /// evidence) and durations; `b` minus `a` per dimension.
    pub fn compare_sessions(&self, a: &str, b: &str) -> Result<SessionComparison, EngineError> {
        let store = self.store()?;
        let ra = store.session_report(a)?;
        let rb = store.session_report(b)?;
        if ra.prompt_id != rb.prompt_id {
            tracing::info!(a, b, "comparing attempts on different prompts");
        }
        let side = |r: &SessionReport| {
            let levels: Vec<DimensionLevel> = r
                .scorecard
                .dimensions
                .iter()
                .map(|d| DimensionLevel {
                    id: d.id,
                    level: d.level,
                })
                .collect();
            AttemptSide {
                session_id: r.session_id.clone(),
                started_at: r.started_at.clone(),
                duration_s: r.audio.duration_s,
                grader: r.scorecard.grader.clone(),
                overall: mean_level(&levels),
                tradeoffs: r
                    .scorecard
                    .dimensions
                    .iter()
                    .find(|d| d.id == DimensionId::Tradeoffs)
                    .map(|d| d.evidence.clone())
                    .unwrap_or_default(),
                levels,
            }
        };
        let (sa, sb) = (side(&ra), side(&rb));
        let level_of = |s: &AttemptSide, id| s.levels.iter().find(|l| l.id == id).map(|l| l.level);
        let level_deltas = ALL_DIMENSIONS
            .iter()
            .filter_map(|&id| {
                let (x, y) = (level_of(&sa, id)?, level_of(&sb, id)?);
                Some(LevelDelta {
                    id,
                    delta: y as i8 - x as i8,
                })
            })
            .collect();
        Ok(SessionComparison {
            prompt_id: ra.prompt_id,
            a: sa,
            b: sb,
            level_deltas,
        })
    }

    /// Each dimension over time, filler rate and pace per session (oldest first), and the
    /// weakest dimensions over the recent sessions with the cards that teach them.
    pub fn progress(&self) -> Result<Progress, EngineError> {
        let mut store = self.store()?;
        let mut list = store.list_sessions()?;
        list.retain(|s| !s.levels.is_empty());
        list.reverse(); // oldest first

        // Pace and filler rate come from the per-session cache; sessions without a row (never
        // computed, or their transcript changed since) are computed from their transcript now.
        let mut stats = store.session_stats_all()?;
        let missing: Vec<String> = list
            .iter()
            .filter(|s| !stats.contains_key(&s.session_id))
            .map(|s| s.session_id.clone())
            .collect();
        if !missing.is_empty() {
            tracing::debug!(
                sessions = missing.len(),
                "computing delivery figures for Progress"
            );
            stats.extend(store.backfill_session_stats(&missing, pace_and_filler_rate)?);
        }
        let mut dimensions: Vec<DimensionSeries> = ALL_DIMENSIONS
            .iter()
            .map(|&id| DimensionSeries {
                id,
                points: Vec::new(),
            })
            .collect();
        let mut filler_rate = Vec::new();
        let mut pace_wpm = Vec::new();
        for s in &list {
            let point = |value: f64| ProgressPoint {
                session_id: s.session_id.clone(),
                date: s.started_at.clone(),
                value,
            };
            for l in &s.levels {
                if let Some(series) = dimensions.iter_mut().find(|d| d.id == l.id) {
                    series.points.push(point(f64::from(l.level)));
                }
            }
            if let Some(Some(figures)) = stats.get(&s.session_id) {
                filler_rate.push(point(figures.filler_rate));
                pace_wpm.push(point(figures.pace_wpm));
            }
        }
        let recent: Vec<&SessionSummary> =
            list.iter().rev().take(PROGRESS_RECENT_SESSIONS).collect();
        let mut weakest: Vec<WeakDimension> = ALL_DIMENSIONS
            .iter()
            .filter_map(|&id| {
                let levels: Vec<f64> = recent
                    .iter()
                    .filter_map(|s| s.levels.iter().find(|l| l.id == id))
                    .map(|l| f64::from(l.level))
                    .collect();
                (!levels.is_empty()).then(|| WeakDimension {
                    id,
                    mean_level: levels.iter().sum::<f64>() / levels.len() as f64,
                    cards: self.cards_teaching(id, recent.first().map(|s| s.prompt_id.as_str())),
                })
            })
            .collect();
        // Weakest first; ties in the scorecard's order.
        weakest.sort_by(|a, b| a.mean_level.total_cmp(&b.mean_level));
        weakest.retain(|w| w.mean_level < 4.0);
        weakest.truncate(PROGRESS_WEAKEST);
        Ok(Progress {
            sessions: list.len() as u32,
            dimensions,
            filler_rate,
            pace_wpm,
            weakest,
        })
    }

    /// The cards the rubric lists for a dimension (the rubric of `prompt_id`, else the first
    /// rubric that names any), as links with their titles.
    fn cards_teaching(&self, id: DimensionId, prompt_id: Option<&str>) -> Vec<CardLink> {
        let content = self.content();
        let from_prompt = prompt_id
            .and_then(|p| content.prompt_with_rubric(p).ok())
            .map(|(_, r)| r);
        let rubrics = from_prompt.into_iter().chain(content.rubrics().iter());
        for rubric in rubrics {
            if let Some(dim) = rubric.dimension(id) {
                let cards: Vec<CardLink> = dim
                    .cards
                    .iter()
                    .filter_map(|cid| content.card(cid))
                    .map(|c| CardLink {
                        card_id: c.id.clone(),
                        title: c.title.clone(),
                    })
                    .collect();
                if !cards.is_empty() {
                    return cards;
                }
            }
        }
        Vec::new()
    }
}

fn mean_level(levels: &[DimensionLevel]) -> Option<f64> {
    (!levels.is_empty())
        .then(|| levels.iter().map(|l| f64::from(l.level)).sum::<f64>() / levels.len() as f64)
}
