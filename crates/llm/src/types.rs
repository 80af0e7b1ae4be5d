//! Requests and responses, independent of any one provider's wire format.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

impl Message {
    pub fn system(content: impl Into<String>) -> Self {
        Self {
            role: Role::System,
            content: content.into(),
        }
    }
    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: content.into(),
        }
    }
    pub fn assistant(content: impl Into<String>) -> Self {
        Self {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// Asks the server to constrain its output.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseFormat {
    /// Output that conforms to a JSON Schema (OpenAI `json_schema`, llama.cpp grammar).
    JsonSchema {
        name: String,
        schema: serde_json::Value,
    },
    /// Any JSON object (OpenAI "JSON mode").
    JsonObject,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChatRequest {
    pub messages: Vec<Message>,
    pub max_tokens: Option<u32>,
    pub temperature: Option<f32>,
    pub response_format: Option<ResponseFormat>,
}

impl ChatRequest {
    pub fn new(messages: Vec<Message>) -> Self {
        Self {
            messages,
            ..Self::default()
        }
    }
    pub fn max_tokens(mut self, n: u32) -> Self {
        self.max_tokens = Some(n);
        self
    }
    pub fn temperature(mut self, t: f32) -> Self {
        self.temperature = Some(t);
        self
    }
    pub fn response_format(mut self, f: ResponseFormat) -> Self {
        self.response_format = Some(f);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

impl Usage {
    pub fn total(&self) -> u64 {
        self.prompt_tokens + self.completion_tokens
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChatResponse {
    /// The assistant's text (streamed tokens joined).
    pub text: String,
    /// As the server said it: `stop`, `length` (hit `max_tokens`), ...; `None` when a stream
    /// ended with `[DONE]` but never named one.
    pub finish_reason: Option<String>,
    /// Token counts when the server reported them (streams often do not).
    pub usage: Option<Usage>,
    /// The model that answered, as the server named it.
    pub model: String,
}

impl ChatResponse {
    /// True when the model stopped because it reached `max_tokens`.
    pub fn hit_token_limit(&self) -> bool {
        self.finish_reason.as_deref() == Some("length")
    }
}
