//! The client against a scripted HTTP/1.1 server on loopback that produces the failures real
//! providers produce: rate limits, 5xx, rejected keys, stalls, cut-off streams, broken JSON.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rehearse_llm::{
    chat_json, Budget, BudgetedClient, ChatRequest, LlmClient, LlmConfig, LlmError, Message,
    OpenAiCompatible,
};
use serde::Deserialize;

const KEY: &str = "sk-TEST-do-not-leak-4f9a2c";

/// One scripted answer, for one connection.
enum Reply {
    /// A complete response with Content-Length.
    Full {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// A chunked `text/event-stream`, one chunk per event with a pause between them.
    /// `end` writes the terminating chunk; without it the connection just closes.
    Stream {
        events: Vec<String>,
        pause: Duration,
        end: bool,
    },
    /// Reads the request, then says nothing for this long and closes.
    Stall(Duration),
}

fn ok_json(content: &str) -> Reply {
    let body = serde_json::json!({
        "id": "x", "object": "chat.completion", "model": "fake-model",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}
    });
    Reply::Full {
        status: 200,
        headers: vec![],
        body: body.to_string(),
    }
}

fn status(status: u16, body: &str) -> Reply {
    Reply::Full {
        status,
        headers: vec![],
        body: body.to_string(),
    }
}

fn delta(text: &str) -> String {
    serde_json::json!({"model": "fake-model",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}]})
    .to_string()
}

fn finish(reason: &str) -> String {
    serde_json::json!({"model": "fake-model",
        "choices": [{"index": 0, "delta": {}, "finish_reason": reason}]})
    .to_string()
}

struct Seen {
    at: Instant,
    head: String,
    body: String,
}

struct FakeServer {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FakeServer {
    /// Serves `replies` in order, one per connection, then stops listening. Each server has
    /// its own ephemeral port; waits for a connection are bounded so a test cannot hang.
    fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}/v1", listener.local_addr().expect("local addr"));
        listener.set_nonblocking(true).expect("nonblocking");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        thread::spawn(move || {
            for reply in replies {
                let Some(stream) = accept_within(&listener, Duration::from_secs(20)) else {
                    return;
                };
                let stream_log = Arc::clone(&log);
                // Serve on the listener's thread, in order; a stall holds only this server.
                serve_one(stream, reply, &stream_log);
            }
        });
        Self { url, seen }
    }

    fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    fn times(&self) -> Vec<Instant> {
        self.seen.lock().unwrap().iter().map(|s| s.at).collect()
    }
}

fn accept_within(listener: &TcpListener, limit: Duration) -> Option<TcpStream> {
    let start = Instant::now();
    while start.elapsed() < limit {
        match listener.accept() {
            Ok((s, _)) => {
                s.set_nonblocking(false).ok()?;
                return Some(s);
            }
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    }
    None
}

fn serve_one(stream: TcpStream, reply: Reply, log: &Mutex<Vec<Seen>>) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut head = String::new();
    let mut content_length = 0usize;
    for _ in 0..100 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            content_length = v.trim().parse().unwrap_or(0);
        }
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0u8; content_length.min(1 << 20)];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    log.lock().unwrap().push(Seen {
        at: Instant::now(),
        head,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let mut out = stream;
    match reply {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut r = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                r.push_str(&format!("{k}: {v}\r\n"));
            }
            r.push_str("\r\n");
            r.push_str(&body);
            let _ = out.write_all(r.as_bytes());
        }
        Reply::Stream { events, pause, end } => {
            let _ = out.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            );
            for e in events {
                let chunk = format!("data: {e}\n\n");
                let _ = out.write_all(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes());
                let _ = out.flush();
                thread::sleep(pause);
            }
            if end {
                let _ = out.write_all(b"0\r\n\r\n");
            }
        }
        Reply::Stall(d) => thread::sleep(d),
    }
    let _ = out.flush();
}

fn config(url: &str) -> LlmConfig {
    let mut c = LlmConfig::new(url, "fake-model").with_api_key(KEY);
    c.timeout = Duration::from_secs(10);
    c.connect_timeout = Duration::from_secs(2);
    c.max_retries = 3;
    c.max_backoff = Duration::from_millis(50);
    c
}

fn client(url: &str) -> OpenAiCompatible {
    OpenAiCompatible::new(config(url)).expect("client")
}

fn req() -> ChatRequest {
    ChatRequest::new(vec![Message::system("Be brief."), Message::user("Hello")]).max_tokens(16)
}

fn assert_no_key(e: &LlmError) {
    for text in [format!("{e}"), format!("{e:?}")] {
        assert!(!text.contains(KEY), "the key leaked: {text}");
        assert!(
            !text.contains("do-not-leak"),
            "part of the key leaked: {text}"
        );
    }
}

#[test]
fn plain_chat_succeeds_and_sends_the_key_and_model() {
    let server = FakeServer::start(vec![ok_json("Hi there")]);
    let resp = client(&server.url).chat(&req()).expect("chat");
    assert_eq!(resp.text, "Hi there");
    assert_eq!(resp.finish_reason.as_deref(), Some("stop"));
    assert_eq!(resp.model, "fake-model");
    let usage = resp.usage.expect("usage");
    assert_eq!((usage.prompt_tokens, usage.completion_tokens), (11, 7));
    let seen = server.seen.lock().unwrap();
    assert!(
        seen[0].head.starts_with("POST /v1/chat/completions "),
        "{}",
        seen[0].head
    );
    assert!(seen[0].head.to_ascii_lowercase().contains(&format!(
        "authorization: bearer {}",
        KEY.to_ascii_lowercase()
    )));
    let body: serde_json::Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(body["model"], "fake-model");
    assert_eq!(body["stream"], false);
    assert_eq!(body["messages"][1]["content"], "Hello");
}

#[test]
fn no_authorization_header_without_a_key() {
    let server = FakeServer::start(vec![ok_json("ok")]);
    let mut c = config(&server.url);
    c.api_key = None;
    OpenAiCompatible::new(c)
        .unwrap()
        .chat(&req())
        .expect("chat");
    assert!(!server.seen.lock().unwrap()[0]
        .head
        .to_ascii_lowercase()
        .contains("authorization"));
}

#[test]
fn streaming_delivers_tokens_as_they_arrive() {
    let events = vec![
        delta("Hel"),
        delta("lo"),
        delta(" world"),
        finish("stop"),
        "[DONE]".into(),
    ];
    let server = FakeServer::start(vec![Reply::Stream {
        events,
        pause: Duration::from_millis(150),
        end: true,
    }]);
    let start = Instant::now();
    let mut tokens: Vec<(String, Duration)> = Vec::new();
    let resp = client(&server.url)
        .chat_stream(&req(), &mut |t| {
            tokens.push((t.to_string(), start.elapsed()))
        })
        .expect("stream");
    let texts: Vec<&str> = tokens.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["Hel", "lo", " world"]);
    assert_eq!(resp.text, "Hello world");
    assert_eq!(resp.finish_reason.as_deref(), Some("stop"));
    // Incremental: the first token came well before the stream ended.
    let total = start.elapsed();
    assert!(
        tokens[0].1 + Duration::from_millis(300) <= total,
        "first {:?}, total {total:?}",
        tokens[0].1
    );
    let body: serde_json::Value =
        serde_json::from_str(&server.seen.lock().unwrap()[0].body).unwrap();
    assert_eq!(body["stream"], true);
}

#[test]
fn rate_limit_waits_for_retry_after_then_succeeds() {
    let limited = Reply::Full {
        status: 429,
        headers: vec![("Retry-After", "1".into())],
        body: r#"{"error":{"message":"slow down","type":"rate_limit"}}"#.into(),
    };
    let server = FakeServer::start(vec![limited, ok_json("fine")]);
    let mut c = config(&server.url);
    c.max_backoff = Duration::from_secs(5);
    let resp = OpenAiCompatible::new(c)
        .unwrap()
        .chat(&req())
        .expect("chat after 429");
    assert_eq!(resp.text, "fine");
    let t = server.times();
    assert_eq!(t.len(), 2);
    let waited = t[1] - t[0];
    assert!(
        waited >= Duration::from_millis(1000),
        "waited only {waited:?}"
    );
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
}

#[test]
fn retry_after_is_capped_by_max_backoff() {
    let limited = Reply::Full {
        status: 429,
        headers: vec![("Retry-After", "30".into())],
        body: "{}".into(),
    };
    let server = FakeServer::start(vec![limited, ok_json("fine")]);
    let mut c = config(&server.url);
    c.max_backoff = Duration::from_millis(200);
    let start = Instant::now();
    OpenAiCompatible::new(c)
        .unwrap()
        .chat(&req())
        .expect("chat");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn server_errors_are_retried_then_succeed() {
    let server = FakeServer::start(vec![
        status(500, r#"{"error":{"message":"boom"}}"#),
        status(503, "<html>busy</html>"),
        ok_json("third time"),
    ]);
    let resp = client(&server.url).chat(&req()).expect("chat");
    assert_eq!(resp.text, "third time");
    assert_eq!(server.count(), 3);
}

#[test]
fn server_errors_give_up_after_max_retries() {
    let server = FakeServer::start((0..5).map(|_| status(502, "bad gateway")).collect());
    let mut c = config(&server.url);
    c.max_retries = 2;
    let err = OpenAiCompatible::new(c).unwrap().chat(&req()).unwrap_err();
    assert!(
        matches!(
            err,
            LlmError::Server {
                status: 502,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.count(), 3);
    assert_no_key(&err);
}

#[test]
fn unauthorized_is_not_retried() {
    let body = format!(
        r#"{{"error":{{"message":"Incorrect API key provided: {KEY}","type":"invalid_request_error"}}}}"#
    );
    let server = FakeServer::start(vec![status(401, &body), ok_json("never")]);
    let err = client(&server.url).chat(&req()).unwrap_err();
    assert!(
        matches!(err, LlmError::Unauthorized { status: 401 }),
        "{err:?}"
    );
    assert!(err.to_string().contains("API key was rejected"), "{err}");
    thread::sleep(Duration::from_millis(100));
    assert_eq!(server.count(), 1);
    assert_no_key(&err);
}

#[test]
fn context_overflow_is_its_own_error_and_not_retried() {
    let body = r#"{"error":{"code":400,"message":"the request exceeds the available context size (4000 tokens > 2048)","type":"exceed_context_size_error","n_prompt_tokens":4000,"n_ctx":2048}}"#;
    let server = FakeServer::start(vec![status(400, body), ok_json("never")]);
    let err = client(&server.url).chat(&req()).unwrap_err();
    assert!(
        matches!(&err, LlmError::ContextTooLong { message } if message.contains("context size")),
        "{err:?}"
    );
    thread::sleep(Duration::from_millis(100));
    assert_eq!(server.count(), 1);
}

#[test]
fn other_client_errors_are_rejected_without_retry_and_without_the_key() {
    let body = format!(r#"{{"error":{{"message":"bad field; your key {KEY} is fine"}}}}"#);
    let server = FakeServer::start(vec![status(422, &body), ok_json("never")]);
    let err = client(&server.url).chat(&req()).unwrap_err();
    assert!(
        matches!(err, LlmError::Rejected { status: 422, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("bad field"), "{err}");
    assert_no_key(&err);
    thread::sleep(Duration::from_millis(100));
    assert_eq!(server.count(), 1);
}

#[test]
fn a_stalled_server_times_out_within_the_overall_deadline() {
    let server = FakeServer::start(
        (0..4)
            .map(|_| Reply::Stall(Duration::from_secs(4)))
            .collect(),
    );
    let mut c = config(&server.url);
    c.timeout = Duration::from_millis(800);
    c.max_retries = 3;
    let start = Instant::now();
    let err = OpenAiCompatible::new(c).unwrap().chat(&req()).unwrap_err();
    let took = start.elapsed();
    assert!(matches!(err, LlmError::Timeout(_)), "{err:?}");
    assert!(
        took >= Duration::from_millis(700) && took < Duration::from_millis(2500),
        "took {took:?}"
    );
    assert_no_key(&err);
}

#[test]
fn a_stream_that_stalls_mid_way_times_out() {
    let events = vec![
        delta("slow"),
        delta(" and"),
        finish("stop"),
        "[DONE]".into(),
    ];
    let server = FakeServer::start(vec![Reply::Stream {
        events,
        pause: Duration::from_secs(3),
        end: true,
    }]);
    let mut c = config(&server.url);
    c.timeout = Duration::from_millis(800);
    let start = Instant::now();
    let mut n = 0;
    let err = OpenAiCompatible::new(c)
        .unwrap()
        .chat_stream(&req(), &mut |_| n += 1)
        .unwrap_err();
    assert!(matches!(err, LlmError::Timeout(_)), "{err:?}");
    assert!(
        start.elapsed() < Duration::from_millis(2500),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(n, 1);
}

#[test]
fn a_stream_without_done_or_finish_reason_is_truncated() {
    // A cleanly ended HTTP body that never said the model finished.
    let events = vec![delta("partial"), delta(" answ")];
    let server = FakeServer::start(vec![
        Reply::Stream {
            events,
            pause: Duration::ZERO,
            end: true,
        },
        ok_json("no"),
    ]);
    let mut got = String::new();
    let err = client(&server.url)
        .chat_stream(&req(), &mut |t| got.push_str(t))
        .unwrap_err();
    assert!(matches!(err, LlmError::Truncated { chars: 12 }), "{err:?}");
    assert_eq!(got, "partial answ");
    thread::sleep(Duration::from_millis(100));
    assert_eq!(server.count(), 1, "text already delivered, so no retry");
}

#[test]
fn a_dropped_connection_mid_stream_is_truncated() {
    let events = vec![delta("cut")];
    let server = FakeServer::start(vec![Reply::Stream {
        events,
        pause: Duration::ZERO,
        end: false,
    }]);
    let err = client(&server.url)
        .chat_stream(&req(), &mut |_| {})
        .unwrap_err();
    assert!(matches!(err, LlmError::Truncated { chars: 3 }), "{err:?}");
}

#[test]
fn a_stream_with_finish_reason_but_no_done_is_complete() {
    let events = vec![delta("ok"), finish("length")];
    let server = FakeServer::start(vec![Reply::Stream {
        events,
        pause: Duration::ZERO,
        end: true,
    }]);
    let resp = client(&server.url)
        .chat_stream(&req(), &mut |_| {})
        .expect("stream");
    assert!(resp.hit_token_limit());
    assert_eq!(resp.text, "ok");
}

#[test]
fn a_stream_that_breaks_before_any_token_is_retried() {
    let server = FakeServer::start(vec![
        Reply::Stream {
            events: vec![],
            pause: Duration::ZERO,
            end: false,
        },
        Reply::Stream {
            events: vec![delta("second"), finish("stop")],
            pause: Duration::ZERO,
            end: true,
        },
    ]);
    let resp = client(&server.url)
        .chat_stream(&req(), &mut |_| {})
        .expect("stream");
    assert_eq!(resp.text, "second");
    assert_eq!(server.count(), 2);
}

#[test]
fn a_malformed_body_is_an_error_not_a_panic() {
    let server = FakeServer::start(vec![
        status(200, "{\"choices\": [ {\"message\": "),
        ok_json("never"),
    ]);
    let err = client(&server.url).chat(&req()).unwrap_err();
    assert!(matches!(err, LlmError::MalformedResponse(_)), "{err:?}");
    let server = FakeServer::start(vec![status(
        200,
        r#"{"object":"chat.completion","choices":[]}"#,
    )]);
    let err = client(&server.url).chat(&req()).unwrap_err();
    assert!(matches!(err, LlmError::MalformedResponse(_)), "{err:?}");
    let events = vec!["{not json".to_string()];
    let server = FakeServer::start(vec![Reply::Stream {
        events,
        pause: Duration::ZERO,
        end: true,
    }]);
    let err = client(&server.url)
        .chat_stream(&req(), &mut |_| {})
        .unwrap_err();
    assert!(matches!(err, LlmError::MalformedResponse(_)), "{err:?}");
}

#[test]
fn nothing_listening_is_a_connection_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut c = config(&format!("http://127.0.0.1:{port}/v1"));
    c.max_retries = 1;
    let err = OpenAiCompatible::new(c).unwrap().chat(&req()).unwrap_err();
    assert!(matches!(err, LlmError::Connect { .. }), "{err:?}");
    assert!(err.to_string().contains("server is running"), "{err}");
    assert_no_key(&err);
}

#[test]
fn the_key_never_shows_in_debug_of_client_or_config() {
    let c = client("http://127.0.0.1:9/v1");
    assert!(!format!("{c:?}").contains(KEY));
    assert!(!format!("{:?}", config("http://127.0.0.1:9/v1")).contains(KEY));
}

#[derive(Debug, Deserialize)]
struct Verdict {
    score: u8,
}

fn score_in_range(v: &Verdict) -> Result<(), String> {
    if v.score <= 4 {
        Ok(())
    } else {
        Err(format!("score {} is outside 0..=4", v.score))
    }
}

#[test]
fn chat_json_repairs_once() {
    let server = FakeServer::start(vec![
        ok_json("Sure! {\"score\": "),
        ok_json("```json\n{\"score\": 3}\n```"),
    ]);
    let c = client(&server.url);
    let (v, resp): (Verdict, _) = chat_json(&c, &req(), score_in_range).expect("repaired");
    assert_eq!(v.score, 3);
    assert_eq!(resp.finish_reason.as_deref(), Some("stop"));
    let seen = server.seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    let second: serde_json::Value = serde_json::from_str(&seen[1].body).unwrap();
    let msgs = second["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 4);
    assert_eq!(msgs[2]["role"], "assistant");
    assert_eq!(msgs[2]["content"], "Sure! {\"score\": ");
    assert!(
        msgs[3]["content"]
            .as_str()
            .unwrap()
            .contains("not valid JSON"),
        "{}",
        msgs[3]
    );
}

#[test]
fn chat_json_gives_up_after_one_repair() {
    let server = FakeServer::start(vec![
        ok_json("{\"score\": 9}"),
        ok_json("{\"score\": 7}"),
        ok_json("{\"score\": 1}"),
    ]);
    let c = client(&server.url);
    let err = chat_json::<Verdict>(&c, &req(), score_in_range).unwrap_err();
    assert!(
        matches!(&err, LlmError::InvalidOutput { reason, .. } if reason.contains("score 7")),
        "{err:?}"
    );
    thread::sleep(Duration::from_millis(100));
    assert_eq!(server.count(), 2);
    let second: serde_json::Value =
        serde_json::from_str(&server.seen.lock().unwrap()[1].body).unwrap();
    assert!(second["messages"][3]["content"]
        .as_str()
        .unwrap()
        .contains("score 9 is outside"));
}

#[test]
fn budget_refuses_the_call_that_would_exceed_it() {
    let server = FakeServer::start(vec![ok_json("one"), ok_json("two"), ok_json("three")]);
    let budgeted = BudgetedClient::new(
        client(&server.url),
        Budget {
            max_calls: 2,
            max_tokens: 10_000,
        },
    );
    budgeted.chat(&req()).expect("first");
    // A server that ignores `stream: true` and answers with JSON still works.
    let mut tokens = Vec::new();
    let two = budgeted
        .chat_stream(&req(), &mut |t| tokens.push(t.to_string()))
        .expect("second");
    assert_eq!(
        (two.text.as_str(), tokens),
        ("two", vec!["two".to_string()])
    );
    let err = budgeted.chat(&req()).unwrap_err();
    assert!(matches!(err, LlmError::BudgetExceeded(_)), "{err:?}");
    assert_eq!(budgeted.spent().calls, 2);
    assert_eq!(budgeted.spent().tokens, 36, "the server's usage figures");
    thread::sleep(Duration::from_millis(100));
    assert_eq!(server.count(), 2);

    // Tokens: a request whose max_tokens alone is over the budget never leaves the process.
    let server = FakeServer::start(vec![ok_json("never")]);
    let budgeted = BudgetedClient::new(
        client(&server.url),
        Budget {
            max_calls: 10,
            max_tokens: 100,
        },
    );
    let err = budgeted.chat(&req().max_tokens(200)).unwrap_err();
    assert!(matches!(err, LlmError::BudgetExceeded(_)), "{err:?}");
    assert!(err.to_string().contains("tokens"), "{err}");
    thread::sleep(Duration::from_millis(100));
    assert_eq!(server.count(), 0);
}

#[test]
fn the_trait_is_object_safe_and_shareable() {
    fn assert_send_sync<T: Send + Sync + ?Sized>() {}
    assert_send_sync::<dyn LlmClient>();
    let server = FakeServer::start(vec![ok_json("shared")]);
    let shared: Arc<dyn LlmClient> = Arc::new(client(&server.url));
    let t = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || shared.chat(&req()).map(|r| r.text))
    };
    assert_eq!(t.join().unwrap().unwrap(), "shared");
}
