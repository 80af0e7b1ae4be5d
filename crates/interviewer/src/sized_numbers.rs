//! Numbers that size something ("200 ms", "three times more vectors"): the grader, the
//! trade-off decisions and the claims quoted back all listen for them.

use regex::Regex;
use std::sync::OnceLock;

/// Number words as spoken and as whisper writes them: units, teens, tens, and tens joined to a
/// unit ("thirty-three", "forty five"). "Forty milliseconds" was no figure before forty was
/// here, and "thirty-three thousand hours" was quoted as "three thousand hours".
pub(crate) const SPOKEN_NUMBER: &str = r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine)\b)?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten)";

/// A number that sizes something: "three times more vectors", "200 ms", "20 percent".
pub(crate) fn sized_number_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let number = format!(r"(?:\d[\d,.]*|{SPOKEN_NUMBER}|a hundred|hundred|a thousand|thousand|a million|million|half)(?:\s(?:hundred|thousand|million|billion))*");
        let unit = r"(?:%|x\b|times|ms|milliseconds?|seconds?|minutes?|hours?|days?|tokens?|pages?|gb|mb|tb|gigabytes?|megabytes?|percent|users?|requests?|queries|qps|rps|dollars?|cents?|chunks?|documents?|vectors?|dimensions?|replicas?|servers?|nodes?|gpus?|calls?|employees|people|customers|questions|tickets|messages|conversations|rows|tables|tenants|words|languages|turns|examples|samples)";
        let compare = r"(?:\s(?:more|less|fewer|faster|slower|cheaper|larger|smaller|bigger|higher|lower)(?:\s[a-z]+)?)?";
        let rate = r"(?:\s(?:per|a)\s(?:second|minute|hour|day|month|query|question|request|user))?";
        // Or any counted thing at a rate: "thirty thousand chats a day".
        let counted_rate = r"\s[a-z]+s\s(?:a|per)\s(?:second|minute|hour|day|week|month|year)\b";
        // One of a unit, said as "a" after a word that makes it a quantity: "around a
        // second", "half a cent" ("a second model" is no figure).
        let about_one = r"(?:around|about|under|over|within|roughly|nearly|almost|half|than)\san?\s(?:millisecond|second|minute|hour|day|cent|dollar|penny)\b";
        // Safe: a constant pattern exercised by the unit tests below.
        Regex::new(&format!(
            r"(?i)(?:\b{number}[\s-]?{unit}\b{compare}{rate}|\b{number}{counted_rate}|\$\d[\d,.]*{rate}|\b{about_one})"
        ))
        .expect("valid constant regex")
    })
}

/// Below this many words an answer is too short to be missing its figures.
const FIGURES_EXPECTED_FROM_WORDS: usize = 80;

/// Whether an answer of some length gives no sized number at all: no load, latency, size or
/// cost anywhere (a medium answer's most common gap).
pub(crate) fn says_no_figures(segments: &[rehearse_core::Segment]) -> bool {
    crate::sentences::word_count(segments) >= FIGURES_EXPECTED_FROM_WORDS
        && !segments.iter().any(|s| sized_number_re().is_match(&s.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sized_numbers_need_a_unit() {
        let re = sized_number_re();
        for yes in [
            "200 ms",
            "three times more vectors",
            "20 percent",
            "3x",
            "$5 per day",
            "50 queries per second",
            "its first token takes around a second",
            "half a cent",
        ] {
            assert!(re.is_match(yes), "{yes}");
        }
        for no in ["version 2", "step one", "top five", "a second model"] {
            assert!(!re.is_match(no), "{no}");
        }
    }
}
