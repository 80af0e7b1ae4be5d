//! Shared helpers for the interviewer's integration tests.

use rehearse_core::Segment;

/// One segment per sentence, 6 s each, as whisper would time a steady speaker.
pub fn spoken(text: &str) -> Vec<Segment> {
    text.split_inclusive(['.', '?', '!'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .enumerate()
        .map(|(i, s)| Segment {
            t0: i as f64 * 6.0,
            t1: i as f64 * 6.0 + 5.5,
            text: s.to_string(),
            words: Vec::new(),
        })
        .collect()
}
