//! The OpenAI chat-completions JSON shapes, request and response, and their conversion.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::LlmError;
use crate::types::{ChatRequest, ChatResponse, Message, ResponseFormat, Usage};

#[derive(Serialize)]
pub(crate) struct WireRequest<'a> {
    model: &'a str,
    messages: &'a [Message],
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_format: Option<Value>,
    stream: bool,
    /// Asks a stream to end with a usage chunk (OpenAI, llama.cpp, vLLM, Ollama): the prompt's
    /// real token count, which keeps the context estimate honest.
    #[serde(skip_serializing_if = "Option::is_none")]
    stream_options: Option<Value>,
}

/// The JSON body of an OpenAI chat-completions request, exactly as [`crate::OpenAiCompatible`]
/// sends it (benchmarks send the same bytes with a plain HTTP client).
pub fn request_body(model: &str, req: &ChatRequest, stream: bool) -> Result<Vec<u8>, LlmError> {
    let response_format = req.response_format.as_ref().map(|f| match f {
        ResponseFormat::JsonObject => json!({ "type": "json_object" }),
        ResponseFormat::JsonSchema { name, schema } => json!({
            "type": "json_schema",
            "json_schema": { "name": name, "schema": schema, "strict": true }
        }),
    });
    let wire = WireRequest {
        model,
        messages: &req.messages,
        max_tokens: req.max_tokens,
        temperature: req.temperature,
        response_format,
        stream,
        stream_options: stream.then(|| json!({ "include_usage": true })),
    };
    serde_json::to_vec(&wire)
        .map_err(|e| LlmError::Config(format!("the request could not be encoded: {e}")))
}

#[derive(Deserialize)]
struct WireUsage {
    #[serde(default)]
    prompt_tokens: u64,
    #[serde(default)]
    completion_tokens: u64,
}

impl From<WireUsage> for Usage {
    fn from(u: WireUsage) -> Self {
        Usage {
            prompt_tokens: u.prompt_tokens,
            completion_tokens: u.completion_tokens,
        }
    }
}

#[derive(Deserialize)]
struct WireMessage {
    #[serde(default)]
    content: Option<String>,
}

#[derive(Deserialize)]
struct WireChoice {
    #[serde(default)]
    message: Option<WireMessage>,
    #[serde(default)]
    delta: Option<WireMessage>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct WireResponse {
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    choices: Vec<WireChoice>,
    #[serde(default)]
    usage: Option<WireUsage>,
}

/// The first 200 characters, for error messages.
pub(crate) fn excerpt(text: &str) -> String {
    let mut s: String = text.chars().take(200).collect();
    if s.len() < text.len() {
        s.push_str("...");
    }
    s
}

/// A whole (non-streamed) response body.
pub(crate) fn parse_response(body: &str) -> Result<ChatResponse, LlmError> {
    let wire: WireResponse = serde_json::from_str(body)
        .map_err(|e| LlmError::MalformedResponse(format!("{e} in {:?}", excerpt(body))))?;
    let choice =
        wire.choices.into_iter().next().ok_or_else(|| {
            LlmError::MalformedResponse(format!("no choices in {:?}", excerpt(body)))
        })?;
    let message = choice.message.ok_or_else(|| {
        LlmError::MalformedResponse(format!(
            "the first choice has no message in {:?}",
            excerpt(body)
        ))
    })?;
    Ok(ChatResponse {
        text: message.content.unwrap_or_default(),
        finish_reason: choice.finish_reason,
        usage: wire.usage.map(Usage::from),
        model: wire.model.unwrap_or_default(),
    })
}

/// What one streamed chunk adds.
#[derive(Default)]
pub(crate) struct Chunk {
    pub text: Option<String>,
    pub finish_reason: Option<String>,
    pub usage: Option<Usage>,
    pub model: Option<String>,
}

pub(crate) fn parse_chunk(data: &str) -> Result<Chunk, LlmError> {
    let value: Value = serde_json::from_str(data).map_err(|e| {
        LlmError::MalformedResponse(format!("{e} in stream event {:?}", excerpt(data)))
    })?;
    if let Some(err) = value.get("error") {
        return Err(LlmError::Server {
            status: 200,
            message: error_message(err),
            attempts: 1,
        });
    }
    let wire: WireResponse = serde_json::from_value(value).map_err(|e| {
        LlmError::MalformedResponse(format!("{e} in stream event {:?}", excerpt(data)))
    })?;
    let mut chunk = Chunk {
        model: wire.model,
        usage: wire.usage.map(Usage::from),
        ..Chunk::default()
    };
    if let Some(choice) = wire.choices.into_iter().next() {
        chunk.text = choice.delta.or(choice.message).and_then(|m| m.content);
        chunk.finish_reason = choice.finish_reason;
    }
    Ok(chunk)
}

/// The parts of an OpenAI-shaped error body (`{"error": {"message", "type", "code"}}`) that
/// decide what to do, plus a readable message for anything else.
pub(crate) struct ErrorBody {
    pub message: String,
    pub context_too_long: bool,
}

fn error_message(err: &Value) -> String {
    match err {
        Value::String(s) => excerpt(s),
        Value::Object(o) => o
            .get("message")
            .and_then(Value::as_str)
            .map(excerpt)
            .unwrap_or_else(|| excerpt(&err.to_string())),
        other => excerpt(&other.to_string()),
    }
}

pub(crate) fn parse_error_body(body: &str) -> ErrorBody {
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return ErrorBody {
            message: excerpt(body.trim()),
            context_too_long: false,
        };
    };
    let err = value.get("error").unwrap_or(&value);
    let kind = err.get("type").and_then(Value::as_str).unwrap_or_default();
    let code = err.get("code").and_then(Value::as_str).unwrap_or_default();
    ErrorBody {
        message: error_message(err),
        // llama.cpp says `exceed_context_size_error`; OpenAI says `context_length_exceeded`.
        context_too_long: kind == "exceed_context_size_error" || code == "context_length_exceeded",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Message;

    #[test]
    fn request_shape() {
        let req = ChatRequest::new(vec![Message::user("hi")])
            .max_tokens(5)
            .response_format(ResponseFormat::JsonSchema {
                name: "t".into(),
                schema: json!({"type": "object"}),
            });
        let v: Value = serde_json::from_slice(&request_body("m", &req, true).unwrap()).unwrap();
        assert_eq!(v["model"], "m");
        assert_eq!(v["messages"][0]["role"], "user");
        assert_eq!(v["max_tokens"], 5);
        assert_eq!(v["stream"], true);
        assert_eq!(v["stream_options"]["include_usage"], true);
        assert!(v.get("temperature").is_none());
        assert_eq!(v["response_format"]["type"], "json_schema");
        assert_eq!(v["response_format"]["json_schema"]["name"], "t");
    }

    #[test]
    fn error_bodies() {
        let e = parse_error_body(
            r#"{"error":{"code":400,"message":"too long","type":"exceed_context_size_error"}}"#,
        );
        assert!(e.context_too_long);
        assert_eq!(e.message, "too long");
        let e = parse_error_body("<html>bad gateway</html>");
        assert!(!e.context_too_long);
        assert_eq!(e.message, "<html>bad gateway</html>");
    }

    #[test]
    fn empty_choices_is_malformed() {
        assert!(matches!(
            parse_response(r#"{"choices":[]}"#),
            Err(LlmError::MalformedResponse(_))
        ));
    }
}
