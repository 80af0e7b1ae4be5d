//! A live session through the real parts: speech played into the PulseAudio virtual
//! microphone, captured by cpal, cut at pauses, transcribed by the real model, interviewed,
//! scored and stored in a real database file.

use rehearse_core::{EngineEvent, SessionStatus};
use rehearse_engine::{Engine, EnginePaths, EngineSettings};
use rehearse_testkit::speak_aloud as speak;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
#[ignore = "needs the virtual microphone and the installed model: run `bash scripts/test.sh`"]
fn a_spoken_answer_becomes_a_stored_scored_session_with_a_follow_up() {
    let models = rehearse_testkit::models_dir();
    let tmp = tempfile::tempdir().unwrap();
    let mut paths = EnginePaths::new(tmp.path().to_path_buf());
    paths.models_dir = models;
    let engine = Engine::new(paths, EngineSettings::default()).unwrap();

    let events: Arc<Mutex<Vec<EngineEvent>>> = Arc::default();
    let sink = {
        let events = events.clone();
        Arc::new(move |e: EngineEvent| events.lock().unwrap().push(e))
    };
    let live = engine.start_live("doc-qa-10k", sink).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    speak("First, the requirements. Employees ask questions about ten thousand pages, and expect answers within two seconds.");
    speak("We split the pages into chunks, embed them, and keep the vectors in a vector store for retrieval.");
    // A natural pause: the interviewer may speak once everything is transcribed.
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline
        && !events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, EngineEvent::Turn { .. }))
    {
        std::thread::sleep(Duration::from_millis(200));
    }
    let segments_before_stop = events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| matches!(e, EngineEvent::Segment { .. }))
        .count();
    let report = live.stop().unwrap();

    let events = events.lock().unwrap();
    assert!(matches!(events.first(), Some(EngineEvent::Started { .. })));
    assert!(events
        .iter()
        .any(|e| matches!(e, EngineEvent::Level { rms } if *rms > 0.01)));
    assert!(
        segments_before_stop >= 1,
        "transcript segments arrive while recording, not only at stop"
    );
    assert!(
        events.iter().any(|e| matches!(e, EngineEvent::Turn { .. })),
        "a follow-up at the pause"
    );
    assert!(matches!(events.last(), Some(EngineEvent::Finished { .. })));

    let text = report.transcript.full_text().to_lowercase();
    assert!(text.contains("vector") || text.contains("chunks"), "{text}");
    assert_eq!(report.scorecard.dimensions.len(), 8);
    assert!(report.audio.duration_s > 8.0, "{}", report.audio.duration_s);
    assert!(std::path::Path::new(&report.audio.path).exists());
    let listed = engine.sessions().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].status, SessionStatus::Done);
    assert_eq!(engine.session(&report.session_id).unwrap(), report);
}
