//! The `rehearse practice --json` contract, on an answer spoken by espeak-ng at test time and
//! transcribed by the real model; and the CLI's error messages.

use crate::common::rehearse;
use rehearse_core::{quote_occurs_in, SessionReport, ALL_DIMENSIONS};
use rehearse_testkit::{models_dir, speak_to_wav as speak, speak_to_wav_in_voice};
use std::path::Path;
use std::process::Command;

const ANSWER: &str =
    "First, let me clarify the requirements. The users are employees and we expect \
about fifty queries per second. Next, the architecture. We split every page into chunks of five \
hundred tokens, embed them, and keep the vectors in a vector database. Retrieval takes the top \
five chunks. I chose small chunks versus whole pages because retrieval is more accurate, at the \
cost of more vectors to store.";

#[test]
#[ignore = "needs the installed speech model and espeak-ng: run `bash scripts/test.sh`"]
fn practice_json_has_the_contract_shape_and_real_quotes() {
    let _ = models_dir();
    let tmp = tempfile::tempdir().unwrap();
    let wav = tmp.path().join("answer.wav");
    speak(ANSWER, &wav);
    let data = tmp.path().join("data");
    let out = rehearse(
        &data,
        &[
            "practice",
            "--prompt",
            "doc-qa-10k",
            "--audio",
            wav.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The exact shape, checked on the raw JSON so a renamed field cannot slip through.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert!(v["session_id"].is_string());
    assert_eq!(v["prompt_id"], "doc-qa-10k");
    assert!(v["audio"]["path"].is_string() && v["audio"]["duration_s"].as_f64().unwrap() > 15.0);
    let segs = v["transcript"]["segments"].as_array().unwrap();
    assert!(!segs.is_empty());
    for s in segs {
        assert!(s["t0"].is_number() && s["t1"].is_number() && s["text"].is_string());
    }
    let turns = v["turns"].as_array().unwrap();
    assert!(
        !turns.is_empty(),
        "the interviewer asks at least at the end"
    );
    for t in turns {
        assert_eq!(t["role"], "interviewer");
        assert!(t["at"].is_number() && t["text"].is_string() && t["targets"].is_array());
    }
    assert_eq!(v["scorecard"]["grader"], "offline");
    let dims = v["scorecard"]["dimensions"].as_array().unwrap();
    let ids: Vec<&str> = dims.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = ALL_DIMENSIONS.iter().map(|d| d.as_str()).collect();
    assert_eq!(ids, expected);

    let report: SessionReport = serde_json::from_value(v).unwrap();
    let text = report.transcript.full_text();
    let mut quotes = 0;
    for d in &report.scorecard.dimensions {
        assert!(d.level <= 4);
        assert!(!d.suggestion.is_empty());
        if d.level > 0 {
            assert!(
                !d.evidence.is_empty(),
                "{:?} has a level without evidence",
                d.id
            );
        }
        for e in &d.evidence {
            quotes += 1;
            assert!(
                quote_occurs_in(&e.quote, &text),
                "quote not in transcript: {}",
                e.quote
            );
        }
    }
    assert!(quotes >= 3, "a real answer yields evidence");
    // The spoken answer names requirements, architecture and a trade-off.
    let level = |id: &str| {
        report
            .scorecard
            .dimensions
            .iter()
            .find(|d| d.id.as_str() == id)
            .unwrap()
            .level
    };
    assert!(
        level("architecture") >= 2 && level("tradeoffs") >= 2,
        "{:?}",
        report.scorecard
    );
    assert_eq!(level("evaluation"), 0, "nothing was said about evaluation");

    // Stored: the audio copy exists and `sessions show` returns the same document.
    assert!(Path::new(&report.audio.path).exists());
    let shown = rehearse(&data, &["sessions", "show", &report.session_id, "--json"]);
    assert!(shown.status.success());
    let again: SessionReport = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(again, report);
    let list = rehearse(&data, &["sessions", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains(&report.session_id));
}

#[test]
fn unknown_prompt_fails_with_a_message_and_stores_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let wav = tmp.path().join("a.wav");
    std::fs::write(&wav, b"not audio").unwrap();
    let out = rehearse(
        tmp.path(),
        &[
            "practice",
            "--prompt",
            "no-such",
            "--audio",
            wav.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown prompt 'no-such'") && err.contains("rehearse prompts"),
        "{err}"
    );
    let list = rehearse(tmp.path(), &["sessions", "list", "--json"]);
    assert_eq!(String::from_utf8_lossy(&list.stdout).trim(), "[]");
}

#[test]
fn unreadable_wav_fails_with_a_message() {
    let tmp = tempfile::tempdir().unwrap();
    let wav = tmp.path().join("broken.wav");
    std::fs::write(&wav, b"RIFF\x24\x00\x00\x00WAVEfmt garbage").unwrap();
    let out = rehearse(
        tmp.path(),
        &[
            "practice",
            "--prompt",
            "doc-qa-10k",
            "--audio",
            wav.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.wav") && err.contains("export it as WAV"),
        "{err}"
    );
}

#[test]
fn missing_model_names_the_command_that_installs_it() {
    let tmp = tempfile::tempdir().unwrap();
    let wav = tmp.path().join("tone.wav");
    write_silence(&wav);
    let out = Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .args([
            "practice",
            "--prompt",
            "doc-qa-10k",
            "--audio",
            wav.to_str().unwrap(),
        ])
        .env("REHEARSE_DATA_DIR", tmp.path())
        .env("REHEARSE_MODELS_DIR", tmp.path().join("no-models"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not installed") && err.contains("scripts/setup.sh"),
        "{err}"
    );
}

/// A minimal 16 kHz mono 16-bit WAV of one second of silence, written by hand so this test
/// needs no audio crate.
fn write_silence(path: &Path) {
    let (rate, channels) = (16_000u32, 1u16);
    let data_len = rate * channels as u32 * 2;
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&channels.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&(rate * channels as u32 * 2).to_le_bytes());
    b.extend_from_slice(&(channels * 2).to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    b.resize(b.len() + data_len as usize, 0);
    std::fs::write(path, b).unwrap();
}

/// `rehearse practice --json` on each answer's recording, two at a time (each whisper call uses
/// one core of the two), each worker on a data folder of its own; outputs in answer order.
fn practise_two_at_a_time(
    dir: &Path,
    answers: &[&rehearse_evals::ReferenceAnswer],
    wavs: &[std::path::PathBuf],
) -> Vec<std::process::Output> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut outputs: Vec<Option<std::process::Output>> = answers.iter().map(|_| None).collect();
    let done = std::sync::Mutex::new(&mut outputs);
    std::thread::scope(|scope| {
        for worker in 0..2 {
            let (next, done) = (&next, &done);
            let data = dir.join(format!("data-{worker}"));
            scope.spawn(move || loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(answer) = answers.get(i) else { break };
                let out = rehearse(
                    &data,
                    &[
                        "practice",
                        "--prompt",
                        &answer.prompt,
                        "--audio",
                        wavs[i].to_str().unwrap(),
                        "--json",
                    ],
                );
                done.lock().unwrap()[i] = Some(out);
            });
        }
    });
    outputs
        .into_iter()
        .map(|o| o.expect("every answer ran"))
        .collect()
}

/// The reference answers marked `speech = true` in evals/judgement, spoken by espeak-ng in two
/// voices and put through the whole file path (whisper, interviewer, grader): the scores of
/// what was heard must stay within one level of the scores of what was written, and the
/// adversarial answers must stay low when spoken too.
#[test]
#[ignore = "needs the installed speech model and espeak-ng: run `bash scripts/test.sh`"]
fn spoken_reference_answers_grade_like_their_text() {
    let _ = models_dir();
    let content = rehearse_content::Content::embedded().unwrap();
    let set = rehearse_evals::load_set(&rehearse_evals::repository_set_dir()).unwrap();
    let spoken: Vec<_> = set.iter().filter(|a| a.speech).collect();
    assert!(
        spoken.len() >= 4,
        "the set marks too few answers for speech"
    );
    let tmp = tempfile::tempdir().unwrap();
    let voice_of = |i: usize| ["en-us", "en-gb"][i % 2];
    let wavs: Vec<_> = spoken
        .iter()
        .enumerate()
        .map(|(i, answer)| {
            let wav = tmp.path().join(format!("answer-{i}.wav"));
            speak_to_wav_in_voice(&answer.text, &wav, voice_of(i));
            wav
        })
        .collect();
    let outputs = practise_two_at_a_time(tmp.path(), &spoken, &wavs);
    let (mut pairs, mut vs_reference) = (Vec::new(), Vec::new());
    let mut totals = std::collections::BTreeMap::new();
    for (i, (answer, out)) in spoken.iter().zip(outputs).enumerate() {
        let voice = voice_of(i);
        assert!(
            out.status.success(),
            "{}: {}",
            answer.id,
            String::from_utf8_lossy(&out.stderr)
        );
        let heard: SessionReport = serde_json::from_slice(&out.stdout).unwrap();
        let (_, rubric) = content.prompt_with_rubric(&answer.prompt).unwrap();
        let written = rehearse_interviewer::score_transcript(
            rubric,
            &rehearse_evals::segments_of(&answer.text),
        );
        let level = |card: &rehearse_core::Scorecard, id| {
            card.dimensions
                .iter()
                .find(|d| d.id == id)
                .map_or(0, |d| d.level)
        };
        let mut row = String::new();
        for id in ALL_DIMENSIONS {
            let (h, w) = (level(&heard.scorecard, id), level(&written, id));
            pairs.push((w, h));
            vs_reference.push((answer.levels[&id], h));
            row.push_str(&format!("{h}"));
        }
        let total: u32 = heard
            .scorecard
            .dimensions
            .iter()
            .map(|d| u32::from(d.level))
            .sum();
        eprintln!(
            "{:<28} {voice:<6} heard {row} total {total:>2}  reference {:>2}",
            answer.id,
            answer.total()
        );
        totals.insert(answer.id.clone(), (answer.kind, total));
    }
    let heard_vs_written = rehearse_evals::Agreement::of(&pairs);
    let heard_vs_reference = rehearse_evals::Agreement::of(&vs_reference);
    eprintln!("heard vs written: {heard_vs_written:?}\nheard vs reference: {heard_vs_reference:?}");
    assert!(
        heard_vs_written.within_one >= 0.85,
        "speech moved the grades: {heard_vs_written:?}"
    );
    for (id, (kind, total)) in &totals {
        match kind {
            rehearse_evals::AnswerKind::Salad => {
                assert!(*total <= 8, "{id} spoken earned {total}/32")
            }
            rehearse_evals::AnswerKind::Wrong => {
                let strong = totals
                    .iter()
                    .find(|(other, (k, _))| {
                        *k == rehearse_evals::AnswerKind::Strong
                            && other.split('/').next() == id.split('/').next()
                    })
                    .map(|(_, (_, t))| *t);
                if let Some(strong) = strong {
                    assert!(
                        *total < strong,
                        "{id} spoken scored {total}, the strong answer {strong}"
                    );
                }
            }
            _ => {}
        }
    }
}

/// The CLI and the app are twins: the CLI runs with the settings the app saved in the same
/// data folder (issue 22), and the environment still overrides them, saying so.
mod saved_settings {
    use super::*;
    use rehearse_core::InterviewLength;
    use rehearse_engine::settings_file::ENV_OVERRIDES;
    use rehearse_engine::{
        default_app_settings, save_user_settings_from, EnginePaths, SecretError, SecretStore,
        SettingsSources, API_KEY_VAR,
    };
    use serde_json::Value;

    struct NoKeychain;

    impl SecretStore for NoKeychain {
        fn get(&self) -> Result<Option<String>, SecretError> {
            Ok(None)
        }
        fn set(&self, _: &str) -> Result<(), SecretError> {
            Ok(())
        }
        fn delete(&self) -> Result<(), SecretError> {
            Ok(())
        }
    }

    /// `rehearse` on `data` with none of the variables that override settings, and no
    /// keychain to ask (a bus that is not there), plus `env`.
    fn rehearse_clean(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Value {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rehearse"));
        cmd.args(args)
            .env("REHEARSE_DATA_DIR", data)
            .env("REHEARSE_MODELS_DIR", data.join("models"))
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/rehearse-test-bus",
            )
            .env_remove(API_KEY_VAR);
        for var in ENV_OVERRIDES {
            cmd.env_remove(var);
        }
        cmd.envs(env.iter().copied());
        let out = cmd.output().expect("run rehearse");
        assert!(
            out.status.success(),
            "rehearse {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON on stdout")
    }

    #[test]
    fn the_cli_runs_with_the_settings_the_app_saved() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = EnginePaths::new(tmp.path().to_path_buf());
        let mut saved = default_app_settings();
        saved.model_id = "base.en".into();
        saved.interview_length = InterviewLength::Drill10;
        saved.input_device = Some("USB test mic".into());
        saved.llm.enabled = true;
        saved.llm.base_url = "http://127.0.0.1:9/v1".into();
        saved.llm.model = "qwen-test".into();
        saved.llm.timeout_s = 12.0;
        save_user_settings_from(
            &paths,
            &saved,
            &SettingsSources {
                keychain: &NoKeychain,
                var: &|_| None,
            },
        )
        .unwrap();

        let shown = rehearse_clean(tmp.path(), &["settings", "show", "--json"], &[]);
        let in_use = &shown["in_use"];
        assert_eq!(in_use["model_id"], "base.en", "{shown:#}");
        assert_eq!(
            in_use["phases"],
            serde_json::to_value(InterviewLength::Drill10.phase_plan()).unwrap()
        );
        assert_eq!(in_use["input_device"], "USB test mic");
        assert_eq!(in_use["llm"]["base_url"], "http://127.0.0.1:9/v1");
        assert_eq!(in_use["llm"]["model"], "qwen-test");
        assert_eq!(in_use["llm"]["timeout_s"], 12.0);
        assert_eq!(in_use["llm"]["api_key_set"], false);
        assert_eq!(shown["env_overrides"], serde_json::json!([]));

        // The engine the CLI builds uses that model: `models list` marks it as the one in use.
        let models = rehearse_clean(tmp.path(), &["models", "list", "--json"], &[]);
        let active: Vec<&str> = models
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["active"] == true)
            .filter_map(|m| m["id"].as_str())
            .collect();
        assert_eq!(active, ["base.en"]);

        // The environment still wins, and says which variable did; the key never shows.
        let shown = rehearse_clean(
            tmp.path(),
            &["settings", "show", "--json"],
            &[
                ("REHEARSE_MODEL", "small.en"),
                (API_KEY_VAR, "sk-test-6021"),
            ],
        );
        assert_eq!(shown["in_use"]["model_id"], "small.en");
        assert_eq!(shown["settings"]["model_id"], "base.en");
        assert_eq!(
            shown["env_overrides"],
            serde_json::json!(["REHEARSE_MODEL"])
        );
        assert_eq!(shown["in_use"]["llm"]["api_key_set"], true);
        assert!(!shown.to_string().contains("sk-test-6021"));
    }
}

/// Two `rehearse` processes on one data folder at once, and a disk that fills up while
/// recording (issue 23, items 3 and 4).
mod faults {
    use super::ANSWER;
    use rehearse_testkit::{models_dir, speak_to_wav, SmallDisk};
    use std::io::{BufRead, BufReader};
    use std::path::Path;
    use std::process::{Child, Stdio};
    use std::time::{Duration, Instant};

    fn spawn(data_dir: &Path, args: &[&str]) -> Child {
        crate::common::rehearse_command(data_dir)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start rehearse")
    }

    /// Waits for `child`, killing it (and failing) if it runs past `limit`: a lock-up.
    fn finish(mut child: Child, limit: Duration, what: &str) -> std::process::Output {
        let deadline = Instant::now() + limit;
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                let out = child.wait_with_output().unwrap();
                panic!(
                    "{what} hung for {limit:?}; stderr: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        child.wait_with_output().unwrap()
    }

    fn practice_json(out: &std::process::Output, what: &str) -> serde_json::Value {
        assert!(
            out.status.success(),
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("one JSON document")
    }

    fn sessions(data: &Path) -> serde_json::Value {
        let out = super::rehearse(data, &["sessions", "list", "--json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn integrity(db: &Path) -> String {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    #[ignore = "needs the installed speech model and espeak-ng: run `bash scripts/test.sh`"]
    fn two_practices_started_at_once_on_a_new_data_folder_both_store_their_session() {
        let _ = models_dir();
        let tmp = tempfile::tempdir().unwrap();
        let wav = tmp.path().join("answer.wav");
        speak_to_wav(ANSWER, &wav);
        // A data folder that does not exist yet: both create and migrate the database.
        let data = tmp.path().join("data");
        let args = [
            "practice",
            "--prompt",
            "doc-qa-10k",
            "--audio",
            wav.to_str().unwrap(),
            "--json",
        ];
        let (a, b) = (spawn(&data, &args), spawn(&data, &args));
        let a = finish(a, Duration::from_secs(240), "the first practice");
        let b = finish(b, Duration::from_secs(240), "the second practice");
        let (a, b) = (
            practice_json(&a, "the first"),
            practice_json(&b, "the second"),
        );
        assert_ne!(a["session_id"], b["session_id"]);
        assert_ne!(a["audio"]["path"], b["audio"]["path"]);
        let listed = sessions(&data);
        let listed = listed.as_array().unwrap();
        assert_eq!(listed.len(), 2, "{listed:?}");
        for report in [&a, &b] {
            let row = listed
                .iter()
                .find(|s| s["session_id"] == report["session_id"])
                .unwrap_or_else(|| panic!("{} not listed: {listed:?}", report["session_id"]));
            assert_eq!(row["status"], "done");
            assert!(!report["transcript"]["segments"]
                .as_array()
                .unwrap()
                .is_empty());
        }
        assert_eq!(integrity(&data.join("rehearse.sqlite3")), "ok");
    }

    /// Starts `rehearse practice --live-from WAV --json` and waits until it records.
    fn start_live(data: &Path, wav: &Path) -> (Child, std::thread::JoinHandle<String>) {
        let mut child = spawn(
            data,
            &[
                "practice",
                "--prompt",
                "doc-qa-10k",
                "--live-from",
                wav.to_str().unwrap(),
            ],
        );
        let stderr = child.stderr.take().unwrap();
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut all = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("Recording") {
                    let _ = started_tx.send(());
                }
                all.push_str(&line);
                all.push('\n');
            }
            all
        });
        started_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("recording never started");
        (child, reader)
    }

    #[test]
    #[ignore = "needs the installed speech model and espeak-ng: run `bash scripts/test.sh`"]
    fn two_live_recordings_at_once_keep_their_own_sessions_and_neither_recovers_the_other() {
        let _ = models_dir();
        let tmp = tempfile::tempdir().unwrap();
        let wav = tmp.path().join("answer.wav");
        speak_to_wav(ANSWER, &wav);
        let data = tmp.path().join("data");
        let (first, first_err) = start_live(&data, &wav);
        let (second, second_err) = start_live(&data, &wav);
        // Both record now. A third start (its recovery runs at start) must leave both alone.
        let during = sessions(&data);
        let during = during.as_array().unwrap();
        assert_eq!(during.len(), 2, "{during:?}");
        assert!(
            during.iter().all(|s| s["status"] == "recording"),
            "a living recording was taken for interrupted: {during:?}"
        );
        // Each lock file says whose it is.
        for s in during {
            let lock = data
                .join("audio")
                .join(format!("{}.lock", s["session_id"].as_str().unwrap()));
            let holder = std::fs::read_to_string(&lock).unwrap();
            assert!(holder.contains("process "), "{holder}");
        }
        let first = finish(first, Duration::from_secs(180), "the first recording");
        let second = finish(second, Duration::from_secs(180), "the second recording");
        for (out, err) in [(&first, first_err), (&second, second_err)] {
            let err = err.join().unwrap();
            assert!(out.status.success(), "{err}");
            assert!(!err.contains("interrupted"), "{err}");
        }
        let after = sessions(&data);
        let after = after.as_array().unwrap();
        assert_eq!(after.len(), 2, "{after:?}");
        for s in after {
            assert_eq!(s["status"], "done", "{after:?}");
            let audio = data
                .join("audio")
                .join(format!("{}.wav", s["session_id"].as_str().unwrap()));
            let seconds = hound::WavReader::open(&audio).unwrap().duration() as f64 / 16_000.0;
            assert!(seconds > 15.0, "{seconds}");
        }
        assert_eq!(integrity(&data.join("rehearse.sqlite3")), "ok");
        assert_eq!(
            std::fs::read_dir(data.join("audio"))
                .unwrap()
                .filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .path()
                        .extension()
                        .is_some_and(|x| x == "lock")
                })
                .count(),
            0,
            "locks are removed when their sessions end"
        );
    }

    #[test]
    #[ignore = "needs the installed speech model and espeak-ng: run `bash scripts/test.sh`"]
    fn a_disk_that_fills_while_recording_stops_with_a_message_and_keeps_what_was_said() {
        let _ = models_dir();
        let tmp = tempfile::tempdir().unwrap();
        let wav = tmp.path().join("answer.wav");
        speak_to_wav(ANSWER, &wav);
        let data = tmp.path().join("data");
        // The recordings folder is a disk of its own with room for about 9 s of audio; the
        // database stays on a disk with room.
        let Some(disk) = SmallDisk::mount("rehearse practice on a full disk", 300 * 1024) else {
            return;
        };
        std::fs::create_dir_all(&data).unwrap();
        std::os::unix::fs::symlink(disk.path(), data.join("audio")).unwrap();

        let (child, stderr) = start_live(&data, &wav);
        let out = finish(child, Duration::from_secs(120), "practice on a full disk");
        let stderr = stderr.join().unwrap();
        eprintln!("--- what the user saw on stderr:\n{stderr}---");
        assert_eq!(out.status.code(), Some(1), "exits non-zero: {stderr}");
        assert!(
            stderr.contains("! The disk is full: recording stopped because "),
            "{stderr}"
        );
        assert!(stderr.contains("What you said up to 00:0"), "{stderr}");
        assert!(stderr.contains("error: The disk is full: "), "{stderr}");
        assert!(
            !stderr.contains("os error"),
            "no raw system error: {stderr}"
        );
        // The report of what was said is printed all the same.
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.trim().is_empty(), "no report printed");

        let listed = sessions(&data);
        let listed = listed.as_array().unwrap();
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(listed[0]["status"], "done", "{listed:?}");
        let id = listed[0]["session_id"].as_str().unwrap();
        let shown = super::rehearse(&data, &["sessions", "show", id, "--json"]);
        assert!(
            shown.status.success(),
            "{}",
            String::from_utf8_lossy(&shown.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
        let stored_s = report["audio"]["duration_s"].as_f64().unwrap();
        let reader = hound::WavReader::open(disk.path().join(format!("{id}.wav"))).unwrap();
        let on_disk_s = reader.duration() as f64 / 16_000.0;
        assert!((8.0..9.7).contains(&on_disk_s), "{on_disk_s}");
        assert!(
            (stored_s - on_disk_s).abs() < 0.01,
            "{stored_s} vs {on_disk_s}"
        );
        assert_eq!(
            reader.into_samples::<i16>().filter(|s| s.is_err()).count(),
            0
        );
        // What was said before the disk filled is transcribed and stored.
        let text = report["transcript"]["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap().to_lowercase())
            .collect::<String>();
        assert!(text.contains("requirements"), "{text}");
        assert_eq!(integrity(&data.join("rehearse.sqlite3")), "ok");
    }
}
