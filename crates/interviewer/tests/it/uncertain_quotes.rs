//! The offline interviewer never quotes a word whisper was unsure of: the same answer, with
//! the named technology heard confidently, gets a follow-up quoting it; heard unsure, it gets
//! follow-ups that never quote it.

use rehearse_content::Content;
use rehearse_core::{Segment, Turn, Word, UNCERTAIN_BELOW};
use rehearse_interviewer::{InterviewerConfig, OfflineInterviewer};

use crate::common::spoken;

/// The answer's segments with their words, whisper sure of each but `unsure`.
fn heard(text: &str, unsure: &str) -> Vec<Segment> {
    spoken(text)
        .into_iter()
        .map(|mut s| {
            let parts: Vec<&str> = s.text.split_whitespace().collect();
            let step = (s.t1 - s.t0) / parts.len().max(1) as f64;
            s.words = parts
                .iter()
                .enumerate()
                .map(|(i, w)| Word {
                    t0: s.t0 + i as f64 * step,
                    t1: s.t0 + (i as f64 + 0.9) * step,
                    text: (*w).to_string(),
                    p: Some(if w.trim_end_matches('.') == unsure {
                        UNCERTAIN_BELOW / 4.0
                    } else {
                        0.95
                    }),
                })
                .collect();
            s.text = parts.join(" ");
            s
        })
        .collect()
}

/// Every follow-up over the answer: a pause after each sentence, no cooldown.
fn follow_ups(segments: &[Segment]) -> Vec<Turn> {
    let content = Content::embedded().unwrap();
    let (prompt, rubric) = content.prompt_with_rubric("doc-qa-10k").unwrap();
    let config = InterviewerConfig {
        cooldown_s: 0.0,
        min_speech_s: 0.0,
        ..InterviewerConfig::default()
    };
    let mut i = OfflineInterviewer::new(prompt, rubric, config);
    (1..=segments.len())
        .filter_map(|k| i.at_pause(&segments[..k], segments[k - 1].t1 + 3.0))
        .collect()
}

const ANSWER: &str = "We keep the embeddings in Pinecone. Pinecone holds one vector per chunk. \
    When Pinecone is slow we show the cached answer. We measure recall on a golden set.";

#[test]
fn a_technology_heard_unsure_is_never_quoted_back() {
    let sure = follow_ups(&heard(ANSWER, ""));
    assert!(
        sure.iter().any(|t| t.text.contains("\"Pinecone\"")),
        "heard with confidence, it is quoted: {sure:#?}"
    );
    let unsure = follow_ups(&heard(ANSWER, "Pinecone"));
    assert!(!unsure.is_empty());
    for t in &unsure {
        assert!(
            !t.text.contains("\"Pinecone"),
            "quoted a word heard unsure: {}",
            t.text
        );
    }
}
