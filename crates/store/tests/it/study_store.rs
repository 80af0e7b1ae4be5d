//! Card review state, the review log, search and the 1 -> 2 migration, on real files.

use rehearse_core::{CardLearningState, ReviewGrade, SessionStatus};
use rehearse_store::{
    migrate_to_version, CardStateRow, ReviewLogEntry, SearchDoc, Store, SCHEMA_VERSION,
};
use rusqlite::Connection;

#[test]
fn a_version_1_database_migrates_to_2_and_keeps_its_sessions() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("old.sqlite3");
    {
        // What a build with only the first migration left on disk.
        let mut conn = Connection::open(&db).unwrap();
        migrate_to_version(&mut conn, 1).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 1);
        conn.execute(
            "INSERT INTO sessions (id, prompt_id, started_at, status, audio_path, model, duration_s)
             VALUES ('old', 'doc-qa-10k', '2026-01-01T10:00:00Z', 'done', '/tmp/old.wav', 'tiny.en', 42.0)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO segments (session_id, t0, t1, text) VALUES ('old', 0.0, 2.0, 'We chunk by section.')",
            [],
        )
        .unwrap();
        let missing: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'card_state'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(missing, 0);
    }
    let mut store = Store::open(&db).unwrap();
    const {
        assert!(
            SCHEMA_VERSION >= 3,
            "later migrations keep what 002 and 003 added"
        )
    };
    let sessions = store.list_sessions().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].session_id, "old");
    assert_eq!(sessions[0].status, SessionStatus::Done);
    let report = store.session_report("old").unwrap();
    assert_eq!(report.transcript.segments[0].text, "We chunk by section.");
    assert_eq!(report.audio.duration_s, 42.0);
    // The new tables work in the migrated file.
    store
        .record_review(
            &sample_state("c1", "2026-01-02T10:00:00Z"),
            &sample_log("c1"),
        )
        .unwrap();
    assert_eq!(store.card_states().unwrap().len(), 1);
    drop(store);
    let v: i64 = Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION as i64);
}

fn sample_state(id: &str, due: &str) -> CardStateRow {
    CardStateRow {
        card_id: id.into(),
        stability: 2.3065,
        difficulty: 2.118,
        due: due.into(),
        last_review: "2026-01-01T10:00:00Z".into(),
        reps: 1,
        lapses: 0,
        state: CardLearningState::Review,
    }
}

fn sample_log(id: &str) -> ReviewLogEntry {
    ReviewLogEntry {
        card_id: id.into(),
        grade: ReviewGrade::Good,
        reviewed_at: "2026-01-01T10:00:00Z".into(),
        elapsed_days: 0.0,
        scheduled_days: 2.3065,
        state_before: CardLearningState::New,
    }
}

#[test]
fn reviews_are_stored_and_read_back_after_reopening() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.sqlite3");
    {
        let mut store = Store::open(&db).unwrap();
        assert_eq!(store.card_state("c1").unwrap(), None);
        store
            .record_review(
                &sample_state("c2", "2026-01-05T10:00:00Z"),
                &sample_log("c2"),
            )
            .unwrap();
        store
            .record_review(
                &sample_state("c1", "2026-01-03T10:00:00Z"),
                &sample_log("c1"),
            )
            .unwrap();
        // A second review of c1 replaces its state and appends to the log.
        let mut again = sample_state("c1", "2026-01-03T15:00:00Z");
        again.reps = 2;
        again.lapses = 1;
        again.state = CardLearningState::Relearning;
        let mut log = sample_log("c1");
        log.grade = ReviewGrade::Again;
        log.reviewed_at = "2026-01-03T10:00:00Z".into();
        log.elapsed_days = 2.0;
        log.state_before = CardLearningState::Review;
        store.record_review(&again, &log).unwrap();
    }
    let store = Store::open(&db).unwrap();
    let c1 = store.card_state("c1").unwrap().unwrap();
    assert_eq!(c1.state, CardLearningState::Relearning);
    assert_eq!((c1.reps, c1.lapses), (2, 1));
    let order: Vec<String> = store
        .card_states()
        .unwrap()
        .into_iter()
        .map(|s| s.card_id)
        .collect();
    assert_eq!(order, ["c1", "c2"]);
    let log = store.review_log(Some("c1")).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].grade, ReviewGrade::Again);
    assert_eq!(log[1].state_before, CardLearningState::Review);
    assert_eq!(store.review_log(None).unwrap().len(), 3);
}

#[test]
fn a_new_state_cannot_be_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(&tmp.path().join("n.sqlite3")).unwrap();
    let mut s = sample_state("c1", "2026-01-03T10:00:00Z");
    s.state = CardLearningState::New;
    assert!(store.record_review(&s, &sample_log("c1")).is_err());
    assert!(store.review_log(None).unwrap().is_empty());
}

#[test]
fn the_search_index_is_versioned_and_ranks_titles_first() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.sqlite3");
    let doc = |kind: &str, id: &str, title: &str, body: &str| SearchDoc {
        kind: kind.into(),
        id: id.into(),
        title: title.into(),
        body: body.into(),
    };
    {
        let mut store = Store::open(&db).unwrap();
        assert_eq!(store.search_index_version().unwrap(), None);
        assert!(store.search("anything", 10).unwrap().is_empty());
        store
            .rebuild_search_index(
                "v1",
                &[
                    doc(
                        "card",
                        "body-only",
                        "Latency budgets",
                        "Rerankers add latency to retrieval.",
                    ),
                    doc(
                        "card",
                        "title",
                        "Rerankers",
                        "A second pass over candidates.",
                    ),
                    doc("glossary", "bm25", "BM25", "A keyword ranking function."),
                ],
            )
            .unwrap();
    }
    let mut store = Store::open(&db).unwrap();
    assert_eq!(store.search_index_version().unwrap().as_deref(), Some("v1"));
    let hits = store.search("reranker", 10).unwrap();
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["title", "body-only"]);
    assert!(hits[1].snippet.contains("**Rerankers**"), "{:?}", hits[1]);
    // Query syntax in what a person typed is just words.
    assert_eq!(
        store.search("keyword: -\"ranking*", 10).unwrap()[0].id,
        "bm25"
    );
    store
        .rebuild_search_index("v2", &[doc("prompt", "p", "Chat", "Support bot.")])
        .unwrap();
    assert!(store.search("reranker", 10).unwrap().is_empty());
    assert_eq!(store.search("support", 10).unwrap()[0].kind, "prompt");
    assert_eq!(store.search_index_version().unwrap().as_deref(), Some("v2"));
}
