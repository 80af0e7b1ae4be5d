//! Everything that can go wrong talking to a model, in words a user can act on.
//! No variant ever holds the API key.

use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("the LLM settings are not usable: {0}")]
    Config(String),

    #[error("could not reach the LLM server at {url} ({detail}); check the base URL and that the server is running")]
    Connect { url: String, detail: String },

    #[error("the LLM server did not finish answering within {0:?}; try again, raise the timeout or use a smaller model")]
    Timeout(Duration),

    #[error(
        "the API key was rejected by the LLM server (HTTP {status}); check the key in the settings"
    )]
    Unauthorized { status: u16 },

    #[error("the prompt is longer than the model's context window: {message}")]
    ContextTooLong { message: String },

    #[error("the LLM server is rate limiting requests (HTTP 429) and still was after {attempts} attempts; wait a minute or check the plan's limits")]
    RateLimited { attempts: u32 },

    #[error("the LLM server failed (HTTP {status}) after {attempts} attempts: {message}")]
    Server {
        status: u16,
        message: String,
        attempts: u32,
    },

    #[error("the LLM server refused the request (HTTP {status}): {message}")]
    Rejected { status: u16, message: String },

    #[error("the connection to the LLM server failed: {0}")]
    Transport(String),

    #[error("the LLM server's answer is not an OpenAI-compatible response: {0}")]
    MalformedResponse(String),

    #[error("the LLM server's stream ended before the model finished ({chars} characters received, no [DONE] or finish_reason)")]
    Truncated { chars: usize },

    #[error("the model's output was not usable, even after one repair attempt: {reason}")]
    InvalidOutput { reason: String, text: String },

    #[error("the LLM budget for this session is spent: {0}")]
    BudgetExceeded(String),
}

impl LlmError {
    /// Whether the same request may succeed if sent again (the retry loop's rule).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Connect { .. }
                | Self::Timeout(_)
                | Self::RateLimited { .. }
                | Self::Server { .. }
                | Self::Transport(_)
        )
    }
}
