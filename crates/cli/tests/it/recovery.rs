//! Crash recovery with the real CLI: `rehearse practice --mic` records speech played into the
//! PulseAudio virtual microphone, is killed with SIGKILL mid-answer, and the next start finds
//! the session interrupted with a valid recording and its transcript so far; finishing it
//! scores it.

use crate::common::{json, rehearse, rehearse_command};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Sentences with long breaks between them, so pause detection cuts utterances and the
/// transcript grows while recording.
const SPOKEN_SSML: &str = "<speak>First, the requirements: employees ask questions about ten \
thousand pages. <break time=\"1500ms\"/> Next, we split every page into chunks and embed them \
in a vector store. <break time=\"1500ms\"/> Retrieval takes the top five chunks and a reranker \
orders them. <break time=\"1500ms\"/> I chose small chunks versus whole pages because recall \
goes up, at the cost of more vectors. <break time=\"1500ms\"/> For evaluation we keep a golden \
set of questions. <break time=\"1500ms\"/> Finally, we cache frequent answers.</speak>";

/// Seconds of recording before the kill.
const RECORD_BEFORE_KILL_S: f64 = 16.0;

#[test]
#[ignore = "needs the virtual microphone, espeak-ng and the installed speech model: run `bash scripts/test.sh`"]
fn a_killed_recording_is_found_interrupted_with_valid_audio_and_can_be_finished() {
    let _ = rehearse_testkit::models_dir();
    let tmp = tempfile::tempdir().unwrap();
    let spoken = tmp.path().join("spoken.wav");
    rehearse_testkit::speak_ssml_to_wav(SPOKEN_SSML, &spoken);
    let data = tmp.path().join("data");

    let mut cmd = rehearse_command(&data);
    cmd.args([
        "practice",
        "--prompt",
        "doc-qa-10k",
        "--mic",
        "--seconds",
        "30",
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start rehearse practice --mic");
    // Recording starts once the model is loaded: the CLI says so on stderr.
    let stderr = child.stderr.take().unwrap();
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("Recording") {
                let _ = started_tx.send(Instant::now());
            }
            lines.push(line);
        }
        lines
    });
    let started = started_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the CLI started recording");
    let mut player = Command::new("paplay").arg(&spoken).spawn().expect("paplay");
    std::thread::sleep(Duration::from_secs_f64(RECORD_BEFORE_KILL_S));
    child.kill().expect("SIGKILL the CLI");
    let elapsed = started.elapsed().as_secs_f64();
    child.wait().unwrap();
    let _ = player.kill();
    let _ = player.wait();
    let said = reader.join().unwrap();

    // A new process (a new Engine) finds the session interrupted.
    let list = json(&rehearse(&data, &["sessions", "list", "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["status"], "interrupted", "{:?}", list[0]);
    let id = list[0]["session_id"].as_str().unwrap().to_string();
    let duration = list[0]["duration_s"].as_f64().unwrap();
    assert!(
        duration >= elapsed - 1.0 - 0.5,
        "recovered {duration:.2} s of {elapsed:.2} s recorded (the header is rewritten every 0.5 s)"
    );

    let report = json(&rehearse(&data, &["sessions", "show", &id, "--json"]));
    let wav_path = report["audio"]["path"].as_str().unwrap();
    let wav = hound::WavReader::open(wav_path).expect("a valid WAV after repair");
    let wav_s = f64::from(wav.duration()) / f64::from(wav.spec().sample_rate);
    assert!(
        wav_s >= elapsed - 1.5,
        "the WAV holds {wav_s:.2} s of {elapsed:.2} s"
    );
    assert!(
        !Path::new(wav_path).with_extension("lock").exists(),
        "the stale lock file is removed"
    );
    // Every segment the CLI showed before it died was stored as it was shown (how many
    // there are depends on how fast whisper keeps up on this machine).
    let so_far = report["transcript"]["segments"].as_array().unwrap().len();
    let shown = said.iter().filter(|l| l.starts_with('[')).count();
    assert!(
        so_far >= shown,
        "{so_far} segments stored, {shown} shown: {said:?}"
    );
    eprintln!("killed after {elapsed:.1} s: {wav_s:.1} s of audio and {so_far} segments saved");
    assert_eq!(
        report["score_version"],
        serde_json::Value::Null,
        "not scored yet"
    );

    // Finishing transcribes the rest of what was recorded and scores it.
    let done = json(&rehearse(&data, &["sessions", "finish", &id, "--json"]));
    assert_eq!(done["status"], "done");
    assert_eq!(done["score_version"], 1);
    assert_eq!(done["scorecard"]["dimensions"].as_array().unwrap().len(), 8);
    let after = done["transcript"]["segments"].as_array().unwrap().len();
    assert!(after >= so_far);
    let text: String = done["transcript"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap_or_default().to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("chunk") || text.contains("requirement"),
        "{text}"
    );
    let history = json(&rehearse(&data, &["sessions", "history", &id, "--json"]));
    assert_eq!(history[0]["reason"], "finished after an interruption");
    // Finishing twice is refused.
    assert!(!rehearse(&data, &["sessions", "finish", &id])
        .status
        .success());
}
