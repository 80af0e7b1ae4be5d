//! Which interviewer a session uses: the offline one, or the LLM one (from
//! [`EngineSettings::llm`](crate::EngineSettings)) with the offline one answering whatever
//! the LLM cannot.

pub use crate::settings::{LlmSettings, DEFAULT_LLM_TIMEOUT_S};

use crate::EngineSettings;
use rehearse_content::{Prompt, Rubric};
use rehearse_interviewer::{FallbackInterviewer, LlmInterviewer, LlmInterviewerConfig, LlmScoring};
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

/// The LLM interviewer's limits: the defaults (a 4096-token context window, the smallest any
/// current server runs with), with the window from `REHEARSE_LLM_CONTEXT_TOKENS` when set
/// (the server's n_ctx, e.g. 32768 for a hosted model): prompts are fitted to it, the older
/// transcript summarised, so that no call is refused for its length. `REHEARSE_LLM_SCORING`
/// picks how the model scores: `checklist` (the default: a call per dimension answering its
/// yes/no checks with quotes) or `holistic` (every level in one call, 8 times fewer calls).
pub fn llm_interviewer_config() -> LlmInterviewerConfig {
    llm_interviewer_config_from(|k| std::env::var(k).ok())
}

/// [`llm_interviewer_config`] with the variables read through `var`.
pub fn llm_interviewer_config_from(var: impl Fn(&str) -> Option<String>) -> LlmInterviewerConfig {
    let mut config = LlmInterviewerConfig::default();
    if let Some(v) = var("REHEARSE_LLM_CONTEXT_TOKENS") {
        match v.trim().parse::<u64>() {
            // Below ~1k tokens not even the rubric fits.
            Ok(n) if n >= 1_024 => config.context_window = n,
            _ => {
                tracing::warn!(value = %v, "ignoring REHEARSE_LLM_CONTEXT_TOKENS: not a number of tokens (1024 or more)")
            }
        }
    }
    if let Some(v) = var("REHEARSE_LLM_SCORING") {
        match v.trim() {
            "checklist" => config.scoring = LlmScoring::Checklist,
            "holistic" => config.scoring = LlmScoring::Holistic,
            _ => {
                tracing::warn!(value = %v, "ignoring REHEARSE_LLM_SCORING: not 'checklist' or 'holistic'")
            }
        }
    }
    // The answer must leave room for the prompt in a small window.
    let half_window = u32::try_from(config.context_window / 2).unwrap_or(u32::MAX);
    config.score_max_tokens = config.score_max_tokens.min(half_window);
    config.checklist_max_tokens = config.checklist_max_tokens.min(half_window);
    config
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
        Ok(client) => Some(
            LlmInterviewer::new(client, prompt, rubric, llm.model.clone())
                .with_config(llm_interviewer_config()),
        ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_window_comes_from_the_environment_when_sane() {
        let none = llm_interviewer_config_from(|_| None);
        assert_eq!(none.context_window, 4_096);
        let big = llm_interviewer_config_from(|k| {
            (k == "REHEARSE_LLM_CONTEXT_TOKENS").then(|| " 32768 ".to_string())
        });
        assert_eq!(big.context_window, 32_768);
        assert_eq!(
            big.score_max_tokens,
            LlmInterviewerConfig::default().score_max_tokens
        );
        let holistic = llm_interviewer_config_from(|k| {
            (k == "REHEARSE_LLM_SCORING").then(|| "holistic".to_string())
        });
        assert_eq!(holistic.scoring, LlmScoring::Holistic);
        assert_eq!(none.scoring, LlmScoring::Checklist, "checklists by default");
        for bad in ["12", "lots", ""] {
            let c = llm_interviewer_config_from(|_| Some(bad.to_string()));
            assert_eq!(c.context_window, 4_096, "{bad:?}");
        }
        // A window too small for the default scorecard answer halves the answer instead.
        let small = llm_interviewer_config_from(|_| Some("2048".into()));
        assert_eq!(small.score_max_tokens, 1_024);
        assert!(small.prompt_budget(small.score_max_tokens) >= 900);
    }
}
