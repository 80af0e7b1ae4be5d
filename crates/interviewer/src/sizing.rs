//! Sizing arithmetic checked the way an interviewer checks it in their head: a figure said
//! beside the quantities it follows from ("ten thousand pages ... about half a billion
//! tokens") is compared with what they give (`content`'s `[[sizing]]` checks). A figure far
//! out of range is a red flag: it caps the dimensions it undermines and is challenged, quoting
//! the candidate's own words for it.
//!
//! Spoken numbers ("twenty million", "six hundred") are turned into digits by `text2num`;
//! the few forms it leaves ("half a billion", "a million and a half", "1.5 million") and the
//! units are read here.

use crate::red_flags::{FlagKind, RedFlagHit};
use crate::sentences::sentences;
use crate::uncertain::UnsureWords;
use regex::Regex;
use rehearse_content::{Rubric, SizingCheck};
use rehearse_core::Segment;
use std::sync::OnceLock;
use text2num::{replace_numbers_in_text, Language};

/// A quantity said: its value (bytes for sizes) and the unit word it was said with.
#[derive(Debug, Clone, PartialEq)]
struct Quantity {
    value: f64,
    unit: String,
    /// Said as the size of one item ("500 tokens per chunk", "with 50 tokens of overlap").
    per_item: bool,
}

/// Words after a unit that make the figure the size of one item, not a total.
const PER_ITEM_AFTER: [&str; 8] = [
    "per", "each", "apiece", "overlap", "window", "chunk", "chunks", "with",
];

/// Words that may stand between a number and its unit ("600 big manual pages").
const FILLER_WORDS: usize = 2;

/// Sizes in bytes by their unit word.
fn byte_unit(word: &str) -> Option<f64> {
    Some(match word {
        "b" | "byte" | "bytes" => 1.0,
        "kb" | "kilobyte" | "kilobytes" => 1e3,
        "mb" | "megabyte" | "megabytes" | "megs" => 1e6,
        "gb" | "gigabyte" | "gigabytes" | "gigs" => 1e9,
        "tb" | "terabyte" | "terabytes" => 1e12,
        "pb" | "petabyte" | "petabytes" => 1e15,
        _ => return None,
    })
}

/// The sentence with every spoken number in digits and its multipliers applied:
/// "half a billion tokens" -> "500000000 tokens".
pub(crate) fn in_digits(text: &str) -> String {
    static RES: OnceLock<[Regex; 6]> = OnceLock::new();
    let [half_a, and_a_half, second, short_mult, mult, said_in_pairs] = RES.get_or_init(|| {
        // Safe: constant patterns exercised by the unit tests below.
        let re = |p: &str| Regex::new(p).expect("valid constant regex");
        [
            re(r"\bhalf an? (thousand|million|billion|trillion)\b"),
            re(r"\ban? (thousand|million|billion|trillion) and an? half\b"),
            // text2num reads "per second" as an ordinal ("per 2nd").
            re(r"\bseconds?\b"),
            re(r"\b(\d+(?:\.\d+)?)\s?(k|m|bn)\b"),
            re(r"(\d[\d,]*(?:\.\d+)?) (1000|1000000|1000000000|1000000000000)\b"),
            // Embedding sizes are said in pairs: "seven sixty eight", "ten twenty four".
            re(r"\b([1-9]|1[0-9]) ([1-9][0-9]) (dimensions?|dims|dimensional)\b"),
        ]
    });
    let text = text.to_lowercase();
    let text = half_a.replace_all(&text, "0.5 $1");
    let text = and_a_half.replace_all(&text, "1.5 $1");
    let text = second.replace_all(&text, "sec");
    let text = short_mult.replace_all(&text, |c: &regex::Captures<'_>| {
        let m = match &c[2] {
            "k" => "thousand",
            "m" => "million",
            _ => "billion",
        };
        format!("{} {m}", &c[1])
    });
    let text = replace_numbers_in_text(&text, &Language::english(), 0.0);
    let text = said_in_pairs.replace_all(&text, "$1$2 $3");
    mult.replace_all(&text, |c: &regex::Captures<'_>| {
        match (number(&c[1]), c[2].parse::<f64>()) {
            (Some(a), Ok(b)) => format!("{}", a * b),
            _ => c[0].to_string(),
        }
    })
    .into_owned()
}

pub(crate) fn number(digits: &str) -> Option<f64> {
    digits.replace(',', "").parse().ok()
}

/// Every `<number> [up to two words] <unit>` in `text` (already [`in_digits`]) whose unit is
/// one of `units` ("bytes" stands for every size unit).
fn quantities(text: &str, units: &[String]) -> Vec<Quantity> {
    static NUM: OnceLock<Regex> = OnceLock::new();
    let num = NUM.get_or_init(|| {
        // Safe: a constant pattern exercised by the unit tests below.
        Regex::new(r"\b\d[\d,]*(?:\.\d+)?\b").expect("valid constant regex")
    });
    let bytes = units.iter().any(|u| u == "bytes");
    let mut out = Vec::new();
    for m in num.find_iter(text) {
        let Some(value) = number(m.as_str()) else {
            continue;
        };
        let after: Vec<String> = text[m.end()..]
            .split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .take(FILLER_WORDS + 3)
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
            .collect();
        // A sentence boundary or a new number ends the search for the unit.
        let reach = after
            .iter()
            .position(|w| w.is_empty() || w.chars().all(|c| c.is_ascii_digit()))
            .unwrap_or(after.len())
            .min(FILLER_WORDS + 1);
        for (i, word) in after.iter().take(reach).enumerate() {
            if bytes {
                if let Some(scale) = byte_unit(word) {
                    out.push(Quantity {
                        value: value * scale,
                        unit: word.clone(),
                        per_item: per_item(&after[i + 1..]),
                    });
                    break;
                }
            }
            let phrase = after[i..].join(" ");
            if let Some(unit) = units
                .iter()
                .find(|u| phrase == **u || phrase.starts_with(&format!("{u} ")))
            {
                let unit_words = unit.split_whitespace().count();
                out.push(Quantity {
                    value,
                    unit: unit.clone(),
                    per_item: per_item(after.get(i + unit_words..).unwrap_or_default()),
                });
                break;
            }
        }
    }
    out
}

/// Units of time and items after "a" that make a figure a rate or a size of one item ("a
/// million tokens a minute", "500 tokens a page"), not a total.
const RATE_OF: [&str; 11] = [
    "second", "minute", "hour", "day", "week", "month", "year", "page", "request", "call", "query",
];

fn per_item(words_after: &[String]) -> bool {
    let rate = matches!(words_after, [a, unit, ..] if a == "a" && RATE_OF.contains(&unit.as_str()));
    rate || words_after
        .iter()
        .take(2)
        .any(|w| PER_ITEM_AFTER.contains(&w.as_str()))
}

/// The candidate's own words for the figure: the number words just before its unit word,
/// verbatim ("about half a billion tokens" -> "half a billion tokens").
fn quote_of(sentence: &str, unit: &str) -> Option<String> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    // Trimmed at the ends only: "1.5" keeps its point, "tokens." loses the full stop.
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let first_unit_word = unit.split_whitespace().next().unwrap_or(unit);
    let at = words.iter().position(|w| {
        let b = bare(w);
        b == first_unit_word || b.ends_with(&format!("-{first_unit_word}"))
    })?;
    let numberish = |w: &str| {
        let b = bare(w);
        b.chars().any(|c| c.is_ascii_digit())
            || in_digits(&b).chars().any(|c| c.is_ascii_digit())
            || matches!(b.as_str(), "a" | "an" | "and" | "half" | "point")
    };
    let mut start = at;
    while start > 0 && at - start < 6 && numberish(words[start - 1]) {
        start -= 1;
    }
    // Articles alone are not a number: "a page" has none.
    while start < at && matches!(bare(words[start]).as_str(), "a" | "an" | "and") {
        start += 1;
    }
    if start == at {
        return None;
    }
    let unit_words = unit.split_whitespace().count();
    let end = (at + unit_words).min(words.len());
    Some(
        words[start..end]
            .join(" ")
            .trim_end_matches([',', '.', ';', ':', '?', '!'])
            .to_string(),
    )
}

/// Whether `word` is in `text` other than denied ("we don't need to quantise" is not
/// quantising).
fn said_not_denied(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = &text[text[..at]
            .char_indices()
            .rev()
            .nth(40)
            .map_or(0, |(i, _)| i)..at];
        !before
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .any(|w| matches!(w, "no" | "not" | "never" | "without" | "nor") || w.ends_with("n't"))
    })
}

/// The check's verdict on one stretch of talk: the stated figure's quote when it is out of
/// range, or `None`.
fn out_of_range(check: &SizingCheck, window: &str, sentence: &str) -> Option<String> {
    let lower = window.to_lowercase();
    if check.unless.iter().any(|u| said_not_denied(&lower, u)) {
        return None;
    }
    let sentence_digits = in_digits(sentence);
    let window_digits = in_digits(window);
    let stated = quantities(&sentence_digits, &check.total);
    let stated = stated.last().filter(|q| !q.per_item)?;
    let mut expected = check.times;
    let mut counts = Vec::new();
    for factor in &check.of {
        // The largest count said is the whole ("fifty thousand documents at twelve pages is
        // six hundred thousand pages": the pages are 600,000, not twelve).
        let count = quantities(&window_digits, factor)
            .iter()
            .filter(|q| !q.per_item)
            .map(|q| q.value)
            .reduce(f64::max)?;
        counts.push(count);
        expected *= count;
    }
    // Where a total is always more than the count it follows from (tokens and pages), a
    // figure below the count is the size of one item ("500 tokens" of a chunk beside "10,000
    // pages"), not a total.
    let total_exceeds_count = check.times * check.range[0] >= 1.0;
    if expected <= 0.0 || (total_exceeds_count && counts.first().is_some_and(|&c| stated.value < c))
    {
        return None;
    }
    let ratio = stated.value / expected;
    let [low, high] = check.range;
    if (low..=high).contains(&ratio) {
        return None;
    }
    tracing::debug!(check = %check.id, ratio, "sizing figure out of range");
    quote_of(sentence, &stated.unit)
}

/// Every sizing check of `rubric` a sentence of `segments` fails, once each (its first
/// telling), as red-flag hits. A figure may follow from quantities said in the sentence before.
pub fn find_sizing_errors(rubric: &Rubric, segments: &[Segment]) -> Vec<RedFlagHit> {
    let said = sentences(segments);
    let unsure = UnsureWords::new(segments, &rubric.misheard);
    let mut out: Vec<RedFlagHit> = Vec::new();
    for (i, s) in said.iter().enumerate() {
        if s.to_grader {
            continue;
        }
        let window = match i.checked_sub(1).map(|j| &said[j]) {
            Some(before) if !before.to_grader => format!("{} {}", before.text, s.text),
            _ => s.text.to_string(),
        };
        for check in &rubric.sizing {
            if out.iter().any(|h| h.id == check.id) {
                continue;
            }
            // A figure heard through a word whisper was unsure of may never have been said.
            if let Some(quote) =
                out_of_range(check, &window, s.text).filter(|q| !unsure.in_fragment_at(s.t0, q))
            {
                let kind = FlagKind {
                    id: &check.id,
                    claim: &check.claim,
                    dimensions: &check.dimensions,
                    cap: check.cap,
                    challenge: &check.challenge,
                };
                out.push(RedFlagHit::heard(kind, s, &quote));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_segments::{doc_qa_rubric as rubric, segs};

    fn ids(text: &[&str]) -> Vec<String> {
        find_sizing_errors(&rubric(), &segs(text))
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    #[test]
    fn spoken_numbers_become_digits_with_their_multipliers() {
        assert_eq!(
            in_digits("about half a billion tokens"),
            "about 500000000 tokens"
        );
        assert_eq!(in_digits("a million and a half chunks"), "1500000 chunks");
        assert_eq!(in_digits("1.5 million chunks"), "1500000 chunks");
        assert_eq!(in_digits("20M vectors"), "20000000 vectors");
        assert_eq!(
            in_digits("at seven sixty eight dimensions"),
            "at 768 dimensions"
        );
        assert_eq!(
            in_digits("ten thousand queries per second"),
            "10000 queries per sec"
        );
    }

    #[test]
    fn quantities_are_read_with_their_units() {
        let bytes = quantities(
            &in_digits("around six hundred megabytes"),
            &["bytes".into()],
        );
        assert_eq!(bytes[0].value, 6e8);
        let pages = quantities(&in_digits("10,000 big manual pages"), &["pages".into()]);
        assert_eq!(pages[0].value, 1e4);
        assert!(quantities(&in_digits("10 of the pages"), &["tokens".into()]).is_empty());
    }

    #[test]
    fn inflated_sizing_is_challenged_with_the_candidate_s_words() {
        let hits = find_sizing_errors(
            &rubric(),
            &segs(&["Ten thousand pages, and these are big manuals, so I'd say that's about half a billion tokens of text."]),
        );
        let hit = hits.iter().find(|h| h.id == "tokens-per-page").unwrap();
        assert!(
            hit.challenge.contains("\"half a billion tokens\""),
            "{}",
            hit.challenge
        );
        assert_eq!(
            ids(&["Twenty million listings, 768 dimensions, that's around six hundred megabytes in float32, so it fits on one box."]),
            ["vector-index-size"]
        );
        assert_eq!(
            ids(&["Twenty million listings, 768 dimensions, that's around six hundred megabytes, so we don't need to shard or quantise at all."]),
            ["vector-index-size"]
        );
    }

    #[test]
    fn a_count_said_twice_is_its_largest_telling_and_a_rate_is_no_total() {
        assert!(ids(&["Fifty thousand documents at twelve pages is six hundred thousand pages; at about five hundred tokens a page that's three hundred million tokens."]).is_empty());
        assert!(ids(&[
            "That's six hundred thousand pages, so three hundred million tokens.",
            "The limit is a million tokens a minute, so that's three hundred minutes."
        ])
        .is_empty());
    }

    #[test]
    fn sound_sizing_passes() {
        for sound in [
            "Ten thousand pages at about five hundred tokens a page is five million tokens.",
            "Twenty million listings at 768 dimensions in float32 is about sixty gigabytes, so we shard.",
            "twenty million vectors at seven sixty eight dimensions in flow thirty two is about sixty gigabytes before graph overhead",
            "four hundred million chunks at ten twenty four dimensions in float thirty two is about one point six terabytes of raw vectors",
            "We have 10,000 pages. That is roughly 6 million tokens, so about twelve thousand chunks.",
            "Ten million vectors of 768 dimensions, with product quantisation that is about 300 megabytes.",
            "Ten million requests a day is about 120 queries per second on average, maybe 500 at peak.",
            "We expect 50 users and 200 pages.",
            "Ten thousand pages, five hundred tokens with fifty tokens of overlap.",
            "Ten thousand pages. We split them into chunks of 800 tokens each.",
            "Twenty million listings, 768 dimensions, that's about 600 megabytes once we quantise to one bit.",
        ] {
            assert!(ids(&[sound]).is_empty(), "{sound}: {:?}", ids(&[sound]));
        }
    }

    #[test]
    fn a_figure_whisper_was_unsure_of_is_not_challenged() {
        let text = "Ten thousand pages is about half a billion tokens.";
        let mut s = segs(&[text]);
        s[0].words = text
            .split(' ')
            .map(|w| rehearse_core::Word {
                t0: 0.0,
                t1: 0.1,
                text: w.to_string(),
                p: Some(if w == "billion" { 0.2 } else { 0.95 }),
            })
            .collect();
        assert!(find_sizing_errors(&rubric(), &s).is_empty());
        assert_eq!(ids(&[text]), ["tokens-per-page"]);
    }

    #[test]
    fn rates_that_do_not_follow_are_caught() {
        assert_eq!(
            ids(&["We get ten million requests a day, so about ten thousand queries per second."]),
            ["daily-to-per-second"]
        );
    }
}
