//! JSON answers: parse, validate, and give the model one chance to repair its output.

use serde::de::DeserializeOwned;
use tracing::warn;

use crate::client::LlmClient;
use crate::error::LlmError;
use crate::types::{ChatRequest, ChatResponse, Message};
use crate::wire::excerpt;

/// The JSON inside a model's answer: the text itself, or the body of a ```json (or ```) fence.
pub fn strip_json_fence(text: &str) -> &str {
    let t = text.trim();
    let Some(rest) = t.strip_prefix("```") else {
        return t;
    };
    // Skip the info string (`json`, `JSON`, nothing) up to the end of the opening line.
    let body = match rest.find('\n') {
        Some(i) => &rest[i + 1..],
        None => rest,
    };
    let body = body.trim_end();
    body.strip_suffix("```").unwrap_or(body).trim()
}

fn parse_and_validate<T: DeserializeOwned>(
    text: &str,
    validate: &impl Fn(&T) -> Result<(), String>,
) -> Result<T, String> {
    let value: T = serde_json::from_str(strip_json_fence(text))
        .map_err(|e| format!("the answer is not valid JSON of the expected shape: {e}"))?;
    validate(&value).map_err(|e| format!("the answer breaks a rule: {e}"))?;
    Ok(value)
}

/// Asks for JSON and returns it parsed and validated. When the first answer does not parse or
/// validate, sends it back once with the problem named; if that fails too the result is
/// [`LlmError::InvalidOutput`]. Transport errors are returned as they are.
pub fn chat_json<T: DeserializeOwned>(
    client: &dyn LlmClient,
    req: &ChatRequest,
    validate: impl Fn(&T) -> Result<(), String>,
) -> Result<(T, ChatResponse), LlmError> {
    json_with_repair(req, validate, |r, _| client.chat(r))
}

/// [`chat_json`] streamed: each piece of the answer goes to `on_token(attempt, piece)` as it
/// arrives (`attempt` 0 for the first answer, 1 for the repair, whose text starts over).
pub fn chat_json_stream<T: DeserializeOwned>(
    client: &dyn LlmClient,
    req: &ChatRequest,
    validate: impl Fn(&T) -> Result<(), String>,
    on_token: &mut dyn FnMut(u32, &str),
) -> Result<(T, ChatResponse), LlmError> {
    json_with_repair(req, validate, |r, attempt| {
        client.chat_stream(r, &mut |piece| on_token(attempt, piece))
    })
}

fn json_with_repair<T: DeserializeOwned>(
    req: &ChatRequest,
    validate: impl Fn(&T) -> Result<(), String>,
    mut call: impl FnMut(&ChatRequest, u32) -> Result<ChatResponse, LlmError>,
) -> Result<(T, ChatResponse), LlmError> {
    let first = call(req, 0)?;
    let problem = match parse_and_validate(&first.text, &validate) {
        Ok(value) => return Ok((value, first)),
        Err(problem) => problem,
    };
    warn!(%problem, "the model's JSON was not usable; asking it to repair");
    let mut repair = req.clone();
    repair.messages.push(Message::assistant(first.text.clone()));
    repair.messages.push(Message::user(format!(
        "Your previous answer could not be used: {problem}. \
         Reply again with only the corrected JSON, no explanation and no code fence."
    )));
    let second = call(&repair, 1)?;
    match parse_and_validate(&second.text, &validate) {
        Ok(value) => Ok((value, second)),
        Err(reason) => Err(LlmError::InvalidOutput {
            reason,
            text: excerpt(&second.text),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences() {
        assert_eq!(strip_json_fence("```json\n{\"a\":1}\n```"), "{\"a\":1}");
        assert_eq!(strip_json_fence("  ```\n{\"a\":1}```  "), "{\"a\":1}");
        assert_eq!(strip_json_fence("{\"a\":1}"), "{\"a\":1}");
    }
}
