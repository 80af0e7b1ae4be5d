//! Review in the store, against real SQLite files: full-text search over transcripts,
//! filters, corrections with score history, cascading deletes, and migration 005 from older
//! databases.

use crate::common;

use rehearse_core::*;
use rehearse_store::{migrate_to_version, Store, SCHEMA_VERSION};

fn card(level: u8) -> Scorecard {
    Scorecard {
        grader: "offline".into(),
        dimensions: ALL_DIMENSIONS
            .iter()
            .map(|&id| DimensionScore {
                id,
                level: if id == DimensionId::Tradeoffs {
                    level.saturating_sub(1)
                } else {
                    level
                },
                evidence: vec![],
                suggestion: String::new(),
                checks: Vec::new(),
            })
            .collect(),
        tradeoffs: Vec::new(),
    }
}

fn add(store: &mut Store, id: &str, prompt: &str, started: &str, texts: &[&str], level: u8) {
    common::add_session_with_transcript(store, id, prompt, started, texts);
    store.save_scorecard(id, &card(level)).unwrap();
    store
        .finish_session(id, started, 60.0, SessionStatus::Done)
        .unwrap();
}

fn ids(list: &[SessionSummary]) -> Vec<&str> {
    list.iter().map(|s| s.session_id.as_str()).collect()
}

fn text(q: &str) -> SessionQuery {
    SessionQuery {
        text: Some(q.into()),
        ..Default::default()
    }
}

fn seeded(db: &std::path::Path) -> Store {
    let mut store = Store::open(db).unwrap();
    add(
        &mut store,
        "a",
        "doc-qa-10k",
        "2026-11-01T10:00:00Z",
        &[
            "We chunk the filings by section.",
            "A reranker orders the chunks.",
        ],
        3,
    );
    add(
        &mut store,
        "b",
        "doc-qa-10k",
        "2026-11-10T10:00:00Z",
        &["The cache sits in front of the vector store."],
        1,
    );
    add(
        &mut store,
        "c",
        "pr-review-bot",
        "2026-11-20T10:00:00Z",
        &["Caching reviews: top-p sampling \"NEAR\" OR * is fine."],
        2,
    );
    store
}

#[test]
fn full_text_search_over_transcripts_with_stemming_snippets_and_odd_syntax() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded(&tmp.path().join("r.sqlite3"));

    let hits = store.query_sessions(&text("chunks")).unwrap();
    assert_eq!(ids(&hits), vec!["a"]);
    let snippet = hits[0].snippet.as_deref().unwrap();
    assert!(snippet.contains("**chunk"), "{snippet}");

    // Porter stemming: "caching" and "cache" share a stem.
    assert_eq!(
        ids(&store.query_sessions(&text("cache")).unwrap()),
        vec!["c", "b"]
    );
    // Every word must occur; typed syntax is never FTS syntax.
    assert_eq!(
        ids(&store.query_sessions(&text("vector store")).unwrap()),
        vec!["b"]
    );
    assert!(store
        .query_sessions(&text("vector filings"))
        .unwrap()
        .is_empty());
    for odd in [
        "top-p: \"NEAR\" OR *",
        "NEAR(",
        "\"",
        "col:umn",
        "a AND",
        "*",
    ] {
        store
            .query_sessions(&text(odd))
            .unwrap_or_else(|e| panic!("{odd}: {e}"));
    }
    assert_eq!(
        ids(&store.query_sessions(&text("top-p: \"NEAR\" OR *")).unwrap()),
        vec!["c"]
    );
    assert!(store.query_sessions(&text("  -- ")).unwrap().is_empty());
    // No text: everything, newest first, with levels.
    let all = store.query_sessions(&SessionQuery::default()).unwrap();
    assert_eq!(ids(&all), vec!["c", "b", "a"]);
    assert_eq!(all[2].levels.len(), 8);
    assert!(all.iter().all(|s| s.snippet.is_none()));
}

#[test]
fn filters_by_prompt_date_range_and_dimension_below_a_level() {
    let tmp = tempfile::tempdir().unwrap();
    let store = seeded(&tmp.path().join("r.sqlite3"));
    let q = |q: SessionQuery| ids(&store.query_sessions(&q).unwrap()).join(",");
    assert_eq!(
        q(SessionQuery {
            prompt_id: Some("doc-qa-10k".into()),
            ..Default::default()
        }),
        "b,a"
    );
    assert_eq!(
        q(SessionQuery {
            from: Some("2026-11-10".into()),
            to: Some("2026-11-10".into()),
            ..Default::default()
        }),
        "b",
        "a bare date is the whole day"
    );
    assert_eq!(
        q(SessionQuery {
            from: Some("2026-11-05T00:00:00Z".into()),
            ..Default::default()
        }),
        "c,b"
    );
    // Trade-offs are stored one below the other levels: a=2, b=0, c=1.
    assert_eq!(
        q(SessionQuery {
            dimension: Some(DimensionId::Tradeoffs),
            below_level: Some(2),
            ..Default::default()
        }),
        "c,b"
    );
    assert_eq!(
        q(SessionQuery {
            text: Some("chunks".into()),
            dimension: Some(DimensionId::Tradeoffs),
            below_level: Some(2),
            ..Default::default()
        }),
        ""
    );
}

#[test]
fn a_correction_keeps_the_original_updates_the_index_and_versions_the_scores() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = seeded(&tmp.path().join("r.sqlite3"));
    let report = store.session_report("a").unwrap();
    assert_eq!(report.segment_refs.len(), 2);
    assert_eq!(report.score_version, Some(1));
    let second = report.segment_refs[1].id;

    let place = store
        .correct_segment("a", second, "A re-ranker orders the embeddings.")
        .unwrap();
    assert_eq!(place, 2);
    store
        .correct_segment("a", second, "A reranker orders the embeddings.")
        .unwrap();
    let report = store.session_report("a").unwrap();
    assert_eq!(
        report.transcript.segments[1].text,
        "A reranker orders the embeddings."
    );
    assert!(report.segment_refs[1].corrected);
    assert_eq!(
        report.segment_refs[1].original_text.as_deref(),
        Some("A reranker orders the chunks."),
        "the first correction keeps what whisper heard"
    );
    // The index follows the text.
    assert!(ids(&store.query_sessions(&text("embeddings")).unwrap()) == vec!["a"]);
    assert!(store
        .query_sessions(&text("orders chunks"))
        .unwrap()
        .is_empty());
    // A correction of another session's segment is refused.
    assert!(store.correct_segment("b", second, "x").is_err());

    store
        .save_scorecard_with_reason("a", &card(4), "after correcting segment 2")
        .unwrap();
    let history = store.score_history("a").unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].reason, "scored");
    assert_eq!(history[1].reason, "after correcting segment 2");
    assert_eq!(history[1].version, 2);
    assert!(history[1].overall > history[0].overall);
    assert!(
        history[1].created_at.ends_with('Z'),
        "{}",
        history[1].created_at
    );
    assert_eq!(store.session_report("a").unwrap().score_version, Some(2));
    assert_eq!(store.list_sessions().unwrap()[2].levels[0].level, 4);
}

#[test]
fn deleting_a_session_removes_its_rows_and_its_index_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.sqlite3");
    let store = seeded(&db);
    store.delete_session("b").unwrap();
    assert!(store.query_sessions(&text("vector")).unwrap().is_empty());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT COUNT(*) FROM segments WHERE session_id = 'b'"),
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM score_versions WHERE session_id = 'b'"),
        0
    );
    // The index holds exactly the remaining segments (an integrity check of external content).
    conn.execute(
        "INSERT INTO transcript_fts (transcript_fts) VALUES ('integrity-check')",
        [],
    )
    .unwrap();
    assert_eq!(
        count("SELECT COUNT(*) FROM transcript_fts WHERE transcript_fts MATCH 'vector'"),
        0
    );
}

/// Builds a database at `version` with one scored session written with that schema's SQL.
fn old_database(db: &std::path::Path, version: usize) {
    let mut conn = rusqlite::Connection::open(db).unwrap();
    migrate_to_version(&mut conn, version).unwrap();
    conn.execute_batch(
        "INSERT INTO sessions (id, prompt_id, started_at, ended_at, status, audio_path, duration_s)
           VALUES ('old', 'doc-qa-10k', '2026-10-01T09:00:00Z', '2026-10-01T09:10:00Z', 'done', '/x.wav', 600);
         INSERT INTO segments (session_id, t0, t1, text) VALUES ('old', 0, 4, 'We shard the vector index by tenant.');
         INSERT INTO scores (session_id, version, dimension, level, suggestion, grader)
           VALUES ('old', 1, 'tradeoffs', 2, 's', 'offline');",
    )
    .unwrap();
}

#[test]
fn migration_005_from_version_1_and_from_version_4_backfills_search_and_history() {
    // 4 is the version just before 005 (the board history); 1 is the first released schema.
    for from in [1, 4] {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("r.sqlite3");
        old_database(&db, from);
        let store = Store::open(&db).unwrap();
        let hits = store.query_sessions(&text("sharding tenants")).unwrap();
        assert_eq!(ids(&hits), vec!["old"], "from version {from}");
        let history = store.score_history("old").unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].created_at, "2026-10-01T09:10:00Z");
        assert_eq!(history[0].reason, "scored");
        let report = store.session_report("old").unwrap();
        assert!(!report.audio.available);
        assert!(!report.segment_refs[0].corrected);
        let conn = rusqlite::Connection::open(&db).unwrap();
        let v: usize = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }
}
