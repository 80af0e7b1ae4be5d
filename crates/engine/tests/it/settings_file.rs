//! The settings file as a pure function: defaults per field, broken and unknown fields
//! salvaged (and reported), schema migrations from every older version, environment overrides.

use rehearse_core::{
    AppSettings, InterruptionStyle, InterviewLength, Theme, SETTINGS_SCHEMA_VERSION,
};
use rehearse_engine::{
    default_app_settings, engine_settings, parse_settings, parse_settings_text, settings_to_json,
};
use serde_json::json;

const V1_FILE: &str = include_str!("../fixtures/settings-v1.json");

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn an_empty_or_missing_file_gives_the_defaults_without_problems() {
    for text in ["{}", "null"] {
        let p = parse_settings_text(text);
        assert_eq!(p.settings, default_app_settings());
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.migrated_from, None);
    }
    let d = default_app_settings();
    assert_eq!(d.schema_version, SETTINGS_SCHEMA_VERSION);
    assert!(!d.onboarded);
    assert_eq!(d.theme, Theme::System);
}

#[test]
fn the_current_shape_round_trips() {
    let mut s = default_app_settings();
    s.onboarded = true;
    s.input_device = Some("USB mic".into());
    s.whisper_threads = Some(3);
    s.interview_length = InterviewLength::Drill10;
    s.interruption_style = InterruptionStyle::HoldUntilDone;
    s.llm.enabled = true;
    s.llm.base_url = "http://127.0.0.1:9/v1".into();
    s.llm.model = "m".into();
    s.llm.timeout_s = 7.5;
    s.retention.keep_audio = false;
    s.retention.delete_after_days = Some(30);
    s.theme = Theme::Dark;
    let file = settings_to_json(&s);
    assert_eq!(file["schema_version"], json!(SETTINGS_SCHEMA_VERSION));
    let back = parse_settings(&file);
    assert_eq!(back.settings, s);
    assert!(back.problems.is_empty(), "{:?}", back.problems);
}

#[test]
fn an_old_v1_file_is_migrated_and_its_api_key_taken_out() {
    let p = parse_settings_text(V1_FILE);
    assert_eq!(p.migrated_from, Some(1));
    let s: &AppSettings = &p.settings;
    assert!(s.onboarded);
    assert_eq!(
        s.input_device.as_deref(),
        Some("Virtual mic (rehearse_vmic)")
    );
    assert_eq!(s.model_id, "tiny.en");
    assert_eq!(s.whisper_threads, Some(2));
    assert_eq!(s.interview_length, InterviewLength::Drill10);
    assert_eq!(s.interruption_style, InterruptionStyle::HoldUntilDone);
    assert!(s.llm.enabled);
    assert_eq!(s.llm.base_url, "http://127.0.0.1:8080/v1");
    assert_eq!(s.llm.model, "smollm2-135m");
    assert_eq!(s.llm.timeout_s, 12.5);
    assert!(!s.retention.keep_audio);
    assert_eq!(s.theme, Theme::Dark);
    // The key an old version kept in the file is handed over once, and never written back.
    assert_eq!(p.legacy_api_key.as_deref(), Some("sk-old-file-key-0451"));
    assert!(p.problems.iter().any(|q| q.field == "llm_api_key"));
    let problems = format!("{:?} {:?}", p.problems, p);
    assert!(!problems.contains("sk-old-file-key-0451"), "{problems}");
    let rewritten = settings_to_json(&p.settings).to_string();
    assert!(!rewritten.contains("sk-old"), "{rewritten}");
    assert!(!rewritten.contains("microphone"), "{rewritten}");
    // The migrated file reads back as itself, with nothing left to migrate.
    let again = parse_settings_text(&rewritten);
    assert_eq!((again.settings, again.migrated_from), (p.settings, None));
}

#[test]
fn broken_fields_fall_back_one_by_one_and_are_reported() {
    let raw = json!({
        "schema_version": 2,
        "onboarded": "yes",
        "model_id": "huge-9000",
        "whisper_threads": 0,
        "use_gpu": true,
        "language": "English please",
        "interview_length": "full45",
        "interruption_style": "whenever",
        "theme": "dark",
        "llm": { "enabled": true, "base_url": "ftp://x", "model": "qwen", "timeout_s": -3, "colour": 1 },
        "retention": 5,
        "window_size": [800, 600]
    });
    let p = parse_settings(&raw);
    let d = default_app_settings();
    let s = &p.settings;
    // Good fields are kept beside the broken ones.
    assert!(s.use_gpu);
    assert_eq!(s.theme, Theme::Dark);
    assert_eq!(s.interview_length, InterviewLength::Full45);
    assert!(s.llm.enabled);
    assert_eq!(s.llm.model, "qwen");
    // Broken ones are back to their defaults.
    assert_eq!(s.onboarded, d.onboarded);
    assert_eq!(s.model_id, d.model_id);
    assert_eq!(s.whisper_threads, None);
    assert_eq!(s.language, d.language);
    assert_eq!(s.interruption_style, d.interruption_style);
    assert_eq!(s.llm.base_url, d.llm.base_url);
    assert_eq!(s.llm.timeout_s, d.llm.timeout_s);
    assert_eq!(s.retention, d.retention);
    let mut fields: Vec<&str> = p.problems.iter().map(|q| q.field.as_str()).collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "interruption_style",
            "language",
            "llm.base_url",
            "llm.colour",
            "llm.timeout_s",
            "model_id",
            "onboarded",
            "retention",
            "whisper_threads",
            "window_size",
        ]
    );
    let model = p.problems.iter().find(|q| q.field == "model_id").unwrap();
    assert!(model.message.contains("huge-9000"), "{}", model.message);
}

#[test]
fn a_custom_model_id_is_kept_but_a_path_like_one_is_not() {
    let p = parse_settings(&json!({ "schema_version": 2, "model_id": "custom/tiny-tweaked" }));
    assert_eq!(p.settings.model_id, "custom/tiny-tweaked");
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    for bad in ["custom/../etc/passwd", "custom/", "custom/.hidden"] {
        let p = parse_settings(&json!({ "schema_version": 2, "model_id": bad }));
        assert_eq!(
            p.settings.model_id,
            default_app_settings().model_id,
            "{bad}"
        );
        assert!(p.problems.iter().any(|q| q.field == "model_id"), "{bad}");
    }
}

#[test]
fn a_file_that_is_not_json_or_not_an_object_gives_defaults_and_says_so() {
    for text in ["{\"theme\": \"dark\",", "[1, 2]", "\"dark\""] {
        let p = parse_settings_text(text);
        assert_eq!(p.settings, default_app_settings(), "{text}");
        assert_eq!(p.problems.len(), 1, "{text}: {:?}", p.problems);
        assert!(
            p.problems[0].message.contains("default"),
            "{:?}",
            p.problems
        );
    }
}

#[test]
fn a_newer_version_is_read_as_far_as_it_goes() {
    let p = parse_settings(&json!({ "schema_version": 99, "theme": "light", "hologram": true }));
    assert_eq!(p.settings.theme, Theme::Light);
    assert_eq!(p.migrated_from, None);
    assert!(p.problems.iter().any(|q| q.field == "schema_version"));
    assert!(p.problems.iter().any(|q| q.field == "hologram"));
}

#[test]
fn environment_variables_override_the_file() {
    let mut s = default_app_settings();
    s.model_id = "tiny.en".into();
    s.whisper_threads = Some(3);
    s.input_device = Some("From file".into());
    s.llm.enabled = true;
    s.llm.base_url = "http://file.example/v1".into();
    s.llm.model = "file-model".into();
    s.interruption_style = InterruptionStyle::HoldUntilDone;

    let (e, overrides) = engine_settings(&s, Some("sk-kc".into()), no_env);
    assert!(overrides.is_empty());
    assert_eq!(e.whisper_threads, 3);
    assert_eq!(e.input_device.as_deref(), Some("From file"));
    assert!(e.hold_questions);
    assert!(e.keep_audio);
    s.retention.keep_audio = false;
    s.retention.delete_after_days = Some(14);
    let (kept, _) = engine_settings(&s, None, no_env);
    assert_eq!((kept.keep_audio, kept.delete_after_days), (false, Some(14)));
    let llm = e.llm.unwrap();
    assert_eq!(
        (llm.base_url.as_str(), llm.api_key.as_deref()),
        ("http://file.example/v1", Some("sk-kc"))
    );

    let env = |k: &str| match k {
        "REHEARSE_WHISPER_THREADS" => Some("1".to_string()),
        "REHEARSE_INPUT_DEVICE" => Some("From env".to_string()),
        "REHEARSE_LLM_URL" => Some("http://env.example/v1".to_string()),
        "REHEARSE_LLM_MODEL" => Some("env-model".to_string()),
        // The caller resolved the key already (keychain first): this one is not used.
        "REHEARSE_LLM_API_KEY" => Some("sk-env".to_string()),
        _ => None,
    };
    let (e, overrides) = engine_settings(&s, Some("sk-kc".into()), env);
    assert_eq!(e.whisper_threads, 1);
    assert_eq!(e.input_device.as_deref(), Some("From env"));
    let llm = e.llm.unwrap();
    assert_eq!(
        (
            llm.base_url.as_str(),
            llm.model.as_str(),
            llm.api_key.as_deref()
        ),
        ("http://env.example/v1", "env-model", Some("sk-kc"))
    );
    assert_eq!(
        overrides,
        [
            "REHEARSE_WHISPER_THREADS",
            "REHEARSE_INPUT_DEVICE",
            "REHEARSE_LLM_URL",
            "REHEARSE_LLM_MODEL"
        ]
    );

    // The LLM switched off in the file stays off unless the environment names a server.
    s.llm.enabled = false;
    let (e, _) = engine_settings(&s, Some("sk-kc".into()), no_env);
    assert!(e.llm.is_none());
}

#[test]
fn use_gpu_comes_from_the_file_and_the_environment_overrides_it() {
    let mut s = default_app_settings();
    // On by default only in a build with a GPU back-end (Cargo features cuda/vulkan/metal).
    assert_eq!(s.use_gpu, rehearse_stt::GPU_API.is_some());
    s.use_gpu = true;
    let (e, overrides) = engine_settings(&s, None, no_env);
    assert!(e.use_gpu);
    assert!(overrides.is_empty());
    let env = |k: &str| (k == "REHEARSE_USE_GPU").then(|| "off".to_string());
    let (e, overrides) = engine_settings(&s, None, env);
    assert!(!e.use_gpu);
    assert_eq!(overrides, ["REHEARSE_USE_GPU"]);
    // Nonsense is ignored (with a warning), not guessed.
    let env = |k: &str| (k == "REHEARSE_USE_GPU").then(|| "maybe".to_string());
    let (e, _) = engine_settings(&s, None, env);
    assert!(e.use_gpu);
}
