//! Review benchmark: 1,000 generated sessions and one 60-minute session in a temporary data
//! folder (synthetic segments, turns and scores; no audio), then the engine calls the Review
//! and Progress screens make, each timed as the median of several runs.
//!
//! `cargo run --release -p rehearse-engine --example bench_review` (a dev build works too and
//! is slower; the profile is printed).

use rehearse_core::{DimensionId, SessionQuery, ALL_DIMENSIONS};
use rehearse_engine::{Engine, EnginePaths, EngineSettings};
use std::time::Instant;

const SESSIONS: usize = 1_000;
const SEGMENTS_PER_SESSION: usize = 40;
const LONG_SESSION_S: f64 = 3_600.0;
const RUNS: usize = 7;

const SENTENCES: &[&str] = &[
    "First, who are the users and how many queries per second do we expect?",
    "I'd split the filings into 500 token chunks versus whole pages because recall goes up.",
    "Um, the reranker sits after the vector store, so latency is about 200 ms.",
    "We cache embeddings in Redis, at the cost of some staleness.",
    "To summarise, evaluation uses a golden set and we track faithfulness.",
    "Basically the queue absorbs spikes and the workers retry with backoff.",
    "If the LLM provider is down we fall back to a smaller local model.",
    "Next, the API: a POST to /ask with the question and the tenant id.",
];
const PROMPTS: &[&str] = &["doc-qa-10k", "support-returns-agent", "pr-review-bot"];

fn median_ms(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1_000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}

fn insert_session(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    prompt: &str,
    started_at: &str,
    segments: usize,
    seconds_per_segment: f64,
    seed: usize,
) {
    let duration = segments as f64 * seconds_per_segment;
    tx.execute(
        "INSERT INTO sessions (id, prompt_id, started_at, ended_at, status, audio_path, duration_s, model)
         VALUES (?1, ?2, ?3, ?3, 'done', ?4, ?5, 'tiny.en')",
        rusqlite::params![id, prompt, started_at, format!("/nowhere/{id}.wav"), duration],
    )
    .unwrap();
    let mut seg = tx
        .prepare_cached("INSERT INTO segments (session_id, t0, t1, text, model) VALUES (?1, ?2, ?3, ?4, 'tiny.en')")
        .unwrap();
    for i in 0..segments {
        let t0 = i as f64 * seconds_per_segment;
        let text = format!(
            "{} {}",
            SENTENCES[(i + seed) % SENTENCES.len()],
            SENTENCES[(i * 3 + seed) % SENTENCES.len()]
        );
        seg.execute(rusqlite::params![
            id,
            t0,
            t0 + seconds_per_segment * 0.8,
            text
        ])
        .unwrap();
    }
    let mut turn = tx
        .prepare_cached("INSERT INTO turns (session_id, at, role, text, targets, backend) VALUES (?1, ?2, 'interviewer', ?3, '[\"tradeoffs\"]', 'offline')")
        .unwrap();
    for k in 0..(segments / 20).max(1) {
        turn.execute(rusqlite::params![
            id,
            k as f64 * 20.0 * seconds_per_segment + 1.0,
            "What would you trade off there?"
        ])
        .unwrap();
    }
    let mut score = tx
        .prepare_cached("INSERT INTO scores (session_id, version, dimension, level, suggestion, grader) VALUES (?1, 1, ?2, ?3, 'say more', 'offline')")
        .unwrap();
    let mut ev = tx
        .prepare_cached("INSERT INTO evidence (score_id, quote, t0) VALUES (?1, ?2, ?3)")
        .unwrap();
    for (d, dim) in ALL_DIMENSIONS.iter().enumerate() {
        score
            .execute(rusqlite::params![id, dim.as_str(), ((seed + d) % 5) as i64])
            .unwrap();
        let score_id = tx.last_insert_rowid();
        ev.execute(rusqlite::params![
            score_id,
            SENTENCES[d % SENTENCES.len()],
            d as f64 * 10.0
        ])
        .unwrap();
    }
    tx.execute(
        "INSERT INTO score_versions (session_id, version, created_at, reason) VALUES (?1, 1, ?2, 'scored')",
        rusqlite::params![id, started_at],
    )
    .unwrap();
}

fn main() {
    let profile = if cfg!(debug_assertions) {
        "dev (debug)"
    } else {
        "release"
    };
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let paths = EnginePaths::new(tmp.path().to_path_buf());
    // Creates the schema.
    drop(Engine::new(paths.clone(), EngineSettings::default()).expect("engine"));

    let t = Instant::now();
    {
        let mut conn = rusqlite::Connection::open(paths.db_path()).expect("db");
        let tx = conn.transaction().unwrap();
        for n in 0..SESSIONS {
            let day = 1 + n % 28;
            let month = 1 + (n / 28) % 12;
            let started = format!("2025-{month:02}-{day:02}T{:02}:{:02}:00Z", n % 24, n % 60);
            insert_session(
                &tx,
                &format!("s{n:04}"),
                PROMPTS[n % PROMPTS.len()],
                &started,
                SEGMENTS_PER_SESSION,
                6.0,
                n,
            );
        }
        // A word said in one session in fifty, as a typical search finds.
        for n in (0..SESSIONS).step_by(50) {
            tx.execute(
                "INSERT INTO segments (session_id, t0, t1, text) VALUES (?1, 999, 1000, 'We could shard by tenant with consistent hashing.')",
                rusqlite::params![format!("s{n:04}")],
            )
            .unwrap();
        }
        // 60 minutes of 5 s segments.
        let long_segments = (LONG_SESSION_S / 5.0) as usize;
        insert_session(
            &tx,
            "long",
            "doc-qa-10k",
            "2026-11-25T09:00:00Z",
            long_segments,
            5.0,
            7,
        );
        tx.commit().unwrap();
    }
    let engine = Engine::new(paths, EngineSettings::default()).expect("engine");
    println!(
        "bench_review ({profile} build): {} sessions of {SEGMENTS_PER_SESSION} segments + one 60-minute session, generated in {:.1} s",
        SESSIONS + 1,
        t.elapsed().as_secs_f64()
    );
    println!("median of {RUNS} runs, milliseconds:");

    let mut n = 0;
    let list = median_ms(|| n = engine.sessions().unwrap().len());
    println!("  list all sessions ({n} rows, levels, titles)   {list:8.1}");
    let search = median_ms(|| {
        n = engine
            .search_sessions(&SessionQuery {
                text: Some("reranker latency".into()),
                ..Default::default()
            })
            .unwrap()
            .len()
    });
    println!("  full-text search 'reranker latency' ({n} hits) {search:8.1}");
    let word = median_ms(|| {
        n = engine
            .search_sessions(&SessionQuery {
                text: Some("Redis".into()),
                ..Default::default()
            })
            .unwrap()
            .len()
    });
    println!("  full-text search 'Redis' ({n} hits)             {word:8.1}");
    let hashing = median_ms(|| {
        n = engine
            .search_sessions(&SessionQuery {
                text: Some("consistent hashing".into()),
                ..Default::default()
            })
            .unwrap()
            .len()
    });
    println!("  full-text search 'consistent hashing' ({n} hits) {hashing:8.1}");
    let rare = median_ms(|| {
        n = engine
            .search_sessions(&SessionQuery {
                text: Some("tenant".into()),
                prompt_id: Some("doc-qa-10k".into()),
                from: Some("2025-03-01".into()),
                to: Some("2025-09-30".into()),
                ..Default::default()
            })
            .unwrap()
            .len()
    });
    println!("  search + prompt + date range ({n} hits)        {rare:8.1}");
    let filtered = median_ms(|| {
        n = engine
            .search_sessions(&SessionQuery {
                dimension: Some(DimensionId::Tradeoffs),
                below_level: Some(2),
                ..Default::default()
            })
            .unwrap()
            .len()
    });
    println!("  filter: trade-offs below 2 ({n} rows)         {filtered:8.1}");
    let mut segs = 0;
    let open = median_ms(|| {
        let r = engine.session("long").unwrap();
        segs = r.transcript.segments.len();
        let a = engine.session_analytics("long").unwrap();
        let h = engine.score_history("long").unwrap();
        assert!(!a.pace.is_empty() && !h.is_empty());
    });
    println!("  open 60-min session: report + analytics + history ({segs} segments) {open:8.1}");
    let report_only = median_ms(|| {
        engine.session("long").unwrap();
    });
    println!("    of which the report alone                    {report_only:8.1}");
    // The first Progress fills the per-session figures cache; later ones read it.
    let t = Instant::now();
    engine.progress().unwrap();
    let first_progress = t.elapsed().as_secs_f64() * 1_000.0;
    println!("  progress, first run (fills the figures cache)  {first_progress:8.1}");
    let progress = median_ms(|| {
        engine.progress().unwrap();
    });
    println!("  progress over all sessions                     {progress:8.1}");
    let export = median_ms(|| {
        engine
            .render_session_export("long", rehearse_core::ExportFormat::Html)
            .unwrap();
    });
    println!("  export the 60-min session as HTML              {export:8.1}");
}
