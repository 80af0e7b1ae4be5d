//! Tauri's code generation, plus the app's command permissions.
//!
//! Every command registered in `generate_handler![...]` (src/lib.rs) is declared in the app
//! manifest, so Tauri generates an `allow-<command>` permission for it and refuses it in any
//! window whose capability does not grant that permission. The list is read from lib.rs (one
//! place to register a command), and the build fails with a message naming the missing line
//! when a registered command is not granted to the main window, instead of the command being
//! refused at run time with "not allowed by ACL".

use std::fs;
use std::path::Path;

const HANDLER_FILE: &str = "src/lib.rs";
const MAIN_CAPABILITY: &str = "capabilities/default.json";

fn main() {
    println!("cargo:rerun-if-changed={HANDLER_FILE}");
    println!("cargo:rerun-if-changed={MAIN_CAPABILITY}");
    let commands = registered_commands(&read(HANDLER_FILE));
    check_granted(&commands, &read(MAIN_CAPABILITY));
    // The manifest wants 'static names; a build script runs once, so leaking them is fine.
    let commands: &'static [&'static str] = Box::leak(
        commands
            .into_iter()
            .map(|name| &*Box::leak(name.into_boxed_str()))
            .collect::<Vec<&'static str>>()
            .into_boxed_slice(),
    );
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(path))
        .unwrap_or_else(|e| panic!("could not read src-tauri/{path}: {e}"))
}

/// The command names inside `generate_handler![...]`: the last path segment of each entry.
fn registered_commands(source: &str) -> Vec<String> {
    let start = source
        .find("generate_handler![")
        .unwrap_or_else(|| panic!("no `generate_handler![` in src-tauri/{HANDLER_FILE}: build.rs reads the command list from there"));
    let body = &source[start + "generate_handler![".len()..];
    let end = body.find(']').unwrap_or_else(|| {
        panic!("`generate_handler![` in src-tauri/{HANDLER_FILE} has no closing `]`")
    });
    let commands: Vec<String> = body[..end]
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| entry.rsplit("::").next().unwrap_or(entry).to_string())
        .collect();
    if commands.is_empty() {
        panic!("`generate_handler![]` in src-tauri/{HANDLER_FILE} lists no command");
    }
    commands
}

/// Fails the build, naming every missing `allow-<command>` line, when the main window's
/// capability does not grant a registered command.
fn check_granted(commands: &[String], capability: &str) {
    let capability: serde_json::Value = serde_json::from_str(capability)
        .unwrap_or_else(|e| panic!("src-tauri/{MAIN_CAPABILITY} is not valid JSON: {e}"));
    // Entries are strings or objects with an "identifier" (scoped permissions).
    let granted: Vec<&str> = capability["permissions"]
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter_map(|entry| entry.as_str().or_else(|| entry["identifier"].as_str()))
                .collect()
        })
        .unwrap_or_default();
    let missing: Vec<String> = commands
        .iter()
        .map(|command| format!("allow-{}", command.replace('_', "-")))
        .filter(|permission| !granted.contains(&permission.as_str()))
        .collect();
    if !missing.is_empty() {
        // A plain message and exit, not a panic: cargo shows it without a backtrace.
        eprintln!(
            "\n\nThese commands are registered in src-tauri/{HANDLER_FILE} but the main window may not call them.\n\
             Add these lines to \"permissions\" in src-tauri/{MAIN_CAPABILITY} (the window is refused every command it is not granted):\n\n    {}\n\n",
            missing
                .iter()
                .map(|p| format!("\"{p}\","))
                .collect::<Vec<_>>()
                .join("\n    ")
        );
        std::process::exit(1);
    }
}
