//! `rehearse settings show`: the settings the CLI runs with, which are the app's (the same
//! `settings.json` in the data folder, the key in the same keychain), with the `REHEARSE_*`
//! environment variables that override them.

use anyhow::Result;
use rehearse_engine::{EnginePaths, UserSettings, SETTINGS_FILE};
use serde_json::json;

pub fn show(paths: &EnginePaths, user: &UserSettings, json: bool) -> Result<()> {
    let loaded = &user.loaded;
    let engine = &user.engine;
    let file = paths.data_dir.join(SETTINGS_FILE);
    // What the engine runs with, the environment applied; the key only as "set" or not.
    let llm = engine.llm.as_ref().map(|l| {
        json!({
            "base_url": l.base_url,
            "model": l.model,
            "timeout_s": l.timeout_s,
            "api_key_set": l.api_key.is_some(),
        })
    });
    if json {
        let doc = json!({
            "settings_file": file.display().to_string(),
            "settings": loaded.settings,
            "problems": loaded.problems,
            "env_overrides": loaded.env_overrides,
            "api_key": loaded.api_key,
            "in_use": {
                "model_id": engine.model_id,
                "input_device": engine.input_device,
                "whisper_threads": engine.whisper_threads,
                "use_gpu": engine.use_gpu,
                "phases": engine.interviewer.phases,
                "hold_questions": engine.hold_questions,
                "keep_audio": engine.keep_audio,
                "delete_after_days": engine.delete_after_days,
                "llm": llm,
            },
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    println!("settings file:    {}", file.display());
    println!("speech model:     {}", engine.model_id);
    println!(
        "microphone:       {}",
        engine
            .input_device
            .as_deref()
            .unwrap_or("the system default")
    );
    println!("interview length: {:?}", loaded.settings.interview_length);
    match &engine.llm {
        Some(l) => println!("LLM interviewer:  {} at {}", l.model, l.base_url),
        None => println!("LLM interviewer:  off (the offline interviewer)"),
    }
    println!(
        "keep recordings:  {}",
        if engine.keep_audio { "yes" } else { "no" }
    );
    for p in &loaded.problems {
        println!("problem in {}: {}", p.field, p.message);
    }
    if !loaded.env_overrides.is_empty() {
        println!(
            "overridden by the environment: {}",
            loaded.env_overrides.join(", ")
        );
    }
    println!("(change them in the app's Settings, or override one with its REHEARSE_* variable)");
    Ok(())
}
