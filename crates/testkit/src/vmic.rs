//! Faults of the virtual microphone that `scripts/lib/vmic.sh` starts: its sound server
//! killed, its sink unloaded, and both brought back. Each acts on the server under this
//! process's `XDG_RUNTIME_DIR` only, never on another user's.

use std::path::PathBuf;
use std::process::Command;

fn vmic_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/lib/vmic.sh")
}

fn vmic(function: &str) -> Result<(), String> {
    let script = vmic_script();
    let status = Command::new("bash")
        .arg("-c")
        .arg(format!("source '{}' && {function}", script.display()))
        .status()
        .map_err(|e| format!("bash could not start ({e})"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{function} failed: {status}"))
    }
}

fn pactl(args: &[&str]) -> String {
    let out = Command::new("pactl")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("pactl could not start ({e})"));
    assert!(out.status.success(), "pactl {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Kills the virtual microphone's sound server, as when a headset is unplugged or the sound
/// server crashes.
pub fn kill_sound_server() {
    vmic("kill_virtual_mic_server").unwrap_or_else(|e| panic!("{e}"));
}

/// Stops the virtual microphone's sound server for `seconds` and lets it go on, as a sound
/// server stalls on a busy machine.
pub fn stall_sound_server(seconds: f64) {
    vmic(&format!("stall_virtual_mic_server {seconds}")).unwrap_or_else(|e| panic!("{e}"));
}

/// Unloads the null sink whose monitor is the virtual microphone: the source disappears
/// while its server stays up.
pub fn unload_virtual_mic_sink() {
    let modules = pactl(&["list", "short", "modules"]);
    let module = modules
        .lines()
        .find(|l| l.contains("module-null-sink") && l.contains("sink_name=vmic"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("no vmic null sink loaded: {modules}"));
    pactl(&["unload-module", module]);
}

/// Starts (again) the server, the sink and its reader: idempotent.
pub fn restore_virtual_mic() {
    vmic("start_virtual_mic").unwrap_or_else(|e| panic!("{e}"));
}

/// Brings the virtual microphone back when dropped, so a failed fault test leaves it usable
/// for the tests that follow.
pub struct RestoreVirtualMic;

impl Drop for RestoreVirtualMic {
    fn drop(&mut self) {
        // No panic while a failed test unwinds.
        if let Err(e) = vmic("start_virtual_mic") {
            eprintln!("could not bring the virtual microphone back: {e}");
        }
    }
}
