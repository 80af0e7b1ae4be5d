//! Shared set-up for the engine tests: stored sessions, and the binary's one log subscriber
//! ([`logs`]).
#![allow(dead_code)] // each test module uses a different subset

pub mod logs;

use rehearse_core::Segment;
use rehearse_store::{NewSession, Store};
use std::path::Path;

/// One 5-second segment per text, 8 seconds apart.
pub fn segments(texts: &[&str]) -> Vec<Segment> {
    rehearse_testkit::timed_segments(texts, 8.0, 5.0)
}

/// Creates a session transcribed by tiny.en with one segment per text (see [`segments`]), as
/// the practice paths store it; scoring and finishing are the caller's. Returns the segments.
pub fn create_transcribed_session(
    store: &mut Store,
    prompt_id: &str,
    id: &str,
    started_at: &str,
    audio_path: &Path,
    texts: &[&str],
) -> Vec<Segment> {
    store
        .create_session(&NewSession {
            id: id.into(),
            prompt_id: prompt_id.into(),
            started_at: started_at.into(),
            audio_path: audio_path.display().to_string(),
            model: Some("tiny.en".into()),
        })
        .unwrap();
    let segs = segments(texts);
    for s in &segs {
        store.add_segment(id, s, Some("tiny.en")).unwrap();
    }
    segs
}
