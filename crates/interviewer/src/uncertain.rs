//! Words the speech recogniser was unsure of ([`rehearse_core::Word::is_uncertain`]): a
//! follow-up never quotes one. A misheard word quoted back ("You mentioned \"Macov\"" for
//! "backoff") presents transcription noise as the candidate's own words; asked without the
//! quote, the question still stands.

use rehearse_core::{normalize_for_match, Segment};
use std::collections::HashSet;

/// The unsure words of a transcript, by the segment they were said in.
#[derive(Debug, Default)]
pub(crate) struct UnsureWords {
    /// Segment times and the normalised unsure words said in it; segments with none are left
    /// out (most are).
    spans: Vec<(f64, f64, HashSet<String>)>,
    /// Known mishearings of the field's terms (the rubric's `misheard`), normalised and
    /// padded with a space each side for whole-word matching: written with confidence or
    /// not, they are no quote.
    misheard: Vec<String>,
}

/// The normalised pieces of `text` ("GPT-4o," is "gpt" and "4o").
fn pieces(text: &str) -> Vec<String> {
    normalize_for_match(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

impl UnsureWords {
    pub(crate) fn new(segments: &[Segment], misheard: &[String]) -> Self {
        let spans = segments
            .iter()
            .filter_map(|s| {
                let unsure: HashSet<String> = s
                    .words
                    .iter()
                    .filter(|w| w.is_uncertain())
                    .flat_map(|w| pieces(&w.text))
                    .collect();
                (!unsure.is_empty()).then_some((s.t0, s.t1, unsure))
            })
            .collect();
        let misheard = misheard
            .iter()
            .map(|m| normalize_for_match(m))
            .filter(|m| !m.is_empty())
            .map(|m| format!(" {m} "))
            .collect();
        UnsureWords { spans, misheard }
    }

    /// True when `fragment` holds a known mishearing, as whole words.
    fn holds_misheard(&self, fragment: &str) -> bool {
        let padded = format!(" {} ", normalize_for_match(fragment));
        self.misheard.iter().any(|m| padded.contains(m.as_str()))
    }

    /// True when `fragment`, from a sentence that began at session time `at`, holds a word the
    /// recogniser was unsure of in the segment it was said in. Matched by normalised word, so
    /// the same word said with confidence elsewhere in that segment is held back too: a quote
    /// is only worth making when it is certainly what was said.
    pub(crate) fn in_fragment_at(&self, at: f64, fragment: &str) -> bool {
        if self.holds_misheard(fragment) {
            return true;
        }
        let mut around = self
            .spans
            .iter()
            .filter(|(t0, t1, _)| *t0 <= at && at <= *t1)
            .peekable();
        if around.peek().is_none() {
            return false;
        }
        let words = pieces(fragment);
        around.any(|(_, _, unsure)| words.iter().any(|w| unsure.contains(w)))
    }

    /// True when `fragment` holds a word the recogniser was unsure of anywhere in the
    /// transcript (for quotes that come without a time, such as an LLM's).
    pub(crate) fn in_fragment(&self, fragment: &str) -> bool {
        if self.holds_misheard(fragment) {
            return true;
        }
        if self.spans.is_empty() {
            return false;
        }
        pieces(fragment)
            .iter()
            .any(|w| self.spans.iter().any(|(_, _, unsure)| unsure.contains(w)))
    }
}

/// The phrases a question quotes: the text between straight or curly double quotes.
pub(crate) fn quoted_phrases(question: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = question;
    let opening = |c: char| c == '"' || c == '\u{201c}';
    let closing = |c: char| c == '"' || c == '\u{201d}';
    while let Some(open) = rest.find(opening) {
        // Past the mark, whatever its width in bytes.
        let after = rest[open..].trim_start_matches(opening);
        let Some(close) = after.find(closing) else {
            break;
        };
        out.push(&after[..close]);
        rest = after[close..].trim_start_matches(closing);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_segments::said;
    use rehearse_core::UNCERTAIN_BELOW;

    #[test]
    fn unsure_words_are_found_where_they_were_said() {
        let low = UNCERTAIN_BELOW / 2.0;
        let segs = vec![
            said(
                0.0,
                &[("We", 0.9), ("retry", 0.9), ("with", 0.9), ("Macov,", low)],
            ),
            said(10.0, &[("then", 0.9), ("Macov", 0.9), ("again.", 0.9)]),
        ];
        let unsure = UnsureWords::new(&segs, &[]);
        assert!(unsure.in_fragment_at(0.5, "Macov"));
        assert!(!unsure.in_fragment_at(0.5, "retry with"));
        // Said with confidence in another segment, it may be quoted from there.
        assert!(!unsure.in_fragment_at(10.2, "Macov"));
        assert!(unsure.in_fragment("retry with macov"));
        assert!(!unsure.in_fragment("retry with"));
        assert!(!UnsureWords::new(&[], &[]).in_fragment_at(0.0, "Macov"));
    }

    #[test]
    fn a_known_mishearing_is_unsure_however_confidently_it_was_written() {
        let segs = vec![said(
            0.0,
            &[("We", 0.9), ("validate", 0.9), ("sequel", 0.95)],
        )];
        let unsure = UnsureWords::new(&segs, &["sequel".into(), "red is".into()]);
        assert!(unsure.in_fragment_at(0.5, "validate sequel"));
        assert!(unsure.in_fragment("the sequel text"));
        assert!(unsure.in_fragment("Red is, as the cache"));
        // Whole words only: "sequels" and "credit is" are something else.
        assert!(!unsure.in_fragment("sequels"));
        assert!(!unsure.in_fragment("credit is"));
    }

    #[test]
    fn quoted_phrases_are_between_double_quotes() {
        assert_eq!(
            quoted_phrases("You said \"Macov\". And \u{201c}500 tokens\u{201d}?"),
            ["Macov", "500 tokens"]
        );
        assert!(quoted_phrases("No quotes, or one \" only").is_empty());
    }
}
