//! Against a real OpenAI-compatible server with a real (tiny) model: llama.cpp's server with
//! SmolLM2-135M, started by `scripts/lib/llm.sh` (`start_llm_server`). The model's words are
//! nonsense; this checks transport, streaming and the shape of structured output.

use std::time::{Duration, Instant};

use rehearse_llm::{ChatRequest, LlmClient, LlmConfig, Message, OpenAiCompatible, ResponseFormat};

fn client() -> OpenAiCompatible {
    let url = std::env::var("REHEARSE_LLM_TEST_URL").expect(
        "REHEARSE_LLM_TEST_URL is not set: run bash scripts/test.sh, or source scripts/lib/llm.sh and call start_llm_server",
    );
    let model = std::env::var("REHEARSE_LLM_TEST_MODEL").unwrap_or_else(|_| "smollm2-135m".into());
    let mut config = LlmConfig::new(url, model);
    config.timeout = Duration::from_secs(120);
    OpenAiCompatible::new(config).expect("client")
}

#[test]
#[ignore = "needs the local LLM server: run bash scripts/test.sh"]
fn real_server_chat_stream_and_json_schema() {
    let client = client();
    let ask = |q: &str| {
        ChatRequest::new(vec![
            Message::system("You are a concise interviewer."),
            Message::user(q),
        ])
        .temperature(0.0)
    };

    // 1. Plain chat.
    let start = Instant::now();
    let plain = client
        .chat(&ask("Name one database.").max_tokens(16))
        .expect("plain chat");
    println!(
        "plain: {:?} in {:.2?}, finish {:?}, usage {:?}, model {:?}",
        plain.text,
        start.elapsed(),
        plain.finish_reason,
        plain.usage,
        plain.model
    );
    assert!(!plain.text.trim().is_empty());
    assert!(plain.finish_reason.is_some());
    let usage = plain.usage.expect("llama.cpp reports usage");
    assert!(usage.prompt_tokens > 0 && usage.completion_tokens > 0);
    assert!(usage.completion_tokens <= 16);

    // 2. Streamed chat: several callbacks, each as it arrives.
    let start = Instant::now();
    let mut first_token = None;
    let mut pieces = Vec::new();
    let streamed = client
        .chat_stream(
            &ask("Describe a cache in one sentence.").max_tokens(24),
            &mut |t| {
                first_token.get_or_insert_with(|| start.elapsed());
                pieces.push(t.to_string());
            },
        )
        .expect("streamed chat");
    let total = start.elapsed();
    println!(
        "stream: {} pieces, first token {:.2?}, total {total:.2?}, finish {:?}: {:?}",
        pieces.len(),
        first_token.unwrap_or_default(),
        streamed.finish_reason,
        streamed.text
    );
    assert!(pieces.len() > 1, "only {} callbacks", pieces.len());
    assert_eq!(pieces.concat(), streamed.text);
    assert!(streamed.finish_reason.is_some());

    // 3. Structured output: a tiny schema so that the constrained answer ends quickly.
    let schema = serde_json::json!({
        "type": "object",
        "properties": { "ok": { "type": "boolean" } },
        "required": ["ok"],
        "additionalProperties": false
    });
    let start = Instant::now();
    let structured = client
        .chat(
            &ask("Is a queue useful for absorbing bursts? Answer in JSON.")
                .max_tokens(48)
                .response_format(ResponseFormat::JsonSchema {
                    name: "answer".into(),
                    schema,
                }),
        )
        .expect("json_schema chat");
    println!(
        "json_schema: {:?} in {:.2?}",
        structured.text,
        start.elapsed()
    );
    let value: serde_json::Value =
        serde_json::from_str(rehearse_llm::strip_json_fence(&structured.text))
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", structured.text));
    assert!(value["ok"].is_boolean(), "{value}");
}
