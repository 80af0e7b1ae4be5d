//! Word error rate: how far a transcript is from what was said, used to keep the speech
//! backend honest in tests and to compare models.

use rehearse_core::normalize_for_match;

/// Lower-cased words with punctuation removed (the same normalisation the rest of the app
/// uses to match quotes against transcripts).
/// Abbreviations written out, so "Mr." and "mister" are the same word (as the Whisper
/// authors' English normaliser treats them), on both sides of a comparison.
pub fn normalized_words(text: &str) -> Vec<String> {
    normalize_for_match(text)
        .split_whitespace()
        .map(|w| match w {
            "mr" => "mister".to_owned(),
            "mrs" => "missus".to_owned(),
            "dr" => "doctor".to_owned(),
            "ok" => "okay".to_owned(),
            _ => w.to_owned(),
        })
        .collect()
}

/// The lengths of the runs of consecutive reference words that an optimal alignment of
/// `hypothesis` to `reference` leaves out (deleted), in reference order: speech that got no
/// transcript at all, as against words heard wrong.
pub fn deleted_runs<S: AsRef<str>>(reference: &[S], hypothesis: &[S]) -> Vec<usize> {
    let d = edit_table(reference, hypothesis);
    let (mut i, mut j) = (reference.len(), hypothesis.len());
    let mut runs = Vec::new();
    let mut run = 0;
    while i > 0 || j > 0 {
        let diagonal = i > 0
            && j > 0
            && d[i][j]
                == d[i - 1][j - 1]
                    + usize::from(reference[i - 1].as_ref() != hypothesis[j - 1].as_ref());
        if diagonal {
            i -= 1;
            j -= 1;
        } else if i > 0 && d[i][j] == d[i - 1][j] + 1 {
            i -= 1;
            run += 1;
            continue;
        } else {
            j -= 1;
        }
        if run > 0 {
            runs.push(run);
            run = 0;
        }
    }
    if run > 0 {
        runs.push(run);
    }
    runs.reverse();
    runs
}

/// The full word-level edit-distance table (`d[i][j]`: the first `i` reference words against
/// the first `j` hypothesis words): backtraces need it all (transcripts here are a few hundred
/// words).
fn edit_table<S: AsRef<str>>(reference: &[S], hypothesis: &[S]) -> Vec<Vec<usize>> {
    let (n, m) = (reference.len(), hypothesis.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=m).collect();
    for i in 1..=n {
        for j in 1..=m {
            let same = reference[i - 1].as_ref() == hypothesis[j - 1].as_ref();
            d[i][j] = (d[i - 1][j - 1] + usize::from(!same))
                .min(d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1);
        }
    }
    d
}

/// For each hypothesis word, whether an optimal alignment with `reference` pairs it with the
/// same reference word (true) or makes it a substitution or an insertion (false): which of
/// the words heard were heard right.
pub fn hypothesis_matches<S: AsRef<str>>(reference: &[S], hypothesis: &[S]) -> Vec<bool> {
    let d = edit_table(reference, hypothesis);
    let mut right = vec![false; hypothesis.len()];
    let (mut i, mut j) = (reference.len(), hypothesis.len());
    // Among optimal alignments, a match first, then a deletion or an insertion before a
    // substitution, so that a word is not called wrong only because of where a tie fell.
    while i > 0 && j > 0 {
        let same = reference[i - 1].as_ref() == hypothesis[j - 1].as_ref();
        if same && d[i][j] == d[i - 1][j - 1] {
            right[j - 1] = true;
            i -= 1;
            j -= 1;
        } else if d[i][j] == d[i - 1][j] + 1 {
            i -= 1;
        } else if d[i][j] == d[i][j - 1] + 1 {
            j -= 1;
        } else {
            i -= 1;
            j -= 1;
        }
    }
    right
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

/// Reference words left out in runs at least this long count as dropped speech; shorter
/// gaps are ordinary recognition errors (a swallowed "uh", two words heard as one).
pub const DROPPED_RUN_WORDS: usize = 3;

/// Stretches of what was said that got no transcript at all, in seconds: every run of
/// [`DROPPED_RUN_WORDS`] or more consecutive reference words that `transcript` leaves out
/// (an optimal alignment's deletions), timed at the speaker's pace in this clip (`voiced_s`,
/// the seconds in which a voice is heard, over the reference's words). An estimate: the
/// references carry no timings.
pub fn dropped_stretches_s(reference: &str, transcript: &str, voiced_s: f64) -> Vec<f64> {
    let said = normalized_words(reference);
    if said.is_empty() {
        return Vec::new();
    }
    let per_word = voiced_s / said.len() as f64;
    deleted_runs(&said, &normalized_words(transcript))
        .into_iter()
        .filter(|&n| n >= DROPPED_RUN_WORDS)
        .map(|n| n as f64 * per_word)
        .collect()
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
    fn deleted_runs_are_the_stretches_left_out() {
        let w = |s: &str| normalized_words(s);
        assert_eq!(
            deleted_runs(&w("a b c d e f"), &w("a b c d e f")),
            Vec::<usize>::new()
        );
        assert_eq!(deleted_runs(&w("a b c d e f"), &w("a e f")), vec![3]);
        assert_eq!(deleted_runs(&w("a b c d e f"), &w("b c e")), vec![1, 1, 1]);
        // A word heard wrong is a substitution, not a deletion.
        assert_eq!(deleted_runs(&w("a b c"), &w("a x c")), Vec::<usize>::new());
        assert_eq!(deleted_runs(&w("a b"), &w("")), vec![2]);
        assert_eq!(w("Mr. Dashwood, OK"), ["mister", "dashwood", "okay"]);
        // Three words left out at 0.5 s a word; the lone "b" is an ordinary error.
        assert_eq!(
            dropped_stretches_s("a b c d e f g h", "a c d h", 4.0),
            vec![1.5]
        );
    }

    #[test]
    fn matches_mark_the_words_heard_right() {
        let w = |s: &str| normalized_words(s);
        assert_eq!(
            hypothesis_matches(&w("we retry with backoff"), &w("we retry with Macov")),
            [true, true, true, false]
        );
        // An inserted word is wrong; the words around a deletion are still right.
        assert_eq!(
            hypothesis_matches(&w("a b c"), &w("a x b")),
            [true, false, true]
        );
        assert_eq!(hypothesis_matches(&w("a b c d"), &w("a d")), [true, true]);
        assert!(hypothesis_matches(&w(""), &w("noise")) == [false]);
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
