//! Marks: stored per session in time order, kept across reopening, gone with the session; a
//! database from before the marks migration gains the table.

use rehearse_store::{migrate_to_version, NewSession, Store};

fn session(id: &str) -> NewSession {
    NewSession {
        id: id.into(),
        prompt_id: "doc-qa-10k".into(),
        started_at: "2026-11-25T10:00:00Z".into(),
        audio_path: format!("/tmp/{id}.wav"),
        model: Some("tiny.en".into()),
    }
}

#[test]
fn marks_are_kept_in_order_and_deleted_with_their_session() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehearse.sqlite3");
    // A database as the previous release left it, with a session in it.
    {
        let mut conn = rusqlite::Connection::open(&db).unwrap();
        // Version 5: just before migration 006 added marks.
        migrate_to_version(&mut conn, 5).unwrap();
    }
    let store = Store::open(&db).unwrap();
    store.create_session(&session("s1")).unwrap();
    store.create_session(&session("s2")).unwrap();
    store.add_mark("s1", 42.5, "2026-11-25T10:00:42Z").unwrap();
    store.add_mark("s1", 7.25, "2026-11-25T10:00:07Z").unwrap();
    store.add_mark("s2", 3.0, "2026-11-25T10:00:03Z").unwrap();
    drop(store);

    let store = Store::open(&db).unwrap();
    assert_eq!(store.marks("s1").unwrap(), vec![7.25, 42.5]);
    assert_eq!(store.marks("s2").unwrap(), vec![3.0]);
    assert!(store.marks("nope").unwrap().is_empty());
    store.delete_session("s1").unwrap();
    assert!(store.marks("s1").unwrap().is_empty());
    assert_eq!(store.marks("s2").unwrap(), vec![3.0]);
    assert!(store
        .add_mark("no-such-session", 1.0, "2026-11-25T10:00:01Z")
        .is_err());
}
