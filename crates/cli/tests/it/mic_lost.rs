//! `rehearse practice --mic` when the microphone disappears mid-answer (issue 23, item 1):
//! the PulseAudio server of the virtual microphone is killed while speech plays. The command
//! ends within a few seconds with the message and a non-zero status, and the session is
//! stored, transcribed and scored with a valid recording of what was said.

use crate::common::{rehearse, rehearse_command};
use rehearse_testkit::vmic::{kill_sound_server, stall_sound_server, RestoreVirtualMic};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SPOKEN_SSML: &str = "<speak>First, the requirements: employees ask questions about ten \
thousand pages. <break time=\"1200ms\"/> Next, we split every page into chunks and embed them \
in a vector store. <break time=\"1200ms\"/> Retrieval takes the top five chunks.</speak>";

/// `rehearse practice --mic` on a fresh data folder, recording, with the spoken answer playing
/// into the virtual microphone: the child (stdout piped), its stderr lines once it ends, the
/// player, and the data folder (kept while `tmp` lives).
struct MicAnswer {
    child: Child,
    stderr: std::thread::JoinHandle<Vec<String>>,
    player: Child,
    data: PathBuf,
}

fn answer_on_the_mic(tmp: &Path, extra: &[&str]) -> MicAnswer {
    let _ = rehearse_testkit::models_dir();
    let spoken = tmp.join("spoken.wav");
    rehearse_testkit::speak_ssml_to_wav(SPOKEN_SSML, &spoken);
    let data = tmp.join("data");
    let mut cmd = rehearse_command(&data);
    cmd.args(["practice", "--prompt", "doc-qa-10k", "--mic"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start rehearse practice --mic");
    let stderr = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    // Recording starts once the session exists (its audio file is created).
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::fs::read_dir(data.join("audio")).map_or(true, |d| d.count() == 0) {
        assert!(Instant::now() < deadline, "the CLI never started recording");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    let player = Command::new("paplay").arg(&spoken).spawn().expect("paplay");
    MicAnswer {
        child,
        stderr,
        player,
        data,
    }
}

#[test]
#[ignore = "needs the virtual microphone, espeak-ng and the installed speech model: run `bash scripts/test.sh`"]
fn practice_mic_ends_with_the_message_and_a_scored_session_when_the_sound_server_dies() {
    let _restore = RestoreVirtualMic;
    let tmp = tempfile::tempdir().unwrap();
    let mut mic = answer_on_the_mic(tmp.path(), &["--seconds", "40", "--json"]);
    let stdout = mic.child.stdout.take().unwrap();
    let out_reader =
        std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    std::thread::sleep(Duration::from_secs(6));
    let killed = Instant::now();
    kill_sound_server();
    let _ = mic.player.kill();
    let _ = mic.player.wait();

    let status = loop {
        if let Some(status) = mic.child.try_wait().unwrap() {
            break status;
        }
        if killed.elapsed() > Duration::from_secs(30) {
            let _ = mic.child.kill();
            panic!("the CLI hangs after the sound server died");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let ended_after = killed.elapsed();
    let stderr = mic.stderr.join().unwrap().join("\n");
    let stdout = out_reader.join().unwrap();
    eprintln!("ended {ended_after:?} after the kill, {status}; stderr:\n{stderr}");
    assert!(!status.success(), "a lost microphone is a non-zero exit");
    // Noticed within about a second; then the tail is transcribed and scored (the model
    // loaded already), which takes a few seconds more on a slow machine.
    assert!(ended_after < Duration::from_secs(15), "{ended_after:?}");
    let device_line = stderr
        .lines()
        .find(|l| l.contains("The microphone stopped: "))
        .unwrap_or_else(|| panic!("no message: {stderr}"));
    assert!(
        device_line.ends_with("What you said so far is saved."),
        "{device_line}"
    );

    // The report of what was said is printed, and stored as a scored session.
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("the JSON report");
    assert_eq!(
        report["scorecard"]["dimensions"].as_array().unwrap().len(),
        8
    );
    let list = rehearse(&mic.data, &["sessions", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(list[0]["status"], "done", "{list}");
    let wav_path = report["audio"]["path"].as_str().unwrap();
    let wav = hound::WavReader::open(wav_path).expect("a valid WAV");
    let wav_s = f64::from(wav.duration()) / f64::from(wav.spec().sample_rate);
    assert!(wav_s > 5.0, "{wav_s} s kept of ~6 s said");
    let text = report["transcript"]["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap_or_default().to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("requirement"), "{text}");
}

#[test]
#[ignore = "needs the virtual microphone, espeak-ng and the installed speech model: run `bash scripts/test.sh`"]
fn practice_mic_goes_on_when_the_sound_server_only_stalls() {
    let _restore = RestoreVirtualMic;
    let tmp = tempfile::tempdir().unwrap();
    let mut mic = answer_on_the_mic(tmp.path(), &["--seconds", "16"]);
    std::thread::sleep(Duration::from_secs(3));
    // Longer than the capture's watchdog (1 s), shorter than the CLI's wait for a comeback.
    stall_sound_server(2.5);
    let _ = mic.player.wait();
    let status = mic.child.wait().expect("the CLI ends");
    let stderr = mic.stderr.join().unwrap().join("\n");
    eprintln!("{status}; stderr:\n{stderr}");
    assert!(
        stderr.contains("The microphone stopped: "),
        "the stall was not noticed, so this tests nothing: {stderr}"
    );
    assert!(
        status.success(),
        "a stall of 2.5 s ended the session: {stderr}"
    );
}
