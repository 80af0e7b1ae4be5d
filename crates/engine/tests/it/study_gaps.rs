//! Interview gaps become study cards, on real SQLite files: a session scored by the offline
//! interviewer queues the rubric's cards for its weak dimensions and turns its follow-ups on
//! them into gap cards, which `cards_due` lists first until they are reviewed.

use chrono::{DateTime, Utc};
use rehearse_content::Content;
use rehearse_core::{CardLearningState, DimensionId, ReviewGrade, Segment, Turn, TurnRole};
use rehearse_engine::{Engine, EnginePaths, EngineSettings, GAP_LEVEL};
use rehearse_interviewer::{FallbackInterviewer, InterviewerConfig};
use rehearse_store::{NewSession, Store};
use std::path::Path;

const PROMPT: &str = "doc-qa-10k";

fn engine(dir: &Path) -> Engine {
    Engine::new(
        EnginePaths::new(dir.to_path_buf()),
        EngineSettings::default(),
    )
    .unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Sentences spoken 4 s apart with 3 s pauses, so the interviewer gets its turns.
fn segments(sentences: &[&str]) -> Vec<Segment> {
    rehearse_testkit::timed_segments(sentences, 7.0, 4.0)
}

/// Stores a session the way the practice paths do, scored by the offline interviewer,
/// plus `extra` follow-ups. Returns the session id.
fn practise(dir: &Path, id: &str, sentences: &[&str], extra: &[Turn]) -> String {
    let content = Content::embedded().unwrap();
    let (prompt, rubric) = content.prompt_with_rubric(PROMPT).unwrap();
    let segs = segments(sentences);
    let duration = segs.last().map_or(0.0, |s| s.t1 + 3.0);
    let mut interviewer =
        FallbackInterviewer::new(prompt, rubric, InterviewerConfig::default(), None);
    let mut turns: Vec<Turn> = interviewer
        .run_over_recording(&segs, duration)
        .into_iter()
        .map(|a| a.value)
        .collect();
    turns.extend(extra.iter().cloned());
    let card = interviewer.score(&segs).value;

    let mut store = Store::open(&dir.join("rehearse.sqlite3")).unwrap();
    store
        .create_session(&NewSession {
            id: id.to_string(),
            prompt_id: PROMPT.to_string(),
            started_at: "2026-03-01T09:00:00Z".into(),
            audio_path: dir.join(format!("{id}.wav")).display().to_string(),
            model: None,
        })
        .unwrap();
    for s in &segs {
        store.add_segment(id, s, None).unwrap();
    }
    for turn in &turns {
        store.add_turn(id, turn, "offline").unwrap();
    }
    store.save_scorecard(id, &card).unwrap();
    id.to_string()
}

fn followup(at: f64, text: &str, target: DimensionId) -> Turn {
    Turn {
        at,
        role: TurnRole::Interviewer,
        text: text.to_string(),
        targets: vec![target],
    }
}

const WEAK: &[&str] = &[
    "I would use a model for this.",
    "The model reads the pages and answers the question.",
    "Then we show the answer to the person.",
];

const STRONG: &[&str] = &[
    "First, the requirements: employees ask questions about ten thousand pages, about 200 questions a minute at peak, answers within two seconds, and the pages are updated daily.",
    "The ingestion pipeline parses the pages, splits them into chunks of 500 tokens with overlap, embeds each chunk and stores the vectors in a vector store with metadata like document id and section.",
    "For retrieval we use hybrid search, BM25 and embeddings, then a reranker on the top k before the LLM generates an answer with citations.",
    "The trade-off is latency versus accuracy: the reranker adds 200 ms at the cost of speed, but it is more accurate, because precision matters more here. If instead latency were critical I would switch to plain vector search.",
    "Hybrid retrieval rather than pure embeddings costs an extra index, the downside is more storage, but keyword queries like product codes work, which means fewer wrong answers; it depends on the query mix.",
    "If the LLM is down or slow we time out after 3 seconds, retry with backoff, and fall back to showing the retrieved passages; rate limits are handled with a queue, and guardrails catch prompt injection.",
    "We evaluate with a golden set of 300 questions, measuring retrieval recall and answer faithfulness on every prompt change, and monitor the same metrics with dashboards and user feedback in production.",
];

#[test]
fn a_weak_session_queues_the_rubric_cards_and_its_follow_ups_first() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let now = t("2026-03-02T09:00:00Z");
    let before = engine.cards_due(now, 1000).unwrap();

    // A review that is not yet due, of a card the weak session will queue.
    engine
        .review_card(
            "latency-cost-tradeoffs",
            ReviewGrade::Easy,
            t("2026-03-01T09:00:00Z"),
        )
        .unwrap();

    let sid = practise(
        tmp.path(),
        "weak-1",
        WEAK,
        &[followup(
            30.0,
            "Why this design rather than another one?",
            DimensionId::Tradeoffs,
        )],
    );
    let report = engine.session(&sid).unwrap();
    let content = Content::embedded().unwrap();
    let (prompt, rubric) = content.prompt_with_rubric(PROMPT).unwrap();
    let prompt_title = &prompt.title;
    let weak: Vec<_> = report
        .scorecard
        .dimensions
        .iter()
        .filter(|d| d.level <= GAP_LEVEL)
        .collect();
    assert!(
        weak.iter().any(|d| d.id == DimensionId::Tradeoffs),
        "{:?}",
        report.scorecard
    );

    let gaps = engine.queue_study_gaps(&sid).unwrap();
    assert!(gaps.added > 0);
    // Every weak dimension's cards are queued, once per session, with a reason naming the
    // (first) weak dimension that lists the card and the session.
    for d in &weak {
        for card in &rubric.dimension(d.id).unwrap().cards {
            let q: Vec<_> = gaps.queued.iter().filter(|q| &q.card_id == card).collect();
            assert_eq!(q.len(), 1, "{card}");
            let first = weak
                .iter()
                .find(|w| rubric.dimension(w.id).unwrap().cards.contains(card))
                .unwrap();
            let dim = rubric.dimension(first.id).unwrap();
            assert_eq!(q[0].dimension, first.id.as_str());
            assert_eq!(
                q[0].reason,
                format!(
                    "{} scored {}/4 when you practised \"{prompt_title}\"",
                    dim.name, first.level
                )
            );
        }
    }
    // Each follow-up on a weak dimension is a gap card with a stable id.
    let turns_on_weak: Vec<(usize, &Turn)> = report
        .turns
        .iter()
        .enumerate()
        .filter(|(_, t)| t.targets.iter().any(|x| weak.iter().any(|d| d.id == *x)))
        .collect();
    assert!(!turns_on_weak.is_empty());
    assert_eq!(gaps.gap_cards.len(), turns_on_weak.len());
    for ((i, turn), g) in turns_on_weak.iter().zip(&gaps.gap_cards) {
        assert_eq!(g.id, format!("gap-{sid}-{}", i + 1));
        assert_eq!(g.front, turn.text);
        assert!(
            g.back.contains(&format!("\"{}\"", prompt_title)),
            "{}",
            g.back
        );
    }
    let tradeoff_gap = gaps
        .gap_cards
        .iter()
        .find(|g| g.front == "Why this design rather than another one?")
        .unwrap();
    assert!(tradeoff_gap
        .back
        .starts_with(&rubric.dimension(DimensionId::Tradeoffs).unwrap().suggestion));

    // cards_due: the queued cards first, each with its reason, then the rest as before.
    let due = engine.cards_due(now, 1000).unwrap();
    let queued_ids: Vec<&str> = {
        let mut seen = std::collections::HashSet::new();
        gaps.queued
            .iter()
            .map(|q| q.card_id.as_str())
            .filter(|id| seen.insert(*id))
            .collect()
    };
    let front: Vec<&str> = due[..queued_ids.len()]
        .iter()
        .map(|c| c.card_id.as_str())
        .collect();
    assert_eq!(front, queued_ids);
    assert!(due[..queued_ids.len()].iter().all(|c| c.reason.is_some()));
    assert!(due[queued_ids.len()..].iter().all(|c| c.reason.is_none()));
    let scheduled = due
        .iter()
        .find(|c| c.card_id == "latency-cost-tradeoffs")
        .unwrap();
    assert_eq!(scheduled.state, CardLearningState::Review);
    let gap_due = due.iter().find(|c| c.card_id == tradeoff_gap.id).unwrap();
    assert_eq!(gap_due.title, tradeoff_gap.front);
    assert_eq!(gap_due.state, CardLearningState::New);
    assert!(gap_due
        .reason
        .as_ref()
        .unwrap()
        .contains("Trade-off reasoning"));
    // No card is listed twice; every card that was due before still is.
    let ids: std::collections::HashSet<&str> = due.iter().map(|c| c.card_id.as_str()).collect();
    assert_eq!(ids.len(), due.len());
    assert!(before.iter().all(|c| ids.contains(c.card_id.as_str())));

    // The gap card is a card to study and review.
    let card = engine.study_card(&tradeoff_gap.id).unwrap();
    assert_eq!(card.title, tradeoff_gap.front);
    assert_eq!(card.body, tradeoff_gap.back);

    // Reviewing a queued card takes it off the front; it then follows FSRS.
    let first = due[0].card_id.clone();
    let s = engine.review_card(&first, ReviewGrade::Good, now).unwrap();
    let after = engine.cards_due(now, 1000).unwrap();
    assert!(
        after.iter().all(|c| c.card_id != first),
        "not due until {}",
        s.due
    );
    assert_eq!(after[0].card_id, due[1].card_id);
    let s = engine
        .review_card(&tradeoff_gap.id, ReviewGrade::Again, now)
        .unwrap();
    let later = engine.cards_due(t(&s.due), 1000).unwrap();
    let again = later.iter().find(|c| c.card_id == tradeoff_gap.id).unwrap();
    assert_eq!(again.state, CardLearningState::Learning);
    assert_eq!(again.reason, None);
    let settled = engine.cards_due(now, 1000).unwrap();

    // Twice, and after a re-score: nothing new, and reviewed cards stay cleared.
    let again = engine.queue_study_gaps(&sid).unwrap();
    assert_eq!(again.added, 0);
    assert_eq!(again.queued, gaps.queued);
    assert_eq!(again.gap_cards, gaps.gap_cards);
    {
        let mut store = Store::open(&tmp.path().join("rehearse.sqlite3")).unwrap();
        store.save_scorecard(&sid, &report.scorecard).unwrap();
    }
    assert_eq!(engine.queue_study_gaps(&sid).unwrap().added, 0);
    let relisted = engine.cards_due(now, 1000).unwrap();
    assert_eq!(relisted, settled);
    assert!(relisted.iter().all(|c| c.card_id != first));

    // A restart keeps it all.
    let engine = self::engine(tmp.path());
    assert_eq!(engine.cards_due(now, 1000).unwrap(), relisted);
}

#[test]
fn a_strong_session_queues_nothing_for_its_strong_dimensions() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let now = t("2026-03-02T09:00:00Z");
    let sid = practise(
        tmp.path(),
        "strong-1",
        STRONG,
        &[followup(
            60.0,
            "What would you trade for lower latency?",
            DimensionId::Tradeoffs,
        )],
    );
    let report = engine.session(&sid).unwrap();
    let strong: Vec<DimensionId> = report
        .scorecard
        .dimensions
        .iter()
        .filter(|d| d.level > GAP_LEVEL)
        .map(|d| d.id)
        .collect();
    for d in [
        DimensionId::Tradeoffs,
        DimensionId::Reliability,
        DimensionId::Evaluation,
    ] {
        assert!(
            strong.contains(&d),
            "{d} scored low: {:?}",
            report.scorecard
        );
    }
    let gaps = engine.queue_study_gaps(&sid).unwrap();
    assert!(
        gaps.queued
            .iter()
            .all(|q| !strong.iter().any(|d| d.as_str() == q.dimension)),
        "{:?}",
        gaps.queued
    );
    // The follow-up on a strong dimension is no gap.
    assert!(gaps
        .gap_cards
        .iter()
        .all(|g| g.front != "What would you trade for lower latency?"));
    let due = engine.cards_due(now, 1000).unwrap();
    let content = Content::embedded().unwrap();
    let rubric = content.prompt_with_rubric(PROMPT).unwrap().1;
    let tradeoff_cards = &rubric.dimension(DimensionId::Tradeoffs).unwrap().cards;
    for c in &due {
        if tradeoff_cards.contains(&c.card_id) {
            assert!(
                c.reason
                    .as_deref()
                    .is_none_or(|r| !r.contains("Trade-off reasoning")),
                "{c:?}"
            );
        }
    }
}
