//! "Test connection": one tiny chat call to the configured LLM server, with a short deadline
//! and no retries, reported in words.

use crate::settings::LlmSettings;
use rehearse_core::LlmCheck;
use rehearse_llm::{ChatRequest, LlmClient, LlmConfig, Message, OpenAiCompatible};
use std::time::{Duration, Instant};

/// The longest a connection test waits, whatever the interviewer's own deadline is.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(10);

/// Asks the server for one short answer. Never fails: what went wrong is the message (which,
/// like every LLM error, never contains the key).
pub fn check_llm_connection(llm: &LlmSettings) -> LlmCheck {
    let mut config = LlmConfig::new(llm.base_url.clone(), llm.model.clone());
    if let Some(key) = &llm.api_key {
        config = config.with_api_key(key.clone());
    }
    config.timeout = Duration::from_secs_f64(llm.timeout_s.clamp(0.1, 3_600.0)).min(CHECK_TIMEOUT);
    config.connect_timeout = config.connect_timeout.min(config.timeout);
    config.max_retries = 0;
    let started = Instant::now();
    let result = OpenAiCompatible::new(config).and_then(|client| {
        client.chat(
            &ChatRequest::new(vec![Message::user("Reply with the word: ready")]).max_tokens(8),
        )
    });
    let latency_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
    match result {
        Ok(answer) => LlmCheck {
            ok: true,
            latency_ms,
            message: format!(
                "Connected to {} in {latency_ms} ms: the model {} answered ({} characters).",
                llm.base_url,
                llm.model,
                answer.text.chars().count()
            ),
        },
        Err(e) => LlmCheck {
            ok: false,
            latency_ms,
            message: format!("Could not use {}: {e}", llm.base_url),
        },
    }
}
