//! Shared helpers for the interviewer's integration tests.

use rehearse_core::Segment;

/// One segment per sentence, 6 s each, as whisper would time a steady speaker.
pub fn spoken(text: &str) -> Vec<Segment> {
    let sentences: Vec<&str> = text
        .split_inclusive(['.', '?', '!'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    rehearse_testkit::timed_segments(&sentences, 6.0, 5.5)
}
