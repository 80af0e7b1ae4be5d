//! Decisions said as "X, not Y": "regexes and known formats, not the model"; "scaled in
//! code, not by the model, because models are bad at arithmetic"; "a model in our own cloud
//! account, not a public API". In speech this is how people most often name the option they
//! turned down, far more than "X over Y": the words before the comma are the choice, the
//! words after "not" the alternative.
//!
//! What follows "not" must name an option: "not really", "not sure", "not ideal" or "not
//! because ..." turn nothing down.

use crate::tradeoffs::re;
use regex::Regex;
use std::sync::OnceLock;

/// Most words kept for either side: enough to name a thing.
const MAX_WORDS: usize = 6;

/// ", not " inside a sentence.
fn comma_not_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| re(r"(?i),\s+not\s+"))
}

/// Where the alternative ends.
fn alternative_end_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        re(r"(?i)[,;:.!?()]|\s(?:because|since|so|which|that way|but|and then|if|unless|when)\b")
    })
}

/// First words after "not" that say how, how much or whether, and name no option.
const NOT_OPTIONS: &[&str] = &[
    "only",
    "just",
    "sure",
    "really",
    "yet",
    "always",
    "necessarily",
    "exactly",
    "even",
    "much",
    "quite",
    "too",
    "so",
    "very",
    "at",
    "because",
    "since",
    "if",
    "when",
    "unless",
    "for",
    "all",
    "every",
    "ever",
    "once",
    "enough",
    "ideal",
    "great",
    "good",
    "bad",
    "perfect",
    "possible",
    "clear",
    "that",
    "this",
    "it",
    "to",
    "in",
    "a problem",
    "an",
    "one",
    "me",
    "us",
    "you",
    "them",
    "something",
    "anything",
    "everything",
    "nothing",
    "everyone",
    "everybody",
    "entirely",
    "fully",
    "completely",
    "necessary",
    "needed",
    "required",
    "worth",
];

/// Words at the start of the clause before ", not" that are not part of the choice.
const LEADING: &[&str] = &[
    "so", "and", "but", "then", "um", "uh", "like", "well", "okay", "ok", "that's", "that’s",
    "it's", "it’s", "this", "is", "that", "it", "just", "yeah", "also",
];

/// A choice and the option said to be turned down, verbatim; `end` is the byte offset in the
/// sentence just after the alternative.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NotContrast {
    pub choice: String,
    pub alternative: String,
    pub choice_at: usize,
    pub end: usize,
}

/// The first "X, not Y" in `text` whose Y names an option.
pub(crate) fn not_contrast_in(text: &str) -> Option<NotContrast> {
    comma_not_re().find_iter(text).find_map(|m| {
        let rest = &text[m.end()..];
        let alt_len = alternative_end_re()
            .find(rest)
            .map_or(rest.len(), |e| e.start());
        let alternative = first_words(&rest[..alt_len], MAX_WORDS)?;
        let lower = alternative.to_lowercase();
        let first = lower.split_whitespace().next().unwrap_or("");
        if NOT_OPTIONS.contains(&first) || NOT_OPTIONS.contains(&lower.as_str()) {
            return None;
        }
        let clause_start = text[..m.start()]
            .rfind([',', ';', ':'])
            .map_or(0, |i| i + 1);
        let (choice_at, choice) = last_words(&text[clause_start..m.start()], MAX_WORDS)?;
        Some(NotContrast {
            choice: choice.to_string(),
            alternative: alternative.to_string(),
            choice_at: clause_start + choice_at,
            end: m.end() + alt_len,
        })
    })
}

/// The first `n` words of `s`, trimmed of trailing punctuation; None when there is no word.
pub(crate) fn first_words(s: &str, n: usize) -> Option<&str> {
    let s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '"' || c == '“');
    let end = s
        .split_whitespace()
        .take(n)
        .last()
        .map(|w| w.as_ptr() as usize - s.as_ptr() as usize + w.len())?;
    let out = s[..end].trim_end_matches(|c: char| !c.is_alphanumeric() && c != '%');
    out.chars().any(char::is_alphanumeric).then_some(out)
}

/// The last `n` words of `s` after any leading filler, with their byte offset in `s`.
fn last_words(s: &str, n: usize) -> Option<(usize, &str)> {
    let words: Vec<&str> = s.split_whitespace().collect();
    let skip = words
        .iter()
        .position(|w| !LEADING.contains(&w.to_lowercase().as_str()))?;
    let first = skip.max(words.len().saturating_sub(n));
    let start = words[first].as_ptr() as usize - s.as_ptr() as usize;
    let out = s[start..].trim_end();
    out.chars()
        .any(char::is_alphanumeric)
        .then_some((start, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(text: &str) -> Option<(String, String)> {
        not_contrast_in(text).map(|c| (c.choice, c.alternative))
    }

    #[test]
    fn the_choice_and_the_option_turned_down_are_read_verbatim() {
        assert_eq!(
            sides("That's regexes and known formats, not the model, and it's a lot cheaper."),
            Some(("regexes and known formats".into(), "the model".into()))
        );
        assert_eq!(
            sides("Quantities get scaled by servings in code, not by the model, because models are bad at arithmetic."),
            Some(("get scaled by servings in code".into(), "by the model".into()))
        );
        assert_eq!(
            sides("Okay, so nothing automatic for now, and a model hosted in our own cloud account, not a public API."),
            Some(("hosted in our own cloud account".into(), "a public API".into()))
        );
    }

    #[test]
    fn a_not_that_turns_nothing_down_is_no_contrast() {
        assert_eq!(sides("It works, not really well though."), None);
        assert_eq!(sides("We cache it, not because it is slow."), None);
        assert_eq!(sides("The latency is fine, not ideal."), None);
        assert_eq!(sides("Legal decides that, not me."), None);
        assert_eq!(sides("We store the chunks and not the pages."), None);
    }
}
