//! `rehearse models list | download | install-file` and `rehearse sessions retranscribe`.

use anyhow::Result;
use rehearse_core::{DownloadPhase, ModelState};
use rehearse_engine::Engine;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

pub fn list(engine: &Engine, json: bool) -> Result<()> {
    let models = engine.models();
    if json {
        println!("{}", serde_json::to_string_pretty(&models)?);
        return Ok(());
    }
    for m in &models {
        let state = match m.state {
            ModelState::Verified => "installed, verified",
            ModelState::NotInstalled => "not installed",
            ModelState::Partial => "partly downloaded",
            ModelState::Damaged => "DAMAGED",
        };
        println!(
            "{} {:<16} {:>7.1} MB  {:<5} {:<20} {}",
            if m.active { "*" } else { " " },
            m.id,
            m.size_bytes as f64 / 1e6,
            m.quantisation,
            state,
            m.speed_note
        );
        if m.state != ModelState::Verified && m.state != ModelState::NotInstalled {
            if let Some(msg) = &m.message {
                println!("    {msg}");
            }
        }
    }
    println!("(* = the model in use; `rehearse models download ID` installs one)");
    Ok(())
}

pub fn download(engine: &Engine, id: &str, url: Option<&str>) -> Result<()> {
    // One progress line on stderr, rewritten at most every whole percent.
    let last = Arc::new(Mutex::new(None::<(DownloadPhase, u64)>));
    let sink = Arc::new(move |p: rehearse_core::ModelDownloadProgress| {
        let pct = (p.bytes * 100).checked_div(p.total).unwrap_or(0);
        let Ok(mut last) = last.lock() else { return };
        if *last == Some((p.phase, pct)) {
            return;
        }
        *last = Some((p.phase, pct));
        let what = match p.phase {
            DownloadPhase::Fetching => "downloading",
            DownloadPhase::Verifying => "verifying",
            DownloadPhase::Done => "done",
        };
        let mut err = std::io::stderr();
        let _ = write!(
            err,
            "\r{} {what}: {:.1} / {:.1} MB ({pct}%)   ",
            p.model_id,
            p.bytes as f64 / 1e6,
            p.total as f64 / 1e6
        );
        if p.phase == DownloadPhase::Done {
            let _ = writeln!(err);
        }
    });
    let cancel = rehearse_stt::CancelToken::new();
    let path = engine.download_model(id, url, sink, &cancel)?;
    println!("{id} installed and verified: {}", path.display());
    Ok(())
}

pub fn install_file(engine: &Engine, path: &Path) -> Result<()> {
    let installed = engine.install_model_file(path)?;
    if let Some(w) = &installed.warning {
        eprintln!("warning: {w}");
    }
    println!(
        "{} installed{}: {}",
        installed.id,
        if installed.custom {
            " (custom, structure checked)"
        } else {
            " and verified"
        },
        installed.path
    );
    println!(
        "Use it with REHEARSE_MODEL={} or `rehearse sessions retranscribe ID --model {}`.",
        installed.id, installed.id
    );
    Ok(())
}

pub fn retranscribe(engine: &Engine, session_id: &str, model_id: &str, json: bool) -> Result<()> {
    let report = engine.retranscribe(session_id, model_id)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "Re-transcribed {session_id} with {model_id}: {} segments; re-scored (the earlier transcript and scores are kept).",
        report.transcript.segments.len()
    );
    for s in &report.transcript.segments {
        println!("[{:>6.1}] {}", s.t0, s.text);
    }
    Ok(())
}
