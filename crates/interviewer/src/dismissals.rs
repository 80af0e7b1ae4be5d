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

fn need_waved_away_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Safe: a constant pattern exercised by the unit tests below.
        Regex::new(concat!(
            r"(?i)\b(?:",
            // A need waved away: "there's no need for a hold step", "we don't need to retrain",
            // "the name doesn't have to match".
            r"no\s+need\s+(?:for|to)",
            r"|(?:we|you|they|it|i)\s+(?:don't|do\s+not|won't|will\s+not)\s+(?:even\s+|really\s+)?need",
            r"|(?:doesn't|does\s+not|don't|do\s+not)\s+(?:need|have)\s+to",
            // A risk declared away: "isn't an issue", "won't matter", "never loses data",
            // "can't invent anything", "always accurate", "essentially solved", "word-perfect".
            r"|(?:isn't|is\s+not|aren't|are\s+not|won't\s+be)\s+(?:really\s+)?(?:an?\s+)?(?:issue|problem|concern)",
            r"|(?:won't|will\s+not)\s+matter",
            r"|can(?:'t|not)\s+(?:invent|go\s+wrong|hallucinate|make\s+(?:a\s+)?mistakes?|get\s+(?:it\s+)?wrong)",
            r"|never\s+(?:fails?|goes\s+down|loses|drops|makes?\s+mistakes|hallucinates?|gets?\s+(?:it\s+)?wrong)",
            r"|always\s+(?:be\s+)?(?:accurate|correct|right|reliable)",
            r"|(?:essentially|basically|largely)\s+solved|a\s+solved\s+problem",
            r"|word-perfect|perfectly\s+accurate|flawless|error-free",
            r")\b",
        ))
        .expect("valid constant regex")
    })
}

/// A condition or a scope in a clause: "unless", "until we pass ten million", "for now".
fn hedge_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Safe: a constant pattern exercised by the unit tests below.
        Regex::new(concat!(
            r"(?i)\b(?:unless|if|as\s+long\s+as|provided|only\s+when|until|for\s+now|yet",
            r"|at\s+this\s+scale|at\s+first|initially|mostly|usually)\b"
        ))
        .expect("valid constant regex")
    })
}

/// A clause that opens with a condition governs the clause after it: "if the cache is warm,
/// we don't need the second call".
fn opening_condition_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Safe: a constant pattern exercised by the unit tests below.
        Regex::new(r"(?i)^\s*(?:and\s+|but\s+|so\s+)?(?:if|unless|until|as\s+long\s+as|provided|once|when)\b")
            .expect("valid constant regex")
    })
}

/// Where `sentence` waves a need or a risk away with no condition ("there's no need for a
/// hold step", "Redis never loses data", "the titles will always be accurate"): the byte range
/// of the words that do it. One such sentence may be a fair scoping call ("for digital PDFs
/// you don't need OCR"); a design that does it twice, or beside a misconception, rests on
/// assumptions it has not checked (see `red_flags::hear_red_flags`). A condition or scope in
/// the same clause, or a clause opening with one just before, makes it a judgement call.
pub(crate) fn need_waved_away(sentence: &str) -> Option<(usize, usize)> {
    let text = sentence.replace('\u{2019}', "'");
    // Clause by clause: "..., so if the agent gets it wrong, we cancel" conditions the
    // cancelling, not the need waved away before it.
    let mut previous: Option<&str> = None;
    for clause in text.split_inclusive([',', ';', ':', '\u{2014}']) {
        let found = need_waved_away_re()
            .find(clause)
            .or_else(|| dismissal_re().find(clause));
        if let Some(m) = found {
            let conditioned = hedge_re().is_match(clause)
                || previous.is_some_and(|p| opening_condition_re().is_match(p));
            if !conditioned {
                // `text` has straight apostrophes where `sentence` may have curly ones.
                return locate(sentence, m.as_str());
            }
        }
        previous = Some(clause);
    }
    None
}

/// The byte range of `words` in `sentence`, apostrophes either straight or curly.
fn locate(sentence: &str, words: &str) -> Option<(usize, usize)> {
    if let Some(i) = sentence.find(words) {
        return Some((i, i + words.len()));
    }
    let curly = words.replace('\'', "\u{2019}");
    sentence.find(&curly).map(|i| (i, i + curly.len()))
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
    #[test]
    fn a_need_or_risk_waved_away_is_found_with_its_words() {
        for (s, words) in [
            ("A fare is the price for the day, so there's no need for a hold step.", "no need for"),
            ("When new variants come in we don't need to retrain.", "we don't need"),
            ("The name on a ticket doesn't have to match the passport exactly.", "doesn't have to"),
            ("Redis never loses data.", "never loses"),
            ("The model only sees the transcript, so it can't invent anything.", "can't invent"),
            ("Speech recognition is essentially solved.", "essentially solved"),
            ("Latency isn\u{2019}t really a concern either.", "isn\u{2019}t really a concern"),
            ("Employees don't need to confirm, because there's no real downside, so if it gets it wrong, we cancel.", "don't need to"),
        ] {
            let (a, b) = need_waved_away(s).unwrap_or_else(|| panic!("not heard: {s}"));
            assert_eq!(&s[a..b], words, "{s}");
        }
    }

    #[test]
    fn a_scoped_or_conditional_need_is_a_judgement_call() {
        for s in [
            "We don't need sharding until we pass ten million documents.",
            "For now we don't need a reranker.",
            "If recall at twenty is above ninety percent, we don't need the reranker.",
            "Unless the volume grows, we don't need a queue.",
            "At this scale we don't need a vector database.",
            "We need a hold step before booking.",
            "The picker has to confirm the check digits.",
        ] {
            assert!(need_waved_away(s).is_none(), "{s}");
        }
    }
}
