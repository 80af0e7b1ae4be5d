//! "Test connection": one tiny chat call to the configured LLM server, with a short deadline
//! and no retries, reported in words.

use crate::settings::LlmSettings;
use rehearse_core::{LlmCheck, LocalLlmServer};
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

/// How long each usual port is given to answer: a server on this machine answers in
/// milliseconds; nothing listening answers at once.
pub const FIND_TIMEOUT: Duration = Duration::from_millis(800);

/// The OpenAI-compatible servers running on this machine at their usual ports, with their
/// models (empty when none runs).
pub fn find_local_llm_servers() -> Vec<LocalLlmServer> {
    rehearse_llm::find_local_servers(&rehearse_llm::USUAL_LOCAL_SERVERS, FIND_TIMEOUT)
        .into_iter()
        .map(|f| LocalLlmServer {
            name: f.name,
            base_url: f.base_url,
            models: f.models,
        })
        .collect()
}
