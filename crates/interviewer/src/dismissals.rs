//! Sentences that wave a concern away ("latency isn't really a concern", "retrying has no
//! downside", "the cloud autoscales instantly", "models always follow their system prompt"):
//! a confident answer's way of covering a topic without designing for it. Such a sentence
//! names the topic, but it says the opposite of handling it, so it is no evidence for any
//! check. A red flag (`red_flags`) knows a specific misconception and caps its dimension; this
//! only keeps a dismissal from counting as coverage.

use regex::Regex;
use std::sync::OnceLock;

fn dismissal_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Safe: a constant pattern exercised by the unit tests below.
        Regex::new(concat!(
            r"(?i)\b(?:",
            // "... isn't really a concern / a problem / a risk"
            r"(?:is|are|was|were)(?:n't| not)\s+(?:really\s+|much\s+of\s+)?(?:a\s+|an\s+)?(?:concern|problem|issue|risk|worry)",
            r"|not\s+(?:really\s+)?(?:a\s+)?(?:concern|problem|risk|worry)\s+(?:here|for us|at all|either)",
            r"|(?:has|have|with)\s+no\s+(?:real\s+)?(?:downside|drawback|risk|cost)s?",
            r"|(?:is|are|'s)\s+(?:basically\s+|essentially\s+|practically\s+)?(?:free|trivial|easy)\s+(?:in terms of|because|since|so|,|\.)",
            r"|(?:finishes|answers|responds|scales|autoscales|runs|happens)\s+(?:just\s+as\s+fast|instantly|immediately)",
            r"|(?:always|reliably)\s+(?:follow|follows|obey|obeys|respect|respects)\s+(?:the\s+|their\s+|its\s+)?(?:system\s+prompt|instructions)",
            r"|never\s+(?:notices?|writes?\s+an?\s+invalid|makes?\s+(?:a\s+)?mistakes?|gets?\s+(?:it\s+)?wrong)",
            r"|exactly\s+the\s+same\s+(?:text|answer|output)",
            r"|(?:doesn't|does not|don't|do not)\s+(?:really\s+)?matter\b",
            // "... and the provider will handle it": the load or the failure handed to someone
            // else, unnamed.
            r"|(?:provider|vendor|cloud|platform|api|openai|anthropic|aws|kubernetes|autoscaler)\s+(?:will|would|'ll|can|should)\s+(?:just\s+|simply\s+)?(?:handle|absorb|take\s+care\s+of|deal\s+with)\s+(?:it|that|this|everything|all\s+of\s+(?:it|that)|the\s+(?:load|spikes?|traffic|rest))\b",
            r")",
        ))
        .expect("valid constant regex")
    })
}

/// Whether `sentence` waves a concern away instead of handling it; a condition ("unless",
/// "if") or a hedge makes it a judgement call, not a dismissal.
pub(crate) fn dismisses_a_concern(sentence: &str) -> bool {
    let text = sentence.replace('\u{2019}', "'");
    if !dismissal_re().is_match(&text) {
        return false;
    }
    let lower = format!(" {} ", text.to_lowercase());
    ![
        " unless ",
        " if ",
        " as long as ",
        " provided ",
        " only when ",
        " mostly ",
        " usually ",
    ]
    .iter()
    .any(|h| lower.contains(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_concern_waved_away_is_heard_as_one() {
        for s in [
            "Latency isn't really a concern either.",
            "Ambiguous questions aren't really a problem, the model picks the most likely one.",
            "LLM calls are idempotent and cheap, so retrying has no downside.",
            "That's free in terms of latency and cost.",
            "We don't need load testing, because the cloud autoscales instantly.",
            "Models always follow their system prompt, so injection is handled.",
            "The caller never notices.",
            "It produces exactly the same text.",
            "It doesn't matter what they say.",
            "We send all the cases in parallel at once, and the provider will handle it.",
        ] {
            assert!(dismisses_a_concern(s), "{s}");
        }
    }

    #[test]
    fn a_weighed_or_conditional_statement_is_not() {
        for s in [
            "Latency is a concern, so we stream the first token.",
            "The reranker adds 200 ms, which is not free, so we keep it only for long questions.",
            "Cost is not a concern unless traffic grows tenfold.",
            "If the cache is warm, the lookup is easy.",
            "We cap retries at two with backoff, because retrying has a cost.",
            "The tool enforces the limit, whatever the model says.",
            "The provider's SDK will handle retries with backoff, capped at two.",
        ] {
            assert!(!dismisses_a_concern(s), "{s}");
        }
    }
}
