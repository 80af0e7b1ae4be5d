//! The engine's choice of interviewer: offline unless an LLM is configured, and offline with a
//! notice when the LLM settings cannot be used; an unreachable server falls back per turn.

use rehearse_content::Content;
use rehearse_core::Segment;
use rehearse_engine::interviewer_backend::{build_interviewer, LlmSettings};
use rehearse_engine::EngineSettings;
use rehearse_interviewer::OFFLINE_GRADER;
use std::time::{Duration, Instant};

fn segments() -> Vec<Segment> {
    let said = [
        "The users are employees asking about policies, about 50 queries per second.",
        "We ingest pages, split them into chunks, embed them and keep a vector store.",
    ];
    rehearse_testkit::timed_segments(&said, 6.0, 5.5)
}

#[test]
fn no_llm_settings_means_the_offline_interviewer_exactly() {
    let c = Content::embedded().unwrap();
    let (p, r) = c.prompt_with_rubric("doc-qa-10k").unwrap();
    let (mut i, notice) = build_interviewer(&EngineSettings::default(), p, r);
    assert!(notice.is_none() && i.llm().is_none());
    let mut offline =
        rehearse_interviewer::OfflineInterviewer::new(p, r, EngineSettings::default().interviewer);
    let turn = i.at_pause(&segments(), 14.5).unwrap();
    assert_eq!(Some(turn.value), offline.at_pause(&segments(), 14.5));
    assert_eq!(
        (turn.backend.as_str(), turn.fell_back),
        (OFFLINE_GRADER, None)
    );
    assert_eq!(i.score(&segments()).value, offline.score(&segments()));
}

#[test]
fn unusable_llm_settings_give_a_notice_and_offline() {
    let c = Content::embedded().unwrap();
    let (p, r) = c.prompt_with_rubric("doc-qa-10k").unwrap();
    let settings = EngineSettings {
        llm: Some(LlmSettings {
            base_url: "localhost:8080/v1".into(),
            model: "m".into(),
            api_key: Some("sk-never-shown-77".into()),
            timeout_s: 2.0,
        }),
        ..EngineSettings::default()
    };
    let (i, notice) = build_interviewer(&settings, p, r);
    assert!(i.llm().is_none());
    let notice = notice.unwrap();
    assert!(notice.contains("http://"), "{notice}");
    assert!(!notice.contains("sk-never-shown-77"));
    assert!(!format!("{settings:?}").contains("sk-never-shown-77"));
}

#[test]
fn an_unreachable_server_falls_back_per_turn_and_for_the_scorecard() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = Content::embedded().unwrap();
    let (p, r) = c.prompt_with_rubric("doc-qa-10k").unwrap();
    let settings = EngineSettings {
        llm: Some(LlmSettings {
            base_url: format!("http://127.0.0.1:{port}/v1"),
            model: "remote-model".into(),
            api_key: None,
            timeout_s: 2.0,
        }),
        ..EngineSettings::default()
    };
    let started = Instant::now();
    let (mut i, notice) = build_interviewer(&settings, p, r);
    assert!(notice.is_none() && i.llm().is_some());
    let turn = i.at_pause(&segments(), 14.5).unwrap();
    assert_eq!(turn.backend, OFFLINE_GRADER);
    assert!(turn
        .notice()
        .unwrap()
        .contains("could not reach the LLM server"));
    let card = i.score(&segments());
    assert_eq!(card.value.grader, OFFLINE_GRADER);
    assert!(card
        .notice()
        .unwrap()
        .contains("the offline interviewer scored it"));
    assert!(started.elapsed() < Duration::from_secs(10));
}
