//! Text whisper made up from its prompt. Primed with an initial prompt (the filler primer and
//! the vocabulary, and for a piece that continues another, the words said just before it),
//! whisper sometimes writes the prompt back instead of what was said ("A system design
//! interview, ..." over 20 s of an answer). An **echo** is a segment that repeats a run of
//! the prompt's words and either is mostly prompt or stretches a few words over seconds of
//! voice; the caller decodes such audio again without the prompt
//! (`WhisperStt::transcribe_pass`).
//!
//! Tried and left out: decoding again every stretch between whisper's word timings in which
//! the voice detector hears a voice. whisper's token timings are too loose for it (a word
//! "lasting" 5 s, the rest of a segment stacked on one instant): on `../shared/speech-real`
//! it re-heard words already there (397 reference words: 58 errors with it, 50 without).

use crate::gate::voiced_seconds;
use crate::SAMPLE_RATE;
use rehearse_core::normalize_for_match;
use rehearse_core::Segment;

/// A shared run of this many words with the prompt makes a segment suspect.
const ECHO_MIN_RUN: usize = 3;
/// Words a second of voice below which a suspect segment is stretched over speech it did not
/// transcribe (people say 2-3 words a second; a prompt echo over 20 s of answer says 0.5).
const ECHO_MAX_WORDS_PER_VOICED_S: f64 = 1.0;

fn words_of(text: &str) -> Vec<String> {
    normalize_for_match(text)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// The longest run of consecutive words that `a` and `b` share.
fn longest_shared_run(a: &[String], b: &[String]) -> usize {
    let mut best = 0;
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut prev_diag = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y { prev_diag + 1 } else { 0 };
            best = best.max(row[j + 1]);
            prev_diag = above;
        }
    }
    best
}

/// Whether `segment` is whisper writing its `prompt` back rather than the speech under it:
/// it shares a run of at least [`ECHO_MIN_RUN`] words with the prompt, and either that run is
/// half of it or more, or it has fewer than [`ECHO_MAX_WORDS_PER_VOICED_S`] words a second of
/// the voice in its span (`samples`: the clip the segment's times refer to).
pub fn is_prompt_echo(segment: &Segment, prompt: &str, samples: &[f32]) -> bool {
    let said = words_of(&segment.text);
    let primed = words_of(prompt);
    if said.is_empty() || primed.is_empty() {
        return false;
    }
    let run = longest_shared_run(&said, &primed);
    if run < ECHO_MIN_RUN.min(said.len()) {
        return false;
    }
    if run * 2 >= said.len() {
        return true;
    }
    let voiced = voiced_seconds(span(samples, segment.t0, segment.t1));
    voiced > 2.0 && (said.len() as f64) < ECHO_MAX_WORDS_PER_VOICED_S * voiced
}

/// The samples between `t0` and `t1` seconds, clamped to the clip.
fn span(samples: &[f32], t0: f64, t1: f64) -> &[f32] {
    let at = |t: f64| ((t.max(0.0) * SAMPLE_RATE) as usize).min(samples.len());
    let (a, b) = (at(t0), at(t1));
    &samples[a..b.max(a)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_words::timed_segment;

    #[test]
    fn a_segment_that_is_mostly_the_prompt_is_an_echo_a_sentence_sharing_a_phrase_is_not() {
        let prompt = "Um, so, uh, I think, like, we need a cache, you know. A system design \
                      interview: requirements, architecture, chunks, embeddings, vector store.";
        let silence = vec![0.0f32; 16_000 * 10];
        let echo = timed_segment(&[
            (0.0, 4.0, "A"),
            (4.0, 8.0, "system design interview,"),
            (8.0, 9.0, "requirements."),
        ]);
        assert!(is_prompt_echo(&echo, prompt, &silence));
        let said = timed_segment(&[
            (0.0, 0.3, "First"),
            (0.3, 0.6, "the"),
            (0.6, 0.9, "requirements,"),
            (0.9, 1.2, "then"),
            (1.2, 1.5, "I"),
            (1.5, 1.8, "think"),
            (1.8, 2.1, "we"),
            (2.1, 2.4, "need"),
            (2.4, 2.7, "a"),
            (2.7, 3.0, "cache"),
            (3.0, 3.3, "for"),
            (3.3, 3.6, "the"),
            (3.6, 3.9, "embeddings"),
            (3.9, 4.2, "we"),
            (4.2, 4.5, "compute."),
        ]);
        assert!(!is_prompt_echo(&said, prompt, &silence));
        assert!(!is_prompt_echo(&said, "", &silence));
    }

    #[test]
    fn shared_runs_are_counted_in_consecutive_words() {
        let w = |s: &str| words_of(s);
        assert_eq!(longest_shared_run(&w("a b c d"), &w("x b c d y")), 3);
        assert_eq!(longest_shared_run(&w("a b"), &w("b a")), 1);
        assert_eq!(longest_shared_run(&w(""), &w("a")), 0);
    }
}
