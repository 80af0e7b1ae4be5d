//! Decisions said as a weighing: the options compared first, the conclusion after "so".
//!
//! "A large model handles multi-step requests better, but its first token takes a second, so
//! the small model is the default"; "We could fine-tune, but retrieval is cheaper to update,
//! so I'd go with retrieval". People weigh options this way far more often than they say
//! "X over Y". The option weighed first is the alternative, the clause after "but" (or
//! "whereas", "while") is what it costs, and what follows "so" is the choice.

use regex::Regex;
use std::sync::OnceLock;

fn re(pattern: &str) -> Regex {
    // Safe: only called with the constant patterns below, all exercised by the unit tests.
    Regex::new(pattern).expect("valid constant regex")
}

/// The contrast that weighs one option against another; group `cost` is its clause up to the
/// conclusion.
fn contrast_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        re(r"(?i)(?:,\s*|\s)(?P<cost>(?:but|whereas|while)\s[^.?!]*?),?\s+(?:so|therefore|which is why|that's why|that is why)\s")
    })
}

/// The first option, at the start of the weighed clause: "we could X," or a subject before
/// what it does ("a bigger model is ...", "streaming makes ...").
fn first_option_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        re(r"(?i)^\W*(?:(?:and|so|well|okay|then)\s+)?(?:(?:we|i|you)\s+(?:could|can|might)\s+(?:also\s+)?(?:use\s+|go with\s+|pick\s+|do\s+|try\s+)?(?P<could>[\w'-]+(?:\s+[\w'-]+){0,4}?)\s*(?:,|$)|(?P<subject>[\w'-]+(?:\s+[\w'-]+){0,4}?)\s+(?:is|are|would|could|will|can|handles?|gives?|makes?|feels?|costs?|adds?|takes?|needs?|has|have|works?|runs?|keeps?|cuts?|improves?|scales?|wins?|means?|buys?)\b)")
    })
}

/// "so the small model is the default", "so hybrid search wins": a choice without a verb of
/// choosing; group `choice`.
fn default_choice_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        re(r"(?i)\s(?:so|therefore)\s+(?:(?:the|a|an)\s+)?(?P<choice>[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+(?:is|stays|remains|becomes|wins)\s+(?:(?:the|our|my)\s+)?(?:default|winner|choice|better choice|right choice)\b")
    })
}

/// Words that open a clause but name no option.
const NOT_OPTIONS: &[&str] = &[
    "it",
    "that",
    "this",
    "there",
    "which",
    "the trade-off",
    "the tradeoff",
    "one",
    "both",
    "they",
];

/// A weighing in `text` before byte `before`: the option weighed first (verbatim) and what
/// the contrast says it costs (verbatim), when the sentence has both.
pub(crate) fn weighed_before(text: &str, before: usize) -> Option<(String, String)> {
    let m = contrast_re()
        .captures(text)
        .filter(|c| c.get(0).is_some_and(|m| m.end() <= before + 1))?;
    let contrast = m.get(0)?;
    // The weighed clause starts after the last colon or semicolon before the contrast.
    let clause_start = text[..contrast.start()]
        .rfind([':', ';'])
        .map_or(0, |i| i + 1);
    let clause = &text[clause_start..contrast.start()];
    let caps = first_option_re().captures(clause)?;
    let option = caps
        .name("could")
        .or_else(|| caps.name("subject"))?
        .as_str();
    let lowered = option.to_lowercase();
    if NOT_OPTIONS.contains(&lowered.as_str()) {
        return None;
    }
    let cost = m.name("cost")?.as_str().trim().trim_end_matches(',');
    Some((option.to_string(), cost.to_string()))
}

/// A choice named as the outcome of a weighing ("..., so the small model is the default"):
/// its byte range in `text`.
pub(crate) fn default_choice(text: &str) -> Option<(usize, usize)> {
    let m = default_choice_re().captures(text)?.name("choice")?;
    weighed_before(text, m.start())?;
    Some((m.start(), m.end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weighed(text: &str) -> Option<(String, String)> {
        weighed_before(text, text.len())
    }

    #[test]
    fn the_first_option_and_its_cost_are_read_verbatim() {
        assert_eq!(
            weighed("A large model handles tool use better, but its first token takes a second, so the small model is the default."),
            Some(("A large model".into(), "but its first token takes a second".into()))
        );
        assert_eq!(
            weighed(
                "We could fine-tune, but retrieval is cheaper to update, so I'd go with retrieval."
            ),
            Some((
                "fine-tune".into(),
                "but retrieval is cheaper to update".into()
            ))
        );
        assert_eq!(
            weighed("The trade-off is latency versus accuracy: a bigger model is more accurate but slower, so I keep the small one."),
            Some(("a bigger model".into(), "but slower".into()))
        );
    }

    #[test]
    fn a_contrast_without_a_conclusion_or_an_option_weighs_nothing() {
        assert_eq!(weighed("The cache is fast, but it can be stale."), None);
        assert_eq!(weighed("It is fast, but costly, so we watch it."), None);
        assert_eq!(weighed("We store chunks so the search is fast."), None);
    }

    #[test]
    fn a_default_choice_needs_a_weighing_before_it() {
        let text = "A large model is better at tools, but slow, so the small model is the default.";
        let (a, b) = default_choice(text).unwrap();
        assert_eq!(&text[a..b], "small model");
        assert_eq!(
            default_choice("We ship fast, so the small model is the default."),
            None
        );
    }
}
