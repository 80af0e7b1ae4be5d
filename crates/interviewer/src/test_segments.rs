//! Transcript segments for the unit tests: one place to build them.

use rehearse_core::Segment;

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
