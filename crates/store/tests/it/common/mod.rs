//! Shared by the store's review tests: a session with a transcript, one segment every 5 s.

use rehearse_core::Segment;
use rehearse_store::{NewSession, Store};

pub fn add_session_with_transcript(
    store: &Store,
    id: &str,
    prompt: &str,
    started: &str,
    texts: &[&str],
) {
    store
        .create_session(&NewSession {
            id: id.into(),
            prompt_id: prompt.into(),
            started_at: started.into(),
            audio_path: format!("/nowhere/{id}.wav"),
            model: None,
        })
        .unwrap();
    for (i, t) in texts.iter().enumerate() {
        store
            .add_segment(
                id,
                &Segment {
                    t0: i as f64 * 5.0,
                    t1: i as f64 * 5.0 + 4.0,
                    text: (*t).into(),
                    words: Vec::new(),
                },
                None,
            )
            .unwrap();
    }
}
