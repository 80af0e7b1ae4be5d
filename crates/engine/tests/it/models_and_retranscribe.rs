//! Installing model files and re-transcribing a stored session with another model.
//!
//! Only tiny.en is available on the build machine (no model hub), so the "other model" is a
//! custom copy of tiny.en with one weight's lowest mantissa bit flipped: a different file
//! (different checksum, so it installs as `custom/...`) that transcribes the same way.

use rehearse_core::ModelState;
use rehearse_engine::{Engine, EngineError, EnginePaths, EngineSettings};
use rehearse_store::{Store, SUPERSEDED_PREFIX};
use rehearse_testkit::{installed_tiny_en, speak_to_wav as speak};
use std::path::Path;

/// An engine whose models folder starts empty.
fn fresh_engine(dir: &Path) -> Engine {
    let paths = EnginePaths::new(dir.to_path_buf());
    Engine::new(paths, EngineSettings::default()).unwrap()
}

#[test]
fn files_that_are_not_models_are_refused_and_unknown_ids_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = fresh_engine(&tmp.path().join("data"));
    let junk = tmp.path().join("ggml-junk.bin");
    std::fs::write(&junk, b"this is not a whisper model at all").unwrap();
    let err = engine.install_model_file(&junk).unwrap_err();
    assert!(matches!(err, EngineError::NotAModel { .. }), "{err}");
    assert!(err.to_string().contains("ggml"), "{err}");
    let err = engine
        .install_model_file(&tmp.path().join("missing.bin"))
        .unwrap_err();
    assert!(matches!(err, EngineError::Io { .. }), "{err}");
    // Nothing was installed.
    let models = engine.models();
    assert!(
        models.iter().all(|m| m.state == ModelState::NotInstalled),
        "{models:#?}"
    );
    assert!(models.iter().all(|m| !m.custom));
    assert!(matches!(
        engine.verified_model_by_id("custom/nothing"),
        Err(EngineError::UnknownModel(_))
    ));
    assert!(matches!(
        engine.retranscribe("no-such-session", "tiny.en"),
        Err(EngineError::Store(_))
    ));
    // A partial download is listed as such.
    let dir = &engine.paths().models_dir;
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("ggml-base.en.bin.part"), vec![0u8; 1000]).unwrap();
    let base = engine
        .models()
        .into_iter()
        .find(|m| m.id == "base.en")
        .unwrap();
    assert_eq!(
        (base.state, base.partial_bytes),
        (ModelState::Partial, 1000)
    );
}

#[test]
#[ignore = "needs the installed speech model and espeak-ng: run `bash scripts/test.sh`"]
fn install_by_path_then_retranscribe_with_a_custom_model_keeps_the_old_transcript() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = fresh_engine(&tmp.path().join("data"));

    // The real tiny.en, installed by path: recognised as the catalogue model by its checksum.
    let installed = engine.install_model_file(&installed_tiny_en()).unwrap();
    assert_eq!(
        (installed.id.as_str(), installed.custom),
        ("tiny.en", false)
    );
    assert!(installed.warning.is_none());
    let tiny = engine
        .models()
        .into_iter()
        .find(|m| m.id == "tiny.en")
        .unwrap();
    assert_eq!(tiny.state, ModelState::Verified);
    assert!(tiny.active);

    // A different file: one weight's lowest mantissa bit flipped (the last f16's low byte).
    let mut bytes = std::fs::read(installed_tiny_en()).unwrap();
    let n = bytes.len();
    bytes[n - 2] ^= 1;
    let copy = tmp.path().join("ggml-tiny copy.bin");
    std::fs::write(&copy, &bytes).unwrap();
    let custom = engine.install_model_file(&copy).unwrap();
    assert_eq!(custom.id, "custom/tiny-copy");
    assert!(custom.custom);
    let warning = custom.warning.unwrap();
    assert!(warning.contains("could not be checked"), "{warning}");
    assert!(
        warning.contains("tiny.en"),
        "same size as tiny.en: {warning}"
    );
    let listed = engine.models();
    let c = listed.iter().find(|m| m.id == "custom/tiny-copy").unwrap();
    assert_eq!(c.state, ModelState::Verified);

    // A session transcribed by tiny.en ...
    let wav = tmp.path().join("answer.wav");
    speak(
        "First I clarify the requirements. Reads dominate writes, so we put a cache in front \
         of the database, and a queue absorbs the spikes.",
        &wav,
    );
    let first = engine.practice_file("doc-qa-10k", &wav).unwrap();
    assert!(!first.transcript.segments.is_empty());

    // ... re-transcribed by the custom model.
    let again = engine
        .retranscribe(&first.session_id, "custom/tiny-copy")
        .unwrap();
    assert!(!again.transcript.segments.is_empty());
    let words: usize = again
        .transcript
        .segments
        .iter()
        .map(|s| s.text.split_whitespace().count())
        .sum();
    assert!(words >= 15, "{:?}", again.transcript.segments);

    // The store keeps both transcripts, each with its model; the old one is superseded.
    let store = Store::open(&engine.paths().db_path()).unwrap();
    let models = store.transcript_models(&first.session_id).unwrap();
    let names: Vec<&str> = models.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(names, ["tiny.en", "custom/tiny-copy"], "{models:?}");
    assert_eq!(models[0].1, first.transcript.segments.len());
    assert_eq!(models[1].1, again.transcript.segments.len());

    // A new score version, the first one kept.
    let history = engine.score_history(&first.session_id).unwrap();
    assert_eq!(history.len(), 2, "{history:#?}");
    let newest = format!("{:?}", history.last().unwrap());
    assert!(
        newest.contains("re-transcribed with custom/tiny-copy"),
        "{newest}"
    );

    // Re-transcribing again supersedes only the current transcript.
    engine.retranscribe(&first.session_id, "tiny.en").unwrap();
    let models = store.transcript_models(&first.session_id).unwrap();
    assert_eq!(
        models.len(),
        2,
        "tiny.en again joins its earlier group: {models:?}"
    );
    let _ = SUPERSEDED_PREFIX;
}
