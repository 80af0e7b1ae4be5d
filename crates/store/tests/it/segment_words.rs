//! Word timings of transcript segments in a real database file: stored and read back with
//! their confidences, re-transcriptions keep them, corrections drop them, a database from
//! before migration 009 reads its old segments with no words, and words stored before
//! confidences existed read as confident.

use rehearse_core::{Segment, Word};
use rehearse_store::{migrate_to_version, NewSession, Store};

fn words(text: &str, t0: f64) -> Vec<Word> {
    text.split(' ')
        .enumerate()
        .map(|(i, w)| Word {
            t0: t0 + i as f64 * 0.4,
            t1: t0 + i as f64 * 0.4 + 0.3,
            text: w.into(),
            // Every other word unsure, the last one unmeasured.
            p: (i + 1 < text.split(' ').count()).then_some(if i % 2 == 0 { 0.93 } else { 0.12 }),
        })
        .collect()
}

fn new_session(store: &Store, id: &str) {
    store
        .create_session(&NewSession {
            id: id.into(),
            prompt_id: "doc-qa-10k".into(),
            started_at: "2025-01-01T10:00:00Z".into(),
            audio_path: format!("/nowhere/{id}.wav"),
            model: None,
        })
        .unwrap();
}

#[test]
fn words_are_stored_read_back_and_dropped_by_a_correction() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("r.db");
    let store = Store::open(&path).unwrap();
    new_session(&store, "a");
    let with = Segment {
        t0: 1.0,
        t1: 2.5,
        text: "we shard by user".into(),
        words: words("we shard by user", 1.0),
    };
    let without = Segment {
        t0: 3.0,
        t1: 4.0,
        text: "then cache".into(),
        words: Vec::new(),
    };
    store.add_segment("a", &with, Some("tiny.en")).unwrap();
    store.add_segment("a", &without, Some("tiny.en")).unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    let report = store.session_report("a").unwrap();
    assert_eq!(report.transcript.segments, vec![with.clone(), without]);
    let all = store.all_segments().unwrap();
    assert_eq!(all["a"][0].words, with.words);
    let read = &report.transcript.segments[0].words;
    assert_eq!(
        read.iter().map(|w| w.p).collect::<Vec<_>>(),
        [Some(0.93), Some(0.12), Some(0.93), None]
    );
    assert_eq!(
        read.iter().map(|w| w.is_uncertain()).collect::<Vec<_>>(),
        [false, true, false, false]
    );

    let id = store.stored_segments("a").unwrap()[0].id;
    store
        .correct_segment("a", id, "we shard by tenant")
        .unwrap();
    let corrected = &store.stored_segments("a").unwrap()[0];
    assert_eq!(corrected.segment.text, "we shard by tenant");
    assert!(
        corrected.segment.words.is_empty(),
        "old timings would name the wrong words"
    );
}

#[test]
fn a_new_transcript_from_another_model_keeps_its_words() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(&tmp.path().join("r.db")).unwrap();
    new_session(&store, "a");
    let seg = Segment {
        t0: 0.5,
        t1: 1.5,
        text: "hello there".into(),
        words: words("hello there", 0.5),
    };
    store
        .replace_transcript("a", std::slice::from_ref(&seg), "base.en")
        .unwrap();
    assert_eq!(
        store.session_report("a").unwrap().transcript.segments,
        vec![seg]
    );
}

#[test]
fn migration_009_reads_old_segments_without_words() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("r.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrate_to_version(&mut conn, 8).unwrap();
        conn.execute_batch(
            "INSERT INTO sessions (id, prompt_id, started_at, status, audio_path)
             VALUES ('old', 'doc-qa-10k', '2025-01-01T10:00:00Z', 'done', '/nowhere/old.wav');
             INSERT INTO segments (session_id, t0, t1, text) VALUES ('old', 0, 4, 'one two');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let segs = store.session_report("old").unwrap().transcript.segments;
    assert_eq!(segs.len(), 1);
    assert_eq!(segs[0].text, "one two");
    assert!(segs[0].words.is_empty());
    // A hand-damaged words column loses the timings, never the segment.
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE segments SET words = '{not json'", [])
        .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let segs = store.session_report("old").unwrap().transcript.segments;
    assert_eq!((segs.len(), segs[0].words.len()), (1, 0));
}

#[test]
fn words_stored_before_confidences_existed_read_as_confident() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("r.db");
    let store = Store::open(&path).unwrap();
    new_session(&store, "a");
    let seg = Segment {
        t0: 0.0,
        t1: 1.0,
        text: "use Pinecone".into(),
        words: words("use Pinecone", 0.0),
    };
    store.add_segment("a", &seg, Some("tiny.en")).unwrap();
    drop(store);
    // The words column as an older version wrote it: times and text, no confidence.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        r#"UPDATE segments SET words = '[{"t0":0.0,"t1":0.3,"text":"use"},{"t0":0.4,"t1":0.7,"text":"Pinecone"}]'"#,
        [],
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let words = &store.session_report("a").unwrap().transcript.segments[0].words;
    assert_eq!(
        words
            .iter()
            .map(|w| (w.text.as_str(), w.p))
            .collect::<Vec<_>>(),
        [("use", None), ("Pinecone", None)]
    );
    assert!(words.iter().all(|w| !w.is_uncertain()));
}
