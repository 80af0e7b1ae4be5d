//! What every module of the CLI's tests runs the binary with.

use std::path::Path;
use std::process::{Command, Output};

/// `rehearse` on the data folder `data_dir`, with the speech models of the environment
/// (`REHEARSE_MODELS_DIR`) when it names some.
pub fn rehearse_command(data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rehearse"));
    cmd.env("REHEARSE_DATA_DIR", data_dir);
    if let Ok(models) = std::env::var("REHEARSE_MODELS_DIR") {
        cmd.env("REHEARSE_MODELS_DIR", models);
    }
    cmd
}

/// Runs `rehearse args` on `data_dir` to the end.
pub fn rehearse(data_dir: &Path, args: &[&str]) -> Output {
    rehearse_command(data_dir)
        .args(args)
        .output()
        .expect("run rehearse")
}

/// The one JSON document a successful command printed.
pub fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}
