//! Converts the real CTranslate2 tiny.en model and checks the result against the pin.

use crate::common;

use rehearse_stt::models::{default_model, sha256_file};
use rehearse_stt::{convert_ct2_to_ggml, inspect_model, install_from_ct2, model_path};

#[test]
fn converting_tiny_en_is_deterministic_and_matches_the_pin() {
    let src = common::ct2_dir();
    let spec = default_model();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.bin"), dir.path().join("b.bin"));

    let started = std::time::Instant::now();
    let sa = convert_ct2_to_ggml(&src, &a).unwrap();
    println!(
        "converted in {:.2} s: {sa:?}",
        started.elapsed().as_secs_f64()
    );
    // Upstream's ggml-tiny.en.bin has exactly this size too.
    assert_eq!(sa.size_bytes, 77_704_698);
    assert_eq!(sa.size_bytes, spec.size_bytes);
    assert_eq!(sa.sha256, spec.sha256);
    assert_eq!(std::fs::metadata(&a).unwrap().len(), sa.size_bytes);
    assert_eq!(
        sha256_file(&a).unwrap(),
        sa.sha256,
        "reported hash is the file's"
    );
    assert_eq!(
        (sa.n_vocab, sa.n_tokens, sa.n_tensors),
        (51_864, 50_256, 167)
    );
    assert_eq!(
        (sa.n_state, sa.n_audio_layer, sa.n_text_layer, sa.n_mels),
        (384, 4, 4, 80)
    );

    let sb = convert_ct2_to_ggml(&src, &b).unwrap();
    assert_eq!(sa, sb);
    assert!(std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap());

    let info = inspect_model(&a).unwrap();
    assert_eq!(info.hparams.n_audio_head, 6);
    assert_eq!(info.n_tensors, 167);
}

#[test]
fn install_from_ct2_installs_once_and_atomically() {
    let src = common::ct2_dir();
    let spec = default_model();
    let dir = tempfile::tempdir().unwrap();
    let models = dir.path().join("models");

    let path = install_from_ct2(&src, &models, spec).unwrap();
    assert_eq!(path, model_path(&models, spec));
    let names: Vec<_> = std::fs::read_dir(&models)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        vec![std::ffi::OsString::from(spec.file_name)],
        "no temp files left"
    );
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();

    // Already installed: verified and left alone.
    assert_eq!(install_from_ct2(&src, &models, spec).unwrap(), path);
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);

    // Damaged: replaced by a good copy.
    std::fs::write(&path, b"damaged").unwrap();
    install_from_ct2(&src, &models, spec).unwrap();
    assert_eq!(sha256_file(&path).unwrap(), spec.sha256);
}
