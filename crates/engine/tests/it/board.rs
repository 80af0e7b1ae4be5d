//! The whiteboard through the engine API on real SQLite files: a board given with a recorded
//! answer (stored at 0 s, read by the interviewer), the board of a live session changing over
//! time and replayed at any moment, and the errors for bad boards and unknown sessions.

use rehearse_board::scene_to_graph;
use rehearse_core::{EngineEvent, SessionStatus};
use rehearse_engine::{Engine, EngineError, EnginePaths, EngineSettings};
use rehearse_testkit::speak_to_wav as speak_to_file;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../board/tests/fixtures")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn engine(dir: &Path) -> Engine {
    let mut paths = EnginePaths::new(dir.to_path_buf());
    if let Ok(models) = std::env::var("REHEARSE_MODELS_DIR") {
        paths.models_dir = models.into();
    }
    Engine::new(paths, EngineSettings::default()).unwrap()
}

#[test]
fn a_bad_board_is_refused_before_anything_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let wav = tmp.path().join("a.wav");
    std::fs::write(&wav, b"not read: the board is checked first").unwrap();
    for bad in ["", "{\"type\":\"excalidraw\"}", "[{\"id\":"] {
        let err = engine
            .practice_file_with_board("doc-qa-10k", &wav, Some(bad))
            .unwrap_err();
        assert!(matches!(err, EngineError::Board(_)), "{bad:?}: {err}");
        assert!(err.to_string().contains("board"), "{err}");
    }
    assert!(engine.sessions().unwrap().is_empty());
    assert_eq!(engine.board_components().len(), 18);
}

#[test]
fn an_unknown_session_has_no_board_history_to_show() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    for result in [
        engine.session_board_at("nope", 1.0).map(|_| ()),
        engine.session_board_final("nope").map(|_| ()),
        engine.session_board_times("nope").map(|_| ()),
    ] {
        let err = result.unwrap_err().to_string();
        assert!(err.contains("no session with id 'nope'"), "{err}");
    }
}

fn board_notices(events: &Mutex<Vec<EngineEvent>>) -> Vec<String> {
    events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            EngineEvent::Notice { message } if message.contains("whiteboard") => {
                Some(message.clone())
            }
            _ => None,
        })
        .collect()
}

#[test]
#[ignore = "needs the installed speech model and espeak-ng: run `bash scripts/test.sh`"]
fn a_board_given_with_a_recorded_answer_is_stored_at_zero_and_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let wav = tmp.path().join("answer.wav");
    speak_to_file(
        "The client calls the API gateway, then the query service searches pgvector and asks the model.",
        &wav,
    );
    let scene = fixture("rag-single-vector-store.excalidraw");
    let report = engine
        .practice_file_with_board("doc-qa-10k", &wav, Some(&scene))
        .unwrap();
    let id = &report.session_id;
    assert_eq!(engine.session_board_times(id).unwrap(), [0.0]);
    let at_zero = engine
        .session_board_at(id, 0.0)
        .unwrap()
        .expect("the board at 0 s");
    assert_eq!(
        scene_to_graph(&at_zero).unwrap(),
        scene_to_graph(&scene).unwrap()
    );
    assert_eq!(engine.session_board_final(id).unwrap(), Some(at_zero));
    assert_eq!(engine.session_board_at(id, -0.5).unwrap(), None);
    assert!(engine.session_board_bytes(id).unwrap() > 0);
    // Without a board, the session has none.
    let plain = engine.practice_file("doc-qa-10k", &wav).unwrap();
    assert!(engine
        .session_board_times(&plain.session_id)
        .unwrap()
        .is_empty());
    assert_eq!(engine.session_board_final(&plain.session_id).unwrap(), None);
    // Deleting the session deletes its board history.
    engine.delete_session(id).unwrap();
    assert!(engine.session_board_times(id).is_err());
}

#[test]
#[ignore = "needs the virtual microphone and the installed model: run `bash scripts/test.sh`"]
fn a_live_sessions_board_is_stamped_with_the_session_clock_and_replayed() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let events: Arc<Mutex<Vec<EngineEvent>>> = Arc::default();
    let sink = {
        let events = events.clone();
        Arc::new(move |e: EngineEvent| events.lock().unwrap().push(e))
    };
    let first = fixture("write-path-library-groups.excalidraw");
    let second = fixture("rag-single-vector-store.excalidraw");
    let live = engine.start_live("doc-qa-10k", sink).unwrap();
    live.update_board(first.clone()).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    // Unreadable scenes: one notice, the last good board stays, nothing stored. (Waiting for
    // the notice: scenes queued while the session thread is busy collapse to the newest.)
    live.update_board("{\"elements\": 7}".into()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while board_notices(&events).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    live.update_board("not json".into()).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    // The same scene again (a selection change): nothing stored.
    live.update_board(first.clone()).unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    live.update_board(second.clone()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        if engine.session_board_times(live.id()).unwrap().len() >= 2 {
            break;
        }
    }
    let id = live.id().to_string();
    let report = live.stop().unwrap();
    assert_eq!(report.status, SessionStatus::Done);

    let times = engine.session_board_times(&id).unwrap();
    assert_eq!(times.len(), 2, "{times:?}");
    assert!(
        times[1] - times[0] >= 2.0,
        "stamped with the session clock: {times:?}"
    );
    let between = engine
        .session_board_at(&id, (times[0] + times[1]) / 2.0)
        .unwrap()
        .unwrap();
    assert_eq!(
        scene_to_graph(&between).unwrap(),
        scene_to_graph(&first).unwrap()
    );
    let last = engine.session_board_final(&id).unwrap().unwrap();
    assert_eq!(
        scene_to_graph(&last).unwrap(),
        scene_to_graph(&second).unwrap()
    );
    let notices = board_notices(&events);
    assert_eq!(notices.len(), 1, "{notices:#?}");
    assert!(
        notices[0].contains("keeps the last board"),
        "{}",
        notices[0]
    );
}
