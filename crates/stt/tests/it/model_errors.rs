//! A missing, foreign, truncated or corrupt model must give an actionable `SttError`, never a
//! panic or an abort inside whisper.cpp.

use crate::common;

use rehearse_stt::{SttError, WhisperOptions, WhisperStt};
use std::io::Write;

fn load_err(path: &std::path::Path) -> SttError {
    match WhisperStt::load(path, WhisperOptions::default()) {
        Ok(_) => panic!("{} loaded", path.display()),
        Err(e) => e,
    }
}

#[test]
fn missing_model_says_how_to_install_it() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_err(&dir.path().join("ggml-tiny.en.bin"));
    assert!(matches!(err, SttError::ModelMissing { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("bash scripts/setup.sh") && msg.contains("models install"),
        "{msg}"
    );
}

#[test]
fn garbage_files_are_rejected_before_whisper_cpp_sees_them() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("text", b"this is not a model\n".repeat(100)),
        // Right magic, nonsense header: whisper.cpp would allocate from these numbers.
        ("bad header", {
            let mut v = 0x6767_6d6cu32.to_le_bytes().to_vec();
            v.extend(std::iter::repeat_n(0xffu8, 4000));
            v
        }),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(format!("{name}.bin"));
        std::fs::File::create(&path)
            .unwrap()
            .write_all(&bytes)
            .unwrap();
        let err = load_err(&path);
        assert!(
            matches!(err, SttError::ModelInvalid { .. }),
            "{name}: {err:?}"
        );
        assert!(err.to_string().contains("reinstall"), "{name}: {err}");
    }
}

#[test]
fn truncated_and_corrupted_real_models_are_rejected() {
    let model = std::fs::read(common::installed_model()).unwrap();
    let dir = tempfile::tempdir().unwrap();

    // Cut inside the vocabulary, inside a tensor header and inside tensor data.
    for cut in [100_000, 40_000_000, model.len() - 1] {
        let path = dir.path().join(format!("cut{cut}.bin"));
        std::fs::write(&path, &model[..cut]).unwrap();
        let err = load_err(&path);
        assert!(
            matches!(err, SttError::ModelInvalid { .. }),
            "cut {cut}: {err:?}"
        );
        assert!(err.to_string().contains("truncated"), "cut {cut}: {err}");
    }

    // An absurd mel filter size right after the header.
    let mut bad = model.clone();
    bad[48..52].copy_from_slice(&i32::MAX.to_le_bytes());
    let path = dir.path().join("bad_mel.bin");
    std::fs::write(&path, &bad).unwrap();
    assert!(matches!(load_err(&path), SttError::ModelInvalid { .. }));
}
