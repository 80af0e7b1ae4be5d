//! Does a sentence say something about the design, or only name topics?
//!
//! The offline grader hears words, not meaning, so it asks a narrower question it can answer:
//! is there a clause that *does* something (a design verb with something around it: "we split
//! pages into 500-token chunks", "the gateway retries twice with backoff"), or only a list of
//! rubric words ("latency, accuracy, evaluation, monitoring") or a statement that a topic
//! matters ("there are trade-offs between cost and latency")? Only the first kind earns a
//! concept; the second is a mention, worth at most the lowest level of its dimension.
//!
//! No part-of-speech tagger is used: a closed list of design verbs (with their inflections),
//! plus any word right after a modal or "to", finds the verbs of spoken design talk well
//! enough, and it never mistakes a recited list for a sentence.

use crate::sized_numbers::sized_number_re;
use crate::verbs::{has_design_verb, verb_forms, words, DESIGN_VERBS};
use rehearse_core::normalize_for_match;

/// How a sentence speaks about the design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentenceSort {
    /// A clause that does something: its concepts count.
    Says,
    /// Names a topic without doing anything with it: a mention.
    Mentions,
    /// A recited list of terms: earns nothing but a mention.
    Lists,
}

/// Pieces of a sentence split at commas, semicolons, colons and the joining words of a list.
fn items(sentence: &str) -> Vec<String> {
    let mut out = Vec::new();
    // "10,000 pages" is one number, not two items.
    let chars: Vec<char> = sentence.chars().collect();
    let unbroken: String = chars
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            !(**c == ','
                && i.checked_sub(1).is_some_and(|p| chars[p].is_ascii_digit())
                && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit()))
        })
        .map(|(_, c)| *c)
        .collect();
    for part in unbroken.split([',', ';', ':']) {
        let norm = normalize_for_match(part);
        let mut current: Vec<&str> = Vec::new();
        let ws: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
        for (i, &w) in ws.iter().enumerate() {
            // "a hundred and eight thousand" is one number, not two items.
            let in_number = w == "and"
                && current.last().is_some_and(|p| is_number_word(p))
                && ws.get(i + 1).is_some_and(|n| is_number_word(n));
            if !in_number && matches!(w, "and" | "or" | "plus" | "also" | "versus" | "vs") {
                if !current.is_empty() {
                    out.push(current.join(" "));
                    current.clear();
                }
            } else {
                current.push(w);
            }
        }
        if !current.is_empty() {
            out.push(current.join(" "));
        }
    }
    // Spoken asides set off by commas ("so that's, hold on, three hundred minutes", "do that
    // first, um, separately, I'd say") are no items: counted, they made a thinking-aloud
    // sentence look like a recited list. A list padded with them stays a list.
    out.retain(|item| !item.split(' ').all(|w| ASIDE_WORDS.contains(&w)));
    out
}

/// Words in an item, a number said in words counting as one ("p95 one hundred and fifty
/// milliseconds" is as short as "p95 150 ms").
fn spoken_length(item: &str) -> usize {
    let ws: Vec<&str> = item.split(' ').collect();
    ws.iter()
        .enumerate()
        .filter(|(i, w)| {
            let prev_number = i
                .checked_sub(1)
                .and_then(|p| ws.get(p))
                .is_some_and(|p| is_number_word(p) || *p == "and");
            let continues_number = (is_number_word(w) || **w == "and") && prev_number;
            !continues_number
        })
        .count()
}

/// A number said as a word or written in digits.
fn is_number_word(w: &str) -> bool {
    const NUMBER_WORDS: &[&str] = &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
        "ninety", "hundred", "thousand", "million", "billion",
    ];
    w.chars().all(|c| c.is_ascii_digit()) || NUMBER_WORDS.contains(&w)
}

/// The words of a spoken aside: fillers, hedges and discourse markers ("um", "hold on", "let
/// me think", "I'd say", "you know", "sorry", "okay so"), in `normalize_for_match` form.
const ASIDE_WORDS: &[&str] = &[
    "um",
    "uh",
    "er",
    "erm",
    "hmm",
    "hm",
    "mm",
    "ah",
    "oh",
    "so",
    "okay",
    "ok",
    "well",
    "like",
    "yeah",
    "yes",
    "right",
    "sorry",
    "actually",
    "anyway",
    "basically",
    "hold",
    "on",
    "wait",
    "let",
    "me",
    "think",
    "see",
    "i",
    "id",
    "im",
    "mean",
    "guess",
    "say",
    "you",
    "know",
    "though",
    "then",
    "now",
    "again",
    "obviously",
    "honestly",
    "really",
    "thats",
    "what",
    "where",
    "was",
    "kind",
    "of",
    "sort",
    "just",
    "maybe",
    "probably",
    "suppose",
    "even",
];

/// A recited list: three or more short items, most of them without a verb.
fn is_list(sentence: &str) -> bool {
    let parts = items(sentence);
    if parts.len() < 3 {
        return false;
    }
    // A clause that does something to the things it then lists ("I'd run a classifier on every
    // post to detect hate speech, spam and violence") says one thing; the allowance of
    // `concept_allowance` keeps it to one concept.
    if spoken_length(&parts[0]) >= 5 && has_design_verb(&parts[0]) {
        return false;
    }
    let short = parts
        .iter()
        .filter(|p| spoken_length(p) <= 3 && !has_design_verb(p))
        .count();
    short * 3 >= parts.len() * 2
}

/// Words that attach a detail to a noun: "questions with source pages", "dashboards for
/// thumbs-down rate", "gated in CI on every change".
const ATTACHING: &[&str] = &[
    "with", "for", "at", "in", "on", "per", "under", "over", "from", "into", "by", "below",
    "above", "within", "after", "before",
];

/// The items of a terse spec that are specified, not named: an item with a sized number, a
/// number and something it counts ("recall at ten"), or four words or more that attach a
/// detail ("production dashboards for thumbs-down rate"). `None` below three: a list of bare
/// names stays a list.
pub(crate) fn specified_items(sentence: &str) -> Option<usize> {
    let specified = items(sentence)
        .iter()
        .filter(|item| {
            let ws: Vec<&str> = item.split(' ').collect();
            let numbered = ws.iter().any(|w| {
                w.chars().any(|c| c.is_ascii_digit())
                    || matches!(
                        *w,
                        "one"
                            | "two"
                            | "three"
                            | "four"
                            | "five"
                            | "six"
                            | "seven"
                            | "eight"
                            | "nine"
                            | "ten"
                            | "twenty"
                            | "fifty"
                            | "hundred"
                            | "thousand"
                            | "million"
                    )
            });
            let attached = ws.iter().skip(1).any(|w| ATTACHING.contains(w));
            (numbered && ws.len() >= 3) || (attached && ws.len() >= 4)
        })
        .count();
    (specified >= 3).then_some(specified)
}

/// How many concepts of one dimension `sentence` may supply: one for each of its clauses
/// (pieces between commas, semicolons and colons) that says something on its own, at least
/// one and at most [`MAX_CLAUSE_CONCEPTS`]. "We time out after 3 seconds, retry with backoff,
/// and fall back to cached passages" does three things; "timeouts, retries, fallbacks" none.
pub fn concept_allowance(sentence: &str) -> usize {
    let saying = sentence
        .split([',', ';', ':'])
        .flat_map(crate::sentences::condition_and_action)
        .flat_map(coordinated_actions)
        .filter(|piece| {
            has_design_verb(piece)
                || leads_with_verb(piece)
                || sized_number_re().is_match(piece)
                || piece.trim_end().ends_with('?')
        })
        .count();
    // A semicolon joins clauses that stand alone ("the request carries an id and the prefix;
    // the response streams back lines tagged with it"), whatever their verbs.
    let joined = sentence
        .split(';')
        .filter(|part| part.split_whitespace().count() >= 4)
        .count();
    // Speech-to-text that lost its punctuation runs clauses together ("in production I'd watch
    // policy exceptions how often people reject the options and cancellations within a day"):
    // a long sentence holds a clause about every dozen words however few commas it kept.
    let run_on = sentence.split_whitespace().count() / RUN_ON_CLAUSE_WORDS;
    saying.max(joined).max(run_on).clamp(1, MAX_CLAUSE_CONCEPTS)
}

/// A piece cut where "and" or "then" joins a second action to the first: "I'd replay the set
/// on every change and track the error rate" does two things without a comma between them.
fn coordinated_actions(piece: &str) -> Vec<&str> {
    // ASCII lower-casing keeps byte offsets, so a cut found here fits `piece`.
    let lower = piece.to_ascii_lowercase();
    let mut cuts = Vec::new();
    for joiner in [" and ", " then "] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(joiner).map(|i| from + i) {
            let next = lower[at + joiner.len()..]
                .split(|c: char| !c.is_ascii_alphabetic() && c != '-')
                .next()
                .unwrap_or("");
            // Only a verb's bare form: "and answers", "and costs" are nouns as often as not.
            if DESIGN_VERBS.contains(&next) {
                cuts.push(at);
            }
            from = at + joiner.len();
        }
    }
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for at in cuts {
        if piece.is_char_boundary(at) && at > start {
            out.push(&piece[start..at]);
            start = at;
        }
    }
    out.push(&piece[start..]);
    out
}

/// A clause that goes on with the sentence's subject: "..., retry with backoff, and fall back".
fn leads_with_verb(piece: &str) -> bool {
    let ws = words(piece);
    let first = ws.iter().find(|w| {
        !matches!(
            w.as_str(),
            "and" | "then" | "or" | "but" | "also" | "we" | "i"
        )
    });
    first.is_some_and(|w| verb_forms().contains(w.as_str()) && !w.ends_with("ing"))
}

/// Words of a clause in a sentence whose punctuation was lost (see `concept_allowance`).
const RUN_ON_CLAUSE_WORDS: usize = 15;

/// The most concepts of one dimension a single sentence can supply, however many clauses.
pub const MAX_CLAUSE_CONCEPTS: usize = 3;

/// How `sentence` speaks about the design. Besides a design verb, a question (a
/// clarification: "who are the users?") and a sized number ("about 200 queries per second")
/// say something.
pub fn sort_of(sentence: &str) -> SentenceSort {
    if is_list(sentence) {
        SentenceSort::Lists
    } else if has_design_verb(sentence)
        || sentence.trim_end().ends_with('?')
        || sized_number_re().is_match(sentence)
    {
        SentenceSort::Says
    } else {
        SentenceSort::Mentions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_that_do_something_say_it() {
        for s in [
            "We split pages into 500 token chunks with some overlap.",
            "The gateway retries twice with exponential backoff, then falls back to a smaller model.",
            "I'd shard the index by tenant.",
            "Every answer cites the pages it came from.",
            "We measure recall at ten on a golden set of 200 questions before each release.",
            "The reranker adds about 200 milliseconds but lifts precision, so I keep it.",
            "Who are the users, and how fresh must answers be?",
            "About 2,000 employees, roughly 5,000 questions a day.",
            // A relative pronoun runs the verb.
            "Forget that deletes the record, its vector and the session cache, synchronously.",
            // Any verb in "-s" between a subject and its object, design word or not.
            "PC down: the PLC watches a heartbeat, and with no heartbeat it diverts everything to the chute.",
            "Capacity sets the band.",
        ] {
            assert_eq!(sort_of(s), SentenceSort::Says, "{s}");
        }
    }

    #[test]
    fn a_run_on_sentence_that_lost_its_punctuation_holds_a_clause_every_dozen_words() {
        let run_on = "how I'd know it works a couple of 100 scripted trip requests run against \
            the sandbox on every prompt or model change checking the itinerary matches the \
            request in production I'd watch policy exceptions how often people reject the options";
        assert_eq!(concept_allowance(run_on), 2);
        assert_eq!(concept_allowance("We cache the answer."), 1);
    }

    #[test]
    fn a_condition_and_what_is_done_about_it_are_two_clauses_without_a_comma() {
        assert_eq!(
            concept_allowance("If the LLM call fails we can retry it."),
            2
        );
        assert_eq!(concept_allowance("If it fails we retry."), 2);
        assert_eq!(
            concept_allowance("When the cache misses, we query the index."),
            2
        );
        // One clause, however it opens.
        assert_eq!(concept_allowance("We retry failed calls with backoff."), 1);
        // Two actions joined by "and" are two clauses; two things done to are not.
        assert_eq!(
            concept_allowance("I'd replay the set on every change and track the error rate."),
            2
        );
        assert_eq!(concept_allowance("We log prompts and answers."), 1);
        assert_eq!(concept_allowance("If needed."), 1);
        // A list stays a list: nothing it names is said.
        assert_eq!(
            sort_of("If anything: timeouts, retries, fallbacks and failover."),
            SentenceSort::Lists
        );
    }

    #[test]
    fn spoken_asides_do_not_make_a_sentence_a_list() {
        for s in [
            "And the limit is a million tokens a minute so that's, hold on, three hundred minutes.",
            "Sorry, before parse, um, you have to OCR those, I'd say, so it doesn't eat the night.",
            // A clause doing something to the things it lists.
            "For moderation I'd use a classifier model on every post to detect hate speech, \
             spam and violence.",
        ] {
            assert_eq!(sort_of(s), SentenceSort::Says, "{s}");
        }
        // Padding a list with fillers, or saying its numbers in words, leaves it a list.
        for s in [
            "Latency, um, accuracy, uh, evaluation, you know, monitoring.",
            "Three thousand QPS, p95 one hundred and fifty milliseconds, twenty million listings, \
             seven hundred and sixty-eight dimensions, sixty gigabytes.",
        ] {
            assert_eq!(sort_of(s), SentenceSort::Lists, "{s}");
        }
    }

    #[test]
    fn a_terse_spec_is_specified_and_a_list_of_names_is_not() {
        assert_eq!(
            specified_items(
                "Two hundred golden questions with source pages, recall at ten and faithfulness, \
                 gated in CI on every chunking or prompt change, and production dashboards for \
                 thumbs-down rate, empty retrievals, p95 latency and spend."
            ),
            Some(4)
        );
        for names in [
            "Latency, accuracy, trade-offs, embeddings, vector database, evaluation, monitoring.",
            "Retries, backoff, golden set, metrics, p99 and dashboards.",
            "Monitoring, metrics, dashboards, alerts, tracing, logging, SLOs, error budgets.",
        ] {
            assert_eq!(specified_items(names), None, "{names}");
        }
    }

    #[test]
    fn lists_and_topic_statements_do_not() {
        for s in [
            "Latency, accuracy, trade-offs, embeddings, vector database, evaluation, monitoring.",
            "Retries, backoff, golden set, metrics, p99 and dashboards.",
            "Chunking and embeddings and retrieval and reranking.",
        ] {
            assert_eq!(sort_of(s), SentenceSort::Lists, "{s}");
        }
        for s in [
            "There are trade-offs between latency and cost and accuracy.",
            "Evaluation is very important.",
            "Monitoring matters a lot for reliability.",
            "We need to think about scale.",
            "Cost and latency are key considerations in the architecture.",
            "We care about that cache and that index.",
        ] {
            assert_ne!(sort_of(s), SentenceSort::Says, "{s}");
        }
    }
}
