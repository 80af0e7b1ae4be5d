//! A microphone that disappears mid-answer (issue 23, item 1): the session says so, keeps
//! what was said, waits, and either continues on another input in the same recording (the
//! gap marked) or is stopped and scored. Without a device (a fed "microphone" that goes dead)
//! and through the PulseAudio virtual microphone with its sound server killed.

use rehearse_audio::FeedEnd;
use rehearse_core::{EngineEvent, SessionStatus};
use rehearse_engine::{Engine, EnginePaths, EngineSettings};
use rehearse_testkit::vmic::{kill_sound_server, restore_virtual_mic, RestoreVirtualMic};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const FIRST: &str = "First, the requirements. Employees ask questions about ten thousand pages, \
and expect answers within two seconds.";
const SECOND: &str = "We split the pages into chunks, embed them, and keep the vectors in a \
vector store for retrieval.";

type Events = Arc<Mutex<Vec<EngineEvent>>>;

fn engine(data: &std::path::Path) -> Engine {
    let mut paths = EnginePaths::new(data.to_path_buf());
    paths.models_dir = rehearse_testkit::models_dir();
    Engine::new(paths, EngineSettings::default()).unwrap()
}

fn collector() -> (Events, rehearse_engine::EventSink) {
    let events: Events = Arc::default();
    let sink = {
        let events = events.clone();
        Arc::new(move |e: EngineEvent| events.lock().unwrap().push(e))
    };
    (events, sink)
}

fn wait_for<T>(
    events: &Events,
    within: Duration,
    pick: impl Fn(&EngineEvent) -> Option<T>,
) -> Option<T> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Some(found) = events.lock().unwrap().iter().find_map(&pick) {
            return Some(found);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

fn lost(e: &EngineEvent) -> Option<(String, String, f64)> {
    match e {
        EngineEvent::MicLost {
            device,
            message,
            at_s,
        } => Some((device.clone(), message.clone(), *at_s)),
        _ => None,
    }
}

fn speech(text: &str) -> Vec<f32> {
    let tmp = tempfile::tempdir().unwrap();
    let wav = tmp.path().join("spoken.wav");
    rehearse_testkit::speak_to_wav(text, &wav);
    rehearse_audio::read_wav_16k_mono(&wav).unwrap().samples
}

#[test]
#[ignore = "needs the installed model and espeak-ng: run `bash scripts/test.sh`"]
fn a_microphone_that_goes_dead_pauses_the_session_and_stop_scores_what_was_said() {
    let samples = speech(FIRST);
    let spoken_s = samples.len() as f64 / 16_000.0;
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let (events, sink) = collector();
    let live = engine
        .start_live_from_samples_then("doc-qa-10k", samples, false, FeedEnd::GoDead, sink)
        .unwrap();
    let (device, message, at_s) =
        wait_for(&events, Duration::from_secs(10), lost).expect("the loss is reported");
    assert_eq!(device, "samples");
    assert_eq!(
        message,
        "The microphone stopped: samples. What you said so far is saved."
    );
    assert!((at_s - spoken_s).abs() < 0.5, "{at_s} of {spoken_s}");
    // The session waits for the candidate rather than ending (the app offers a choice).
    std::thread::sleep(Duration::from_secs(2));
    assert!(!live.is_finished());
    let lost_count = events.lock().unwrap().iter().filter_map(lost).count();
    assert_eq!(lost_count, 1, "said once");

    let report = live.stop().expect("stopped and scored");
    assert_eq!(
        engine.session(&report.session_id).unwrap().status,
        SessionStatus::Done
    );
    assert!((report.audio.duration_s - spoken_s).abs() < 0.1);
    let text = report.transcript.full_text().to_lowercase();
    assert!(text.contains("requirement"), "{text}");
    assert_eq!(report.scorecard.dimensions.len(), 8);
}

#[test]
#[ignore = "needs the virtual microphone, espeak-ng and the installed model: run `bash scripts/test.sh`"]
fn a_killed_sound_server_then_continue_on_the_input_that_came_back_records_into_the_same_file() {
    let _restore = RestoreVirtualMic;
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(tmp.path());
    let (events, sink) = collector();
    let live = engine.start_live("doc-qa-10k", sink).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    rehearse_testkit::speak_aloud(FIRST);
    std::thread::sleep(Duration::from_millis(300));
    let killed = Instant::now();
    kill_sound_server();
    let (device, message, gap_at) =
        wait_for(&events, Duration::from_secs(5), lost).expect("the loss is reported");
    let noticed = killed.elapsed();
    eprintln!("noticed in {noticed:?} at {gap_at:.2} s: {message}");
    // About a second of silence, counted from when the kill began (the kill script waits for
    // the server to be gone).
    assert!(noticed < Duration::from_secs(3), "{noticed:?}");
    assert_eq!(
        message,
        format!("The microphone stopped: {device}. What you said so far is saved.")
    );

    // With no sound server, continuing says why and the session keeps waiting.
    let refused = live
        .continue_on(None)
        .expect_err("no server to continue on");
    eprintln!("continue with no server: {refused}");
    assert!(!live.is_finished());

    restore_virtual_mic();
    let switch = live.input_switch();
    let continued_on = switch
        .to(None)
        .expect("continue on the device that came back");
    let resumed_at = wait_for(&events, Duration::from_secs(2), |e| match e {
        EngineEvent::MicResumed { at_s, message, .. } => Some((*at_s, message.clone())),
        _ => None,
    })
    .expect("the resumption is announced");
    eprintln!("continued on {continued_on}: {}", resumed_at.1);
    assert!((resumed_at.0 - gap_at).abs() < 0.5);
    std::thread::sleep(Duration::from_millis(300));
    rehearse_testkit::speak_aloud(SECOND);
    std::thread::sleep(Duration::from_millis(1_000));
    let report = live.stop().expect("stopped and scored");

    let text = report.transcript.full_text().to_lowercase();
    assert!(text.contains("requirement"), "before the loss: {text}");
    assert!(text.contains("vector"), "after the switch: {text}");
    // One recording: the audio before the loss, then after the switch.
    let wav = hound::WavReader::open(&report.audio.path).expect("a valid WAV");
    let wav_s = wav.duration() as f64 / 16_000.0;
    assert!((wav_s - report.audio.duration_s).abs() < 0.05);
    assert!(
        wav_s > gap_at + 4.0,
        "{wav_s} s in the file, gap at {gap_at}"
    );
    let marks = engine.session_marks(&report.session_id).unwrap();
    assert_eq!(marks.len(), 1, "the gap is marked: {marks:?}");
    assert!((marks[0] - resumed_at.0).abs() < 1e-6);
}
