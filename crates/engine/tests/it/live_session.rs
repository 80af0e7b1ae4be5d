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

/// A live session fed without a microphone (`start_live_from_samples`) on a data folder
/// whose disk fills up while recording: database, recordings and all (issue 23, item 3).
mod full_disk {
    use rehearse_core::{EngineEvent, SessionStatus};
    use rehearse_engine::{Engine, EnginePaths, EngineSettings};
    use rehearse_testkit::SmallDisk;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    const SPOKEN: &str = "First, the requirements. Employees ask questions about ten thousand \
pages, and expect answers within two seconds. We split the pages into chunks, embed them, and \
keep the vectors in a vector store for retrieval. Retrieval takes the top five chunks.";

    fn speech() -> Vec<f32> {
        let tmp = tempfile::tempdir().unwrap();
        let wav = tmp.path().join("spoken.wav");
        rehearse_testkit::speak_to_wav(SPOKEN, &wav);
        rehearse_audio::read_wav_16k_mono(&wav).unwrap().samples
    }

    fn open_engine(data: &std::path::Path) -> Engine {
        let mut paths = EnginePaths::new(data.to_path_buf());
        paths.models_dir = rehearse_testkit::models_dir();
        Engine::new(paths, EngineSettings::default()).unwrap()
    }

    #[test]
    #[ignore = "needs the installed model and espeak-ng (run by scripts/test.sh, as root for the mount)"]
    fn a_data_folder_whose_disk_fills_while_recording_ends_in_a_message_and_a_usable_session() {
        let samples = speech();
        let Some(disk) = SmallDisk::mount("a live session on a full disk", 16 * 1024 * 1024) else {
            return;
        };
        let data = disk.path().join("data");
        let engine = open_engine(&data);
        // Room for about 6 s of audio, and for the database to grow by little.
        disk.fill_leaving("filler", 200 * 1024);

        let events: Arc<Mutex<Vec<EngineEvent>>> = Arc::default();
        let sink = {
            let events = events.clone();
            Arc::new(move |e: EngineEvent| events.lock().unwrap().push(e))
        };
        let live = engine
            .start_live_from_samples("doc-qa-10k", samples, true, sink)
            .unwrap();
        let id = live.id().to_string();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !live.is_finished() {
            assert!(
                Instant::now() < deadline,
                "the session never noticed the full disk"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let stopped = live.stop();
        let errors: Vec<String> = events
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                EngineEvent::Error { message } => Some(message.clone()),
                _ => None,
            })
            .collect();
        eprintln!(
            "errors the user saw: {errors:#?}\nstop: {:?}",
            stopped.as_ref().map(|r| r.audio.duration_s)
        );
        assert!(
            errors[0].starts_with("The disk is full: recording stopped because "),
            "{errors:?}"
        );
        assert!(errors[0].contains("What you said up to 00:0"), "{errors:?}");
        assert!(errors.iter().all(|e| !e.contains("os error")), "{errors:?}");

        // Room again (the user freed some): the next start finds a consistent store.
        std::fs::remove_file(disk.path().join("filler")).unwrap();
        let engine = open_engine(&data);
        let conn = rusqlite::Connection::open(data.join("rehearse.sqlite3")).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let status = engine.session(&id).unwrap().status;
        let report = match status {
            // Scored and stored before the database ran out of room too.
            SessionStatus::Done => {
                assert!(stopped.is_ok(), "{stopped:?}");
                engine.session(&id).unwrap()
            }
            // The database was full as well: kept as interrupted, finished now.
            SessionStatus::Interrupted => {
                assert!(stopped.is_err());
                engine.finish_interrupted(&id).unwrap()
            }
            other => panic!("left {other:?}"),
        };
        let reader = hound::WavReader::open(&report.audio.path).unwrap();
        let on_disk_s = reader.duration() as f64 / 16_000.0;
        assert!(on_disk_s > 3.0, "{on_disk_s}");
        assert!((report.audio.duration_s - on_disk_s).abs() < 0.01);
        assert_eq!(
            reader.into_samples::<i16>().filter(|s| s.is_err()).count(),
            0
        );
        let text = report.transcript.full_text().to_lowercase();
        assert!(text.contains("requirements"), "{text}");
    }
}
