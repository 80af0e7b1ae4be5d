//! Study mode: FSRS spaced repetition over the content's cards, answers graded against a
//! card's key points, and full-text search. Every call takes `now` so that callers (and
//! tests) decide the clock.
//!
//! Scheduling uses the `fsrs` crate (fsrs-rs) with its default parameters and a desired
//! retention of 90 %. A review asks FSRS for the next memory state and interval given the
//! card's stored memory state and the whole days since its last review; the card falls due
//! `interval` days (fractional, rounded to the second) after the review. fsrs-rs has no
//! learning steps: an Again on a new card gives an interval of about five hours.

use crate::transcribe::{load_stt, transcribe_clip};
use crate::{Engine, EngineError};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use fsrs::{MemoryState, FSRS};
use rehearse_content::{Card, Content, Rubric, ALL_AREAS};
use rehearse_core::{
    AnswerCoverage, CardLearningState, CardSchedule, CoveredPoint, DueCard, GlossaryEntry,
    MissedPoint, ReviewGrade, SearchHit, SearchHitKind, SessionReport, SpokenAnswer, StudyCard,
    StudyDeck, StudyStats,
};
use rehearse_store::{
    CardStateRow, GapCardRow, QueuedCard, ReviewLogEntry, SearchDoc, Store, StoreError,
    StudyGapRows,
};
use rehearse_stt::SpeechToText;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The share of cards FSRS aims to have you remember when they fall due.
pub const DESIRED_RETENTION: f32 = 0.9;

const DAY_SECONDS: f64 = 86_400.0;

/// Suggested grade from the share of a card's key points an answer covers:
/// at least 90 % Easy, at least 60 % Good, at least 30 % Hard, below that Again.
pub fn suggest_grade(covered: usize, total: usize) -> ReviewGrade {
    if total == 0 {
        return ReviewGrade::Again;
    }
    let share = covered as f64 / total as f64;
    if share >= 0.9 {
        ReviewGrade::Easy
    } else if share >= 0.6 {
        ReviewGrade::Good
    } else if share >= 0.3 {
        ReviewGrade::Hard
    } else {
        ReviewGrade::Again
    }
}

/// The current time, for callers that have no clock of their own to pass as `now`.
pub fn study_now() -> DateTime<Utc> {
    Utc::now()
}

/// RFC 3339 in UTC to the second, the form every stored time has.
pub fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn parse_time(s: &str) -> Result<DateTime<Utc>, EngineError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            EngineError::Store(StoreError::Inconsistent(format!(
                "stored time '{s}' is not RFC 3339: {e}"
            )))
        })
}

/// A dimension scored at or below this is a study gap.
pub const GAP_LEVEL: u8 = 1;

/// The kind and area gap cards show as.
const GAP_KIND: &str = "question";
const GAP_AREA: &str = "practice";

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

/// What one review does to a card: its new stored state, the log entry, and the interval.
pub(crate) struct Scheduled {
    pub state: CardStateRow,
    pub log: ReviewLogEntry,
    pub interval_days: f64,
}

/// Pure FSRS step: the card's schedule after answering `grade` at `now`.
pub(crate) fn schedule_review(
    card_id: &str,
    prev: Option<&CardStateRow>,
    grade: ReviewGrade,
    now: DateTime<Utc>,
) -> Result<Scheduled, EngineError> {
    let fail = |reason: String| EngineError::Schedule {
        card_id: card_id.to_string(),
        reason,
    };
    let elapsed_days = match prev {
        Some(p) => {
            ((now - parse_time(&p.last_review)?).num_seconds() as f64 / DAY_SECONDS).max(0.0)
        }
        None => 0.0,
    };
    let memory = prev.map(|p| MemoryState {
        stability: p.stability as f32,
        difficulty: p.difficulty as f32,
    });
    let next = FSRS::default()
        .next_states(memory, DESIRED_RETENTION, elapsed_days.floor() as u32)
        .map_err(|e| fail(e.to_string()))?;
    let item = match grade {
        ReviewGrade::Again => next.again,
        ReviewGrade::Hard => next.hard,
        ReviewGrade::Good => next.good,
        ReviewGrade::Easy => next.easy,
    };
    let interval_days = f64::from(item.interval);
    if !interval_days.is_finite() || interval_days < 0.0 {
        return Err(fail(format!("FSRS gave the interval {interval_days}")));
    }
    let due = now + Duration::seconds((interval_days * DAY_SECONDS).round() as i64);
    let before = prev.map_or(CardLearningState::New, |p| p.state);
    let after = match (grade, before) {
        (ReviewGrade::Again, CardLearningState::Review | CardLearningState::Relearning) => {
            CardLearningState::Relearning
        }
        (ReviewGrade::Again, _) => CardLearningState::Learning,
        _ => CardLearningState::Review,
    };
    let lapse = grade == ReviewGrade::Again && before == CardLearningState::Review;
    let reviewed_at = format_time(now);
    Ok(Scheduled {
        state: CardStateRow {
            card_id: card_id.to_string(),
            stability: f64::from(item.memory.stability),
            difficulty: f64::from(item.memory.difficulty),
            due: format_time(due),
            last_review: reviewed_at.clone(),
            reps: prev.map_or(0, |p| p.reps) + 1,
            lapses: prev.map_or(0, |p| p.lapses) + u32::from(lapse),
            state: after,
        },
        log: ReviewLogEntry {
            card_id: card_id.to_string(),
            grade,
            reviewed_at,
            elapsed_days,
            scheduled_days: interval_days,
            state_before: before,
        },
        interval_days,
    })
}

/// Checks `transcript` against the card's key points.
pub(crate) fn grade_answer(card: &Card, transcript: &str) -> Result<AnswerCoverage, EngineError> {
    if card.key_points.is_empty() {
        return Err(EngineError::NoKeyPoints(card.id.clone()));
    }
    let mut covered = Vec::new();
    let mut missed = Vec::new();
    for kp in &card.key_points {
        match kp.covered_by(transcript) {
            Some(phrase) => covered.push(CoveredPoint {
                key_point_id: kp.id.clone(),
                text: kp.text.clone(),
                matched_phrase: phrase.to_string(),
            }),
            None => missed.push(MissedPoint {
                key_point_id: kp.id.clone(),
                text: kp.text.clone(),
            }),
        }
    }
    let suggested_grade = suggest_grade(covered.len(), card.key_points.len());
    Ok(AnswerCoverage {
        card_id: card.id.clone(),
        covered,
        missed,
        suggested_grade,
    })
}

/// Transcribes a recorded answer (16 kHz mono WAV) with `stt` and grades it against the
/// card's key points.
pub(crate) fn transcribe_and_grade(
    stt: &mut dyn SpeechToText,
    card: &Card,
    wav: &Path,
) -> Result<SpokenAnswer, EngineError> {
    let clip = rehearse_audio::read_wav_16k_mono(wav)?;
    grade_clip(stt, card, &clip)
}

/// Transcribes an answer already read into memory and checks it against the card.
fn grade_clip(
    stt: &mut dyn SpeechToText,
    card: &Card,
    clip: &rehearse_audio::AudioClip,
) -> Result<SpokenAnswer, EngineError> {
    let segments = transcribe_clip(stt, &clip.samples)?;
    let transcript = segments
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let coverage = grade_answer(card, &transcript)?;
    Ok(SpokenAnswer {
        transcript,
        coverage,
    })
}

/// Markdown emphasis and code marks dropped, so snippets read as text and the `**` the
/// search puts around matches is the only emphasis.
fn plain(markdown: &str) -> String {
    markdown.replace("**", "").replace('`', "")
}

/// Every card, glossary term and prompt as a search document.
pub(crate) fn search_docs(content: &Content) -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    for c in content.cards() {
        let mut body = plain(&c.body);
        for kp in &c.key_points {
            body.push('\n');
            body.push_str(&kp.text);
        }
        if !c.tags.is_empty() {
            body.push('\n');
            body.push_str(&c.tags.join(" "));
        }
        docs.push(SearchDoc {
            kind: SearchHitKind::Card.as_str().into(),
            id: c.id.clone(),
            title: c.title.clone(),
            body,
        });
    }
    for t in content.glossary() {
        docs.push(SearchDoc {
            kind: SearchHitKind::Glossary.as_str().into(),
            id: t.id.clone(),
            title: t.term.clone(),
            body: plain(&t.definition),
        });
    }
    for p in content.prompts() {
        let mut body = plain(&p.brief);
        for hint in &p.scale_hints {
            body.push('\n');
            body.push_str(hint);
        }
        docs.push(SearchDoc {
            kind: SearchHitKind::Prompt.as_str().into(),
            id: p.id.clone(),
            title: p.title.clone(),
            body,
        });
    }
    docs
}

/// A fingerprint of the indexed documents: when it changes, the index is rebuilt.
pub(crate) fn content_version(docs: &[SearchDoc]) -> String {
    let mut h = Sha256::new();
    for d in docs {
        for field in [&d.kind, &d.id, &d.title, &d.body] {
            h.update(field.as_bytes());
            h.update([0u8]);
        }
    }
    hex::encode(h.finalize())
}

/// Rebuilds the search index unless it already holds this content. Returns whether it did.
pub(crate) fn ensure_search_index(
    content: &Content,
    store: &mut Store,
) -> Result<bool, EngineError> {
    let docs = search_docs(content);
    let version = content_version(&docs);
    if store.search_index_version()?.as_deref() == Some(version.as_str()) {
        return Ok(false);
    }
    store.rebuild_search_index(&version, &docs)?;
    tracing::debug!(docs = docs.len(), "rebuilt the search index");
    Ok(true)
}

impl Engine {
    /// A study card of the built-in content.
    pub fn card(&self, card_id: &str) -> Result<&Card, EngineError> {
        self.content()
            .card(card_id)
            .ok_or_else(|| EngineError::UnknownCard(card_id.to_string()))
    }

    /// A card as the study screen shows it: the front and the answer. Gap cards show the
    /// follow-up as the front and the dimension's suggestion as the answer.
    pub fn study_card(&self, card_id: &str) -> Result<StudyCard, EngineError> {
        let Some(card) = self.content().card(card_id) else {
            let g = self
                .store()?
                .gap_card(card_id)?
                .ok_or_else(|| EngineError::UnknownCard(card_id.to_string()))?;
            return Ok(StudyCard {
                card_id: g.id,
                title: g.front,
                kind: GAP_KIND.to_string(),
                area: GAP_AREA.to_string(),
                tags: vec![g.dimension],
                body: g.back,
                key_points: Vec::new(),
                weak_answers: Vec::new(),
                followups: Vec::new(),
            });
        };
        Ok(StudyCard {
            card_id: card.id.clone(),
            title: card.title.clone(),
            kind: card.kind.as_str().to_string(),
            area: card.area.as_str().to_string(),
            tags: card.tags.clone(),
            body: card.body.clone(),
            key_points: card.key_points.iter().map(|k| k.text.clone()).collect(),
            weak_answers: card.weak_answers.clone(),
            followups: card.followups.clone(),
        })
    }

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

    /// Cards to study at `now`, at most `limit`: first the cards practice sessions queued
    /// (gap cards and the rubric's cards for weak dimensions, in the order queued, each with
    /// its reason), then reviewed cards that have fallen due, most overdue first, then new
    /// cards in content order.
    pub fn cards_due(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<DueCard>, EngineError> {
        self.cards_due_in(None, now, limit)
    }

    /// [`Engine::cards_due`] for one deck: only the cards of topic `area` ("agents",
    /// "system-design", ...; "practice" for gap cards), in the same order. None: every deck.
    /// An area no card has gives an empty queue.
    pub fn cards_due_in(
        &self,
        area: Option<&str>,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<DueCard>, EngineError> {
        let mut out = self.due_queue(now)?;
        if let Some(area) = area {
            out.retain(|c| c.area == area);
        }
        out.truncate(limit);
        Ok(out)
    }

    /// Every deck, the five topic areas in their usual order and then, once a practice
    /// session has made gap cards, "practice": how many of its cards are to study now.
    pub fn study_decks(&self, now: DateTime<Utc>) -> Result<Vec<StudyDeck>, EngineError> {
        let queue = self.due_queue(now)?;
        let store = self.store()?;
        let states = store.card_states()?;
        let gap_ids: HashSet<String> = store.gap_cards()?.into_iter().map(|g| g.id).collect();
        let mut areas: Vec<&str> = ALL_AREAS.iter().map(|a| a.as_str()).collect();
        if !gap_ids.is_empty() {
            areas.push(GAP_AREA);
        }
        let mut decks: Vec<StudyDeck> = areas
            .iter()
            .map(|a| StudyDeck {
                area: (*a).to_string(),
                due: 0,
                due_reviewed: 0,
                new: 0,
                total: 0,
            })
            .collect();
        let deck_of = |decks: &[StudyDeck], area: &str| -> Option<usize> {
            decks.iter().position(|d| d.area == area)
        };
        for c in &queue {
            if let Some(i) = deck_of(&decks, &c.area) {
                decks[i].due += 1;
            }
        }
        for c in self.content().cards() {
            if let Some(i) = deck_of(&decks, c.area.as_str()) {
                decks[i].total += 1;
            }
        }
        if let Some(i) = deck_of(&decks, GAP_AREA) {
            decks[i].total = u32::try_from(gap_ids.len()).unwrap_or(u32::MAX);
        }
        let mut reviewed = vec![0u32; decks.len()];
        for s in &states {
            let Some(area) = self.area_of(&s.card_id, &gap_ids) else {
                continue;
            };
            let Some(i) = deck_of(&decks, area) else {
                continue;
            };
            reviewed[i] += 1;
            if parse_time(&s.due)? <= now {
                decks[i].due_reviewed += 1;
            }
        }
        for (d, r) in decks.iter_mut().zip(reviewed) {
            d.new = d.total.saturating_sub(r);
        }
        Ok(decks)
    }

    /// A glossary term with its definition.
    pub fn study_term(&self, term_id: &str) -> Result<GlossaryEntry, EngineError> {
        let t = self
            .content()
            .term(term_id)
            .ok_or_else(|| EngineError::UnknownCard(term_id.to_string()))?;
        Ok(GlossaryEntry {
            id: t.id.clone(),
            term: t.term.clone(),
            definition: t.definition.clone(),
            see_also: t.see_also.clone(),
        })
    }

    /// The topic area of a content card, or "practice" for a gap card; None for neither.
    fn area_of<'a>(&'a self, card_id: &str, gap_ids: &HashSet<String>) -> Option<&'a str> {
        match self.content().card(card_id) {
            Some(card) => Some(card.area.as_str()),
            None => gap_ids.contains(card_id).then_some(GAP_AREA),
        }
    }

    /// The whole study queue at `now`, every deck; see [`Engine::cards_due`].
    fn due_queue(&self, now: DateTime<Utc>) -> Result<Vec<DueCard>, EngineError> {
        let store = self.store()?;
        let states = store.card_states()?;
        let gaps: HashMap<String, GapCardRow> = store
            .gap_cards()?
            .into_iter()
            .map(|g| (g.id.clone(), g))
            .collect();
        let state_of: HashMap<&str, &CardStateRow> =
            states.iter().map(|s| (s.card_id.as_str(), s)).collect();
        let mut out = Vec::new();
        let mut listed: HashSet<String> = HashSet::new();
        for q in store.queued_cards()? {
            let Some(mut card) = self.due_front(&q.card_id, &gaps) else {
                continue; // a card removed from the content since it was queued
            };
            if let Some(s) = state_of.get(q.card_id.as_str()) {
                card.state = s.state;
                card.due = Some(s.due.clone());
            }
            card.reason = Some(q.reason);
            listed.insert(q.card_id);
            out.push(card);
        }
        let mut due = Vec::new();
        for s in &states {
            if listed.contains(&s.card_id) {
                continue;
            }
            let Some(mut card) = self.due_front(&s.card_id, &gaps) else {
                continue; // a card removed from the content since it was reviewed
            };
            let at = parse_time(&s.due)?;
            if at <= now {
                card.state = s.state;
                card.due = Some(s.due.clone());
                due.push((at, card));
            }
        }
        due.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.card_id.cmp(&b.1.card_id)));
        out.extend(due.into_iter().map(|(_, c)| c));
        out.extend(
            self.content()
                .cards()
                .iter()
                .filter(|c| {
                    !state_of.contains_key(c.id.as_str()) && !listed.contains(c.id.as_str())
                })
                .map(|c| due_card(c, CardLearningState::New, None)),
        );
        Ok(out)
    }

    /// A content card or a gap card as a new `DueCard`; None for an id that is neither.
    fn due_front(&self, card_id: &str, gaps: &HashMap<String, GapCardRow>) -> Option<DueCard> {
        if let Some(card) = self.content().card(card_id) {
            return Some(due_card(card, CardLearningState::New, None));
        }
        gaps.get(card_id).map(|g| DueCard {
            card_id: g.id.clone(),
            title: g.front.clone(),
            kind: GAP_KIND.to_string(),
            area: GAP_AREA.to_string(),
            state: CardLearningState::New,
            due: None,
            reason: None,
        })
    }

    /// The id of a content card or a stored gap card; UnknownCard otherwise.
    fn reviewable_id(&self, store: &Store, card_id: &str) -> Result<String, EngineError> {
        if let Some(card) = self.content().card(card_id) {
            return Ok(card.id.clone());
        }
        match store.gap_card(card_id)? {
            Some(g) => Ok(g.id),
            None => Err(EngineError::UnknownCard(card_id.to_string())),
        }
    }

    /// Records a review of `card_id` (a content card or a gap card) at `now`, takes it off
    /// the study-gap queue, and returns when it is next due, as FSRS computes it.
    pub fn review_card(
        &self,
        card_id: &str,
        grade: ReviewGrade,
        now: DateTime<Utc>,
    ) -> Result<CardSchedule, EngineError> {
        let mut store = self.store()?;
        let id = self.reviewable_id(&store, card_id)?;
        let prev = store.card_state(&id)?;
        let s = schedule_review(&id, prev.as_ref(), grade, now)?;
        store.record_review(&s.state, &s.log)?;
        Ok(CardSchedule {
            card_id: id,
            grade,
            state: s.state.state,
            reviewed_at: s.log.reviewed_at,
            due: s.state.due,
            interval_days: s.interval_days,
            stability: s.state.stability,
            difficulty: s.state.difficulty,
            reps: s.state.reps,
            lapses: s.state.lapses,
        })
    }

    /// Counts for the study screen; see [`StudyStats`] for what each means.
    pub fn study_stats(&self, now: DateTime<Utc>) -> Result<StudyStats, EngineError> {
        self.study_stats_in(None, now)
    }

    /// [`Engine::study_stats`] for one deck (topic `area`, or "practice" for gap cards): the
    /// counts and the retention of its cards only. None: every deck.
    pub fn study_stats_in(
        &self,
        area: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<StudyStats, EngineError> {
        let store = self.store()?;
        let states = store.card_states()?;
        let gap_ids: HashSet<String> = store.gap_cards()?.into_iter().map(|g| g.id).collect();
        let mut buckets = vec![0u32; 7];
        let mut reviewed_known = 0u32;
        let in_deck = |card_id: &str| match self.area_of(card_id, &gap_ids) {
            Some(a) => area.is_none_or(|want| want == a),
            None => false,
        };
        for s in &states {
            if !in_deck(&s.card_id) {
                continue;
            }
            reviewed_known += 1;
            let ahead = (parse_time(&s.due)? - now).num_seconds();
            let day = if ahead <= 0 {
                0
            } else {
                (ahead as f64 / DAY_SECONDS).floor() as usize
            };
            if let Some(b) = buckets.get_mut(day) {
                *b += 1;
            }
        }
        let log: Vec<ReviewLogEntry> = store
            .review_log(None)?
            .into_iter()
            .filter(|r| area.is_none() || in_deck(&r.card_id))
            .collect();
        let repeats: Vec<&ReviewLogEntry> = log
            .iter()
            .filter(|r| r.state_before != CardLearningState::New)
            .collect();
        let retention = (!repeats.is_empty()).then(|| {
            let recalled = repeats
                .iter()
                .filter(|r| r.grade != ReviewGrade::Again)
                .count();
            recalled as f64 / repeats.len() as f64
        });
        let total = match area {
            None => self.content().cards().len() + gap_ids.len(),
            Some(GAP_AREA) => gap_ids.len(),
            Some(want) => self
                .content()
                .cards()
                .iter()
                .filter(|c| c.area.as_str() == want)
                .count(),
        };
        let total_cards = u32::try_from(total).unwrap_or(u32::MAX);
        Ok(StudyStats {
            due_today: buckets[0],
            new: total_cards.saturating_sub(reviewed_known),
            reviewed_total: u32::try_from(log.len()).unwrap_or(u32::MAX),
            due_next_7_days: buckets,
            retention,
        })
    }

    /// Which of the card's key points `transcript` covers, and a suggested grade
    /// (see [`suggest_grade`] for the thresholds). Errors for cards without key points.
    pub fn grade_spoken_answer(
        &self,
        card_id: &str,
        transcript: &str,
    ) -> Result<AnswerCoverage, EngineError> {
        grade_answer(self.card(card_id)?, transcript)
    }

    /// Transcribes a recorded answer (WAV) with the installed speech model and grades it
    /// against the card's key points. Nothing is stored.
    pub fn grade_spoken_answer_file(
        &self,
        card_id: &str,
        wav: &Path,
    ) -> Result<SpokenAnswer, EngineError> {
        let card = self.card(card_id)?;
        if card.key_points.is_empty() {
            return Err(EngineError::NoKeyPoints(card.id.clone()));
        }
        // The user's file is checked before the model is loaded: its problem is the one to
        // report first.
        let clip = rehearse_audio::read_wav_16k_mono(wav)?;
        let mut stt = load_stt(self)?;
        grade_clip(&mut stt, card, &clip)
    }

    /// Full-text search over cards, glossary and prompts, best first (a title match ranks
    /// above a body match). Every word must occur; words are stemmed ("embeddings" finds
    /// "embedding").
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, EngineError> {
        let hits = self.store()?.search(query, limit)?;
        hits.into_iter()
            .map(|h| {
                let kind = SearchHitKind::parse(&h.kind).ok_or_else(|| {
                    StoreError::Inconsistent(format!("search index kind '{}'", h.kind))
                })?;
                Ok(SearchHit {
                    kind,
                    id: h.id,
                    title: h.title,
                    snippet: h.snippet,
                })
            })
            .collect()
    }
}

fn due_card(card: &Card, state: CardLearningState, due: Option<String>) -> DueCard {
    DueCard {
        card_id: card.id.clone(),
        title: card.title.clone(),
        kind: card.kind.as_str().to_string(),
        area: card.area.as_str().to_string(),
        state,
        due,
        reason: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_thresholds() {
        assert_eq!(suggest_grade(0, 4), ReviewGrade::Again);
        assert_eq!(suggest_grade(1, 4), ReviewGrade::Again);
        assert_eq!(suggest_grade(2, 5), ReviewGrade::Hard);
        assert_eq!(suggest_grade(2, 4), ReviewGrade::Hard);
        assert_eq!(suggest_grade(3, 4), ReviewGrade::Good);
        assert_eq!(suggest_grade(4, 4), ReviewGrade::Easy);
        assert_eq!(suggest_grade(9, 10), ReviewGrade::Easy);
    }

    #[test]
    fn lapses_count_only_forgetting_a_learned_card() {
        let t0 = DateTime::parse_from_rfc3339("2026-01-01T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let a = schedule_review("c", None, ReviewGrade::Again, t0).unwrap();
        assert_eq!(a.state.state, CardLearningState::Learning);
        assert_eq!(a.state.lapses, 0);
        let g = schedule_review(
            "c",
            Some(&a.state),
            ReviewGrade::Good,
            t0 + Duration::days(1),
        )
        .unwrap();
        assert_eq!(g.state.state, CardLearningState::Review);
        let f = schedule_review(
            "c",
            Some(&g.state),
            ReviewGrade::Again,
            t0 + Duration::days(5),
        )
        .unwrap();
        assert_eq!(f.state.state, CardLearningState::Relearning);
        assert_eq!((f.state.reps, f.state.lapses), (3, 1));
        assert_eq!(f.log.state_before, CardLearningState::Review);
        assert!((f.log.elapsed_days - 4.0).abs() < 1e-9);
    }
}
