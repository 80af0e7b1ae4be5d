//! [`LlmClient`] over HTTP for any OpenAI-compatible server (OpenAI, llama.cpp, Ollama, vLLM,
//! LM Studio): blocking, with retries and one deadline per call.

use std::fmt;
use std::io::{self, BufReader};
use std::time::{Duration, Instant};

use tracing::{debug, warn};

use crate::client::LlmClient;
use crate::config::LlmConfig;
use crate::error::LlmError;
use crate::retry;
use crate::sse::SseReader;
use crate::types::{ChatRequest, ChatResponse};
use crate::wire;

pub struct OpenAiCompatible {
    config: LlmConfig,
    url: String,
    agent: ureq::Agent,
}

// By hand so that nothing but the (redacting) config is printed.
impl fmt::Debug for OpenAiCompatible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiCompatible")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Why one attempt failed, and whether another may help.
struct Failure {
    error: LlmError,
    retry: bool,
    retry_after: Option<Duration>,
}

impl Failure {
    fn fatal(error: LlmError) -> Self {
        Self {
            error,
            retry: false,
            retry_after: None,
        }
    }
    fn transient(error: LlmError) -> Self {
        Self {
            error,
            retry: true,
            retry_after: None,
        }
    }
}

impl OpenAiCompatible {
    pub fn new(config: LlmConfig) -> Result<Self, LlmError> {
        let url = config.chat_url()?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            // Statuses are read and classified here, not turned into errors by ureq.
            .http_status_as_error(false)
            .user_agent(concat!("rehearse-llm/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(Self { config, url, agent })
    }

    pub fn config(&self) -> &LlmConfig {
        &self.config
    }

    /// Runs `attempt` until it succeeds, fails for good, retries run out or the deadline passes.
    fn with_retries<T>(
        &self,
        mut attempt: impl FnMut(Instant) -> Result<T, Failure>,
    ) -> Result<T, LlmError> {
        let deadline = Instant::now() + self.config.timeout;
        let mut retries = 0u32;
        loop {
            let failure = match attempt(deadline) {
                Ok(v) => return Ok(v),
                Err(f) => f,
            };
            let attempts = retries + 1;
            if !failure.retry || retries >= self.config.max_retries {
                return Err(with_attempts(failure.error, attempts));
            }
            let wait = retry::delay(retries, failure.retry_after, self.config.max_backoff);
            if Instant::now() + wait >= deadline {
                debug!(?wait, "no time left for another attempt");
                return Err(with_attempts(failure.error, attempts));
            }
            warn!(error = %failure.error, attempt = attempts, ?wait, "LLM call failed; retrying");
            std::thread::sleep(wait);
            retries += 1;
        }
    }

    /// Sends the request; returns the response when the status is 2xx.
    fn send(
        &self,
        body: &[u8],
        stream: bool,
        deadline: Instant,
    ) -> Result<ureq::http::Response<ureq::Body>, Failure> {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(Failure::fatal(LlmError::Timeout(self.config.timeout)));
        }
        let mut request = self
            .agent
            .post(&self.url)
            .config()
            .timeout_global(Some(remaining))
            .timeout_connect(Some(self.config.connect_timeout.min(remaining)))
            .build()
            .header("Content-Type", "application/json")
            .header(
                "Accept",
                if stream {
                    "text/event-stream"
                } else {
                    "application/json"
                },
            );
        if let Some(key) = &self.config.api_key {
            request = request.header("Authorization", format!("Bearer {}", key.expose()));
        }
        debug!(url = %self.url, model = %self.config.model, stream, "LLM request");
        let mut response = request.send(body).map_err(|e| self.classify(e))?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(response);
        }
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(retry::parse_retry_after);
        let text = response
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_string()
            .unwrap_or_else(|e| format!("(the error body could not be read: {e})"));
        // Some providers quote the key they rejected; it must not reach our errors or logs.
        let text = match self
            .config
            .api_key
            .as_ref()
            .filter(|k| !k.expose().is_empty())
        {
            Some(key) => text.replace(key.expose(), "***"),
            None => text,
        };
        let parsed = wire::parse_error_body(&text);
        let (error, retry) = match status {
            401 | 403 => (LlmError::Unauthorized { status }, false),
            429 => (LlmError::RateLimited { attempts: 1 }, true),
            500..=599 => (
                LlmError::Server {
                    status,
                    message: parsed.message,
                    attempts: 1,
                },
                true,
            ),
            _ if parsed.context_too_long => (
                LlmError::ContextTooLong {
                    message: parsed.message,
                },
                false,
            ),
            _ => (
                LlmError::Rejected {
                    status,
                    message: parsed.message,
                },
                false,
            ),
        };
        Err(Failure {
            error,
            retry,
            retry_after,
        })
    }

    fn classify(&self, e: ureq::Error) -> Failure {
        match e {
            ureq::Error::Timeout(_) => Failure::transient(LlmError::Timeout(self.config.timeout)),
            ureq::Error::Io(io) => self.classify_io(io),
            ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => {
                Failure::transient(LlmError::Connect {
                    url: self.url.clone(),
                    detail: e.to_string(),
                })
            }
            other => Failure::fatal(LlmError::Transport(other.to_string())),
        }
    }

    fn classify_io(&self, io: io::Error) -> Failure {
        if is_timeout(&io) {
            return Failure::transient(LlmError::Timeout(self.config.timeout));
        }
        match io.kind() {
            io::ErrorKind::ConnectionRefused
            | io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::NotConnected => Failure::transient(LlmError::Connect {
                url: self.url.clone(),
                detail: io.to_string(),
            }),
            _ => Failure::transient(LlmError::Transport(io.to_string())),
        }
    }

    fn stream_once(
        &self,
        body: &[u8],
        deadline: Instant,
        on_token: &mut dyn FnMut(&str),
        delivered: &mut bool,
    ) -> Result<ChatResponse, Failure> {
        let mut response = self.send(body, true, deadline)?;
        let is_json = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("application/json"));
        if is_json {
            // A server that ignores `stream: true` answers in one piece: pass it on as one token.
            let text = response
                .body_mut()
                .with_config()
                .limit(16 * 1024 * 1024)
                .read_to_string()
                .map_err(|e| self.classify(e))?;
            let whole = wire::parse_response(&text).map_err(Failure::fatal)?;
            if !whole.text.is_empty() {
                on_token(&whole.text);
                *delivered = true;
            }
            return Ok(whole);
        }
        let mut events = SseReader::new(BufReader::new(response.into_body().into_reader()));
        let mut out = ChatResponse::default();
        // Once text reached the caller, a retry would repeat it: failures become final.
        let fail = |error: LlmError, delivered: bool| Failure {
            error,
            retry: !delivered,
            retry_after: None,
        };
        loop {
            let event = match events.next_event() {
                Ok(Some(event)) => event,
                Ok(None) => break,
                Err(e) if is_timeout(&e) => {
                    return Err(fail(LlmError::Timeout(self.config.timeout), *delivered))
                }
                // A dropped connection after the model finished is harmless.
                Err(_) if out.finish_reason.is_some() => break,
                Err(e) => {
                    debug!(error = %e, "stream broke");
                    return Err(fail(
                        LlmError::Truncated {
                            chars: out.text.chars().count(),
                        },
                        *delivered,
                    ));
                }
            };
            if event.trim() == "[DONE]" {
                return Ok(out);
            }
            let chunk = wire::parse_chunk(&event).map_err(Failure::fatal)?;
            if let Some(text) = chunk.text.filter(|t| !t.is_empty()) {
                on_token(&text);
                *delivered = true;
                out.text.push_str(&text);
            }
            if let Some(model) = chunk.model {
                out.model = model;
            }
            if chunk.usage.is_some() {
                out.usage = chunk.usage;
            }
            if chunk.finish_reason.is_some() {
                out.finish_reason = chunk.finish_reason;
            }
        }
        if out.finish_reason.is_some() {
            Ok(out)
        } else {
            Err(fail(
                LlmError::Truncated {
                    chars: out.text.chars().count(),
                },
                *delivered,
            ))
        }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    if matches!(
        e.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    ) {
        return true;
    }
    matches!(
        e.get_ref()
            .and_then(|inner| inner.downcast_ref::<ureq::Error>()),
        Some(ureq::Error::Timeout(_))
    )
}

fn with_attempts(error: LlmError, attempts: u32) -> LlmError {
    match error {
        LlmError::RateLimited { .. } => LlmError::RateLimited { attempts },
        LlmError::Server {
            status, message, ..
        } => LlmError::Server {
            status,
            message,
            attempts,
        },
        other => other,
    }
}

impl LlmClient for OpenAiCompatible {
    fn chat(&self, req: &ChatRequest) -> Result<ChatResponse, LlmError> {
        let body = wire::request_body(&self.config.model, req, false)?;
        self.with_retries(|deadline| {
            let mut response = self.send(&body, false, deadline)?;
            let text = response
                .body_mut()
                .with_config()
                .limit(16 * 1024 * 1024)
                .read_to_string()
                .map_err(|e| self.classify(e))?;
            wire::parse_response(&text).map_err(Failure::fatal)
        })
    }

    fn chat_stream(
        &self,
        req: &ChatRequest,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<ChatResponse, LlmError> {
        let body = wire::request_body(&self.config.model, req, true)?;
        let mut delivered = false;
        self.with_retries(|deadline| self.stream_once(&body, deadline, on_token, &mut delivered))
    }
}
