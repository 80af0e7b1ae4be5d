//! `rehearse-bench llm`: what the LLM backend adds to the server's own time to first token.
//!
//! The same follow-up request (the interviewer's real prompt, schema and settings) is sent N
//! times two ways, alternating so both see the same server state (llama.cpp caches the
//! prompt's prefix, so after the first run both measure a warm server):
//! - raw: the request's bytes, prepared beforehand, POSTed with a plain HTTP client; the
//!   clock runs from sending to the first SSE event with content;
//! - ours: `LlmInterviewer::follow_up_streaming` from the transcript: prompt building, window
//!   fitting and fencing, the schema, encoding, our client, SSE parsing and the question
//!   extractor; the clock runs from the call to the first token our client hands on.
//!
//! It prints the median time to first token of each and the difference (goal: under 20 ms),
//! then the offline interviewer's decision time for one turn on a 45-minute transcript
//! (goal: under 50 ms). A benchmark prints figures; nothing here is a pass/fail test.

use anyhow::{bail, Context, Result};
use clap::Args;
use rehearse_content::Content;
use rehearse_core::Segment;
use rehearse_interviewer::{
    FollowUpInput, InterviewerConfig, LlmInterviewer, LlmInterviewerConfig, OfflineInterviewer,
};
use rehearse_llm::{
    request_body, ChatRequest, ChatResponse, LlmClient, LlmConfig, LlmError, OpenAiCompatible,
};
use std::io::{BufRead, BufReader};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct BenchLlmArgs {
    /// The server's API root, e.g. http://127.0.0.1:8080/v1 (default: REHEARSE_LLM_URL).
    #[arg(long)]
    url: Option<String>,
    /// The model name to send (default: REHEARSE_LLM_MODEL).
    #[arg(long)]
    model: Option<String>,
    /// Timed runs of each kind (after one warm-up of each).
    #[arg(long, default_value_t = 10)]
    runs: usize,
    /// The answer's token limit: only the first token is timed, so keep it small.
    #[arg(long, default_value_t = 8)]
    max_tokens: u32,
    /// The prompt the follow-up is about (see `rehearse prompts`).
    #[arg(long, default_value = "doc-qa-10k")]
    prompt: String,
}

/// The sentences of the synthetic 45-minute transcript (varied: numbers, decisions, filler).
const SENTENCES: [&str; 8] = [
    "We split every page into chunks of about 500 tokens with some overlap.",
    "The embeddings go into a vector store, and retrieval takes the top five chunks.",
    "I picked a hosted model versus a local one because latency matters more here.",
    "So, um, let me think about that part for a moment.",
    "If the provider is down we fall back to showing the retrieved passages.",
    "We would measure faithfulness on a golden set before every prompt change.",
    "The cache keys on the normalised question and holds answers for ten minutes.",
    "At 50 queries per second one reranker instance keeps p95 under 300 ms.",
];

/// `minutes` of speech: a 6-second segment every 6.5 seconds.
fn synthetic_transcript(minutes: f64) -> Vec<Segment> {
    let n = (minutes * 60.0 / 6.5) as usize;
    (0..n)
        .map(|i| Segment {
            t0: i as f64 * 6.5,
            t1: i as f64 * 6.5 + 6.0,
            text: format!("{} ({i})", SENTENCES[i % SENTENCES.len()]),
            ..Segment::default()
        })
        .collect()
}

/// Our client, with the time of the first token it hands on; it stops the interviewer after
/// the first answer (an error), so no repair call follows a deliberately cut answer.
struct FirstTokenClock {
    inner: OpenAiCompatible,
    first_token: Mutex<Option<Instant>>,
}

impl LlmClient for FirstTokenClock {
    fn chat(&self, _req: &ChatRequest) -> Result<ChatResponse, LlmError> {
        Err(LlmError::Config("the benchmark only streams".into()))
    }

    fn chat_stream(
        &self,
        req: &ChatRequest,
        on_token: &mut dyn FnMut(&str),
    ) -> Result<ChatResponse, LlmError> {
        let first = &self.first_token;
        self.inner.chat_stream(req, &mut |piece| {
            let mut slot = first.lock().unwrap_or_else(|p| p.into_inner());
            slot.get_or_insert_with(Instant::now);
            drop(slot);
            on_token(piece);
        })?;
        Err(LlmError::Transport(
            "benchmark: stopped after one answer".into(),
        ))
    }
}

/// POSTs `body` with a plain HTTP client and returns the time to the first SSE event that
/// carries content; the rest of the stream is read and dropped.
fn raw_first_token(agent: &ureq::Agent, url: &str, body: &[u8]) -> Result<Duration> {
    let started = Instant::now();
    let response = agent
        .post(url)
        .header("Content-Type", "application/json")
        .header("Accept", "text/event-stream")
        .send(body)
        .context("the raw request failed")?;
    let status = response.status().as_u16();
    if status != 200 {
        bail!("the server answered {status}");
    }
    let mut reader = BufReader::new(response.into_body().into_reader());
    let mut line = String::new();
    let mut first = None;
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let Some(data) = line.trim_end().strip_prefix("data: ") else {
            continue;
        };
        if first.is_none() {
            let v: serde_json::Value = match serde_json::from_str(data) {
                Ok(v) => v,
                Err(_) => continue,
            };
            let content = v["choices"][0]["delta"]["content"].as_str().unwrap_or("");
            if !content.is_empty() {
                first = Some(started.elapsed());
            }
        }
    }
    first.context("the raw stream carried no content")
}

/// The pause between two timed requests.
const SETTLE: Duration = Duration::from_millis(100);

fn median_ms(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

pub fn run(args: BenchLlmArgs) -> Result<()> {
    let (url, model) = rehearse_engine::LlmSettings::endpoint_or_env(args.url, args.model)
        .context("give --url and --model (or set REHEARSE_LLM_URL and REHEARSE_LLM_MODEL)")?;
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    let content = Content::embedded()?;
    let (prompt, rubric) = content.prompt_with_rubric(&args.prompt)?;

    let mut config = LlmConfig::new(url.clone(), model.clone());
    config.timeout = Duration::from_secs(300);
    config.max_retries = 0;
    let chat_url = config.chat_url()?;
    let clock = Arc::new(FirstTokenClock {
        inner: OpenAiCompatible::new(config)?,
        first_token: Mutex::new(None),
    });
    let llm = LlmInterviewer::new(
        Arc::clone(&clock) as Arc<dyn LlmClient>,
        prompt,
        rubric,
        model.clone(),
    )
    .with_config(LlmInterviewerConfig {
        follow_up_max_tokens: args.max_tokens,
        temperature: 0.0,
        ..LlmInterviewerConfig::default()
    });
    // Two minutes of answer: a realistic follow-up prompt.
    let segments = synthetic_transcript(2.0);
    let input = FollowUpInput {
        segments: &segments,
        now: 125.0,
        asked: &[],
        board: None,
        clock: None,
        ask_first: None,
    };
    let (req, fit) = llm.follow_up_request(&input);
    let body = request_body(&model, &req, true)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(300)))
        .build()
        .into();

    let ours = |record: bool, out: &mut Vec<Duration>| -> Result<()> {
        *clock.first_token.lock().unwrap_or_else(|p| p.into_inner()) = None;
        let started = Instant::now();
        let _ = llm.follow_up_streaming(&input, &mut |_| {});
        let first = clock
            .first_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .context("our client received no token")?;
        if record {
            out.push(first - started);
        }
        Ok(())
    };
    println!(
        "LLM backend overhead: {model} at {url}; prompt ~{} tokens (estimated), max_tokens {}, {} runs each",
        fit.estimated_tokens, args.max_tokens, args.runs
    );
    // Warm-up: the first request fills the server's prompt cache.
    raw_first_token(&agent, &chat_url, &body)?;
    ours(false, &mut Vec::new())?;
    let mut raw_times = Vec::with_capacity(args.runs);
    let mut our_times = Vec::with_capacity(args.runs);
    for i in 0..args.runs {
        // Alternate which goes first, and let the server settle between requests (it finishes
        // a slot after the stream ends), so that neither side always meets a busier server.
        if i % 2 == 0 {
            raw_times.push(raw_first_token(&agent, &chat_url, &body)?);
            std::thread::sleep(SETTLE);
            ours(true, &mut our_times)?;
        } else {
            ours(true, &mut our_times)?;
            std::thread::sleep(SETTLE);
            raw_times.push(raw_first_token(&agent, &chat_url, &body)?);
        }
        std::thread::sleep(SETTLE);
    }
    // Each run's pair (raw, then ours) saw the same server state: the median of the pairs'
    // differences is less noisy than the difference of the medians.
    let mut paired: Vec<f64> = raw_times
        .iter()
        .zip(&our_times)
        .map(|(r, o)| (o.as_secs_f64() - r.as_secs_f64()) * 1000.0)
        .collect();
    paired.sort_by(f64::total_cmp);
    let paired_median = paired[paired.len() / 2];
    let raw = median_ms(raw_times);
    let our = median_ms(our_times);
    println!("time to first token, raw HTTP:        median {raw:8.2} ms");
    println!("time to first token, through Rehearse: median {our:8.2} ms");
    println!(
        "overhead: {:+.2} ms between the medians, {paired_median:+.2} ms median of the paired runs \
         (goal < 20 ms; ratio to the goal {:.3})",
        our - raw,
        paired_median / 20.0
    );
    // The part of that difference that is ours for sure: building, fitting, fencing and
    // encoding the request, measured without the server's noise.
    let mut build_times = Vec::with_capacity(50);
    for _ in 0..50 {
        let started = Instant::now();
        let (req, _) = llm.follow_up_request(&input);
        std::hint::black_box(request_body(&model, &req, true)?);
        build_times.push(started.elapsed());
    }
    println!(
        "of which building and encoding the request (no server): median {:.3} ms",
        median_ms(build_times)
    );

    // The offline interviewer's decision for one turn on a 45-minute transcript.
    let long = synthetic_transcript(45.0);
    let end = long.last().map_or(0.0, |s| s.t1);
    let mut times = Vec::with_capacity(50);
    for _ in 0..50 {
        // A fresh interviewer each run (no cooldown, no cap), moved into the wrap-up as the
        // candidate would, so that the pause is decided by the follow-up logic rather than
        // answered by a phase transition.
        let mut offline = OfflineInterviewer::new(prompt, rubric, InterviewerConfig::default());
        while offline.next_phase(0.0).is_some() {}
        let started = Instant::now();
        let turn = offline.at_pause(&long, end + 2.5);
        times.push(started.elapsed());
        if turn.is_none() {
            bail!("the offline interviewer asked nothing: the benchmark would time no decision");
        }
        std::hint::black_box(turn);
    }
    println!(
        "offline turn decision on {:.0} minutes ({} segments): median {:.2} ms over 50 runs (goal < 50 ms)",
        end / 60.0,
        long.len(),
        median_ms(times)
    );
    // And what fitting that transcript into the window costs the LLM backend.
    let started = Instant::now();
    let (_, long_fit) = llm.follow_up_prompt(&FollowUpInput {
        segments: &long,
        now: end + 2.5,
        asked: &[],
        board: None,
        clock: None,
        ask_first: None,
    });
    println!(
        "LLM prompt for the 45-minute transcript: built and fitted in {:.2} ms; ~{} of {} tokens, {} segments verbatim, {} summarised in {} sentences",
        started.elapsed().as_secs_f64() * 1000.0,
        long_fit.estimated_tokens,
        long_fit.budget_tokens,
        long_fit.verbatim_segments,
        long_fit.summarised_segments,
        long_fit.summary_sentences
    );
    Ok(())
}
