//! The settings file, parsed as a pure function: every field has a default, a field that is
//! broken falls back to it (and is reported), unknown fields are reported and dropped, and
//! older schema versions are migrated, so a settings file never stops the app from starting.

use crate::settings::{EngineSettings, LlmSettings, DEFAULT_LLM_TIMEOUT_S};
use rehearse_core::{
    AppSettings, InterruptionStyle, InterviewLength, LlmPreferences, Retention, SettingsProblem,
    Theme, SETTINGS_SCHEMA_VERSION,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The settings file's name in the data folder.
pub const SETTINGS_FILE: &str = "settings.json";

/// The environment variables that take precedence over the settings file.
pub const ENV_OVERRIDES: &[&str] = &[
    "REHEARSE_MODEL",
    "REHEARSE_WHISPER_THREADS",
    "REHEARSE_USE_GPU",
    "REHEARSE_INPUT_DEVICE",
    "REHEARSE_KEEP_AUDIO",
    "REHEARSE_DELETE_AFTER_DAYS",
    "REHEARSE_LLM_URL",
    "REHEARSE_LLM_MODEL",
    "REHEARSE_LLM_TIMEOUT_S",
];

/// What a settings file held: the settings (defaults where it was silent or wrong), what was
/// wrong, and an API key an old version stored in the file (to be moved to the keychain; it
/// is never written back).
#[derive(Clone, PartialEq)]
pub struct ParsedSettings {
    pub settings: AppSettings,
    pub problems: Vec<SettingsProblem>,
    pub migrated_from: Option<u32>,
    pub legacy_api_key: Option<String>,
}

impl std::fmt::Debug for ParsedSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParsedSettings")
            .field("settings", &self.settings)
            .field("problems", &self.problems)
            .field("migrated_from", &self.migrated_from)
            .field(
                "legacy_api_key",
                &self.legacy_api_key.as_ref().map(|_| "***"),
            )
            .finish()
    }
}

/// The settings of a first start.
pub fn default_app_settings() -> AppSettings {
    AppSettings {
        schema_version: SETTINGS_SCHEMA_VERSION,
        onboarded: false,
        input_device: None,
        model_id: rehearse_stt::DEFAULT_MODEL_ID.to_string(),
        whisper_threads: None,
        use_gpu: rehearse_stt::GPU_API.is_some(),
        language: "en".to_string(),
        interview_length: InterviewLength::Full45,
        interruption_style: InterruptionStyle::AtPauses,
        llm: LlmPreferences {
            enabled: false,
            base_url: String::new(),
            model: String::new(),
            timeout_s: DEFAULT_LLM_TIMEOUT_S,
        },
        retention: Retention {
            keep_audio: true,
            delete_after_days: None,
        },
        theme: Theme::System,
    }
}

/// The settings file's text, parsed; text that is not JSON gives the defaults and one problem.
pub fn parse_settings_text(text: &str) -> ParsedSettings {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => parse_settings(&v),
        Err(e) => {
            let mut parsed = parse_settings(&Value::Object(Map::new()));
            parsed.problems.insert(
                0,
                problem(
                    "",
                    format!(
                        "the settings file is not JSON ({e}); every setting is back to its default"
                    ),
                ),
            );
            parsed
        }
    }
}

/// Parses settings as written by any schema version (see [`MIGRATIONS`]).
pub fn parse_settings(raw: &Value) -> ParsedSettings {
    let mut problems = Vec::new();
    let mut legacy_api_key = None;
    let mut obj = match raw {
        Value::Object(m) => m.clone(),
        Value::Null => Map::new(),
        other => {
            problems.push(problem(
                "",
                format!(
                    "the settings file holds {} instead of an object; every setting is back to its default",
                    kind(other)
                ),
            ));
            Map::new()
        }
    };

    let version = match obj.remove("schema_version") {
        None if obj.is_empty() => SETTINGS_SCHEMA_VERSION,
        None => {
            problems.push(problem(
                "schema_version",
                "missing; read as the current version".into(),
            ));
            SETTINGS_SCHEMA_VERSION
        }
        Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) if (1..=SETTINGS_SCHEMA_VERSION).contains(&n) => n,
            Some(n) if n > SETTINGS_SCHEMA_VERSION => {
                problems.push(problem(
                    "schema_version",
                    format!("version {n} was written by a newer Rehearse; settings it added are ignored"),
                ));
                SETTINGS_SCHEMA_VERSION
            }
            _ => {
                problems.push(problem(
                    "schema_version",
                    format!("{v} is not a version number; read as the current version"),
                ));
                SETTINGS_SCHEMA_VERSION
            }
        },
    };
    for (from, migrate) in MIGRATIONS {
        if version <= *from {
            migrate(&mut obj, &mut problems, &mut legacy_api_key);
        }
    }

    let d = default_app_settings();
    let mut f = Fields {
        obj: &mut obj,
        prefix: "",
        problems: &mut problems,
    };
    let onboarded = f.get("onboarded", d.onboarded, |_| Ok(()));
    let input_device = f
        .get("input_device", d.input_device, |_| Ok(()))
        .filter(|s: &String| !s.trim().is_empty());
    let model_id = f.get("model_id", d.model_id, |m: &String| {
        // A custom model ("custom/NAME", Settings → Install a model file) may be chosen too;
        // whether its file is there is the engine's to report (AppStatus), not a file problem.
        if crate::models::is_custom_model_id(m) {
            return Ok(());
        }
        rehearse_stt::models::find_model(m)
            .map(|_| ())
            .ok_or_else(|| format!("\"{m}\" is not a model Rehearse knows"))
    });
    let whisper_threads = f.get(
        "whisper_threads",
        d.whisper_threads,
        |t: &Option<u32>| match t {
            Some(n) if !(1..=64).contains(n) => Err(format!("{n} is not between 1 and 64")),
            _ => Ok(()),
        },
    );
    let use_gpu = f.get("use_gpu", d.use_gpu, |_| Ok(()));
    let language = f.get("language", d.language, |l: &String| {
        let ok =
            (2..=8).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
        if ok {
            Ok(())
        } else {
            Err(format!("\"{l}\" is not a language code such as \"en\""))
        }
    });
    let interview_length = f.get("interview_length", d.interview_length, |_| Ok(()));
    let interruption_style = f.get("interruption_style", d.interruption_style, |_| Ok(()));
    let theme = f.get("theme", d.theme, |_| Ok(()));
    let llm = f.object("llm", |f| LlmPreferences {
        enabled: f.get("enabled", d.llm.enabled, |_| Ok(())),
        base_url: f.get("base_url", d.llm.base_url.clone(), |u: &String| {
            let u = u.trim();
            if u.is_empty() || u.starts_with("http://") || u.starts_with("https://") {
                Ok(())
            } else {
                // Not quoted: a key pasted into the wrong box must not reach a message.
                Err("the address does not start with http:// or https://".into())
            }
        }),
        model: f.get("model", d.llm.model.clone(), |_| Ok(())),
        timeout_s: f.get("timeout_s", d.llm.timeout_s, |t: &f64| {
            if t.is_finite() && *t > 0.0 && *t <= 600.0 {
                Ok(())
            } else {
                Err(format!("{t} is not a number of seconds between 0 and 600"))
            }
        }),
    });
    let retention = f.object("retention", |f| Retention {
        keep_audio: f.get("keep_audio", d.retention.keep_audio, |_| Ok(())),
        delete_after_days: f.get(
            "delete_after_days",
            d.retention.delete_after_days,
            |n: &Option<u32>| match n {
                Some(0) => Err("0 days would delete every session at once".into()),
                Some(n) if *n > 36_500 => Err(format!("{n} days is more than a century")),
                _ => Ok(()),
            },
        ),
    });
    f.unknown_fields();

    ParsedSettings {
        settings: AppSettings {
            schema_version: SETTINGS_SCHEMA_VERSION,
            onboarded,
            input_device,
            model_id,
            whisper_threads,
            use_gpu,
            language,
            interview_length,
            interruption_style,
            llm,
            retention,
            theme,
        },
        problems,
        migrated_from: (version < SETTINGS_SCHEMA_VERSION).then_some(version),
        legacy_api_key,
    }
}

/// The settings as the file stores them (the current schema; never a key).
pub fn settings_to_json(settings: &AppSettings) -> Value {
    let mut current = settings.clone();
    current.schema_version = SETTINGS_SCHEMA_VERSION;
    // AppSettings is plain data: serialising it cannot fail.
    serde_json::to_value(current).unwrap_or(Value::Null)
}

/// What the engine runs with: the settings file, then the `REHEARSE_*` environment variables
/// over it (read through `var`). `api_key` is the key from the keychain or the environment.
/// Also returns the names of the variables that overrode the file.
pub fn engine_settings(
    app: &AppSettings,
    api_key: Option<String>,
    var: impl Fn(&str) -> Option<String>,
) -> (EngineSettings, Vec<String>) {
    let mut s = EngineSettings {
        model_id: app.model_id.clone(),
        input_device: app.input_device.clone(),
        ..EngineSettings::default()
    };
    if let Some(t) = app.whisper_threads {
        s.whisper_threads = t as usize;
    }
    s.use_gpu = app.use_gpu;
    s.hold_questions = app.interruption_style == InterruptionStyle::HoldUntilDone;
    s.keep_audio = app.retention.keep_audio;
    s.delete_after_days = app.retention.delete_after_days;
    s.interviewer.phases = app.interview_length.phase_plan();
    let llm = &app.llm;
    if llm.enabled && !llm.base_url.trim().is_empty() && !llm.model.trim().is_empty() {
        s.llm = Some(LlmSettings {
            base_url: llm.base_url.trim().to_string(),
            model: llm.model.trim().to_string(),
            api_key: api_key.clone(),
            timeout_s: llm.timeout_s,
        });
    }
    let overrides = ENV_OVERRIDES
        .iter()
        .filter(|k| var(k).is_some_and(|v| !v.trim().is_empty()))
        .map(|k| k.to_string())
        .collect();
    let s = s.with_env_overrides(|k| {
        if k == "REHEARSE_LLM_API_KEY" {
            // The key resolved by the caller (keychain first, then this variable).
            api_key.clone()
        } else {
            var(k)
        }
    });
    (s, overrides)
}

/// One migration: from the version in the first field to the next one.
type Migration = fn(&mut Map<String, Value>, &mut Vec<SettingsProblem>, &mut Option<String>);

/// Append-only: each entry upgrades a file of that version by one; a file runs every entry
/// from its own version on.
pub const MIGRATIONS: &[(u32, Migration)] = &[(1, migrate_v1_to_v2)];

/// Version 1 (Rehearse 0.1) kept the LLM settings flat, named some fields differently, and
/// stored the API key in the file. Version 2 nests `llm` and `retention` and keeps no key.
fn migrate_v1_to_v2(
    obj: &mut Map<String, Value>,
    problems: &mut Vec<SettingsProblem>,
    legacy_api_key: &mut Option<String>,
) {
    for (old, new) in [
        ("microphone", "input_device"),
        ("model", "model_id"),
        ("threads", "whisper_threads"),
        ("gpu", "use_gpu"),
    ] {
        if let Some(v) = obj.remove(old) {
            obj.insert(new.into(), v);
        }
    }
    if let Some(v) = obj.remove("interview_minutes") {
        let length = match v.as_u64() {
            Some(m) if m <= 15 => "drill10",
            _ => "full45",
        };
        obj.insert("interview_length".into(), Value::from(length));
    }
    if let Some(v) = obj.remove("interrupt") {
        let style = match v.as_str() {
            Some("hold") => Value::from("hold_until_done"),
            Some("pauses") => Value::from("at_pauses"),
            _ => v,
        };
        obj.insert("interruption_style".into(), style);
    }
    let mut llm = Map::new();
    for (old, new) in [
        ("llm_url", "base_url"),
        ("llm_model", "model"),
        ("llm_timeout_s", "timeout_s"),
    ] {
        if let Some(v) = obj.remove(old) {
            llm.insert(new.into(), v);
        }
    }
    if !llm.is_empty() {
        let configured = llm.contains_key("base_url") && llm.contains_key("model");
        llm.insert("enabled".into(), Value::Bool(configured));
        obj.insert("llm".into(), Value::Object(llm));
    }
    if let Some(v) = obj.remove("keep_audio") {
        obj.insert(
            "retention".into(),
            serde_json::json!({ "keep_audio": v, "delete_after_days": null }),
        );
    }
    if let Some(v) = obj.remove("llm_api_key") {
        if let Some(key) = v.as_str().map(str::trim).filter(|k| !k.is_empty()) {
            *legacy_api_key = Some(key.to_string());
            problems.push(problem(
                "llm_api_key",
                "an API key was stored in the settings file by an older version; it was removed from the file".into(),
            ));
        }
    }
}

/// Reads fields out of one JSON object, each with its default and its check.
struct Fields<'a> {
    obj: &'a mut Map<String, Value>,
    prefix: &'a str,
    problems: &'a mut Vec<SettingsProblem>,
}

impl Fields<'_> {
    fn path(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// The field's value, or `default` (with a problem) when it has the wrong type or fails
    /// `check`; `default` when it is absent.
    fn get<T: DeserializeOwned>(
        &mut self,
        key: &str,
        default: T,
        check: impl Fn(&T) -> Result<(), String>,
    ) -> T {
        let Some(v) = self.obj.remove(key) else {
            return default;
        };
        let path = self.path(key);
        match serde_json::from_value::<T>(v.clone()) {
            Ok(value) => match check(&value) {
                Ok(()) => value,
                Err(why) => {
                    self.problems
                        .push(problem(&path, format!("{why}; using the default")));
                    default
                }
            },
            Err(_) => {
                self.problems.push(problem(
                    &path,
                    format!("{} is not a valid value; using the default", short(&v)),
                ));
                default
            }
        }
    }

    /// A nested object, read field by field so one bad field keeps the others.
    fn object<T>(&mut self, key: &str, read: impl FnOnce(&mut Fields<'_>) -> T) -> T {
        let path = self.path(key);
        let mut inner = match self.obj.remove(key) {
            Some(Value::Object(m)) => m,
            None => Map::new(),
            Some(other) => {
                self.problems.push(problem(
                    &path,
                    format!("{} is not an object; using the defaults", short(&other)),
                ));
                Map::new()
            }
        };
        let mut f = Fields {
            obj: &mut inner,
            prefix: &path,
            problems: &mut *self.problems,
        };
        let value = read(&mut f);
        f.unknown_fields();
        value
    }

    /// Whatever is left was not read: unknown to this version.
    fn unknown_fields(&mut self) {
        let mut keys: Vec<&String> = self.obj.keys().collect();
        keys.sort();
        for k in keys {
            let path = self.path(k);
            self.problems.push(problem(
                &path,
                "not a setting Rehearse knows; ignored".into(),
            ));
        }
    }
}

fn problem(field: &str, message: String) -> SettingsProblem {
    SettingsProblem {
        field: field.to_string(),
        message,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value as a short quote for a problem message (a long string is cut).
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}
