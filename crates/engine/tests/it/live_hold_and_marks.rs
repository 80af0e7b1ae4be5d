//! A live session with "hold questions until I'm done": the same speech that gets a follow-up
//! at the pause in live_session.rs gets none while recording; and moments marked during the
//! session are stored with it, in order, within its length.

use rehearse_core::EngineEvent;
use rehearse_engine::{Engine, EnginePaths, EngineSettings};
use rehearse_testkit::speak_aloud as speak;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
#[ignore = "needs the virtual microphone and the installed model: run `bash scripts/test.sh`"]
fn held_questions_wait_and_marks_are_stored() {
    let models = rehearse_testkit::models_dir();
    let tmp = tempfile::tempdir().unwrap();
    let mut paths = EnginePaths::new(tmp.path().to_path_buf());
    paths.models_dir = models;
    let settings = EngineSettings {
        hold_questions: true,
        ..EngineSettings::default()
    };
    let engine = Engine::new(paths, settings).unwrap();

    let events: Arc<Mutex<Vec<EngineEvent>>> = Arc::default();
    let sink = {
        let events = events.clone();
        Arc::new(move |e: EngineEvent| events.lock().unwrap().push(e))
    };
    let live = engine.start_live("doc-qa-10k", sink).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    speak("First, the requirements. Employees ask questions about ten thousand pages, and expect answers within two seconds.");
    let first = live.mark().unwrap();
    speak("We split the pages into chunks, embed them, and keep the vectors in a vector store for retrieval.");
    let second = live.mark().unwrap();
    // The pause in which the interviewer of live_session.rs speaks: wait for the transcript,
    // then as long again as that test allows for its follow-up.
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline
        && events
            .lock()
            .unwrap()
            .iter()
            .filter(|e| matches!(e, EngineEvent::Segment { .. }))
            .count()
            < 2
    {
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_secs(8));
    let turns_while_recording = events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| matches!(e, EngineEvent::Turn { .. }))
        .count();
    let report = live.stop().unwrap();

    assert_eq!(
        turns_while_recording, 0,
        "a follow-up interrupted a held session"
    );
    assert!(!report.transcript.segments.is_empty());
    let marks = engine.session_marks(&report.session_id).unwrap();
    assert_eq!(marks, vec![first, second]);
    assert!(
        0.5 < first && first < second && second <= report.audio.duration_s + 1.0,
        "{marks:?} in {} s",
        report.audio.duration_s
    );
    engine.delete_session(&report.session_id).unwrap();
    assert!(engine.session_marks(&report.session_id).unwrap().is_empty());
}
