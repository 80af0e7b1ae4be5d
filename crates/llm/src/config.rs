//! Where the server is and how patient to be with it.

use std::time::Duration;

use crate::error::LlmError;
use crate::secret::Secret;

/// Settings for an OpenAI-compatible endpoint. `Debug` is safe to log: the key prints `***`.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    /// The API root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8080/v1`;
    /// requests go to `{base_url}/chat/completions`.
    pub base_url: String,
    /// The model name sent with each request.
    pub model: String,
    /// Sent as `Authorization: Bearer ...` when set.
    pub api_key: Option<Secret>,
    /// The overall deadline for one call, retries and waits included.
    pub timeout: Duration,
    /// The limit for opening a connection, per attempt.
    pub connect_timeout: Duration,
    /// Retries after the first attempt for timeouts, connection errors, 429 and 5xx.
    pub max_retries: u32,
    /// The longest single wait between attempts (also caps a server's `Retry-After`).
    pub max_backoff: Duration,
}

impl LlmConfig {
    /// Defaults: 60 s per call, 5 s to connect, 2 retries, at most 8 s between attempts.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(5),
            max_retries: 2,
            max_backoff: Duration::from_secs(8),
        }
    }

    pub fn with_api_key(mut self, key: impl Into<Secret>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// `{base_url}/chat/completions`, after checking the URL's scheme.
    pub fn chat_url(&self) -> Result<String, LlmError> {
        let base = self.base_url.trim().trim_end_matches('/');
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(LlmError::Config(format!(
                "the base URL {base:?} must start with http:// or https:// (for example http://127.0.0.1:8080/v1)"
            )));
        }
        if self.model.trim().is_empty() {
            return Err(LlmError::Config("the model name is empty".into()));
        }
        if self.timeout.is_zero() {
            return Err(LlmError::Config(
                "the timeout must be more than zero".into(),
            ));
        }
        Ok(format!("{base}/chat/completions"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_url_joins_and_checks() {
        let c = LlmConfig::new("http://127.0.0.1:1/v1/", "m");
        assert_eq!(
            c.chat_url().unwrap(),
            "http://127.0.0.1:1/v1/chat/completions"
        );
        assert!(matches!(
            LlmConfig::new("127.0.0.1/v1", "m").chat_url(),
            Err(LlmError::Config(_))
        ));
    }

    #[test]
    fn debug_hides_the_key() {
        let c = LlmConfig::new("http://x/v1", "m").with_api_key("sk-hidden-123");
        let d = format!("{c:?}");
        assert!(!d.contains("sk-hidden-123"), "{d}");
        assert!(d.contains("***"));
    }
}
