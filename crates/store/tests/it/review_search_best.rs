//! Transcript search picks one row per session with the snippet of its best-ranked matching
//! segment (SQLite's bm25), skips superseded segments, and the session-stats cache is
//! dropped by any change to a session's segments. Real SQLite files.

use crate::common;

use rehearse_core::*;
use rehearse_store::{migrate_to_version, SessionStats, Store};

fn add(store: &Store, id: &str, started: &str, texts: &[&str]) {
    common::add_session_with_transcript(store, id, "doc-qa-10k", started, texts);
    store
        .finish_session(id, started, 60.0, SessionStatus::Done)
        .unwrap();
}

fn search(store: &Store, q: &str) -> Vec<SessionSummary> {
    store
        .query_sessions(&SessionQuery {
            text: Some(q.into()),
            ..Default::default()
        })
        .unwrap()
}

#[test]
fn one_row_per_session_with_the_best_segment_as_snippet() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(&tmp.path().join("r.db")).unwrap();
    add(
        &store,
        "many",
        "2026-01-01T10:00:00Z",
        &[
            "We could talk about the queue and the workers and the retries and then Redis somewhere at the end of a long answer about many other things entirely.",
            "No match here at all.",
            "Redis caching: Redis holds embeddings.",
            "And later Redis again, in passing, while discussing the rest of the pipeline and its latency budget.",
        ],
    );
    add(
        &store,
        "none",
        "2026-01-02T10:00:00Z",
        &["Nothing relevant."],
    );
    add(
        &store,
        "one",
        "2026-01-03T10:00:00Z",
        &["We cache in redis."],
    );

    let hits = search(&store, "redis");
    let ids: Vec<&str> = hits.iter().map(|s| s.session_id.as_str()).collect();
    assert_eq!(
        ids,
        ["one", "many"],
        "one row per matching session, newest first"
    );
    let best = hits[1].snippet.as_deref().unwrap();
    assert!(
        best.contains("**Redis** caching: **Redis** holds"),
        "the densest segment is the snippet: {best}"
    );
    assert_eq!(hits[0].snippet.as_deref(), Some("We cache in **redis**."));
}

#[test]
fn superseded_segments_are_not_searched() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("r.db");
    let store = Store::open(&path).unwrap();
    add(
        &store,
        "s",
        "2026-01-01T10:00:00Z",
        &["The old words mention sharding."],
    );
    assert_eq!(search(&store, "sharding").len(), 1);
    drop(store);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            &format!(
                "UPDATE segments SET source = '{}old' WHERE session_id = 's'",
                rehearse_store::SUPERSEDED_PREFIX
            ),
            [],
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert!(search(&store, "sharding").is_empty());
}

#[test]
fn session_stats_are_cached_and_dropped_when_segments_change() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("r.db");
    let mut store = Store::open(&path).unwrap();
    add(
        &store,
        "a",
        "2026-01-01T10:00:00Z",
        &["one two three", "four five"],
    );
    add(&store, "b", "2026-01-02T10:00:00Z", &[]);
    // A stand-in for the engine's figures: segment count and word count, so the test can
    // tell what transcript each row came from.
    let figures = |segs: &[Segment]| {
        let words = segs
            .iter()
            .map(|s| s.text.split_whitespace().count())
            .sum::<usize>();
        (segs.len() as f64, words as f64)
    };
    let ids = vec!["a".to_string(), "b".to_string(), "gone".to_string()];
    let stored = store.backfill_session_stats(&ids, figures).unwrap();
    let a = SessionStats {
        pace_wpm: 2.0,
        filler_rate: 5.0,
    };
    assert_eq!(stored["a"], Some(a));
    assert_eq!(stored["b"], None);
    let cached = store.session_stats_all().unwrap();
    assert_eq!(
        cached.len(),
        2,
        "an unknown session gets no row: {cached:?}"
    );
    assert_eq!(cached["a"], Some(a));
    assert_eq!(cached["b"], None);

    // A correction drops the row of that session only.
    let seg = store.stored_segments("a").unwrap()[1].id;
    store.correct_segment("a", seg, "four five six").unwrap();
    let cached = store.session_stats_all().unwrap();
    assert!(!cached.contains_key("a") && cached.contains_key("b"));
    let stored = store.backfill_session_stats(&ids[..1], figures).unwrap();
    assert_eq!(stored["a"].unwrap().filler_rate, 6.0);

    // So do a new segment and a deleted session.
    store
        .add_segment(
            "b",
            &Segment {
                t0: 0.0,
                t1: 1.0,
                text: "late words".into(),
                words: Vec::new(),
            },
            None,
        )
        .unwrap();
    assert!(!store.session_stats_all().unwrap().contains_key("b"));
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON; DELETE FROM sessions WHERE id = 'a';")
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert!(store.session_stats_all().unwrap().is_empty());
}

#[test]
fn migration_007_adds_an_empty_cache_to_an_existing_database() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("r.db");
    {
        // The database as the previous release left it, with a transcript in it.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrate_to_version(&mut conn, 6).unwrap();
        conn.execute_batch(
            "INSERT INTO sessions (id, prompt_id, started_at, status, audio_path)
             VALUES ('old', 'doc-qa-10k', '2025-01-01T10:00:00Z', 'done', '/nowhere/old.wav');
             INSERT INTO segments (session_id, t0, t1, text) VALUES ('old', 0, 4, 'one two');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert!(store.session_stats_all().unwrap().is_empty());
    let stored = store
        .backfill_session_stats(&["old".to_string()], |segs| (segs.len() as f64, 0.0))
        .unwrap();
    assert_eq!(stored["old"].unwrap().pace_wpm, 1.0);
    assert!(
        search(&store, "two").len() == 1,
        "old transcripts stay searchable"
    );
}
