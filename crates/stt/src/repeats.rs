//! Whisper's repetition loops: once its decoder starts repeating, it can emit the same
//! sentence segment after segment, or one phrase dozens of times inside a segment. People do
//! repeat themselves, but not like that, so the filter only acts on what a person would not say:
//! a segment word-for-word the same as the one before it (within one transcription call), and
//! a phrase of up to [`MAX_NGRAM`] words said [`MAX_REPEATS`] or more times in a row (a single
//! word: [`MAX_REPEATS_ONE_WORD`]), which is cut back to a single occurrence, and a phrase of
//! two or more words said again at once whose repeat whisper timed at a single instant (no
//! time to say it: whisper repeating itself on a short live piece).

use rehearse_core::Segment;

/// Longest phrase (in words) checked for back-to-back repetition.
pub const MAX_NGRAM: usize = 8;
/// A phrase repeated back to back this many times is a decoder loop ("no, no, no" is three).
pub const MAX_REPEATS: usize = 4;
/// A single word needs more: people do say one word five or six times over ("uh uh uh uh uh
/// uh", a list read out as "word word word word word"; both were cut to one word on the real
/// voices of ../shared/speech-real), while whisper's one-word loops run on to the token budget
/// (`crate::budget`), where `trim_echo_tail` ends them whatever their length.
pub const MAX_REPEATS_ONE_WORD: usize = 8;

/// A whitespace-separated token lower-cased without punctuation (empty for a lone mark).
fn normalise_word(token: &str) -> String {
    token
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '\'')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Lower-case words without punctuation, for comparing what was said.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(normalise_word)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Which of the words `norm` to keep when every run of back-to-back repeats of a phrase is cut
/// to its first occurrence: phrases of `shortest` to [`MAX_NGRAM`] words, repeated at least
/// `needed(n)` times in a row, where `skip(phrase)` passes over a phrase and `counts(range)`
/// says whether the copy at those word indices counts as a repeat. Scans left to right, the
/// shortest phrase first.
fn repeats_kept(
    norm: &[String],
    shortest: usize,
    needed: impl Fn(usize) -> usize,
    skip: impl Fn(&[String]) -> bool,
    counts: impl Fn(std::ops::Range<usize>) -> bool,
) -> Vec<bool> {
    let mut keep = vec![true; norm.len()];
    let mut i = 0;
    while i < norm.len() {
        let mut advanced = false;
        for n in shortest..=MAX_NGRAM {
            let needed = needed(n);
            if i + n * needed > norm.len() {
                continue;
            }
            let unit = &norm[i..i + n];
            if skip(unit) {
                continue;
            }
            let mut reps = 1;
            while i + (reps + 1) * n <= norm.len()
                && &norm[i + reps * n..i + (reps + 1) * n] == unit
                && counts(i + reps * n..i + (reps + 1) * n)
            {
                reps += 1;
            }
            if reps >= needed {
                for k in keep.iter_mut().take(i + reps * n).skip(i + n) {
                    *k = false;
                }
                i += reps * n;
                advanced = true;
                break;
            }
        }
        if !advanced {
            i += 1;
        }
    }
    keep
}

/// Cuts every run of [`MAX_REPEATS`]+ back-to-back repeats of a phrase down to one occurrence.
/// Returns the text (original words and punctuation of the kept parts) and whether it changed.
pub fn collapse_loops(text: &str) -> (String, bool) {
    let raw: Vec<&str> = text.split_whitespace().collect();
    let norm: Vec<String> = raw.iter().map(|w| normalise_word(w)).collect();
    let keep = repeats_kept(
        &norm,
        1,
        |n| {
            if n == 1 {
                MAX_REPEATS_ONE_WORD
            } else {
                MAX_REPEATS
            }
        },
        |unit| unit.iter().all(String::is_empty),
        |_| true,
    );
    let changed = keep.iter().any(|k| !k);
    let out: Vec<&str> = raw
        .iter()
        .zip(&keep)
        .filter_map(|(w, k)| k.then_some(*w))
        .collect();
    (out.join(" "), changed)
}

/// Sentences (up to and including their . ! or ?) of a text.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?') {
            let end = i + c.len_utf8();
            if !text[start..end].trim().is_empty() {
                out.push(text[start..end].trim());
            }
            start = end;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(text[start..].trim());
    }
    out
}

/// A block of one to three sentences (at least [`MIN_LOOP_WORDS`] words) said again right
/// after itself is a decoder loop ("The data is very important. It's very important to see
/// how the data is." twice over): the repeats are removed.
pub fn collapse_repeated_sentences(text: &str) -> (String, bool) {
    let sents = sentences(text);
    let norm: Vec<Vec<String>> = sents.iter().map(|s| words(s)).collect();
    let mut keep = vec![true; sents.len()];
    let mut changed = false;
    let mut i = 0;
    while i < sents.len() {
        let mut advanced = false;
        for k in 1..=3 {
            if i + 2 * k > sents.len() {
                break;
            }
            let block = &norm[i..i + k];
            if block.iter().map(Vec::len).sum::<usize>() < MIN_LOOP_WORDS {
                continue;
            }
            let mut reps = 1;
            while i + (reps + 1) * k <= sents.len()
                && &norm[i + reps * k..i + (reps + 1) * k] == block
            {
                reps += 1;
            }
            if reps >= 2 {
                for kk in keep.iter_mut().take(i + reps * k).skip(i + k) {
                    *kk = false;
                }
                changed = true;
                i += reps * k;
                advanced = true;
                break;
            }
        }
        if !advanced {
            i += 1;
        }
    }
    let out: Vec<&str> = sents
        .iter()
        .zip(&keep)
        .filter_map(|(s, k)| k.then_some(*s))
        .collect();
    (out.join(" "), changed)
}

/// Shortest repeated sentence block treated as a loop; "Yes. Yes." is a person.
pub const MIN_LOOP_WORDS: usize = 4;

/// A word whisper timed at one instant: it took no time to say.
const TIMELESS_S: f64 = 0.01;

/// A phrase of two or more words said again right after itself, where every word of the
/// repeat is timed at one instant, is whisper repeating itself, not a person: on a short
/// piece it wrote "Montreal, forced, Montreal, forced, Montreal, forced," for one "Montreal
/// forced", the four repeated words all at 3.02 s. The repeats are cut. Single words are left
/// alone: whisper also stacks a person's "word word word" on one instant.
fn drop_timeless_repeats(seg: &mut Segment) -> bool {
    let norm: Vec<String> = seg.words.iter().map(|w| normalise_word(&w.text)).collect();
    let keep = repeats_kept(
        &norm,
        2,
        |_| 2,
        // "uh uh" again is one word said over and over: left alone, as above.
        |unit| unit.iter().any(String::is_empty) || unit.iter().all(|w| *w == unit[0]),
        |copy| seg.words[copy].iter().all(|w| w.t1 - w.t0 < TIMELESS_S),
    );
    if keep.iter().all(|&k| k) {
        return false;
    }
    let mut kept = keep.iter();
    seg.words.retain(|_| kept.next().copied().unwrap_or(true));
    seg.text = Segment::text_of(&seg.words);
    true
}

/// Applies the rules to the segments of one transcription call. Returns how many segments
/// were dropped or shortened.
pub fn filter_repeats(segments: &mut Vec<Segment>) -> usize {
    let mut touched = 0;
    let mut previous: Option<Vec<String>> = None;
    segments.retain_mut(|seg| {
        if drop_timeless_repeats(seg) {
            touched += 1;
        }
        let (text, looped) = collapse_repeated_sentences(&seg.text);
        let (text, changed) = collapse_loops(&text);
        if looped || changed {
            seg.words = crate::words::realign(&seg.words, &text);
            seg.text = text;
            touched += 1;
        }
        let w = words(&seg.text);
        if w.is_empty() {
            return false;
        }
        if previous.as_ref() == Some(&w) {
            touched += 1;
            return false;
        }
        previous = Some(w);
        true
    });
    touched
}

/// For a call whose decoding was stopped at its token budget (`crate::budget`): whisper was
/// looping when it was cut, so its text ends in an echo of what came before ("For the memory,
/// for the memory, for"). The echo is the longest tail whose every pair of neighbouring words
/// was already said before the tail began (the tail's last word may be cut off mid-word); it
/// is removed, across segments. Returns whether anything was removed.
pub fn trim_echo_tail(segments: &mut Vec<Segment>) -> bool {
    // Every word of the call with the segment it is in.
    let all: Vec<(usize, String)> = segments
        .iter()
        .enumerate()
        .flat_map(|(i, s)| words(&s.text).into_iter().map(move |w| (i, w)))
        .collect();
    let w: Vec<&str> = all.iter().map(|(_, w)| w.as_str()).collect();
    let Some(start) = echo_start(&w) else {
        return false;
    };
    let (seg_at, _) = all[start];
    let keep_in_seg = all[..start].iter().filter(|(i, _)| *i == seg_at).count();
    segments.truncate(seg_at + 1);
    if keep_in_seg == 0 {
        segments.pop();
        return true;
    }
    let seg = &mut segments[seg_at];
    // The text up to the end of its `keep_in_seg`th word (as `words` counts them).
    let end = token_offsets(&seg.text)
        .filter(|(_, token)| !normalise_word(token).is_empty())
        .nth(keep_in_seg - 1)
        .map_or(seg.text.len(), |(at, token)| at + token.len());
    let text = seg.text[..end].trim().to_string();
    seg.words = crate::words::realign(&seg.words, &text);
    seg.text = text;
    true
}

/// Whitespace-separated tokens of `text` with their byte offsets.
fn token_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace()
        .map(move |t| (t.as_ptr() as usize - text.as_ptr() as usize, t))
}

/// Where the echo at the end of `w` starts (see [`trim_echo_tail`]), if there is one of at
/// least two words after at least one word said.
fn echo_start(w: &[&str]) -> Option<usize> {
    let n = w.len();
    let said_before = |k: usize, a: &str, b: &str, last: bool| {
        (0..k).any(|i| {
            w[i] == a
                && (if last {
                    w[i + 1].starts_with(b)
                } else {
                    w[i + 1] == b
                })
        })
    };
    (1..n.saturating_sub(1))
        .find(|&k| (k..n - 1).all(|j| said_before(k, w[j], w[j + 1], j + 1 == n - 1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_words::timed_segment;

    fn seg(t0: f64, text: &str) -> Segment {
        Segment {
            t0,
            t1: t0 + 1.0,
            text: text.into(),
            words: Vec::new(),
        }
    }

    #[test]
    fn a_phrase_repeated_at_one_instant_is_cut_a_person_saying_it_again_is_not() {
        // What whisper tiny.en wrote for "Montreal forced" on a 2.6 s piece of mfa_um.
        let mut looped = vec![timed_segment(&[
            (2.02, 3.02, "Montreal,"),
            (3.02, 3.02, "forced,"),
            (3.02, 3.02, "Montreal,"),
            (3.02, 3.02, "forced,"),
            (3.02, 3.02, "Montreal,"),
            (3.02, 3.02, "forced,"),
        ])];
        assert_eq!(filter_repeats(&mut looped), 1);
        assert_eq!(texts(&looped), ["Montreal, forced,"]);
        assert_eq!(looped[0].words.len(), 2);
        // Said twice, with time to say it: a person.
        let mut said = vec![timed_segment(&[
            (0.0, 0.4, "we"),
            (0.4, 0.8, "could,"),
            (0.9, 1.2, "we"),
            (1.2, 1.5, "could"),
            (1.5, 1.9, "cache"),
        ])];
        assert_eq!(filter_repeats(&mut said), 0);
        // One word stacked on one instant: whisper times "word word word" that way too.
        let mut words = vec![timed_segment(&[
            (1.0, 1.0, "uh"),
            (1.0, 1.0, "uh"),
            (1.0, 1.0, "uh"),
            (1.0, 1.0, "uh"),
        ])];
        assert_eq!(filter_repeats(&mut words), 0);
    }

    fn texts(segments: &[Segment]) -> Vec<&str> {
        segments.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn a_cut_loop_loses_its_echo_and_keeps_what_was_said() {
        // Decodings of the benchmark's speech stopped at their budget.
        let mut one = vec![seg(0.0, "For the memory, for the memory, for")];
        assert!(trim_echo_tail(&mut one));
        assert_eq!(texts(&one), ["For the memory,"]);
        let mut across = vec![
            seg(0.0, "It must never promise a refund, it cannot give."),
            seg(1.0, "It cannot give."),
            seg(2.0, "It must never promise a ref"),
        ];
        assert!(trim_echo_tail(&mut across));
        assert_eq!(
            texts(&across),
            ["It must never promise a refund, it cannot give."]
        );
        let mut inside = vec![seg(0.0, "So we shard it. so we shard it. so we")];
        assert!(trim_echo_tail(&mut inside));
        assert_eq!(texts(&inside), ["So we shard it."]);
    }

    #[test]
    fn text_without_an_echo_at_its_end_is_left_alone() {
        for text in [
            "We need a cache, we need a queue, and a database.",
            "The agent looks up the order and answers",
            "Yes",
        ] {
            let mut segments = vec![seg(0.0, text)];
            assert!(!trim_echo_tail(&mut segments), "{text}");
            assert_eq!(texts(&segments), [text]);
        }
    }

    #[test]
    fn loops_inside_a_segment_are_cut_to_one_occurrence() {
        let (t, c) =
            collapse_loops("We use a cache. a cache. a cache. a cache. a cache. Then a queue.");
        assert!(c);
        assert_eq!(t, "We use a cache. Then a queue.");
        let (t, c) = collapse_loops("the the the the the the the the the");
        assert!(c);
        assert_eq!(t, "the");
        // What people say is left alone.
        for ok in [
            "No, no, no, that is wrong.",
            "Montreal, uh, uh, uh, uh, uh, uh, forced aligner.",
            "Here's some more word, word, word, word, word.",
            "It is very, very fast.",
            "We shard by user id, then by time.",
            "",
        ] {
            assert_eq!(
                collapse_loops(ok),
                (ok.split_whitespace().collect::<Vec<_>>().join(" "), false),
                "{ok}"
            );
        }
    }

    #[test]
    fn repeated_sentence_blocks_are_cut_to_one() {
        let looped = "The data is very important. It's very important to see how the data is. The data is very important. It's very important to see how the data is.";
        let (t, c) = collapse_repeated_sentences(looped);
        assert!(c);
        assert_eq!(
            t,
            "The data is very important. It's very important to see how the data is."
        );
        let (t, c) = collapse_repeated_sentences(
            "We use Kafka here. We use Kafka here. We use Kafka here. Then we shard",
        );
        assert!(c);
        assert_eq!(t, "We use Kafka here. Then we shard");
        for ok in ["Yes. Yes. So we shard.", "We cache reads. We shard writes."] {
            assert!(!collapse_repeated_sentences(ok).1, "{ok}");
        }
        let mut s = vec![seg(0.0, looped)];
        assert_eq!(filter_repeats(&mut s), 1);
        assert_eq!(s[0].text.matches("The data").count(), 1);
    }

    #[test]
    fn a_segment_repeating_the_previous_one_is_dropped() {
        let mut s = vec![
            seg(0.0, "We put a cache in front of the database."),
            seg(2.0, "We put a cache in front of the database"),
            seg(4.0, "we put a cache in front of the database!"),
            seg(6.0, "Then we shard it."),
            seg(8.0, "We put a cache in front of the database."),
        ];
        assert_eq!(filter_repeats(&mut s), 2);
        let texts: Vec<_> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "We put a cache in front of the database.",
                "Then we shard it.",
                "We put a cache in front of the database."
            ]
        );
    }
}
