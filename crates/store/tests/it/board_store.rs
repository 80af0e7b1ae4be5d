//! Board history rows in a real SQLite file, and migration 004 from a version-3 database.

use rehearse_store::{migrate_to_version, NewSession, Store, SCHEMA_VERSION};

fn new_session(store: &Store, id: &str) {
    store
        .create_session(&NewSession {
            id: id.into(),
            prompt_id: "doc-qa-10k".into(),
            started_at: "2026-11-25T10:00:00Z".into(),
            audio_path: format!("/tmp/{id}.wav"),
            model: None,
        })
        .unwrap();
}

#[test]
fn board_events_are_read_back_in_time_order_and_go_with_their_session() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.sqlite3");
    let store = Store::open(&db).unwrap();
    new_session(&store, "a");
    new_session(&store, "b");
    store.add_board_event("a", 12.5, b"second").unwrap();
    store.add_board_event("a", 3.0, b"first").unwrap();
    store.add_board_event("a", 12.5, b"third").unwrap();
    store.add_board_event("b", 1.0, &[0, 255, 7]).unwrap();
    drop(store);

    let store = Store::open(&db).unwrap();
    let rows = store.board_events("a").unwrap();
    let payloads: Vec<&[u8]> = rows.iter().map(|r| r.payload.as_slice()).collect();
    assert_eq!(payloads, [&b"first"[..], b"second", b"third"]);
    assert_eq!(store.board_event_times("a").unwrap(), [3.0, 12.5, 12.5]);
    assert_eq!(store.board_history_bytes("a").unwrap(), 16);
    assert_eq!(store.board_events("b").unwrap()[0].payload, [0, 255, 7]);

    assert!(
        store.add_board_event("nobody", 1.0, b"x").is_err(),
        "a board event needs its session"
    );
    store.delete_session("a").unwrap();
    assert!(
        store.board_events("a").unwrap().is_empty(),
        "deleted with the session"
    );
    assert_eq!(store.board_events("b").unwrap().len(), 1);
}

#[test]
fn migration_004_adds_board_history_to_a_version_3_database_and_keeps_its_sessions() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("r.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&db).unwrap();
        migrate_to_version(&mut conn, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO sessions (id, prompt_id, started_at, ended_at, status, audio_path, duration_s)
               VALUES ('old', 'doc-qa-10k', '2026-10-01T09:00:00Z', '2026-10-01T09:10:00Z', 'done', '/x.wav', 600);",
        )
        .unwrap();
        let err = conn
            .execute_batch("SELECT COUNT(*) FROM board_events")
            .unwrap_err();
        assert!(err.to_string().contains("board_events"), "{err}");
    }
    let store = Store::open(&db).unwrap();
    assert!(store.board_events("old").unwrap().is_empty());
    store.add_board_event("old", 0.0, b"scene").unwrap();
    assert_eq!(store.board_event_times("old").unwrap(), [0.0]);
    drop(store);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}
