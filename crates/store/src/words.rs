//! A segment's word timings as stored in `segments.words` (JSON, NULL when there are none).

use rehearse_core::Word;

/// NULL for no words, so segments without timings cost nothing.
pub(crate) fn words_to_sql(words: &[Word]) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    // Serialising plain numbers and strings cannot fail; keep the segment even if it did.
    serde_json::to_string(words).ok()
}

/// Unreadable word timings (a hand-edited database) are dropped, never the segment.
pub(crate) fn words_from_sql(json: Option<String>) -> Vec<Word> {
    let Some(json) = json else {
        return Vec::new();
    };
    serde_json::from_str(&json).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "unreadable word timings in the sessions database; left out");
        Vec::new()
    })
}
