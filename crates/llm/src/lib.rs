//! An OpenAI-compatible chat client for Rehearse's interviewer: blocking (the engine runs it on
//! its own threads), streaming over SSE, structured JSON output with one repair attempt,
//! timeouts and retries with backoff, a per-session budget, and an API key that never shows up
//! in logs or errors. No prompts live here.
//!
//! ```no_run
//! use rehearse_llm::{ChatRequest, LlmClient, LlmConfig, Message, OpenAiCompatible};
//! let client = OpenAiCompatible::new(LlmConfig::new("http://127.0.0.1:8080/v1", "qwen"))?;
//! let answer = client.chat(&ChatRequest::new(vec![Message::user("Hello")]).max_tokens(32))?;
//! println!("{}", answer.text);
//! # Ok::<(), rehearse_llm::LlmError>(())
//! ```

mod budget;
mod client;
mod config;
mod error;
mod json_field;
mod models;
mod openai;
mod retry;
mod secret;
mod sse;
mod structured;
mod types;
mod wire;

pub use budget::{
    estimate_messages, estimate_tokens, trim_to_window, Budget, BudgetedClient, Spent,
    TokenCalibration,
};
pub use client::LlmClient;
pub use config::LlmConfig;
pub use error::LlmError;
pub use json_field::JsonFieldStream;
pub use models::{find_local_servers, list_models, FoundServer, USUAL_LOCAL_SERVERS};
pub use openai::OpenAiCompatible;
pub use secret::Secret;
pub use structured::{chat_json, chat_json_stream, strip_json_fence};
pub use types::{ChatRequest, ChatResponse, Message, ResponseFormat, Role, Usage};
pub use wire::request_body;
