//! Review through the engine, on real SQLite files and real exported files: correcting a
//! segment re-scores with history, analytics of stored segments, attempts and comparison,
//! progress, export (well-formed, offline, escaped), retention and interrupted sessions.

use quick_xml::events::Event;
use rehearse_content::Content;
use rehearse_core::*;
use rehearse_engine::{Engine, EnginePaths, EngineSettings};
use rehearse_interviewer::score_transcript;
use rehearse_store::Store;
use std::path::Path;

use crate::common;

const PROMPT: &str = "doc-qa-10k";

fn engine_with(dir: &Path, settings: EngineSettings) -> Engine {
    Engine::new(EnginePaths::new(dir.to_path_buf()), settings).unwrap()
}

fn engine(dir: &Path) -> Engine {
    engine_with(dir, EngineSettings::default())
}

/// Stores a scored session as the practice paths do (offline grader), with a real WAV of
/// silence as its recording. Returns the audio path.
fn store_session(dir: &Path, id: &str, started_at: &str, texts: &[&str]) -> std::path::PathBuf {
    let content = Content::embedded().unwrap();
    let (_, rubric) = content.prompt_with_rubric(PROMPT).unwrap();
    let audio = dir.join("audio").join(format!("{id}.wav"));
    std::fs::create_dir_all(audio.parent().unwrap()).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&audio, spec).unwrap();
    for _ in 0..16_000 {
        w.write_sample(0i16).unwrap();
    }
    w.finalize().unwrap();
    let mut store = Store::open(&EnginePaths::new(dir.to_path_buf()).db_path()).unwrap();
    let segs =
        common::create_transcribed_session(&mut store, PROMPT, id, started_at, &audio, texts);
    store
        .add_turn(
            id,
            &Turn {
                at: 6.0,
                role: TurnRole::Interviewer,
                text: "What would you <b>trade</b> off?".into(),
                targets: vec![DimensionId::Tradeoffs],
            },
            "offline",
        )
        .unwrap();
    store
        .save_scorecard(id, &score_transcript(rubric, &segs))
        .unwrap();
    let duration = segs.last().map_or(1.0, |s| s.t1 + 2.0);
    store
        .finish_session(id, started_at, duration, SessionStatus::Done)
        .unwrap();
    audio
}

fn level(r: &SessionReport, id: DimensionId) -> u8 {
    r.scorecard
        .dimensions
        .iter()
        .find(|d| d.id == id)
        .unwrap()
        .level
}

#[test]
fn correcting_a_segment_rescores_and_keeps_every_version() {
    let tmp = tempfile::tempdir().unwrap();
    store_session(
        tmp.path(),
        "s1",
        "2026-11-20T10:00:00Z",
        &[
            "First, who are the users and how many queries per second?",
            "I would use chunks because it is good.",
        ],
    );
    let engine = engine(tmp.path());
    let before = engine.session("s1").unwrap();
    assert_eq!(before.score_version, Some(1));
    assert_eq!(before.segment_refs.len(), 2);
    let tradeoffs_before = level(&before, DimensionId::Tradeoffs);

    // Whisper misheard; the candidate said a real trade-off.
    let corrected = engine
        .correct_segment(
            "s1",
            before.segment_refs[1].id,
            "I'd use 500 token chunks versus whole pages because recall goes up, at the cost of more storage; if latency mattered most I would switch to larger chunks instead.",
        )
        .unwrap();
    assert_eq!(corrected.score_version, Some(2));
    assert!(corrected.segment_refs[1].corrected);
    assert_eq!(
        corrected.segment_refs[1].original_text.as_deref(),
        Some("I would use chunks because it is good.")
    );
    assert!(
        level(&corrected, DimensionId::Tradeoffs) > tradeoffs_before,
        "{} -> {}",
        tradeoffs_before,
        level(&corrected, DimensionId::Tradeoffs)
    );
    let history = engine.score_history("s1").unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].reason, "scored");
    assert_eq!(history[1].reason, "after correcting segment 2");
    assert_eq!(history[1].grader, "offline");
    assert!(history[1].overall > history[0].overall);
    // The old version is intact.
    let old_tradeoffs = history[0]
        .levels
        .iter()
        .find(|l| l.id == DimensionId::Tradeoffs)
        .unwrap();
    assert_eq!(old_tradeoffs.level, tradeoffs_before);

    assert!(engine.correct_segment("s1", 999_999, "x").is_err());
    assert!(engine
        .correct_segment("s1", before.segment_refs[0].id, "   ")
        .is_err());
    assert!(engine.score_history("nope").is_err());
    // Search sees the corrected words.
    let hits = engine
        .search_sessions(&SessionQuery {
            text: Some("latency".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].prompt_title,
        "Document Q&A over a 10,000-page knowledge base"
    );
}

#[test]
fn analytics_attempts_comparison_and_progress_from_stored_sessions() {
    let tmp = tempfile::tempdir().unwrap();
    store_session(
        tmp.path(),
        "old",
        "2026-11-01T10:00:00Z",
        &[
            "Um, so, like, we need a database.",
            "Uh, basically a cache.",
        ],
    );
    store_session(
        tmp.path(),
        "new",
        "2026-11-15T10:00:00Z",
        &[
            "First, who are the users? About 200 queries per second.",
            "I'd use 500 token chunks versus whole pages because recall goes up, at the cost of more storage.",
            "To summarise, we evaluate with a golden set and track faithfulness.",
        ],
    );
    let engine = engine(tmp.path());
    let a = engine.session_analytics("old").unwrap();
    assert_eq!(a.filler_total, 4, "{:?}", a.fillers);
    assert_eq!(a.pauses.len(), 1, "the 3 s gap between the segments");
    assert!((a.talk_time_s - 10.0).abs() < 1e-9);
    let b = engine.session_analytics("new").unwrap();
    assert_eq!(b.filler_total, 0);
    assert!(b.signposts.iter().any(|s| s.phrase == "to summarise"));

    let attempts = engine.attempts(PROMPT).unwrap();
    let ids: Vec<_> = attempts.iter().map(|s| s.session_id.as_str()).collect();
    assert_eq!(ids, vec!["old", "new"], "oldest first");

    let c = engine.compare_sessions("old", "new").unwrap();
    assert_eq!(c.a.levels.len(), 8);
    assert!(c.b.tradeoffs.iter().any(|e| e.quote.contains("versus")));
    assert!(c.a.tradeoffs.is_empty());
    let d = c
        .level_deltas
        .iter()
        .find(|d| d.id == DimensionId::Tradeoffs)
        .unwrap();
    assert!(d.delta > 0);

    let p = engine.progress().unwrap();
    assert_eq!(p.sessions, 2);
    assert_eq!(p.dimensions.len(), 8);
    assert!(p.dimensions.iter().all(|d| d.points.len() == 2));
    assert_eq!(p.dimensions[0].points[0].session_id, "old");
    assert_eq!(p.filler_rate.len(), 2);
    assert!(p.filler_rate[0].value > p.filler_rate[1].value);
    assert!(!p.weakest.is_empty() && p.weakest.len() <= 3);
    assert!(p
        .weakest
        .windows(2)
        .all(|w| w[0].mean_level <= w[1].mean_level));
    let content = Content::embedded().unwrap();
    for w in &p.weakest {
        assert!(!w.cards.is_empty(), "{:?} has cards in the rubric", w.id);
        for c in &w.cards {
            assert!(content.card(&c.card_id).is_some(), "{}", c.card_id);
        }
    }
}

/// Every element and attribute of a well-formed document, read strictly.
fn parse_strict(html: &str) -> (Vec<String>, Vec<String>) {
    let body = html.trim_start_matches("<!DOCTYPE html>").trim_start();
    let mut reader = quick_xml::Reader::from_str(body);
    reader.config_mut().check_end_names = true;
    let (mut elements, mut attrs) = (Vec::new(), Vec::new());
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                elements.push(e.name().0.to_string());
                for a in e.attributes() {
                    let a = a.unwrap_or_else(|err| panic!("bad attribute: {err}"));
                    attrs.push(a.value.to_string());
                }
            }
            Ok(_) => {}
            Err(e) => panic!(
                "not well-formed at {}: {e}\n{body}",
                reader.buffer_position()
            ),
        }
    }
    (elements, attrs)
}

#[test]
fn export_is_self_contained_well_formed_and_escapes_the_transcript() {
    let tmp = tempfile::tempdir().unwrap();
    store_session(
        tmp.path(),
        "x",
        "2026-11-20T10:00:00Z",
        &[
            "We use a cache <script>alert('owned')</script> & a queue.",
            "See https://evil.example/ for more, versus a CDN because of latency.",
        ],
    );
    // A board drawn during the session.
    let scene = r#"{"type":"excalidraw","elements":[
        {"id":"a","type":"rectangle","x":0,"y":0,"width":120,"height":60,"version":1},
        {"id":"t","type":"text","x":10,"y":20,"width":100,"height":20,"text":"API <gateway>","version":1},
        {"id":"b","type":"ellipse","x":300,"y":0,"width":80,"height":80,"version":1},
        {"id":"r","type":"arrow","x":120,"y":30,"points":[[0,0],[180,10]],"version":1}]}"#;
    let delta = rehearse_board::history::BoardRecorder::new()
        .record(scene)
        .unwrap()
        .unwrap();
    Store::open(&EnginePaths::new(tmp.path().to_path_buf()).db_path())
        .unwrap()
        .add_board_event("x", 3.0, &delta.encode())
        .unwrap();

    let engine = engine(tmp.path());
    let file = engine
        .export_session("x", ExportFormat::Html, None)
        .unwrap();
    assert!(
        file.path
            .ends_with("2026-11-20-document-q-a-over-a-10-000-page-knowledge-base.html"),
        "{}",
        file.path
    );
    let html = std::fs::read_to_string(&file.path).unwrap();
    assert_eq!(html.len(), file.bytes as usize);
    let (elements, attrs) = parse_strict(&html);
    assert!(!elements.iter().any(|e| e == "script"), "{elements:?}");
    assert!(!elements
        .iter()
        .any(|e| e == "link" || e == "img" || e == "iframe"));
    assert!(html.contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt; &amp; a queue"));
    assert!(
        !attrs.iter().any(|a| a.contains("http") || a.contains("//")),
        "no attribute points anywhere: {attrs:?}"
    );
    // The only "http" is the candidate's own words, as text (transcript and quotes).
    assert!(html.matches("http").count() >= 1);
    assert_eq!(
        html.matches("http").count(),
        html.matches("https://evil.example/ for more").count()
    );
    assert!(html.contains("See https://evil.example/ for more"));
    for part in [
        "<svg",
        "<rect",
        "<ellipse",
        "API &lt;gateway&gt;",
        "Interviewer:",
        "What would you &lt;b&gt;trade&lt;/b&gt; off?",
        "00:08",
        "tradeoffs",
    ] {
        assert!(html.contains(part), "missing {part}");
    }
    assert!(
        elements.iter().filter(|e| *e == "svg").count() >= 2,
        "pace chart and board"
    );

    // A second export does not overwrite the first.
    let again = engine
        .export_session("x", ExportFormat::Html, None)
        .unwrap();
    assert_ne!(again.path, file.path);

    let md = engine.render_session_export("x", ExportFormat::Md).unwrap();
    assert!(
        md.starts_with("# Document Q&amp;A over a 10,000-page knowledge base"),
        "{md}"
    );
    assert!(md.contains("&lt;script&gt;") && !md.contains("<script"));
    assert!(
        md.contains("## Scorecard")
            && md.contains("## Transcript")
            && md.contains("## Final board")
    );
    let out = tmp.path().join("elsewhere/x.md");
    let f = engine
        .export_session("x", ExportFormat::Md, Some(&out))
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap().len(),
        f.bytes as usize
    );
}

#[test]
fn retention_prunes_old_sessions_with_their_files_and_audio_can_be_discarded() {
    let tmp = tempfile::tempdir().unwrap();
    let old_audio = store_session(tmp.path(), "ancient", "2020-01-01T10:00:00Z", &["Old."]);
    let new_audio = store_session(
        tmp.path(),
        "recent",
        // A few seconds ago: "older than 0 days" below must not depend on the clock ticking
        // over to the next second during the test.
        &(chrono::Utc::now() - chrono::Duration::seconds(5))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        &["New."],
    );
    // Keep everything by default.
    let engine = engine(tmp.path());
    assert_eq!(engine.sessions().unwrap().len(), 2);
    // A setting of 30 days deletes the old one at start, rows and file.
    let settings = EngineSettings {
        delete_after_days: Some(30),
        ..EngineSettings::default()
    };
    let engine = engine_with(tmp.path(), settings);
    let left: Vec<_> = engine
        .sessions()
        .unwrap()
        .into_iter()
        .map(|s| s.session_id)
        .collect();
    assert_eq!(left, vec!["recent"]);
    assert!(!old_audio.exists() && new_audio.exists());
    assert!(engine.prune_sessions_older_than(0).unwrap().deleted == vec!["recent".to_string()]);
    assert!(!new_audio.exists());
}

#[test]
fn an_interrupted_session_is_found_at_start_repaired_and_can_be_finished() {
    let tmp = tempfile::tempdir().unwrap();
    let audio = store_session(
        tmp.path(),
        "crashed",
        "2026-11-20T10:00:00Z",
        &["We shard the index."],
    );
    // Make it look like a process died while recording: status back to recording, no lock
    // held, a header that undercounts the samples.
    {
        let store = Store::open(&EnginePaths::new(tmp.path().to_path_buf()).db_path()).unwrap();
        store
            .set_session_status("crashed", SessionStatus::Recording, Some(0.0))
            .unwrap();
        let mut bytes = std::fs::read(&audio).unwrap();
        bytes[40..44].copy_from_slice(&0u32.to_le_bytes());
        bytes.extend(vec![0u8; 16_000 * 2]); // one more second the header does not count
        std::fs::write(&audio, bytes).unwrap();
    }
    let settings = EngineSettings {
        keep_audio: false,
        ..EngineSettings::default()
    };
    let engine = engine_with(tmp.path(), settings);
    assert_eq!(engine.interrupted_at_start(), ["crashed".to_string()]);
    let listed = engine.interrupted_sessions().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].status, SessionStatus::Interrupted);
    assert!(
        (listed[0].duration_s - 2.0).abs() < 1e-6,
        "{}",
        listed[0].duration_s
    );
    let wav = hound::WavReader::open(&audio).unwrap();
    assert_eq!(wav.duration(), 32_000);
    // A session that is done cannot be "finished" again.
    store_session(tmp.path(), "fine", "2026-11-21T10:00:00Z", &["Fine."]);
    assert!(engine.finish_interrupted("fine").is_err());
    // The audio past the last segment is shorter than the transcript's end here, so nothing
    // is left to transcribe (no speech model needed): finishing scores what was saved.
    let report = engine.finish_interrupted("crashed").unwrap();
    assert_eq!(report.status, SessionStatus::Done);
    assert!(report.score_version.unwrap() >= 2);
    assert!(
        !report.audio.available,
        "keep_audio=false discards it once scored"
    );
    assert!(!audio.exists());
    let h = engine.score_history("crashed").unwrap();
    assert_eq!(h.last().unwrap().reason, "finished after an interruption");
    assert!(engine.interrupted_sessions().unwrap().is_empty());
}

/// The data folder is private (issue 23): owner-only folders and files, created that way and
/// tightened at start for a folder an older version left readable by everyone.
#[cfg(unix)]
mod private_vault {
    use super::*;
    use rehearse_engine::vault::{database_files, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE};
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode()
            & 0o777
    }

    fn set_mode(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn an_old_open_folder_is_tightened_and_new_recordings_and_exports_are_private() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        // As an older version left it: everything readable by every user.
        let old_audio = store_session(&data, "old", "2026-11-20T10:00:00Z", &["We cache."]);
        let settings = data.join("settings.json");
        std::fs::write(&settings, "{}").unwrap();
        let exports = data.join("exports");
        std::fs::create_dir_all(&exports).unwrap();
        std::fs::write(exports.join("old.md"), "# old").unwrap();
        for dir in [&data, &data.join("audio"), &exports] {
            set_mode(dir, 0o755);
        }
        for file in [&old_audio, &settings, &exports.join("old.md")] {
            set_mode(file, 0o644);
        }
        let mut paths = EnginePaths::new(data.clone());
        set_mode(&paths.db_path(), 0o644);

        paths.models_dir = rehearse_testkit::models_dir();
        let engine = Engine::new(paths.clone(), EngineSettings::default()).unwrap();
        for dir in [&data, &data.join("audio"), &exports] {
            assert_eq!(mode(dir), PRIVATE_DIR_MODE, "{}", dir.display());
        }
        for file in [
            &old_audio,
            &settings,
            &exports.join("old.md"),
            &paths.db_path(),
        ] {
            assert_eq!(mode(file), PRIVATE_FILE_MODE, "{}", file.display());
        }

        // A new session from a WAV the user left readable: its stored copy is private.
        let answer = tmp.path().join("answer.wav");
        std::fs::copy(&old_audio, &answer).unwrap();
        set_mode(&answer, 0o644);
        let report = engine.practice_file(PROMPT, &answer).unwrap();
        let recording = engine.session_audio_path(&report.session_id).unwrap();
        assert_eq!(mode(&recording), PRIVATE_FILE_MODE);
        let export = engine
            .export_session(&report.session_id, ExportFormat::Md, None)
            .unwrap();
        assert_eq!(mode(Path::new(&export.path)), PRIVATE_FILE_MODE);

        // SQLite's WAL and shared memory take the database's mode while a connection is open.
        let store = Store::open(&paths.db_path()).unwrap();
        store.list_sessions().unwrap();
        for file in database_files(&paths) {
            assert_eq!(mode(&file), PRIVATE_FILE_MODE, "{}", file.display());
        }
        drop(store);
    }

    #[test]
    fn a_new_data_folder_is_created_private() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = EnginePaths::new(tmp.path().join("new-data"));
        let engine = Engine::new(paths.clone(), EngineSettings::default()).unwrap();
        assert_eq!(mode(&paths.data_dir), PRIVATE_DIR_MODE);
        assert_eq!(mode(&paths.db_path()), PRIVATE_FILE_MODE);
        let saved = rehearse_engine::save_user_settings_from(
            &paths,
            &rehearse_engine::default_app_settings(),
            &rehearse_engine::SettingsSources {
                keychain: &NoKeychain,
                var: &|_| None,
            },
        );
        saved.unwrap();
        assert_eq!(
            mode(&paths.data_dir.join("settings.json")),
            PRIVATE_FILE_MODE
        );
        drop(engine);
    }

    struct NoKeychain;

    impl rehearse_engine::SecretStore for NoKeychain {
        fn get(&self) -> Result<Option<String>, rehearse_engine::SecretError> {
            Ok(None)
        }
        fn set(&self, _: &str) -> Result<(), rehearse_engine::SecretError> {
            Ok(())
        }
        fn delete(&self) -> Result<(), rehearse_engine::SecretError> {
            Ok(())
        }
    }
}

#[test]
fn a_session_another_process_records_is_left_alone_by_recovery_until_its_lock_is_gone() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = EnginePaths::new(tmp.path().to_path_buf());
    let audio = store_session(tmp.path(), "live", "2026-11-20T10:00:00Z", &["We shard."]);
    let store = Store::open(&paths.db_path()).unwrap();
    store
        .set_session_status("live", SessionStatus::Recording, Some(0.0))
        .unwrap();
    let wav_before = std::fs::read(&audio).unwrap();
    // Another recorder holds the session's lock, as `rehearse practice --mic` does while it
    // records (flock conflicts between two opens, in one process as between two).
    let lock_path = paths.audio_dir().join("live.lock");
    let lock = std::fs::File::create(&lock_path).unwrap();
    lock.try_lock().unwrap();
    let while_locked = engine(tmp.path());
    assert!(while_locked.interrupted_at_start().is_empty());
    assert_eq!(
        store.session_status("live").unwrap(),
        SessionStatus::Recording
    );
    assert_eq!(
        std::fs::read(&audio).unwrap(),
        wav_before,
        "its file untouched"
    );
    assert!(lock_path.exists());

    // Its recorder finished it while a recovery looked: a finished session stays finished.
    store
        .finish_session("live", "2026-11-20T10:05:00Z", 2.0, SessionStatus::Done)
        .unwrap();
    assert!(!store.interrupt_if_recording("live").unwrap());
    assert_eq!(store.session_status("live").unwrap(), SessionStatus::Done);

    // A recorder that died (its lock released) leaves a session that is recovered.
    store
        .set_session_status("live", SessionStatus::Recording, None)
        .unwrap();
    drop(lock);
    let after_death = engine(tmp.path());
    assert_eq!(after_death.interrupted_at_start(), ["live".to_string()]);
    assert_eq!(
        store.session_status("live").unwrap(),
        SessionStatus::Interrupted
    );
}
