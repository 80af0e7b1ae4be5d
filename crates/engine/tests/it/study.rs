//! Study mode through the engine API, on real SQLite files: FSRS scheduling, restarts,
//! search over the shipped content, and key-point grading of answers.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rehearse_core::{CardLearningState, ReviewGrade, SearchHitKind};
use rehearse_engine::{Engine, EnginePaths, EngineSettings, DESIRED_RETENTION};
use rehearse_store::Store;
use std::path::Path;

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

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// What fsrs-rs (default parameters) says directly, for the same inputs.
fn fsrs_due(
    memory: Option<fsrs::MemoryState>,
    days_elapsed: u32,
    grade: ReviewGrade,
    now: DateTime<Utc>,
) -> (fsrs::ItemState, String) {
    let next = fsrs::FSRS::new(&[])
        .unwrap()
        .next_states(memory, DESIRED_RETENTION, days_elapsed)
        .unwrap();
    let item = match grade {
        ReviewGrade::Again => next.again,
        ReviewGrade::Hard => next.hard,
        ReviewGrade::Good => next.good,
        ReviewGrade::Easy => next.easy,
    };
    let due = now + Duration::seconds((f64::from(item.interval) * 86_400.0).round() as i64);
    (item, rfc(due))
}

const CARD: &str = "q-finetune-vs-rag";

#[test]
fn reviews_follow_fsrs_and_survive_a_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let t0 = t("2026-03-01T09:00:00Z");
    let (first_item, first_due) = {
        let engine = engine(tmp.path());
        let s = engine.review_card(CARD, ReviewGrade::Good, t0).unwrap();
        let (item, due) = fsrs_due(None, 0, ReviewGrade::Good, t0);
        assert_eq!(s.due, due);
        assert_eq!(s.interval_days, f64::from(item.interval));
        assert_eq!(s.state, CardLearningState::Review);
        assert_eq!((s.reps, s.lapses), (1, 0));
        (item, due)
    };
    // A restart: a new engine over the same folder.
    let engine = engine(tmp.path());
    let store = Store::open(&tmp.path().join("rehearse.sqlite3")).unwrap();
    let row = store.card_state(CARD).unwrap().unwrap();
    assert_eq!(row.due, first_due);
    assert_eq!(row.stability, f64::from(first_item.memory.stability));
    assert_eq!(row.difficulty, f64::from(first_item.memory.difficulty));
    let log = store.review_log(Some(CARD)).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].grade, ReviewGrade::Good);
    assert_eq!(log[0].reviewed_at, rfc(t0));
    assert_eq!(log[0].scheduled_days, f64::from(first_item.interval));

    // Not due before its date; due after it, and listed before the new cards.
    let before = engine.cards_due(t0 + Duration::hours(1), 1000).unwrap();
    assert!(before.iter().all(|c| c.card_id != CARD));
    let after = t(&first_due) + Duration::days(3);
    let due = engine.cards_due(after, 1000).unwrap();
    assert_eq!(due[0].card_id, CARD);
    assert_eq!(due[0].state, CardLearningState::Review);
    assert_eq!(due[0].due.as_deref(), Some(first_due.as_str()));
    assert!(due[1..].iter().all(|c| c.state == CardLearningState::New));
    assert_eq!(due.len(), engine.cards_due(t0, 1000).unwrap().len() + 1);

    // The second review uses the stored memory state and the whole days elapsed.
    let s = engine.review_card(CARD, ReviewGrade::Hard, after).unwrap();
    let elapsed = ((after - t0).num_seconds() as f64 / 86_400.0).floor() as u32;
    let (item, due) = fsrs_due(Some(first_item.memory), elapsed, ReviewGrade::Hard, after);
    assert_eq!(s.due, due);
    assert_eq!(s.stability, f64::from(item.memory.stability));
    assert_eq!(s.reps, 2);
    let log = store.review_log(Some(CARD)).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[1].elapsed_days,
        (after - t0).num_seconds() as f64 / 86_400.0
    );
}

#[test]
fn again_is_due_sooner_than_easy_and_overdue_cards_come_first() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let t0 = t("2026-03-01T09:00:00Z");
    let again = engine
        .review_card("q-context-window", ReviewGrade::Again, t0)
        .unwrap();
    let hard = engine
        .review_card("q-debug-rag", ReviewGrade::Hard, t0)
        .unwrap();
    let good = engine
        .review_card("rag-architecture", ReviewGrade::Good, t0)
        .unwrap();
    let easy = engine
        .review_card("q-agent-loops", ReviewGrade::Easy, t0)
        .unwrap();
    let dues: Vec<DateTime<Utc>> = [&again, &hard, &good, &easy]
        .iter()
        .map(|s| t(&s.due))
        .collect();
    assert!(dues.windows(2).all(|w| w[0] < w[1]), "{dues:?}");
    assert_eq!(again.state, CardLearningState::Learning);

    // Ten days on, all four are due, the most overdue (Again) first, then new cards.
    let later = t0 + Duration::days(10);
    let due = engine.cards_due(later, 6).unwrap();
    let ids: Vec<&str> = due.iter().map(|c| c.card_id.as_str()).collect();
    assert_eq!(
        &ids[..4],
        [
            "q-context-window",
            "q-debug-rag",
            "rag-architecture",
            "q-agent-loops"
        ]
    );
    assert_eq!(due.len(), 6);
    assert!(due[4..]
        .iter()
        .all(|c| c.state == CardLearningState::New && c.due.is_none()));

    // An Again on a learned card is a lapse.
    let lapse = engine
        .review_card("q-agent-loops", ReviewGrade::Again, later)
        .unwrap();
    assert_eq!(lapse.state, CardLearningState::Relearning);
    assert_eq!(lapse.lapses, 1);
}

#[test]
fn study_stats_count_due_new_and_retention() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let t0 = t("2026-03-01T09:00:00Z");
    let total = engine.cards_due(t0, usize::MAX).unwrap().len() as u32;
    let empty = engine.study_stats(t0).unwrap();
    assert_eq!(
        (empty.due_today, empty.new, empty.reviewed_total),
        (0, total, 0)
    );
    assert_eq!(empty.due_next_7_days, vec![0; 7]);
    assert_eq!(empty.retention, None);

    let again = engine
        .review_card("q-context-window", ReviewGrade::Again, t0)
        .unwrap();
    let good = engine
        .review_card("q-debug-rag", ReviewGrade::Good, t0)
        .unwrap();
    let s = engine.study_stats(t0).unwrap();
    assert_eq!(s.new, total - 2);
    assert_eq!(s.reviewed_total, 2);
    // Again: due within hours; Good: a few days out.
    assert!(t(&again.due) < t0 + Duration::days(1));
    assert_eq!(s.due_today, 1);
    let good_day = ((t(&good.due) - t0).num_seconds() / 86_400) as usize;
    let mut expected = vec![0u32; 7];
    expected[0] = 1;
    expected[good_day] += 1;
    assert_eq!(s.due_next_7_days, expected);
    assert_eq!(s.retention, None, "first reviews do not count");

    let t1 = t0 + Duration::days(8);
    engine
        .review_card("q-context-window", ReviewGrade::Good, t1)
        .unwrap();
    engine
        .review_card("q-debug-rag", ReviewGrade::Again, t1)
        .unwrap();
    let s = engine.study_stats(t1).unwrap();
    assert_eq!(s.reviewed_total, 4);
    assert_eq!(s.retention, Some(0.5));
}

#[test]
fn unknown_cards_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let now = t("2026-03-01T09:00:00Z");
    let err = engine
        .review_card("no-such-card", ReviewGrade::Good, now)
        .unwrap_err()
        .to_string();
    assert!(err.contains("no-such-card"), "{err}");
    assert!(engine.grade_spoken_answer("no-such-card", "x").is_err());
    // A concept card has no key points to grade against.
    let err = engine
        .grade_spoken_answer("rag-architecture", "anything")
        .unwrap_err()
        .to_string();
    assert!(err.contains("key points"), "{err}");
}

#[test]
fn search_finds_glossary_terms_and_card_bodies_and_ranks_titles_first() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    // A glossary term by a word of its definition.
    let hits = engine.search("nucleus", 10).unwrap();
    assert!(
        hits.iter()
            .any(|h| h.kind == SearchHitKind::Glossary && h.id == "top-p"),
        "{hits:?}"
    );
    // A card by a word only in its body.
    let hits = engine.search("rescales", 10).unwrap();
    assert_eq!(hits[0].kind, SearchHitKind::Card);
    assert_eq!(hits[0].id, "temperature-and-sampling");
    assert!(hits[0].snippet.contains("**rescales**"), "{:?}", hits[0]);
    // Title matches outrank body matches.
    let hits = engine.search("temperature", 20).unwrap();
    let pos = |id: &str| hits.iter().position(|h| h.id == id).unwrap();
    assert!(
        pos("temperature-and-sampling") < pos("structured-output"),
        "{hits:?}"
    );
    assert!(pos("temperature") < pos("structured-output"), "{hits:?}");
    // Stemming, limits, and nonsense.
    assert!(!engine.search("embeddings", 3).unwrap().is_empty());
    assert!(engine.search("embeddings", 3).unwrap().len() <= 3);
    assert!(engine.search("zzqxv", 10).unwrap().is_empty());
    assert!(engine.search("  \"* ", 10).unwrap().is_empty());
}

#[test]
fn the_search_index_is_rebuilt_when_the_content_version_differs() {
    let tmp = tempfile::tempdir().unwrap();
    drop(engine(tmp.path()));
    let db = tmp.path().join("rehearse.sqlite3");
    let version = Store::open(&db).unwrap().search_index_version().unwrap();
    assert!(version.is_some());
    // An index left by other content: a later start replaces it.
    Store::open(&db)
        .unwrap()
        .rebuild_search_index("old-content", &[])
        .unwrap();
    let engine = engine(tmp.path());
    assert_eq!(
        Store::open(&db).unwrap().search_index_version().unwrap(),
        version
    );
    assert!(!engine.search("nucleus", 10).unwrap().is_empty());
}

#[test]
fn a_good_answer_covers_the_key_points_and_a_poor_one_misses_them() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let good = engine
        .grade_spoken_answer(
            CARD,
            "Fine-tuning changes the model's weights, while RAG retrieves documents at query \
             time. I'd fine-tune when I need a consistent tone or output format, and use RAG \
             when the knowledge has to stay current and come with citations. For most cases \
             I'd start with RAG.",
        )
        .unwrap();
    let covered: Vec<&str> = good
        .covered
        .iter()
        .map(|c| c.key_point_id.as_str())
        .collect();
    assert_eq!(covered, ["weights", "ft-use", "rag-use", "default"]);
    assert!(good.missed.is_empty());
    assert_eq!(good.covered[0].matched_phrase, "weights");
    assert_eq!(good.suggested_grade, ReviewGrade::Easy);

    let poor = engine
        .grade_spoken_answer(
            CARD,
            "Fine-tuning teaches the model our documents, so it is always better, I think.",
        )
        .unwrap();
    assert!(poor.covered.is_empty(), "{poor:?}");
    let missed: Vec<&str> = poor
        .missed
        .iter()
        .map(|m| m.key_point_id.as_str())
        .collect();
    assert_eq!(missed, ["weights", "ft-use", "rag-use", "default"]);
    assert_eq!(poor.suggested_grade, ReviewGrade::Again);

    let partial = engine
        .grade_spoken_answer(CARD, "It changes the weights. Use it for style.")
        .unwrap();
    assert_eq!(partial.covered.len(), 2);
    assert_eq!(partial.suggested_grade, ReviewGrade::Hard);
}

#[test]
fn decks_filter_the_queue_and_the_stats_by_area() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let t0 = t("2026-03-01T09:00:00Z");
    let all = engine.cards_due(t0, usize::MAX).unwrap();
    let decks = engine.study_decks(t0).unwrap();
    let areas: Vec<&str> = decks.iter().map(|d| d.area.as_str()).collect();
    assert_eq!(
        areas,
        [
            "ml-fundamentals",
            "llm-apis",
            "agents",
            "system-design",
            "coding-patterns"
        ]
    );
    assert_eq!(
        decks.iter().map(|d| d.due as usize).sum::<usize>(),
        all.len(),
        "every card is in one deck"
    );
    for d in &decks {
        let queue = engine.cards_due_in(Some(&d.area), t0, usize::MAX).unwrap();
        assert!(!queue.is_empty(), "deck {} has cards", d.area);
        assert!(queue.iter().all(|c| c.area == d.area));
        assert_eq!(queue.len(), d.due as usize, "deck {}", d.area);
        assert_eq!((d.new, d.due_reviewed, d.total), (d.due, 0, d.due));
        // The same order as the whole queue.
        let expected: Vec<&str> = all
            .iter()
            .filter(|c| c.area == d.area)
            .map(|c| c.card_id.as_str())
            .collect();
        let got: Vec<&str> = queue.iter().map(|c| c.card_id.as_str()).collect();
        assert_eq!(got, expected);
        let stats = engine.study_stats_in(Some(&d.area), t0).unwrap();
        assert_eq!(stats.new, d.total);
    }
    assert_eq!(engine.cards_due_in(Some("agents"), t0, 2).unwrap().len(), 2);
    assert!(engine
        .cards_due_in(Some("no-such-area"), t0, usize::MAX)
        .unwrap()
        .is_empty());

    // Reviews count only in their own deck.
    let agents_before = engine.study_stats_in(Some("agents"), t0).unwrap();
    engine
        .review_card("q-agent-loops", ReviewGrade::Again, t0)
        .unwrap();
    engine
        .review_card("q-debug-rag", ReviewGrade::Good, t0)
        .unwrap();
    let t1 = t0 + Duration::days(1);
    let agents = engine.study_stats_in(Some("agents"), t1).unwrap();
    assert_eq!(agents.new, agents_before.new - 1);
    assert_eq!(agents.reviewed_total, 1);
    assert_eq!(agents.due_today, 1, "Again is due within a day");
    let design = engine.study_stats_in(Some("system-design"), t1).unwrap();
    assert_eq!(design.reviewed_total, 1);
    assert_eq!(design.due_today, 0, "Good is a few days out");
    let ml = engine.study_stats_in(Some("ml-fundamentals"), t1).unwrap();
    assert_eq!(ml.reviewed_total, 0);
    assert_eq!(engine.study_stats(t1).unwrap().reviewed_total, 2);

    let decks = engine.study_decks(t1).unwrap();
    let agents_deck = decks.iter().find(|d| d.area == "agents").unwrap();
    assert_eq!(agents_deck.due_reviewed, 1);
    assert_eq!(agents_deck.new, agents_deck.total - 1);
    assert_eq!(
        agents_deck.due, agents_deck.total,
        "the Again card is due again"
    );
    let design_deck = decks.iter().find(|d| d.area == "system-design").unwrap();
    assert_eq!(design_deck.due, design_deck.total - 1);
    let q = engine.cards_due_in(Some("agents"), t1, 1).unwrap();
    assert_eq!(q[0].card_id, "q-agent-loops", "fallen-due cards come first");
}

#[test]
fn study_term_gives_the_definition() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let term = engine.study_term("cosine-similarity").unwrap();
    assert_eq!(term.id, "cosine-similarity");
    assert!(term.term.to_lowercase().contains("cosine"));
    assert!(term.definition.len() > 20);
    assert!(!term.see_also.is_empty());
    assert!(engine.study_term("no-such-term").is_err());
    let hit = engine
        .search("cosine", 20)
        .unwrap()
        .into_iter()
        .find(|h| h.kind == SearchHitKind::Glossary)
        .expect("a glossary hit for cosine");
    assert_eq!(engine.study_term(&hit.id).unwrap().term, hit.title);
}
