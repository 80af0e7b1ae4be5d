//! Which interviewer a session uses: the offline one, or the LLM one (from
//! [`EngineSettings::llm`](crate::EngineSettings)) with the offline one answering whatever
//! the LLM cannot.

pub use crate::settings::{LlmSettings, DEFAULT_LLM_TIMEOUT_S};

use crate::EngineSettings;
use rehearse_content::{Prompt, Rubric};
use rehearse_interviewer::{FallbackInterviewer, LlmInterviewer};
use rehearse_llm::{Budget, BudgetedClient, LlmClient, LlmConfig, OpenAiCompatible};
use std::sync::Arc;
use std::time::Duration;

/// The most LLM calls and tokens one session may spend; past it the offline interviewer
/// answers (each turn says so).
pub const SESSION_BUDGET: Budget = Budget {
    max_calls: 40,
    max_tokens: 400_000,
};

/// The client for these settings: retries and deadline as configured, within the session
/// budget.
pub fn llm_client(llm: &LlmSettings) -> Result<Arc<dyn LlmClient>, rehearse_llm::LlmError> {
    let mut config = LlmConfig::new(llm.base_url.clone(), llm.model.clone());
    if let Some(key) = &llm.api_key {
        config = config.with_api_key(key.clone());
    }
    config.timeout = Duration::from_secs_f64(llm.timeout_s.clamp(0.1, 3_600.0));
    config.connect_timeout = config.connect_timeout.min(config.timeout);
    config.max_backoff = config.max_backoff.min(config.timeout / 4);
    let client = OpenAiCompatible::new(config)?;
    Ok(Arc::new(BudgetedClient::new(client, SESSION_BUDGET)))
}

/// The interviewer for one session, and a notice for the candidate when the LLM is configured
/// but cannot be used at all (its settings are invalid): then the session is offline.
pub fn build_interviewer(
    settings: &EngineSettings,
    prompt: &Prompt,
    rubric: &Rubric,
) -> (FallbackInterviewer, Option<String>) {
    let mut notice = None;
    let llm = settings.llm.as_ref().and_then(|llm| match llm_client(llm) {
        Ok(client) => Some(LlmInterviewer::new(client, prompt, rubric, llm.model.clone())),
        Err(e) => {
            tracing::warn!(error = %e, "the LLM interviewer is not usable; offline only");
            notice = Some(format!(
                "The LLM interviewer is not usable ({e}); the offline interviewer runs this session."
            ));
            None
        }
    });
    let interviewer = FallbackInterviewer::new(prompt, rubric, settings.interviewer.clone(), llm);
    (interviewer, notice)
}
