//! Decisions told as an option considered and then turned down: "I considered one long-context
//! call for the whole document. Simpler, but on a hundred and fifty pages every retry costs the
//! whole document again. Per-section wins." The option considered is the alternative; the
//! verdict a sentence or two later ("Per-section wins", "so I went with ...") is the choice.

use crate::not_contrast::first_words;
use crate::tradeoffs::re;
use regex::Regex;
use std::sync::OnceLock;

/// Most words kept for the option considered.
const MAX_WORDS: usize = 8;

/// "I considered X", "we looked at X", "I thought about X": group `alt` starts the option.
fn considered_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        re(r"(?i)\b(?:i|we)\s+(?:also\s+|did\s+)?(?:considered|consider|looked at|thought about|weighed|could have used|could have gone with)\s+(?P<alt>\S)")
    })
}

/// A verdict without a verb of choosing: "Per-section wins.", "Rules are the better choice
/// here."; group `choice`.
fn verdict_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        re(r"(?i)^\W*(?:(?:so|but|and|then|overall|still|in the end),?\s+)?(?P<choice>[\w'-]+(?:\s+[\w'-]+){0,4}?)\s+(?:wins|win|won|(?:is|are) the winners?|(?:is|are) better here|(?:is|are) the better (?:choice|option|fit|bet)|(?:is|are) the right (?:choice|call))\s*(?:[.!;,]|$|(?:here|overall|easily|clearly|by|for (?:us|me|this|now))\b)")
    })
}

/// Words that end the option considered.
fn option_end_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| re(r"(?i)[,;:.!?()]|\s(?:but|because|since|so|which|and then|instead)\b"))
}

/// The option `text` says was considered, verbatim, if it says one was.
pub(crate) fn considered_in(text: &str) -> Option<String> {
    let m = considered_re().captures(text)?.name("alt")?;
    let rest = &text[m.start()..];
    let end = option_end_re().find(rest).map_or(rest.len(), |e| e.start());
    // Verbatim, as said: the option is quoted back and checked against the transcript.
    let option = first_words(&rest[..end], MAX_WORDS)?;
    (!matches!(option.to_lowercase().as_str(), "it" | "that" | "this")).then(|| option.to_string())
}

/// The byte range in `text` of the choice a verdict names ("Per-section" in "Per-section
/// wins.").
pub(crate) fn verdict_in(text: &str) -> Option<(usize, usize)> {
    let m = verdict_re().captures(text)?.name("choice")?;
    let choice = m.as_str().to_lowercase();
    (!matches!(
        choice.as_str(),
        "it" | "that" | "this" | "which" | "nobody" | "everyone"
    ))
    .then_some((m.start(), m.end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_option_considered_and_the_verdict_are_read_verbatim() {
        assert_eq!(
            considered_in("I considered one long-context call for the whole document."),
            Some("one long-context call for the whole document".into())
        );
        assert_eq!(
            considered_in("We looked at fine-tuning, but the playbook changes monthly."),
            Some("fine-tuning".into())
        );
        let text = "Per-section wins.";
        let (a, b) = verdict_in(text).unwrap();
        assert_eq!(&text[a..b], "Per-section");
        let text = "So rules are the better choice here.";
        let (a, b) = verdict_in(text).unwrap();
        assert_eq!(&text[a..b], "rules");
    }

    #[test]
    fn plain_sentences_consider_and_decide_nothing() {
        assert_eq!(
            considered_in("The model considers the whole document."),
            None
        );
        assert_eq!(verdict_in("The customer wins a discount."), None);
        assert_eq!(verdict_in("It wins."), None);
    }
}
