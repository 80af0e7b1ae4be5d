//! Products said aloud, checked the way a listener multiplies: "twenty thousand streams at
//! forty tokens a second is eight hundred tokens a second" gives its result in the rate's own
//! unit, so the result must be near the two figures' product (here 800,000, not 800). Only
//! that shape is checked: a result in another unit ("768 dimensions in float32 is six
//! gigabytes") hides a factor the sentence does not say.

use crate::red_flags::{FlagKind, RedFlagHit};
use crate::sentences::sentences;
use crate::sizing::{in_digits, number};
use crate::uncertain::UnsureWords;
use regex::Regex;
use rehearse_content::Rubric;
use rehearse_core::Segment;
use std::sync::OnceLock;

/// The id of the red flag a wrong product raises.
pub const PRODUCT_FLAG: &str = "product-arithmetic";

/// A result this far from the product either way is wrong, not rounded.
const OFF_BY: f64 = 5.0;

/// Words that hand over the result of the product.
const GIVES: &[&str] = &[
    "is", "that's", "thats", "gives", "comes", "works", "makes", "means", "equals",
];

/// `<count> <up to three words> at <figure> <unit> ... is <result> <unit>`, over a sentence
/// already in digits.
fn product_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let num = r"(\d[\d,]*(?:\.\d+)?)";
        let hedge = r"(?:about |roughly |around |maybe |like |only |just |some )?";
        // Safe: a constant pattern exercised by the unit tests below.
        Regex::new(&format!(
            r"{num} (?:[a-z-]+ ){{1,3}}?at {hedge}{num} ([a-z]+)\b[^.;]{{0,60}}?\b(?:is|that's|thats|that is|gives|comes to|works out to|makes|means|equals) {hedge}{num} ([a-z]+)"
        ))
        .expect("valid constant regex")
    })
}

fn stem(unit: &str) -> &str {
    unit.strip_suffix('s').unwrap_or(unit)
}

/// The candidate's words from the sentence's start (at most 16 words) to the result's unit.
fn quote_of(sentence: &str, unit: &str) -> Option<String> {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
            .to_lowercase()
    };
    let at = words.iter().position(|w| bare(w) == "at")?;
    let gives = (at..words.len()).find(|&i| GIVES.contains(&bare(words[i]).as_str()))?;
    // The unit as the digits form has it ("seconds" is "sec" there).
    let end = (gives..words.len()).find(|&i| stem(&in_digits(&bare(words[i]))) == stem(unit))?;
    let start = (end + 1).saturating_sub(16);
    Some(
        words[start..=end]
            .join(" ")
            .trim_end_matches([',', '.', ';', ':'])
            .to_string(),
    )
}

/// The ratio of the stated result to the product, when `sentence` says a product in its
/// rate's unit.
fn stated_over_product(sentence: &str) -> Option<(f64, String)> {
    let digits = in_digits(sentence);
    let c = product_regex().captures(&digits)?;
    let (count, rate, result) = (number(&c[1])?, number(&c[2])?, number(&c[4])?);
    let (rate_unit, result_unit) = (&c[3], &c[5]);
    if stem(rate_unit) != stem(result_unit) || count * rate <= 0.0 {
        return None;
    }
    Some((result / (count * rate), result_unit.to_string()))
}

/// The first product said far from its figures' product, as a red flag (the rubric's
/// `[arithmetic]` entry gives its claim, caps and challenge).
pub(crate) fn find_product_errors(rubric: &Rubric, segments: &[Segment]) -> Option<RedFlagHit> {
    let check = rubric.arithmetic.as_ref()?;
    let unsure = UnsureWords::new(segments, &rubric.misheard);
    sentences(segments)
        .iter()
        .filter(|s| !s.to_grader)
        .find_map(|s| {
            let (ratio, unit) = stated_over_product(s.text)?;
            if (1.0 / OFF_BY..=OFF_BY).contains(&ratio) {
                return None;
            }
            let quote = quote_of(s.text, &unit)?;
            if unsure.in_fragment_at(s.t0, &quote) {
                return None;
            }
            tracing::debug!(ratio, "product said out of range");
            let kind = FlagKind {
                id: PRODUCT_FLAG,
                claim: &check.claim,
                dimensions: &check.dimensions,
                cap: check.cap,
                challenge: &check.challenge,
            };
            Some(RedFlagHit::heard(kind, s, &quote))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_segments::{doc_qa_rubric, segs};

    fn flagged(sentence: &str) -> Option<String> {
        find_product_errors(&doc_qa_rubric(), &segs(&[sentence])).map(|h| h.challenge)
    }

    #[test]
    fn a_product_off_by_orders_of_magnitude_is_challenged_in_the_candidate_s_words() {
        let challenge = flagged("Twenty thousand concurrent streams at forty tokens a second is eight hundred tokens a second, which is tiny.");
        assert!(
            challenge.as_deref().is_some_and(|c| c.contains(
                "\"Twenty thousand concurrent streams at forty tokens a second is eight hundred tokens\""
            )),
            "{challenge:?}"
        );
        assert!(flagged("So 300 requests at 2 seconds each is 6 seconds of work.").is_some());
    }

    #[test]
    fn sound_or_unchecked_products_pass() {
        for sound in [
            "Fifty thousand documents at twelve pages is six hundred thousand pages.",
            "Twenty thousand streams at forty tokens a second is about 800,000 tokens a second.",
            "Twenty million vectors at 768 dimensions in float32 is about sixty gigabytes.",
            "Five thousand meetings a day at forty minutes on average is about thirty-three hundred hours.",
            "We run at 40 tokens a second.",
        ] {
            assert_eq!(flagged(sound), None, "{sound}");
        }
    }
}
