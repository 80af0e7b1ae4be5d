//! Trade-off decisions through the engine on a real SQLite file: graded at scoring time,
//! stored with the score version, read back in the report, re-graded when a correction
//! re-scores, and listed in the Markdown and HTML exports (escaped).

use rehearse_content::Content;
use rehearse_core::*;
use rehearse_engine::{Engine, EnginePaths, EngineSettings};
use rehearse_interviewer::score_transcript;
use rehearse_store::{NewSession, Store};
use std::path::Path;

use crate::common;

const PROMPT: &str = "doc-qa-10k";

const SPEECH: [&str; 3] = [
    "I chose 500 token chunks versus whole pages because retrieval is more precise, at the cost of about three times more vectors.",
    "If latency mattered more than accuracy, I would switch to whole pages.",
    "We'd pick <b>Postgres</b> over MongoDB.",
];

fn store_session(dir: &Path, id: &str, texts: &[&str]) {
    let content = Content::embedded().unwrap();
    let (_, rubric) = content.prompt_with_rubric(PROMPT).unwrap();
    let mut store = Store::open(&EnginePaths::new(dir.to_path_buf()).db_path()).unwrap();
    let segs = common::create_transcribed_session(
        &mut store,
        PROMPT,
        id,
        "2026-11-25T10:00:00Z",
        &dir.join("none.wav"),
        texts,
    );
    store
        .save_scorecard(id, &score_transcript(rubric, &segs))
        .unwrap();
    store
        .finish_session(id, "2026-11-25T10:01:00Z", 30.0, SessionStatus::Done)
        .unwrap();
}

#[test]
fn decisions_are_stored_read_back_regraded_and_exported() {
    let tmp = tempfile::tempdir().unwrap();
    store_session(tmp.path(), "s", &SPEECH);
    let engine = Engine::new(
        EnginePaths::new(tmp.path().to_path_buf()),
        EngineSettings::default(),
    )
    .unwrap();
    let report = engine.session("s").unwrap();
    let d = &report.scorecard.tradeoffs;
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(d[0].choice, "500 token chunks");
    assert_eq!(d[0].alternative.as_deref(), Some("whole pages"));
    assert_eq!(d[0].number.as_deref(), Some("three times more vectors"));
    assert_eq!(d[0].level, 4);
    assert!((d[0].otherwise.as_ref().unwrap().t0 - 8.0).abs() < 1.0);
    assert!(d[1].choice.starts_with("<b>Postgres"), "{:?}", d[1].choice);
    assert_eq!(
        (d[1].level, d[1].missing.first()),
        (1, Some(&TradeOffPart::Reason))
    );
    // Exactly what the grader produced, through SQLite and back.
    let content = Content::embedded().unwrap();
    let (_, rubric) = content.prompt_with_rubric(PROMPT).unwrap();
    assert_eq!(
        *d,
        score_transcript(rubric, &report.transcript.segments).tradeoffs
    );

    let md = engine.render_session_export("s", ExportFormat::Md).unwrap();
    assert!(md.contains("## Trade-off decisions"), "{md}");
    assert!(md.contains("### 500 token chunks — 4/4"), "{md}");
    assert!(md.contains("- number: three times more vectors"), "{md}");
    assert!(md.contains("- alternative: whole pages"), "{md}");
    let html = engine
        .render_session_export("s", ExportFormat::Html)
        .unwrap();
    assert!(html.contains("<h2>Trade-off decisions</h2>"));
    assert!(html.contains("would choose otherwise: If latency mattered more than accuracy, I would switch to whole pages"));
    // The candidate's words are text, never markup.
    assert!(html.contains("&lt;b&gt;Postgres&lt;/b&gt;"));
    assert!(!html.contains("<b>Postgres"));
    assert!(md.contains("&lt;b&gt;Postgres") && !md.contains("<b>"));

    // A correction re-scores: the new version has its own decisions.
    let fixed = engine
        .correct_segment(
            "s",
            report.segment_refs[2].id,
            "We'd pick Postgres over MongoDB because we need transactions.",
        )
        .unwrap();
    assert_eq!(fixed.score_version, Some(2));
    assert_eq!(fixed.scorecard.tradeoffs[1].choice, "Postgres");
    assert_eq!(fixed.scorecard.tradeoffs[1].level, 2);
}

#[test]
fn a_scorecard_stored_without_decisions_still_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let db = EnginePaths::new(tmp.path().to_path_buf()).db_path();
    let mut store = Store::open(&db).unwrap();
    store
        .create_session(&NewSession {
            id: "old".into(),
            prompt_id: PROMPT.into(),
            started_at: "2026-11-25T10:00:00Z".into(),
            audio_path: "none.wav".into(),
            model: None,
        })
        .unwrap();
    let card: Scorecard = serde_json::from_str(
        r#"{"grader":"offline","dimensions":[{"id":"tradeoffs","level":2,"evidence":[],"suggestion":"x"}]}"#,
    )
    .unwrap();
    assert!(
        card.tradeoffs.is_empty(),
        "JSON from before decisions reads"
    );
    store.save_scorecard("old", &card).unwrap();
    let report = store.session_report("old").unwrap();
    assert!(report.scorecard.tradeoffs.is_empty());
    assert_eq!(report.scorecard.dimensions[0].level, 2);
}
