//! Progress reads pace and filler rate from the per-session cache (`session_stats`), fills
//! missing rows from the transcript, and a correction (which re-scores) drops and refreshes
//! the session's cached figures. Real SQLite files throughout.

use rehearse_content::Content;
use rehearse_core::*;
use rehearse_engine::{Engine, EnginePaths, EngineSettings};
use rehearse_interviewer::{pace_and_filler_rate, score_transcript};
use rehearse_store::Store;
use std::path::Path;

use crate::common;

const PROMPT: &str = "doc-qa-10k";

fn store_scored_session(dir: &Path, id: &str, started_at: &str, texts: &[&str]) {
    let content = Content::embedded().unwrap();
    let (_, rubric) = content.prompt_with_rubric(PROMPT).unwrap();
    let mut store = Store::open(&EnginePaths::new(dir.to_path_buf()).db_path()).unwrap();
    let segs = common::create_transcribed_session(
        &mut store,
        PROMPT,
        id,
        started_at,
        &dir.join(format!("{id}.wav")),
        texts,
    );
    store
        .save_scorecard(id, &score_transcript(rubric, &segs))
        .unwrap();
    let duration = segs.last().map_or(1.0, |s| s.t1 + 2.0);
    store
        .finish_session(id, started_at, duration, SessionStatus::Done)
        .unwrap();
}

fn point(points: &[ProgressPoint], session_id: &str) -> f64 {
    points
        .iter()
        .find(|p| p.session_id == session_id)
        .unwrap_or_else(|| panic!("no point for {session_id} in {points:?}"))
        .value
}

fn db(dir: &Path) -> std::path::PathBuf {
    EnginePaths::new(dir.to_path_buf()).db_path()
}

#[test]
fn progress_caches_figures_and_a_correction_refreshes_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let engine = Engine::new(
        EnginePaths::new(dir.to_path_buf()),
        EngineSettings::default(),
    )
    .unwrap();
    let filler_texts = [
        "Um, so, um, basically we, like, chunk the filings into pages.",
        "Uh, the reranker, um, sits after the vector store.",
    ];
    let clean_texts = [
        "We chunk the filings into 500 token chunks because recall goes up.",
        "The reranker sits after the vector store at the cost of 200 ms.",
    ];
    store_scored_session(dir, "a", "2026-01-01T10:00:00Z", &filler_texts);
    store_scored_session(dir, "b", "2026-01-02T10:00:00Z", &clean_texts);
    assert!(
        Store::open(&db(dir))
            .unwrap()
            .session_stats_all()
            .unwrap()
            .is_empty(),
        "nothing is cached before Progress first needs it"
    );

    let p = engine.progress().unwrap();
    let (wpm_a, rate_a) = pace_and_filler_rate(&common::segments(&filler_texts));
    let (wpm_b, rate_b) = pace_and_filler_rate(&common::segments(&clean_texts));
    assert!(rate_a > 0.0, "the filler session has fillers");
    assert_eq!(point(&p.filler_rate, "a"), rate_a);
    assert_eq!(point(&p.pace_wpm, "a"), wpm_a);
    assert_eq!(point(&p.filler_rate, "b"), rate_b);
    assert_eq!(point(&p.pace_wpm, "b"), wpm_b);
    let cached = Store::open(&db(dir)).unwrap().session_stats_all().unwrap();
    assert_eq!(cached.len(), 2);
    let a = cached["a"].expect("session a has a transcript");
    assert_eq!((a.pace_wpm, a.filler_rate), (wpm_a, rate_a));

    // Progress reads the cache, not the segments: a changed cached figure shows as is.
    rusqlite::Connection::open(db(dir))
        .unwrap()
        .execute(
            "UPDATE session_stats SET pace_wpm = 999.5 WHERE session_id = 'b'",
            [],
        )
        .unwrap();
    assert_eq!(point(&engine.progress().unwrap().pace_wpm, "b"), 999.5);

    // Correcting a segment (which re-scores) drops the session's cached row, and the next
    // Progress shows figures from the corrected transcript.
    let seg_id = Store::open(&db(dir)).unwrap().stored_segments("a").unwrap()[0].id;
    let corrected = "We chunk the filings into pages.";
    let report = engine.correct_segment("a", seg_id, corrected).unwrap();
    assert_eq!(engine.score_history("a").unwrap().len(), 2);
    assert_eq!(report.transcript.segments[0].text, corrected);
    let cached = Store::open(&db(dir)).unwrap().session_stats_all().unwrap();
    assert!(
        !cached.contains_key("a"),
        "the correction dropped a's cached figures"
    );
    assert!(cached.contains_key("b"), "other sessions keep theirs");

    let p = engine.progress().unwrap();
    let (wpm_a2, rate_a2) = pace_and_filler_rate(&common::segments(&[corrected, filler_texts[1]]));
    assert!(rate_a2 < rate_a, "fewer fillers after the correction");
    assert_eq!(point(&p.filler_rate, "a"), rate_a2);
    assert_eq!(point(&p.pace_wpm, "a"), wpm_a2);
    let a = Store::open(&db(dir)).unwrap().session_stats_all().unwrap()["a"].unwrap();
    assert_eq!((a.pace_wpm, a.filler_rate), (wpm_a2, rate_a2));
}

#[test]
fn a_scored_session_without_transcript_is_cached_as_having_none() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let engine = Engine::new(
        EnginePaths::new(dir.to_path_buf()),
        EngineSettings::default(),
    )
    .unwrap();
    store_scored_session(dir, "silent", "2026-01-01T10:00:00Z", &[]);
    let p = engine.progress().unwrap();
    assert_eq!(p.sessions, 1);
    assert!(p.pace_wpm.is_empty() && p.filler_rate.is_empty());
    let cached = Store::open(&db(dir)).unwrap().session_stats_all().unwrap();
    assert_eq!(cached.get("silent"), Some(&None));

    // A transcript arriving later (re-transcription, a late segment) drops the "none" row.
    Store::open(&db(dir))
        .unwrap()
        .add_segment(
            "silent",
            &Segment {
                t0: 0.0,
                t1: 4.0,
                text: "Um, we cache embeddings in Redis.".into(),
                words: Vec::new(),
            },
            Some("tiny.en"),
        )
        .unwrap();
    let p = engine.progress().unwrap();
    assert_eq!(p.pace_wpm.len(), 1);
    assert!(point(&p.filler_rate, "silent") > 0.0);
}
