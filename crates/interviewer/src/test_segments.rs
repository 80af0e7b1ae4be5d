//! Transcript segments (and the rubric) for the unit tests: one place to build them.

use rehearse_content::{Content, Rubric};
use rehearse_core::{Segment, Word};

/// The rubric the doc-qa-10k prompt is graded on (the embedded content's).
pub(crate) fn doc_qa_rubric() -> Rubric {
    let c = Content::embedded().expect("the embedded content loads");
    c.prompt_with_rubric("doc-qa-10k")
        .expect("doc-qa-10k is a prompt")
        .1
        .clone()
}

/// A 5-second segment starting at `t0`.
pub(crate) fn seg(t0: f64, text: &str) -> Segment {
    Segment {
        t0,
        t1: t0 + 5.0,
        text: text.into(),
        words: Vec::new(),
    }
}

/// One 5-second segment per text, 6 seconds apart.
pub(crate) fn segs(texts: &[&str]) -> Vec<Segment> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| seg(i as f64 * 6.0, t))
        .collect()
}

/// A segment at `t0` whose words are `(text, confidence)`, 0.4 s a word.
pub(crate) fn said(t0: f64, words: &[(&str, f32)]) -> Segment {
    let words: Vec<Word> = words
        .iter()
        .enumerate()
        .map(|(i, (text, p))| Word {
            t0: t0 + i as f64 * 0.4,
            t1: t0 + i as f64 * 0.4 + 0.3,
            text: (*text).into(),
            p: Some(*p),
        })
        .collect();
    Segment {
        t0,
        t1: t0 + words.len() as f64 * 0.4,
        ..Segment::from_words(words)
    }
}
