//! What a practice session leaves to study: the rubric's cards for its weak dimensions and a
//! gap card for each follow-up on one, queued once per session.

use super::schedule::format_time;
use crate::{Engine, EngineError};
use chrono::Utc;
use rehearse_content::Rubric;
use rehearse_core::SessionReport;
use rehearse_store::{GapCardRow, QueuedCard, Store, StudyGapRows};

/// A dimension scored at or below this is a study gap.
pub const GAP_LEVEL: u8 = 1;

/// The kind and area gap cards show as.
pub(super) const GAP_KIND: &str = "question";
pub(super) const GAP_AREA: &str = "practice";

/// What a practice session left to study, as stored for it (all of it, not only what the
/// last call added).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudyGaps {
    /// Rubric cards and gap cards queued for study, in queue order, each with its reason.
    pub queued: Vec<QueuedCard>,
    /// Follow-ups on weak dimensions, as cards (`gap-<session>-<n>`).
    pub gap_cards: Vec<GapCardRow>,
    /// Rows the last call added: 0 when the session's gaps were already recorded.
    pub added: usize,
}

/// The gaps in a scored session: for each dimension at or below [`GAP_LEVEL`], the rubric's
/// cards for it; for each follow-up that targeted such a dimension, a gap card (queued too).
/// Pure; an unscored session has none.
pub(crate) fn find_study_gaps(
    rubric: &Rubric,
    prompt_title: &str,
    report: &SessionReport,
    now: &str,
) -> StudyGapRows {
    let sid = &report.session_id;
    let mut out = StudyGapRows::default();
    let weak: Vec<_> = report
        .scorecard
        .dimensions
        .iter()
        .filter(|d| d.level <= GAP_LEVEL)
        .filter_map(|d| rubric.dimension(d.id).map(|r| (d, r)))
        .collect();
    for (score, dim) in &weak {
        for card in &dim.cards {
            out.queued.push(QueuedCard {
                card_id: card.clone(),
                session_id: sid.clone(),
                dimension: dim.id.as_str().to_string(),
                reason: format!(
                    "{} scored {}/4 when you practised \"{prompt_title}\"",
                    dim.name, score.level
                ),
            });
        }
    }
    for (i, turn) in report.turns.iter().enumerate() {
        let Some((score, dim)) = weak
            .iter()
            .filter(|(s, _)| turn.targets.contains(&s.id))
            .min_by_key(|(s, _)| s.level)
        else {
            continue;
        };
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let id = format!("gap-{sid}-{n}");
        out.gap_cards.push(GapCardRow {
            id: id.clone(),
            session_id: sid.clone(),
            n,
            dimension: dim.id.as_str().to_string(),
            front: turn.text.clone(),
            back: format!(
                "{}\n\nAsked while practising \"{prompt_title}\".",
                dim.suggestion
            ),
            created_at: now.to_string(),
        });
        out.queued.push(QueuedCard {
            card_id: id,
            session_id: sid.clone(),
            dimension: dim.id.as_str().to_string(),
            reason: format!(
                "The interviewer asked this during \"{prompt_title}\"; {} scored {}/4",
                dim.name, score.level
            ),
        });
    }
    out
}

/// Finds and stores the gaps of a stored, scored session; see [`Engine::queue_study_gaps`].
pub(crate) fn queue_gaps(
    store: &mut Store,
    rubric: &Rubric,
    prompt_title: &str,
    session_id: &str,
) -> Result<StudyGaps, EngineError> {
    let report = store.session_report(session_id)?;
    let now = format_time(Utc::now());
    let gaps = find_study_gaps(rubric, prompt_title, &report, &now);
    let added = store.record_study_gaps(&gaps, &now)?;
    let stored = store.session_study_gaps(session_id)?;
    Ok(StudyGaps {
        queued: stored.queued,
        gap_cards: stored.gap_cards,
        added,
    })
}

impl Engine {
    /// Queues the study gaps of a stored, scored session: the rubric's cards for every
    /// dimension scored 0 or 1, and a gap card for every follow-up on such a dimension, each
    /// with its reason. Idempotent: a second call (or a re-score) adds nothing already
    /// recorded for the session, and cards already reviewed since stay cleared. The practice
    /// paths call it after saving the scorecard.
    pub fn queue_study_gaps(&self, session_id: &str) -> Result<StudyGaps, EngineError> {
        let mut store = self.store()?;
        let prompt_id = store.session_report(session_id)?.prompt_id;
        let (prompt, rubric) = self.content().prompt_with_rubric(&prompt_id)?;
        queue_gaps(&mut store, rubric, &prompt.title, session_id)
    }
}
