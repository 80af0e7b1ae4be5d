//! Word error rate: how far a transcript is from what was said, used to keep the speech
//! backend honest in tests and to compare models.

use rehearse_core::normalize_for_match;

/// Lower-cased words with punctuation removed (the same normalisation the rest of the app
/// uses to match quotes against transcripts).
pub fn normalized_words(text: &str) -> Vec<String> {
    normalize_for_match(text)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Word-level Levenshtein distance: substitutions + deletions + insertions.
pub fn word_edit_distance<S: AsRef<str>>(reference: &[S], hypothesis: &[S]) -> usize {
    // One rolling row of the classic DP table.
    let mut row: Vec<usize> = (0..=hypothesis.len()).collect();
    for (i, r) in reference.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, h) in hypothesis.iter().enumerate() {
            let sub = diag + usize::from(r.as_ref() != h.as_ref());
            diag = row[j + 1];
            row[j + 1] = sub.min(row[j] + 1).min(diag + 1);
        }
    }
    row[hypothesis.len()]
}

/// Errors divided by the number of reference words, after normalising both texts.
/// An empty reference scores 0.0 against an empty hypothesis and 1.0 against anything else.
pub fn word_error_rate(reference: &str, hypothesis: &str) -> f64 {
    let (r, h) = (normalized_words(reference), normalized_words(hypothesis));
    if r.is_empty() {
        return if h.is_empty() { 0.0 } else { 1.0 };
    }
    word_edit_distance(&r, &h) as f64 / r.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_substitutions_insertions_and_deletions() {
        let w = |s: &str| normalized_words(s);
        assert_eq!(word_edit_distance(&w("a b c"), &w("a b c")), 0);
        assert_eq!(word_edit_distance(&w("a b c"), &w("a x c")), 1);
        assert_eq!(word_edit_distance(&w("a b c"), &w("a c")), 1);
        assert_eq!(word_edit_distance(&w("a b c"), &w("a b c d e")), 2);
        assert_eq!(word_edit_distance(&w(""), &w("a b")), 2);
        assert_eq!(
            word_edit_distance(&w("kitten sat"), &w("sitting sat down")),
            2
        );
    }

    #[test]
    fn rate_ignores_case_and_punctuation() {
        assert_eq!(
            word_error_rate("We'll shard the DB.", "well shard the db"),
            0.0
        );
        assert_eq!(word_error_rate("use a cache", "use the cache"), 1.0 / 3.0);
        assert_eq!(word_error_rate("", ""), 0.0);
        assert_eq!(word_error_rate("", "noise"), 1.0);
        assert_eq!(word_error_rate("one two", ""), 1.0);
    }
}
