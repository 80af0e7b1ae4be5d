//! Word timings from whisper's token timestamps (`token_timestamps`): whisper decodes
//! sub-word tokens (" sh", "arding", ","), each with a start and an end; a token that begins
//! with a space begins a new word, the others belong to the word before. Non-speech markers
//! in square brackets are left out the same way `clean_text` leaves them out of the text, so
//! the words of a segment, joined with spaces, are its text.
//!
//! A word's confidence is the lowest probability of its tokens that hold a letter or digit:
//! one doubtful piece ("Mac" + "ov") makes the word doubtful, which a mean over its tokens
//! would dilute, and punctuation tokens (whisper is often unsure whether a comma follows)
//! say nothing about the word. docs/benchmarks.md ("Uncertain words") has the measurement.

use rehearse_core::Word;

/// One decoded text token: its text and times in seconds from the start of the clip.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenPiece {
    pub text: String,
    pub t0: f64,
    pub t1: f64,
    /// Whisper's probability of this token, in [0, 1].
    pub p: f32,
}

/// The part of a word's confidence a token contributes: None for punctuation.
fn token_p(tok: &TokenPiece) -> Option<f32> {
    tok.text
        .chars()
        .any(char::is_alphanumeric)
        .then_some(tok.p.clamp(0.0, 1.0))
}

fn lowest(a: Option<f32>, b: Option<f32>) -> Option<f32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Joins tokens into words, with times clamped into `[seg_t0, seg_t1]` and made monotonic
/// (whisper's token times can overlap by a few centiseconds).
pub fn words_from_tokens(tokens: &[TokenPiece], seg_t0: f64, seg_t1: f64) -> Vec<Word> {
    let mut raw: Vec<Word> = Vec::new();
    for tok in tokens {
        if tok.text.is_empty() {
            continue;
        }
        let starts_word = tok.text.starts_with(char::is_whitespace);
        match raw.last_mut() {
            Some(w) if !starts_word => {
                w.text.push_str(&tok.text);
                w.t1 = w.t1.max(tok.t1);
                w.p = lowest(w.p, token_p(tok));
            }
            _ => raw.push(Word {
                t0: tok.t0,
                t1: tok.t1,
                text: tok.text.clone(),
                p: token_p(tok),
            }),
        }
    }
    // Square brackets are never speech (see `clean_text`); they may span several words.
    let mut depth = 0usize;
    let mut words: Vec<Word> = Vec::with_capacity(raw.len());
    for w in raw {
        let mut kept = String::with_capacity(w.text.len());
        for c in w.text.chars() {
            match c {
                '[' => depth += 1,
                ']' if depth > 0 => depth -= 1,
                _ if depth == 0 => kept.push(c),
                _ => {}
            }
        }
        let kept = kept.split_whitespace().collect::<Vec<_>>().join(" ");
        if !kept.is_empty() {
            words.push(Word { text: kept, ..w });
        }
    }
    let mut floor = seg_t0;
    for w in &mut words {
        w.t0 = w.t0.clamp(floor, seg_t1);
        w.t1 = w.t1.clamp(w.t0, seg_t1);
        floor = w.t0;
    }
    words
}

/// The words of `text` after it was shortened (a repetition loop cut out): the timed words
/// it still has, in order; none when they cannot be matched one for one.
pub fn realign(words: &[Word], text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut rest = words.iter();
    for want in text.split_whitespace() {
        match rest.by_ref().find(|w| w.text == want) {
            Some(w) => out.push(w.clone()),
            None => return Vec::new(),
        }
    }
    out
}

/// The words of one whisper segment (decoded with `token_timestamps`), times clamped into the
/// segment's own `[t0, t1]` (seconds from the start of the clip). Special tokens (ids from
/// end-of-text up: timestamps, language, task) are not text.
pub(crate) fn segment_words(
    seg: &whisper_rs::WhisperSegment<'_>,
    eot: i32,
    t0: f64,
    t1: f64,
) -> Vec<Word> {
    let tokens: Vec<TokenPiece> = (0..seg.n_tokens())
        .filter_map(|i| seg.get_token(i))
        .filter_map(|tok| {
            let data = tok.token_data();
            if data.id >= eot {
                return None;
            }
            let text = tok.to_str_lossy().ok()?.into_owned();
            Some(TokenPiece {
                text,
                t0: data.t0 as f64 / 100.0,
                t1: data.t1 as f64 / 100.0,
                p: data.p,
            })
        })
        .collect();
    words_from_tokens(&tokens, t0, t1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(text: &str, t0: f64, t1: f64) -> TokenPiece {
        tok_p(text, t0, t1, 0.9)
    }

    fn tok_p(text: &str, t0: f64, t1: f64, p: f32) -> TokenPiece {
        TokenPiece {
            text: text.into(),
            t0,
            t1,
            p,
        }
    }

    #[test]
    fn a_word_is_as_sure_as_its_least_sure_piece_of_text() {
        let words = words_from_tokens(
            &[
                tok_p(" Mac", 0.0, 0.2, 0.8),
                tok_p("ov", 0.2, 0.4, 0.1),
                tok_p(",", 0.4, 0.4, 0.05),
                tok_p(" then", 0.5, 0.7, 0.95),
                tok_p(".", 0.7, 0.7, 0.2),
            ],
            0.0,
            1.0,
        );
        let ps: Vec<Option<f32>> = words.iter().map(|w| w.p).collect();
        // The comma and the full stop are whisper's doubt about punctuation, not the word.
        assert_eq!(ps, [Some(0.1), Some(0.95)]);
        assert!(words[0].is_uncertain() && !words[1].is_uncertain());
    }

    #[test]
    fn sub_word_tokens_and_punctuation_join_their_word() {
        let words = words_from_tokens(
            &[
                tok(" We", 0.0, 0.2),
                tok(" sh", 0.2, 0.35),
                tok("arding", 0.35, 0.6),
                tok(",", 0.6, 0.6),
                tok(" then", 0.7, 0.9),
            ],
            0.0,
            1.0,
        );
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["We", "sharding,", "then"]);
        assert_eq!((words[1].t0, words[1].t1), (0.2, 0.6));
    }

    #[test]
    fn a_shortened_text_keeps_the_timings_of_its_remaining_words() {
        let words = words_from_tokens(
            &[
                tok(" go", 0.0, 0.2),
                tok(" go", 0.2, 0.4),
                tok(" go.", 0.4, 0.6),
                tok(" Done.", 0.6, 0.9),
            ],
            0.0,
            1.0,
        );
        let kept = realign(&words, "go. Done.");
        assert_eq!(kept, words[2..].to_vec());
        assert!(realign(&words, "something else").is_empty());
    }

    #[test]
    fn markers_are_left_out_and_times_stay_inside_and_in_order() {
        let words = words_from_tokens(
            &[
                tok(" [", 0.0, 0.1),
                tok("BLANK_AUDIO", 0.1, 0.2),
                tok("]", 0.2, 0.3),
                tok(" Then", 0.5, 0.4),
                tok(" cache", 0.3, 2.5),
            ],
            0.2,
            2.0,
        );
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["Then", "cache"]);
        for w in &words {
            assert!(w.t0 >= 0.2 && w.t1 <= 2.0 && w.t0 <= w.t1, "{w:?}");
        }
        assert!(words[1].t0 >= words[0].t0);
    }
}
