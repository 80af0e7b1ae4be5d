//! Rambling: an answer that keeps restarting. The rubric's communication anchor 1 is "some
//! structure, frequent restarts"; signposts said along the way ("first", "then") do not lift
//! an answer above it when the speaker keeps losing the thread ("wait, where was I", "sorry,
//! I'm jumping around", "actually no"). Such an answer has its communication capped at 1, and
//! the interviewer's next question asks for the design in a few sentences, as an interviewer
//! stops a candidate who wanders.
//!
//! Self-repairs are phrases, matched per sentence, that only a speaker correcting or losing
//! their own course says; fillers ("um", "you know") alone do not make an answer ramble, since
//! many clear speakers use them, but they make two restarts enough.

use crate::analytics::pace_and_filler_rate;
use crate::sentences::{sentences, word_count};
use regex::Regex;
use rehearse_core::{Evidence, Segment};
use std::sync::OnceLock;

/// At least this many self-repairs make an answer ramble on their own.
const REPAIRS_ALONE: usize = 3;
/// Two self-repairs do when fillers are frequent too (per 100 words).
const REPAIRS_WITH_FILLERS: usize = 2;
const FILLERS_PER_100_WORDS: f64 = 2.5;
/// Below this many words there is too little to call an answer rambling.
const MIN_WORDS: usize = 100;

/// The phrases of a speaker correcting or losing their own course (lower case).
const SELF_REPAIRS: &[&str] = &[
    r"\bactually,? (?:no|wait)\b",
    r"\bwell,? actually\b",
    r"(?:^|[.!?,;]\s*)wait(?:[,.!]| (?:no|i|let|actually|sorry)\b)",
    r"\bhang on\b",
    r"\bwhere (?:was|were) (?:i|we)\b",
    r"\bwhat was i (?:saying|on about)\b",
    r"\bsorry,? (?:i'm|i am|where|before|back|let me|i mean|i forgot|i skipped|going back)\b",
    r"\blet me (?:back up|go back|start (?:again|over)|rewind)\b",
    r"\bor rather\b",
    r"\bscratch that\b",
    r"\bnever ?mind\b",
    r"(?:^|[.!?]\s*)anyway\b",
    r"(?:^|[.!?,]\s*)oh,? (?:and|right|also|wait)\b",
    r"\bi (?:forgot|skipped|missed) (?:to (?:say|mention)|the|a|that|about)\b",
    r"\b(?:jumping|jumped|jump) around\b",
    r"\bhold on\b",
    r"\b(?:let me|i'll|i will|i'd|i said i'd) come back to\b",
    r"\blet me start at the (?:start|beginning)\b",
    r",\s*sorry,\s",
    r"\bin (?:a |an )?(?:slightly |bit of an? |really )?(?:odd|weird|strange|funny|random|wrong) order\b",
    r"\bno, no\b",
    r"\bthat's not right\b",
];

fn self_repair_patterns() -> &'static [Regex] {
    static PATTERNS: OnceLock<Vec<Regex>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        SELF_REPAIRS
            .iter()
            // Safe: constant patterns, all compiled by the first call in the unit tests below.
            .map(|p| Regex::new(p).expect("valid constant regex"))
            .collect()
    })
}

/// How an answer that rambles was heard to ramble: the sentences that restarted, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Rambling {
    pub self_repairs: Vec<Evidence>,
}

/// The answer's self-repairs when they are frequent enough to call it rambling.
pub fn rambling(segments: &[Segment]) -> Option<Rambling> {
    if word_count(segments) < MIN_WORDS {
        return None;
    }
    let mut self_repairs = Vec::new();
    let mut count = 0usize;
    for sentence in sentences(segments) {
        let lower = sentence.text.trim().to_lowercase();
        let hits: usize = self_repair_patterns()
            .iter()
            .map(|p| p.find_iter(&lower).count())
            .sum();
        if hits > 0 {
            count += hits;
            self_repairs.push(Evidence {
                quote: sentence.text.trim().to_string(),
                t0: sentence.t0,
            });
        }
    }
    let rambles = count >= REPAIRS_ALONE
        || (count >= REPAIRS_WITH_FILLERS
            && pace_and_filler_rate(segments).1 >= FILLERS_PER_100_WORDS);
    rambles.then_some(Rambling { self_repairs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_segments::segs;

    fn padded(lines: &[&str]) -> Vec<Segment> {
        let filler = "The service stores each document with its owner and the time it was added, \
                      and a worker reads new documents from a queue and indexes them for search.";
        let mut all: Vec<&str> = lines.to_vec();
        all.extend([filler; 4]);
        segs(&all)
    }

    #[test]
    fn an_answer_that_keeps_losing_its_thread_rambles() {
        let r = rambling(&padded(&[
            "So the index, actually no, wait, first the users.",
            "Where was I. Right, the cache.",
            "Sorry, I'm jumping around, the queue comes before that.",
        ]))
        .expect("three restarts ramble");
        assert_eq!(r.self_repairs.len(), 3, "{r:?}");
        assert!(r.self_repairs[1].quote.starts_with("Where was I"));
    }

    #[test]
    fn restarts_said_in_other_words_count_too() {
        let r = rambling(&padded(&[
            "Violations are rare, hold on, let me come back to that.",
            "Which means, sorry, which means the checks are automatic.",
            "I think I've said things in a weird order, I jumped around a bit.",
        ]))
        .expect("restarts in other words ramble");
        assert_eq!(r.self_repairs.len(), 3, "{r:?}");
    }

    #[test]
    fn a_structured_answer_with_fillers_and_one_correction_does_not() {
        assert_eq!(
            rambling(&padded(&[
                "First, um, the requirements: five hundred users, you know, in one region.",
                "Then the index, or rather two indexes, one per language.",
                "Next, the cache. Wait times stay under a second.",
            ])),
            None
        );
    }

    #[test]
    fn a_short_answer_is_too_short_to_judge() {
        assert_eq!(
            rambling(&segs(&[
                "Wait, where was I. Actually no. Sorry, I'm jumping around."
            ])),
            None
        );
    }
}
