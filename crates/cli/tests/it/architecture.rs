//! The rules `docs/architecture.md` states, checked against the Cargo graph (`cargo metadata`),
//! so the document cannot drift from the code again.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Each workspace package's normal (non-dev, non-build) dependencies: the workspace ones and
/// the Tauri ones.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let packages = meta["packages"].as_array().expect("packages");
    let ours: BTreeSet<String> = packages
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect();
    packages
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| d["kind"].is_null())
                .filter_map(|d| d["name"].as_str())
                .filter(|n| ours.contains(*n) || n.starts_with("tauri"))
                .map(str::to_string)
                .collect();
            (p["name"].as_str().unwrap_or_default().to_string(), deps)
        })
        .collect()
}

fn dependents<'a>(g: &'a BTreeMap<String, BTreeSet<String>>, of: &str) -> BTreeSet<&'a str> {
    g.iter()
        .filter(|(_, deps)| deps.contains(of))
        .map(|(name, _)| name.as_str())
        .collect()
}

#[test]
fn the_cargo_graph_keeps_the_rules_of_architecture_md() {
    let g = graph();
    assert!(g.len() >= 14, "every workspace crate is listed: {g:?}");
    // core knows nobody.
    assert!(g["rehearse-core"].is_empty(), "{:?}", g["rehearse-core"]);
    // Only the desktop shell depends on Tauri.
    for (name, deps) in &g {
        if name != "rehearse-desktop" {
            assert!(
                !deps.iter().any(|d| d.starts_with("tauri")),
                "{name} depends on Tauri: {deps:?}"
            );
        }
    }
    // The app reaches every lower crate through the engine.
    let desktop: BTreeSet<&str> = g["rehearse-desktop"]
        .iter()
        .map(String::as_str)
        .filter(|d| d.starts_with("rehearse-"))
        .collect();
    assert_eq!(
        desktop,
        BTreeSet::from(["rehearse-core", "rehearse-engine"])
    );
    // Only the binaries use the engine; nothing uses a binary; only the CLI runs the evals.
    assert_eq!(
        dependents(&g, "rehearse-engine"),
        BTreeSet::from(["rehearse-bench", "rehearse-cli", "rehearse-desktop"])
    );
    for binary in ["rehearse-cli", "rehearse-bench", "rehearse-desktop"] {
        assert!(dependents(&g, binary).is_empty(), "{binary} is depended on");
    }
    assert_eq!(
        dependents(&g, "rehearse-evals"),
        BTreeSet::from(["rehearse-cli"])
    );
    // Test support is only ever a dev-dependency.
    assert!(dependents(&g, "rehearse-testkit").is_empty());
    // The engine's parts do not know the engine or each other's callers: the lower crates
    // (everything but engine, evals and the binaries) depend only on core, content and llm.
    for lower in [
        "rehearse-audio",
        "rehearse-stt",
        "rehearse-llm",
        "rehearse-board",
        "rehearse-store",
        "rehearse-content",
        "rehearse-interviewer",
    ] {
        let allowed = ["rehearse-core", "rehearse-content", "rehearse-llm"];
        for dep in &g[lower] {
            assert!(
                allowed.contains(&dep.as_str()) && dep != lower,
                "{lower} depends on {dep}"
            );
        }
    }
}
