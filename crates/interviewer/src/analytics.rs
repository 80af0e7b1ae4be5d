//! Delivery analytics: how the answer was said, from the transcript's segments alone (pure
//! functions; times in seconds from the start of the session).
//!
//! Words are counted per segment and spread evenly over the segment's time, since whisper
//! only times segments; a minute bucket gets the share of each segment that falls in it.

use rehearse_core::{
    DeliveryAnalytics, PacePoint, PauseSpan, PhraseCount, Segment, TimedPhrase, PAUSE_MIN_S,
};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Filler words and phrases, matched as whole words (lower case, punctuation ignored).
/// "like" counts only where it is a filler: see [`is_filler_like`].
pub const FILLERS: &[&str] = &[
    "um",
    "umm",
    "uh",
    "er",
    "erm",
    "like",
    "you know",
    "sort of",
    "kind of",
    "basically",
];

/// Phrases that tell the listener where the answer is going.
pub const SIGNPOSTS: &[&str] = &[
    "first",
    "firstly",
    "second",
    "secondly",
    "third",
    "next",
    "then",
    "after that",
    "finally",
    "lastly",
    "to summarise",
    "to summarize",
    "in summary",
    "to recap",
    "let me start",
    "let's start",
    "moving on",
    "the trade-off",
    "the trade off",
    "on the other hand",
    "in conclusion",
];

/// Lower-case words of `text`, punctuation removed except inner apostrophes and hyphens.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '/' || c == '—')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// "like" as a filler: not a verb or preposition with an object. A pragmatic rule: it is a
/// filler when it follows a pause-like spot (the start of a segment, or after "was", "is",
/// "it's", "and", "so", "um", "uh") or is followed by another filler or "um"/"uh"; "I'd like",
/// "would like", "looks like", "something like" and "like a ..." after a noun are kept.
fn is_filler_like(prev: Option<&str>, next: Option<&str>) -> bool {
    const BEFORE_FILLER: &[&str] = &[
        "was", "is", "it's", "and", "so", "um", "uh", "er", "just", "but", "it", "were", "are",
    ];
    const AFTER_FILLER: &[&str] = &["um", "uh", "er", "you", "basically", "so"];
    match prev {
        None => true,
        Some(p) if BEFORE_FILLER.contains(&p) => true,
        _ => next.is_some_and(|n| AFTER_FILLER.contains(&n)),
    }
}

/// A phrase list split into words once, longest phrases first (so they win where they
/// overlap a shorter one).
type PhraseTable = Vec<(&'static str, Vec<&'static str>)>;

fn phrase_table(phrases: &'static [&'static str]) -> PhraseTable {
    let mut table: PhraseTable = phrases
        .iter()
        .map(|p| (*p, p.split(' ').collect::<Vec<_>>()))
        .collect();
    table.sort_by_key(|(_, parts)| std::cmp::Reverse(parts.len()));
    table
}

fn filler_table() -> &'static PhraseTable {
    static TABLE: OnceLock<PhraseTable> = OnceLock::new();
    TABLE.get_or_init(|| phrase_table(FILLERS))
}

fn signpost_table() -> &'static PhraseTable {
    static TABLE: OnceLock<PhraseTable> = OnceLock::new();
    TABLE.get_or_init(|| phrase_table(SIGNPOSTS))
}

/// Finds the table's phrases in `ws`, returning (index of first word, phrase).
fn find_phrases(ws: &[String], table: &PhraseTable) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let hit = table.iter().find(|(_, parts)| {
            i + parts.len() <= ws.len() && parts.iter().zip(&ws[i..]).all(|(a, b)| *a == b)
        });
        match hit {
            Some((phrase, parts)) => {
                out.push((i, *phrase));
                i += parts.len();
            }
            None => i += 1,
        }
    }
    out
}

/// The time of word `index` of `count` in a segment, spread evenly.
fn word_time(seg: &Segment, index: usize, count: usize) -> f64 {
    let span = (seg.t1 - seg.t0).max(0.0);
    seg.t0 + span * (index as f64 / count.max(1) as f64)
}

/// Words per minute of talk time and fillers per 100 words: the two trends Progress charts
/// over every session, without the rest of [`delivery_analytics`].
pub fn pace_and_filler_rate(segments: &[Segment]) -> (f64, f64) {
    let (mut words_total, mut fillers, mut talk_s) = (0usize, 0usize, 0.0);
    for seg in segments {
        let ws = words(&seg.text);
        talk_s += (seg.t1 - seg.t0).max(0.0);
        words_total += ws.len();
        fillers += find_phrases(&ws, filler_table())
            .into_iter()
            .filter(|(i, phrase)| {
                *phrase != "like"
                    || is_filler_like(
                        i.checked_sub(1).map(|p| ws[p].as_str()),
                        ws.get(i + 1).map(String::as_str),
                    )
            })
            .count();
    }
    let wpm = if talk_s > 0.0 {
        words_total as f64 / (talk_s / 60.0)
    } else {
        0.0
    };
    let rate = if words_total > 0 {
        fillers as f64 * 100.0 / words_total as f64
    } else {
        0.0
    };
    (wpm, rate)
}

/// Analyses a session's segments; `duration_s` is the recording's length (the end of the
/// last segment when longer).
pub fn delivery_analytics(segments: &[Segment], duration_s: f64) -> DeliveryAnalytics {
    let mut ordered: Vec<&Segment> = segments.iter().collect();
    ordered.sort_by(|a, b| a.t0.total_cmp(&b.t0));
    let end = ordered
        .iter()
        .map(|s| s.t1)
        .fold(duration_s.max(0.0), f64::max);

    let mut total_words = 0usize;
    let mut talk_time_s = 0.0;
    let minutes = (end / 60.0).ceil().max(1.0) as usize;
    let mut bucket_words = vec![0.0f64; minutes];
    let mut fillers = Vec::new();
    let mut signposts = Vec::new();

    for seg in &ordered {
        let ws = words(&seg.text);
        let n = ws.len();
        total_words += n;
        let span = (seg.t1 - seg.t0).max(0.0);
        talk_time_s += span;
        // Spread the segment's words over the minutes it overlaps.
        if n > 0 {
            if span <= 0.0 {
                let b = ((seg.t0 / 60.0) as usize).min(minutes - 1);
                bucket_words[b] += n as f64;
            } else {
                let first = (seg.t0 / 60.0).floor() as usize;
                let last = ((seg.t1 / 60.0).ceil() as usize).min(minutes);
                for (b, bucket) in bucket_words
                    .iter_mut()
                    .enumerate()
                    .take(last)
                    .skip(first.min(minutes))
                {
                    let lo = seg.t0.max(b as f64 * 60.0);
                    let hi = seg.t1.min((b + 1) as f64 * 60.0);
                    if hi > lo {
                        *bucket += n as f64 * (hi - lo) / span;
                    }
                }
            }
        }
        for (i, phrase) in find_phrases(&ws, filler_table()) {
            if phrase == "like"
                && !is_filler_like(
                    i.checked_sub(1).map(|p| ws[p].as_str()),
                    ws.get(i + 1).map(String::as_str),
                )
            {
                continue;
            }
            fillers.push(TimedPhrase {
                t0: word_time(seg, i, n),
                phrase: phrase.to_string(),
            });
        }
        for (i, phrase) in find_phrases(&ws, signpost_table()) {
            // "then" and "next" only count at the start of a sentence-like stretch.
            if matches!(phrase, "then" | "next" | "second" | "third") && i != 0 {
                let lower = seg.text.to_lowercase();
                let prev_ends_sentence = lower.contains(&format!(". {phrase}"))
                    || lower.contains(&format!(", {phrase}"));
                if !prev_ends_sentence {
                    continue;
                }
            }
            signposts.push(TimedPhrase {
                t0: word_time(seg, i, n),
                phrase: phrase.to_string(),
            });
        }
    }

    let pace = bucket_words
        .iter()
        .enumerate()
        .map(|(b, w)| {
            let t0 = b as f64 * 60.0;
            let len_min = ((end - t0).min(60.0) / 60.0).max(1.0 / 60.0);
            PacePoint {
                t0,
                words: w.round() as u32,
                wpm: w / len_min,
            }
        })
        .collect();

    let mut pauses = Vec::new();
    let mut last_end: Option<f64> = None;
    for seg in &ordered {
        if let Some(prev) = last_end {
            if seg.t0 - prev >= PAUSE_MIN_S {
                pauses.push(PauseSpan {
                    t0: prev,
                    t1: seg.t0,
                });
            }
        }
        last_end = Some(last_end.map_or(seg.t1, |p: f64| p.max(seg.t1)));
    }
    let longest_pause_s = pauses.iter().map(|p| p.t1 - p.t0).fold(0.0, f64::max);
    // A fold from +0.0: an empty float sum is -0.0, which prints as "-0".
    let think_time_s = pauses.iter().map(|p| p.t1 - p.t0).fold(0.0, |a, b| a + b);

    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for f in &fillers {
        *counts.entry(f.phrase.as_str()).or_default() += 1;
    }
    let mut filler_counts: Vec<PhraseCount> = counts
        .into_iter()
        .map(|(phrase, count)| PhraseCount {
            phrase: phrase.to_string(),
            count,
        })
        .collect();
    filler_counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.phrase.cmp(&b.phrase)));
    let filler_total = fillers.len() as u32;
    let words = total_words as u32;

    DeliveryAnalytics {
        duration_s: end,
        talk_time_s,
        words,
        wpm: if talk_time_s > 0.0 {
            f64::from(words) / (talk_time_s / 60.0)
        } else {
            0.0
        },
        pace,
        fillers,
        filler_counts,
        filler_total,
        fillers_per_100_words: if words > 0 {
            f64::from(filler_total) * 100.0 / f64::from(words)
        } else {
            0.0
        },
        pauses,
        longest_pause_s,
        think_time_s,
        signposts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(t0: f64, t1: f64, text: &str) -> Segment {
        Segment {
            t0,
            t1,
            text: text.into(),
            words: Vec::new(),
        }
    }

    #[test]
    fn counts_fillers_pauses_pace_and_signposts_on_known_segments() {
        let segs = vec![
            seg(
                0.0,
                10.0,
                "First, um, we need the users. It's like, you know, a big corpus.",
            ),
            // a 5 s pause
            seg(
                15.0,
                30.0,
                "I'd like a cache. Basically the cache sits in front, sort of.",
            ),
            // a 1 s gap: not a pause
            seg(
                31.0,
                50.0,
                "Next, the index. To summarise: uh, chunks versus pages.",
            ),
            // a 70 s pause spanning into minute two
            seg(
                120.0,
                150.0,
                "Then evaluation with a golden set of questions and answers.",
            ),
        ];
        let a = delivery_analytics(&segs, 150.0);
        let (wpm, rate) = pace_and_filler_rate(&segs);
        assert!((wpm - a.wpm).abs() < 1e-9 && (rate - a.fillers_per_100_words).abs() < 1e-9);
        let phrases: Vec<&str> = a.fillers.iter().map(|f| f.phrase.as_str()).collect();
        assert_eq!(
            phrases,
            vec!["um", "like", "you know", "basically", "sort of", "uh"],
            "\"I'd like a cache\" is not a filler"
        );
        assert_eq!(a.filler_total, 6);
        assert_eq!(a.pauses.len(), 2);
        assert_eq!(a.pauses[0], PauseSpan { t0: 10.0, t1: 15.0 });
        assert!((a.longest_pause_s - 70.0).abs() < 1e-9);
        assert!((a.think_time_s - 75.0).abs() < 1e-9);
        assert!((a.talk_time_s - 74.0).abs() < 1e-9);
        let total_words: u32 = segs.iter().map(|s| words(&s.text).len() as u32).sum();
        assert_eq!(a.words, total_words);
        assert!((a.fillers_per_100_words - 600.0 / f64::from(total_words)).abs() < 1e-9);
        // Three minutes; the words of each minute add up to the total.
        assert_eq!(a.pace.len(), 3);
        let bucket_sum: u32 = a.pace.iter().map(|p| p.words).sum();
        assert!(bucket_sum.abs_diff(total_words) <= 1, "{:?}", a.pace);
        assert_eq!(a.pace[1].words, 0, "nothing was said in the second minute");
        let signs: Vec<&str> = a.signposts.iter().map(|s| s.phrase.as_str()).collect();
        assert_eq!(signs, vec!["first", "next", "to summarise", "then"]);
        assert!(a.fillers.iter().all(|f| f.t0 >= 0.0 && f.t0 <= 150.0));
        assert_eq!(a.filler_counts[0].count, 1);
    }

    #[test]
    fn an_empty_transcript_gives_zeros() {
        let a = delivery_analytics(&[], 30.0);
        assert_eq!(a.words, 0);
        assert_eq!(a.wpm, 0.0);
        assert_eq!(a.fillers_per_100_words, 0.0);
        assert_eq!(a.pace.len(), 1);
        assert!(a.pauses.is_empty());
        assert!(a.think_time_s.is_sign_positive(), "never prints as -0");
    }
}
