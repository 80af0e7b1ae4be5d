//! A written answer as the transcript a session would have: segments of a few sentences,
//! timed at an ordinary speaking rate, with no long pauses inside.

use rehearse_core::Segment;

/// Words a second of an ordinary speaking pace.
const WORDS_PER_S: f64 = 2.6;
/// Whisper gives segments of a sentence or two; a few short sentences share one.
const WORDS_PER_SEGMENT: usize = 22;
/// The gap between segments: a breath, shorter than the interviewer's pause.
const GAP_S: f64 = 0.4;

/// The answer's text as segments, the way whisper splits speech: at sentence ends, about
/// [`WORDS_PER_SEGMENT`] words each.
pub fn segments_of(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut t = 0.0;
    let mut flush = |current: &mut String, t: &mut f64| {
        let words = current.split_whitespace().count();
        if words == 0 {
            return;
        }
        let d = words as f64 / WORDS_PER_S;
        out.push(Segment {
            t0: *t,
            t1: *t + d,
            text: format!(" {}", current.trim()),
            words: Vec::new(),
        });
        *t += d + GAP_S;
        current.clear();
    };
    for word in text.split_whitespace() {
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
        let ends_sentence = word.ends_with(['.', '?', '!']);
        if ends_sentence && current.split_whitespace().count() >= WORDS_PER_SEGMENT / 2 {
            flush(&mut current, &mut t);
        } else if current.split_whitespace().count() >= WORDS_PER_SEGMENT * 2 {
            // A run-on with no sentence end (a damaged transcript): cut it anyway.
            flush(&mut current, &mut t);
        }
    }
    flush(&mut current, &mut t);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_word_in_order_with_rising_times() {
        let text = "First we clarify. Then the design has three parts, each with a job. \
                    Retrieval comes next and it is the hardest part of all. Finally, evaluation.";
        let segs = segments_of(text);
        let joined: Vec<String> = segs
            .iter()
            .flat_map(|s| s.text.split_whitespace().map(str::to_string))
            .collect();
        let words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
        assert_eq!(joined, words);
        assert!(segs.windows(2).all(|w| w[1].t0 > w[0].t1));
        assert!(segments_of("").is_empty());
    }
}
