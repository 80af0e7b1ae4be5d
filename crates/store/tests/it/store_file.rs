//! The store against real SQLite files on disk.

use rehearse_core::*;
use rehearse_store::{NewSession, Store, StoreError, SCHEMA_VERSION};

fn sample_card(grader: &str, level: u8) -> Scorecard {
    Scorecard {
        grader: grader.into(),
        dimensions: ALL_DIMENSIONS
            .iter()
            .map(|&id| DimensionScore {
                id,
                level,
                evidence: vec![Evidence {
                    quote: "we chunk by section".into(),
                    t0: 1.5,
                }],
                suggestion: format!("say more about {id}"),
                checks: vec![
                    CheckResult {
                        name: "scope".into(),
                        met: true,
                        evidence: Some(Evidence {
                            quote: "we chunk by section".into(),
                            t0: 1.5,
                        }),
                        needed_for: None,
                        holds_level: false,
                        uncounted: true,
                    },
                    CheckResult {
                        name: "a number".into(),
                        met: false,
                        evidence: None,
                        needed_for: Some(4),
                        holds_level: true,
                        uncounted: false,
                    },
                ],
            })
            .collect(),
        tradeoffs: Vec::new(),
    }
}

#[test]
fn a_session_is_written_and_read_back_from_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("nested/rehearse.sqlite3");
    {
        let mut store = Store::open(&db).unwrap();
        store
            .create_session(&NewSession {
                id: "s1".into(),
                prompt_id: "doc-qa-10k".into(),
                started_at: "2026-11-25T10:00:00Z".into(),
                audio_path: "/tmp/s1.wav".into(),
                model: Some("tiny.en".into()),
            })
            .unwrap();
        store
            .add_segment(
                "s1",
                &Segment {
                    t0: 0.0,
                    t1: 2.0,
                    text: "We chunk by section.".into(),
                    words: Vec::new(),
                },
                Some("tiny.en"),
            )
            .unwrap();
        store
            .add_turn(
                "s1",
                &Turn {
                    at: 2.5,
                    role: TurnRole::Interviewer,
                    text: "Why?".into(),
                    targets: vec![DimensionId::Tradeoffs],
                },
                "offline",
            )
            .unwrap();
        assert_eq!(
            store
                .save_scorecard("s1", &sample_card("offline", 1))
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .save_scorecard("s1", &sample_card("offline", 3))
                .unwrap(),
            2
        );
        store
            .finish_session("s1", "2026-11-25T10:05:00Z", 300.0, SessionStatus::Done)
            .unwrap();
    }
    // A second connection, as another process would open it.
    let store = Store::open(&db).unwrap();
    let report = store.session_report("s1").unwrap();
    assert_eq!(report.prompt_id, "doc-qa-10k");
    assert_eq!(report.transcript.segments.len(), 1);
    assert_eq!(report.turns[0].targets, vec![DimensionId::Tradeoffs]);
    assert_eq!(report.scorecard.dimensions.len(), 8);
    // The checklist comes back as it was graded, ticks and quotes.
    assert_eq!(
        report.scorecard.dimensions[0].checks,
        sample_card("offline", 3).dimensions[0].checks
    );
    assert!(
        report.scorecard.dimensions.iter().all(|d| d.level == 3),
        "the newest version wins"
    );
    assert_eq!(
        report.scorecard.dimensions[0].evidence[0].quote,
        "we chunk by section"
    );
    let list = store.list_sessions().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].overall, Some(3.0));
    assert_eq!(list[0].status, SessionStatus::Done);

    let audio = store.delete_session("s1").unwrap();
    assert_eq!(audio, "/tmp/s1.wav");
    assert!(matches!(
        store.session_report("s1"),
        Err(StoreError::NotFound(_))
    ));
    let left: i64 = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.query_row("SELECT COUNT(*) FROM evidence", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(left, 0, "deleting a session cascades to its evidence");
}

#[test]
fn migrations_reach_the_current_version_on_a_fresh_file() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.sqlite3");
    drop(Store::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let v: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    // Opening again is a no-op, not a failure.
    drop(conn);
    drop(Store::open(&db).unwrap());
}

#[test]
fn a_garbage_database_file_is_a_clear_error_and_is_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.sqlite3");
    let junk = vec![0x5au8; 8192];
    std::fs::write(&db, &junk).unwrap();
    let err = Store::open(&db).err().expect("must fail").to_string();
    assert!(
        err.contains("damaged") && err.contains("move that file aside"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        junk,
        "nothing recorded is lost"
    );
}

#[test]
fn a_database_from_a_newer_version_is_refused_with_its_own_message() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.sqlite3");
    drop(Store::open(&db).unwrap());
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 5)
            .unwrap();
    }
    let err = Store::open(&db).err().expect("must fail").to_string();
    assert!(err.contains("newer version of Rehearse"), "{err}");
}

/// The app and the CLI started at once on a new data folder: both create, migrate and write
/// the same database file; neither fails, and every row arrives.
#[test]
fn two_connections_opening_a_new_file_at_once_both_migrate_and_write() {
    for round in 0..10 {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("rehearse.sqlite3");
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let openers: Vec<_> = (0..2)
            .map(|n| {
                let (db, start) = (db.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    let store = Store::open(&db)?;
                    for i in 0..20 {
                        store.create_session(&NewSession {
                            id: format!("s{n}-{i}"),
                            prompt_id: "doc-qa-10k".into(),
                            started_at: format!("2026-12-06T07:00:{i:02}Z"),
                            audio_path: format!("/a/s{n}-{i}.wav"),
                            model: None,
                        })?;
                    }
                    Ok::<_, StoreError>(())
                })
            })
            .collect();
        for opener in openers {
            opener
                .join()
                .unwrap()
                .unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
        let store = Store::open(&db).unwrap();
        assert_eq!(store.list_sessions().unwrap().len(), 40, "round {round}");
    }
}

/// Two processes scoring at once: storing a scorecard reads the next version and then writes.
/// A transaction that starts reading and then writes cannot wait for the other writer in WAL
/// mode (SQLite answers "busy" at once), so each write transaction takes the lock up front.
#[test]
fn two_connections_storing_scorecards_at_once_both_succeed() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("rehearse.sqlite3");
    {
        let store = Store::open(&db).unwrap();
        for n in 0..2 {
            store
                .create_session(&NewSession {
                    id: format!("s{n}"),
                    prompt_id: "doc-qa-10k".into(),
                    started_at: "2026-12-06T07:00:00Z".into(),
                    audio_path: format!("/a/s{n}.wav"),
                    model: None,
                })
                .unwrap();
        }
    }
    let start = std::sync::Arc::new(std::sync::Barrier::new(2));
    let scorers: Vec<_> = (0..2)
        .map(|n| {
            let (db, start) = (db.clone(), start.clone());
            std::thread::spawn(move || {
                let mut store = Store::open(&db)?;
                start.wait();
                for level in 0..60 {
                    store.save_scorecard(&format!("s{n}"), &sample_card("rubric", level % 5))?;
                }
                Ok::<_, StoreError>(())
            })
        })
        .collect();
    for scorer in scorers {
        scorer.join().unwrap().unwrap();
    }
}

#[test]
fn sqlite_s_full_and_busy_errors_read_as_what_to_do() {
    let full = StoreError::from(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
        None,
    ));
    assert!(matches!(full, StoreError::DiskFull));
    assert!(full
        .to_string()
        .starts_with("the disk holding the sessions database is full"));
    let busy = StoreError::from(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        None,
    ));
    assert!(
        busy.to_string().contains("another Rehearse window"),
        "{busy}"
    );
}
