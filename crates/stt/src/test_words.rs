//! Test support: a segment from timed words, as whisper's word timings give them.

use rehearse_core::{Segment, Word};

/// A segment of `(t0, t1, text)` words; its text is the words joined by spaces.
pub(crate) fn timed_segment(words: &[(f64, f64, &str)]) -> Segment {
    Segment::from_words(
        words
            .iter()
            .map(|&(t0, t1, text)| Word {
                t0,
                t1,
                text: text.into(),
                p: None,
            })
            .collect(),
    )
}
