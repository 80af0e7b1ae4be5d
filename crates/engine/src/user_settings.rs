//! The user's saved settings, read and written one way for the app and the CLI alike:
//! `settings.json` in the data folder (salvaged field by field, migrated from older versions
//! and rewritten at once after a migration), the LLM API key in the keychain (moved there out
//! of a file an old version wrote), and the `REHEARSE_*` environment variables over both.
//! So `rehearse practice` uses the model, interview length and LLM chosen in the app's
//! Settings on the same data folder.

use crate::secrets::{resolve_api_key, store_api_key, OsKeychain, SecretStore};
use crate::settings_file::{engine_settings, parse_settings, parse_settings_text, SETTINGS_FILE};
use crate::{vault, EngineError, EnginePaths, EngineSettings};
use rehearse_core::{AppSettings, LoadedSettings, SettingsProblem};

/// Where settings come from besides the file: the keychain that holds the LLM key and the
/// environment (tests pass their own of both).
pub struct SettingsSources<'a> {
    pub keychain: &'a dyn SecretStore,
    pub var: &'a dyn Fn(&str) -> Option<String>,
}

/// The settings as Settings shows them and as the engine runs with them.
#[derive(Debug, Clone)]
pub struct UserSettings {
    /// The file's settings, what was wrong in it, the variables that override it, where the
    /// key is (never the key).
    pub loaded: LoadedSettings,
    /// The file's settings with the environment over them and the key resolved.
    pub engine: EngineSettings,
}

/// The process environment, read as [`SettingsSources::var`] reads it.
fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// [`load_user_settings_from`] with the OS keychain and the process environment.
pub fn load_user_settings(paths: &EnginePaths) -> UserSettings {
    let keychain = OsKeychain::for_llm_key();
    load_user_settings_from(
        paths,
        &SettingsSources {
            keychain: &keychain,
            var: &process_env,
        },
    )
}

/// Reads the settings file (missing: the defaults; broken: what can be salvaged, with the
/// problems listed), moves a key an old version stored in it into the keychain, rewrites a
/// migrated file at once (so that key is gone from the disk), and applies the environment.
/// Never fails: a settings file never stops Rehearse from starting.
pub fn load_user_settings_from(paths: &EnginePaths, sources: &SettingsSources) -> UserSettings {
    let file = paths.data_dir.join(SETTINGS_FILE);
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            tracing::warn!(path = %file.display(), error = %e, "could not read the settings file");
            String::new()
        }
    };
    let mut parsed = parse_settings_text(if text.trim().is_empty() { "{}" } else { &text });
    if (sources.var)("REHEARSE_SKIP_ONBOARDING").is_some_and(|v| v == "1") {
        parsed.settings.onboarded = true;
    }
    if let Some(key) = parsed.legacy_api_key.take() {
        if let Err(e) = store_api_key(sources.keychain, &key) {
            parsed.problems.push(SettingsProblem {
                field: "llm_api_key".into(),
                message: format!("the key could not be moved to the keychain: {e}"),
            });
        }
    }
    for p in &parsed.problems {
        tracing::warn!(field = %p.field, problem = %p.message, "settings file");
    }
    if parsed.migrated_from.is_some() {
        if let Err(e) = write_settings_file(paths, &parsed.settings) {
            tracing::warn!(error = %e, "could not rewrite the migrated settings file");
        }
    }
    resolve(
        parsed.settings,
        parsed.problems,
        parsed.migrated_from,
        sources,
    )
}

/// [`save_user_settings_from`] with the OS keychain and the process environment.
pub fn save_user_settings(
    paths: &EnginePaths,
    settings: &AppSettings,
) -> Result<UserSettings, EngineError> {
    let keychain = OsKeychain::for_llm_key();
    save_user_settings_from(
        paths,
        settings,
        &SettingsSources {
            keychain: &keychain,
            var: &process_env,
        },
    )
}

/// Saves `settings` (through the parser, so what is saved is what the next start reads; a
/// field it refuses is saved as its default and listed in the problems) and returns them
/// resolved as [`load_user_settings_from`] would.
pub fn save_user_settings_from(
    paths: &EnginePaths,
    settings: &AppSettings,
    sources: &SettingsSources,
) -> Result<UserSettings, EngineError> {
    let parsed = parse_settings(&crate::settings_to_json(settings));
    write_settings_file(paths, &parsed.settings)?;
    Ok(resolve(parsed.settings, parsed.problems, None, sources))
}

fn resolve(
    settings: AppSettings,
    problems: Vec<SettingsProblem>,
    migrated_from: Option<u32>,
    sources: &SettingsSources,
) -> UserSettings {
    let (key, api_key) = resolve_api_key(sources.keychain, sources.var);
    let (engine, env_overrides) = engine_settings(&settings, key, sources.var);
    UserSettings {
        loaded: LoadedSettings {
            settings,
            problems,
            migrated_from,
            env_overrides,
            api_key,
        },
        engine,
    }
}

/// Writes the file whole or not at all (a temporary file renamed over it), owner-only.
fn write_settings_file(paths: &EnginePaths, settings: &AppSettings) -> Result<(), EngineError> {
    vault::create_private_dir(&paths.data_dir)?;
    let file = paths.data_dir.join(SETTINGS_FILE);
    let tmp = paths.data_dir.join(format!("{SETTINGS_FILE}.tmp"));
    let json = crate::settings_to_json(settings);
    // Plain data: serialising it cannot fail.
    let text = serde_json::to_string_pretty(&json).unwrap_or_default();
    vault::write_private(&tmp, text.as_bytes())?;
    std::fs::rename(&tmp, &file).map_err(|source| EngineError::Io { path: file, source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SecretError;
    use rehearse_core::{InterviewLength, SETTINGS_SCHEMA_VERSION};
    use std::sync::Mutex;

    #[derive(Default)]
    struct MemoryKeychain(Mutex<Option<String>>);

    impl SecretStore for MemoryKeychain {
        fn get(&self) -> Result<Option<String>, SecretError> {
            Ok(self.0.lock().unwrap().clone())
        }
        fn set(&self, s: &str) -> Result<(), SecretError> {
            *self.0.lock().unwrap() = Some(s.to_string());
            Ok(())
        }
        fn delete(&self) -> Result<(), SecretError> {
            *self.0.lock().unwrap() = None;
            Ok(())
        }
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn saved_settings_load_back_and_drive_the_engine() {
        let dir = tempfile::tempdir().unwrap();
        let paths = EnginePaths::new(dir.path().join("data"));
        let keychain = MemoryKeychain::default();
        let sources = SettingsSources {
            keychain: &keychain,
            var: &no_env,
        };
        let first = load_user_settings_from(&paths, &sources);
        assert_eq!(first.loaded.settings, crate::default_app_settings());
        assert!(!paths.data_dir.join(SETTINGS_FILE).exists());

        let mut s = first.loaded.settings;
        s.model_id = "base.en".into();
        s.interview_length = InterviewLength::Drill10;
        save_user_settings_from(&paths, &s, &sources).unwrap();
        let again = load_user_settings_from(&paths, &sources);
        assert_eq!(again.loaded.settings, s);
        assert_eq!(again.engine.model_id, "base.en");
        assert_eq!(
            again.engine.interviewer.phases,
            InterviewLength::Drill10.phase_plan()
        );
        assert!(!paths.data_dir.join("settings.json.tmp").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(paths.data_dir.join(SETTINGS_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn an_old_file_is_migrated_on_disk_and_its_key_moved_to_the_keychain() {
        let dir = tempfile::tempdir().unwrap();
        let paths = EnginePaths::new(dir.path().to_path_buf());
        let file = paths.data_dir.join(SETTINGS_FILE);
        std::fs::write(
            &file,
            r#"{"schema_version":1,"model":"base.en","llm_url":"http://127.0.0.1:9/v1","llm_model":"m","llm_api_key":"sk-old-1234"}"#,
        )
        .unwrap();
        let keychain = MemoryKeychain::default();
        let env = |k: &str| (k == "REHEARSE_MODEL").then(|| "small.en".to_string());
        let loaded = load_user_settings_from(
            &paths,
            &SettingsSources {
                keychain: &keychain,
                var: &env,
            },
        );
        assert_eq!(loaded.loaded.migrated_from, Some(1));
        assert_eq!(keychain.get().unwrap().as_deref(), Some("sk-old-1234"));
        let on_disk = std::fs::read_to_string(&file).unwrap();
        assert!(!on_disk.contains("sk-old-1234"), "{on_disk}");
        assert!(on_disk.contains(&format!("\"schema_version\": {SETTINGS_SCHEMA_VERSION}")));
        // The file says base.en; the environment wins and is named.
        assert_eq!(loaded.loaded.settings.model_id, "base.en");
        assert_eq!(loaded.engine.model_id, "small.en");
        assert_eq!(
            loaded.loaded.env_overrides,
            vec!["REHEARSE_MODEL".to_string()]
        );
        let llm = loaded.engine.llm.expect("the LLM from the file");
        assert_eq!(llm.api_key.as_deref(), Some("sk-old-1234"));
    }
}
