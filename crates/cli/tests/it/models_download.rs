//! `rehearse models download | install-file | list` end to end: the real CLI binary downloads
//! the real tiny.en file from an HTTP server on loopback (`--url`, as a mirror would be used;
//! the build machine cannot reach the model host), verifies it and lists it.

use rehearse_testkit::installed_tiny_en;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rehearse(data: &Path, models: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .args(args)
        .env("REHEARSE_DATA_DIR", data)
        .env("REHEARSE_MODELS_DIR", models)
        .output()
        .expect("run rehearse")
}

/// Serves `file` at any path, honouring `Range: bytes=N-`.
fn serve(file: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/ggml-tiny.en.bin", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let data = std::fs::read(&file).unwrap();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut start = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("range: bytes=") {
                    start = v.trim().trim_end_matches('-').parse().unwrap_or(0);
                }
            }
            let body = &data[start.min(data.len())..];
            let head = if start > 0 {
                format!("HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes {start}-{}/{}\r\nConnection: close\r\n\r\n", body.len(), data.len() - 1, data.len())
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
            };
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body);
        }
    });
    url
}

#[test]
#[ignore = "needs the installed speech model: run `bash scripts/test.sh`"]
fn download_from_a_mirror_verifies_and_lists_the_model() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let models = tmp.path().join("models");
    let url = serve(installed_tiny_en());

    let out = rehearse(&data, &models, &["models", "list", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    for id in [
        "tiny.en",
        "base.en",
        "small.en",
        "base.en-q5_1",
        "small.en-q8_0",
    ] {
        assert!(ids.contains(&id), "{ids:?}");
    }
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["state"] == "not_installed"));

    let out = rehearse(
        &data,
        &models,
        &["models", "download", "tiny.en", "--url", &url],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("(100%)"), "progress is shown: {stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("installed and verified"));
    assert!(models.join("ggml-tiny.en.bin").is_file());
    assert!(!models.join("ggml-tiny.en.bin.part").exists());

    let out = rehearse(&data, &models, &["models", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tiny = list
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "tiny.en")
        .unwrap();
    assert_eq!(tiny["state"], "verified", "{tiny}");
    let out = rehearse(&data, &models, &["models", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The back-end the model runs on is part of the check (this test runs the default,
    // CPU-only build).
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("backend: CPU (built without GPU support)"),
        "{stdout}"
    );
    // And the CPU its whisper.cpp was compiled for (x86-64-v3 unless built natively).
    if cfg!(target_arch = "x86_64") {
        assert!(stdout.contains("cpu: built for x86-64"), "{stdout}");
    }

    // The same server offered as base.en's mirror: another file, refused before it is fetched.
    let out = rehearse(
        &data,
        &models,
        &["models", "download", "base.en", "--url", &url],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("different file"), "{stderr}");
    assert!(!models.join("ggml-base.en.bin").exists());

    // A local copy installed by path is recognised by its checksum.
    let other = tmp.path().join("other-models");
    let out = rehearse(
        &data,
        &other,
        &[
            "models",
            "install-file",
            installed_tiny_en().to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("tiny.en installed and verified"));
}

/// `rehearse --version` names the instruction sets its speech recognition needs, as ggml
/// reports them (docs/packaging.md).
#[test]
fn version_says_which_cpus_the_build_is_for() {
    let dir = tempfile::tempdir().unwrap();
    let out = rehearse(dir.path(), dir.path(), &["--version"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("rehearse 0."), "{stdout}");
    let expected = format!(
        "(speech recognition built for {})",
        rehearse_stt::build_baseline()
    );
    assert!(stdout.contains(&expected), "{stdout}");
    if cfg!(target_arch = "x86_64") {
        assert!(stdout.contains("AVX2"), "{stdout}");
    }
}
