//! Benchmark: how long the offline interviewer takes to decide one turn at a pause, on a
//! 45-minute transcript. Prints figures and the ratio to the 50 ms goal; asserts nothing.
//!
//!     cargo run --release -p rehearse-interviewer --example bench_turn

use rehearse_content::Content;
use rehearse_core::Segment;
use rehearse_interviewer::{
    claims, find_evidence, grade_tradeoffs, score_transcript, InterviewerConfig, KnownTerms,
    OfflineInterviewer,
};
use std::time::Instant;

const SENTENCES: [&str; 6] = [
    "We split every page into chunks of about 500 tokens with some overlap.",
    "The embeddings go into a vector store, and retrieval takes the top five chunks.",
    "I picked a hosted model versus a local one because latency matters more here.",
    "If the provider is down we fall back to showing the retrieved passages.",
    "We would measure faithfulness on a golden set before every prompt change.",
    "Let me think about how the ingestion pipeline handles updated documents.",
];

fn main() {
    let content = Content::embedded().expect("embedded content loads");
    let (prompt, rubric) = content
        .prompt_with_rubric("doc-qa-10k")
        .expect("prompt exists");
    // 45 minutes of speech: a 6-second segment every 6.5 seconds.
    let segments: Vec<Segment> = (0..415)
        .map(|i| Segment {
            t0: i as f64 * 6.5,
            t1: i as f64 * 6.5 + 6.0,
            text: SENTENCES[i % SENTENCES.len()].to_string(),
            words: Vec::new(),
        })
        .collect();
    let words: usize = segments
        .iter()
        .map(|s| s.text.split_whitespace().count())
        .sum();
    let end = segments.last().map_or(0.0, |s| s.t1);

    let runs = 50;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        // A fresh interviewer each run, so every run really decides (no cooldown, no cap).
        let mut interviewer = OfflineInterviewer::new(prompt, rubric, InterviewerConfig::default());
        // Into the wrap-up as the candidate would move it (nothing to announce), so that the
        // pause is decided by the follow-up logic, not answered by a phase transition.
        while interviewer.next_phase(0.0).is_some() {}
        let start = Instant::now();
        let turn = interviewer.at_pause(&segments, end + 2.5);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(
            turn.as_ref().is_some_and(|t| t.targets.len() == 1),
            "the benchmark must time a follow-up: {turn:?}"
        );
        std::hint::black_box(turn);
    }
    times.sort_by(f64::total_cmp);
    let median = times[runs / 2];
    let p95 = times[runs * 95 / 100];

    let start = Instant::now();
    let card = score_transcript(rubric, &segments);
    let score_ms = start.elapsed().as_secs_f64() * 1000.0;
    std::hint::black_box(card);

    println!(
        "transcript: {:.1} min, {} segments, {words} words",
        end / 60.0,
        segments.len()
    );
    println!("turn decision: median {median:.2} ms, p95 {p95:.2} ms over {runs} runs");
    println!(
        "ratio to the 50 ms goal: {:.3} (median), {:.3} (p95)",
        median / 50.0,
        p95 / 50.0
    );
    println!("full scorecard: {score_ms:.2} ms");
    // Where a turn's time goes: the rubric evidence, the graded decisions and the claims a
    // follow-up may quote (each once over the whole transcript).
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        f();
        start.elapsed().as_secs_f64() * 1000.0
    };
    let evidence_ms = time(&|| {
        std::hint::black_box(find_evidence(rubric, &segments));
    });
    let decisions_ms = time(&|| {
        std::hint::black_box(grade_tradeoffs(&segments));
    });
    let claims_ms = time(&|| {
        std::hint::black_box(claims(&segments, &KnownTerms::default()));
    });
    println!(
        "of which: rubric evidence {evidence_ms:.2} ms, trade-off decisions {decisions_ms:.2} ms, claims {claims_ms:.2} ms"
    );
}
