//! An extractive summary of older transcript, for prompts that cannot hold all of it: per
//! minute, the candidate's own sentences that carry the most (numbers, decisions, reasons,
//! failure modes, measurements), verbatim, so that a quote taken from the summary is still a
//! quote from the transcript. Computed offline, deterministic, no model involved.

use crate::sentences::sentences;
use rehearse_core::Segment;

/// One stretch of the summary (a minute, or several): the sentences kept, in spoken order.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryPart {
    /// Minutes from the session's start: the stretch is [from_min, to_min).
    pub from_min: u32,
    pub to_min: u32,
    pub sentences: Vec<String>,
}

/// Words that mark a claim or a decision worth keeping.
const DECISION_WORDS: [&str; 24] = [
    "because",
    "instead",
    "rather",
    "chose",
    "choose",
    "pick",
    "picked",
    "trade",
    "tradeoff",
    "versus",
    "vs",
    "cost",
    "latency",
    "fail",
    "fails",
    "fallback",
    "fall",
    "measure",
    "monitor",
    "evaluate",
    "cache",
    "scale",
    "users",
    "requirement",
];

/// Longest sentence kept, in characters (a run-on transcript line is cut at a word).
const MAX_SENTENCE_CHARS: usize = 220;

fn sentence_weight(text: &str) -> u32 {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 4 {
        return 0;
    }
    let mut weight = 1;
    if text.chars().any(|c| c.is_ascii_digit()) {
        weight += 3;
    }
    weight += 2 * words
        .iter()
        .filter(|w| {
            DECISION_WORDS
                .iter()
                .any(|d| w.strip_prefix(d).is_some_and(|rest| rest.len() <= 3))
        })
        .count()
        .min(3) as u32;
    weight
}

fn cut(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= MAX_SENTENCE_CHARS {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > MAX_SENTENCE_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A sentence that may be kept: its index in the transcript, its weight, its text.
type Candidate = (usize, u32, String);

/// Up to `per_part` sentences for each stretch of `minutes_per_part` minutes of `segments`,
/// the weightiest chosen, then put back in spoken order. A sentence already kept earlier is
/// not kept again; stretches with nothing worth keeping are left out.
pub fn extractive_summary(
    segments: &[Segment],
    minutes_per_part: u32,
    per_part: usize,
) -> Vec<SummaryPart> {
    let span = minutes_per_part.max(1);
    // (stretch index, [(sentence index, weight, text)])
    let mut parts: Vec<(u32, Vec<Candidate>)> = Vec::new();
    for (i, s) in sentences(segments).into_iter().enumerate() {
        let part = (s.t0.max(0.0) / 60.0).floor() as u32 / span;
        let weight = sentence_weight(s.text);
        if weight == 0 {
            continue;
        }
        match parts.last_mut() {
            Some((p, list)) if *p == part => list.push((i, weight, cut(s.text))),
            _ => parts.push((part, vec![(i, weight, cut(s.text))])),
        }
    }
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    parts
        .into_iter()
        .filter_map(|(part, mut list)| {
            list.retain(|e| !seen.contains(&e.2));
            // Weightiest first; among equals, the earlier sentence.
            list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut chosen: Vec<(usize, String)> = Vec::new();
            for (i, _, text) in list {
                if chosen.len() == per_part {
                    break;
                }
                if !chosen.iter().any(|c| c.1 == text) {
                    chosen.push((i, text));
                }
            }
            chosen.sort_by_key(|c| c.0);
            let sentences: Vec<String> = chosen.into_iter().map(|c| c.1).collect();
            seen.extend(sentences.iter().cloned());
            (!sentences.is_empty()).then(|| SummaryPart {
                from_min: part * span,
                to_min: (part + 1) * span,
                sentences,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_segments::seg;

    #[test]
    fn keeps_numbers_and_decisions_per_minute_in_order() {
        let segs = vec![
            seg(0.0, "So, um, let me think about this for a second."),
            seg(10.0, "We expect about 500 queries per second at peak."),
            seg(
                20.0,
                "I chose a hosted model because latency matters more than cost.",
            ),
            seg(
                30.0,
                "And then there is the other part of it, you know, the thing.",
            ),
            seg(70.0, "Okay."),
            seg(
                80.0,
                "If the vector store fails we fall back to keyword search.",
            ),
        ];
        let s = extractive_summary(&segs, 1, 2);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].from_min, s[0].to_min), (0, 1));
        assert_eq!(
            s[0].sentences,
            vec![
                "We expect about 500 queries per second at peak.",
                "I chose a hosted model because latency matters more than cost."
            ]
        );
        assert_eq!(s[1].from_min, 1);
        assert_eq!(
            s[1].sentences,
            vec!["If the vector store fails we fall back to keyword search."]
        );
        // Five-minute stretches, one sentence each; a sentence said again is kept once.
        let mut again = segs.clone();
        again.push(seg(
            400.0,
            "I chose a hosted model because latency matters more than cost.",
        ));
        let s = extractive_summary(&again, 5, 1);
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].from_min, s[0].to_min), (0, 5));
        assert_eq!(s[0].sentences.len(), 1);
    }

    #[test]
    fn long_sentences_are_cut_at_a_word() {
        let long = format!("We cache {}", "results ".repeat(60));
        let s = extractive_summary(&[seg(0.0, &long)], 1, 1);
        let kept = &s[0].sentences[0];
        assert!(kept.chars().count() <= MAX_SENTENCE_CHARS);
        assert!(long.starts_with(kept.as_str()));
    }
}
