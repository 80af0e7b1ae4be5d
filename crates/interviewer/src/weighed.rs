//! Decisions said as a weighing: the options compared first, the conclusion after "so".
//!
//! "A large model handles multi-step requests better, but its first token takes a second, so
//! the small model is the default"; "We could fine-tune, but retrieval is cheaper to update,
//! so I'd go with retrieval". People weigh options this way far more often than they say
//! "X over Y". The option weighed first is the alternative, the clause after "but" (or
//! "whereas", "while") is what it costs, and what follows "so" is the choice.

use crate::tradeoffs::re;
use regex::Regex;
use std::sync::OnceLock;

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
        re(r"(?i)^\W*(?:(?:and|so|well|okay|then)\s+)?(?:(?:we|i|you)\s+(?:could|can|might)\s+(?:also\s+)?(?:use\s+|go with\s+|pick\s+|do\s+|try\s+)?(?P<could>[\w'-]+(?:\s+[\w'-]+){0,4}?)\s*(?:,|$)|(?P<subject>[\w'-]+(?:\s+[\w'-]+){0,6}?)\s+(?:is|are|would|could|will|can|handles?|gives?|makes?|feels?|costs?|adds?|takes?|needs?|has|have|works?|runs?|keeps?|cuts?|improves?|scales?|wins?|means?|buys?)\b)")
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

/// "..., so I'd combine voice activity with a small model": a conclusion said with any verb
/// of doing; the group `rest` starts the choice.
fn doing_conclusion_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        re(r"(?i)^\s*(?:i|we)(?:['’]d|['’]ll| would| will)\s+(?:just\s+|probably\s+|rather\s+)?[a-z]+\s+(?P<rest>\S)")
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

/// Options weighed in a sentence: the one weighed first and what the contrast says it costs
/// (both verbatim), and where the conclusion after "so" begins.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Weighing {
    pub option: String,
    pub cost: String,
    /// Byte offset in the sentence just after "so" (or "therefore", ...).
    pub conclusion_at: usize,
}

/// The weighing in `text`, when the sentence has both an option and a conclusion.
pub(crate) fn weighing_in(text: &str) -> Option<Weighing> {
    let m = contrast_re().captures(text)?;
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
    if NOT_OPTIONS.contains(&option.to_lowercase().as_str()) {
        return None;
    }
    let cost = m.name("cost")?.as_str().trim().trim_end_matches(',');
    Some(Weighing {
        option: option.to_string(),
        cost: cost.to_string(),
        conclusion_at: contrast.end(),
    })
}

impl Weighing {
    /// Whether it comes before byte `at` (a choice it can be the alternative of).
    pub(crate) fn before(&self, at: usize) -> bool {
        self.conclusion_at <= at + 1
    }

    /// Where the choice starts when the conclusion is something they would do ("so I'd
    /// combine ..."): a byte offset in `text`.
    pub(crate) fn doing_choice_at(&self, text: &str) -> Option<usize> {
        let rest = text.get(self.conclusion_at..)?;
        let m = doing_conclusion_re().captures(rest)?.name("rest")?;
        Some(self.conclusion_at + m.start())
    }

    /// The choice its conclusion names without a verb of choosing ("..., so the small model
    /// is the default"): its byte range in `text`.
    pub(crate) fn default_choice(&self, text: &str) -> Option<(usize, usize)> {
        let m = default_choice_re().captures(text)?.name("choice")?;
        self.before(m.start()).then_some((m.start(), m.end()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weighed(text: &str) -> Option<(String, String)> {
        weighing_in(text).map(|w| (w.option, w.cost))
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
        let (a, b) = weighing_in(text).unwrap().default_choice(text).unwrap();
        assert_eq!(&text[a..b], "small model");
        assert_eq!(
            weighing_in("We ship fast, so the small model is the default."),
            None
        );
    }
}
