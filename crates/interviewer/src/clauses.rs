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
use rehearse_core::normalize_for_match;
use std::collections::HashSet;
use std::sync::OnceLock;

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

/// Verbs of design talk, as lemmas; inflections are made below. Copulas and verbs of
/// importance ("is", "matters", "need", "think about", "consider") are left out on purpose.
const DESIGN_VERBS: &[&str] = &[
    "use",
    "store",
    "keep",
    "split",
    "chunk",
    "embed",
    "index",
    "retrieve",
    "fetch",
    "rank",
    "rerank",
    "call",
    "send",
    "route",
    "return",
    "stream",
    "cache",
    "queue",
    "write",
    "read",
    "log",
    "measure",
    "track",
    "alert",
    "retry",
    "fall",
    "time",
    "cap",
    "limit",
    "batch",
    "shard",
    "replicate",
    "partition",
    "filter",
    "validate",
    "check",
    "compare",
    "run",
    "deploy",
    "build",
    "compute",
    "parse",
    "extract",
    "convert",
    "normalise",
    "normalize",
    "dedupe",
    "deduplicate",
    "generate",
    "ask",
    "answer",
    "serve",
    "expose",
    "accept",
    "reject",
    "block",
    "hash",
    "encrypt",
    "sign",
    "tag",
    "label",
    "sample",
    "score",
    "evaluate",
    "monitor",
    "page",
    "scale",
    "autoscale",
    "load",
    "update",
    "refresh",
    "reindex",
    "re-index",
    "version",
    "migrate",
    "expire",
    "evict",
    "persist",
    "save",
    "push",
    "pull",
    "poll",
    "publish",
    "subscribe",
    "consume",
    "produce",
    "trigger",
    "schedule",
    "notify",
    "redirect",
    "forward",
    "proxy",
    "authenticate",
    "authorise",
    "authorize",
    "pick",
    "choose",
    "chose",
    "prefer",
    "drop",
    "add",
    "remove",
    "give",
    "take",
    "hold",
    "own",
    "handle",
    "process",
    "transcribe",
    "detect",
    "classify",
    "translate",
    "summarise",
    "summarize",
    "combine",
    "merge",
    "join",
    "match",
    "search",
    "query",
    "look",
    "pass",
    "feed",
    "put",
    "sit",
    "sits",
    "goes",
    "go",
    "come",
    "comes",
    "get",
    "gets",
    "set",
    "show",
    "display",
    "render",
    "collect",
    "gather",
    "annotate",
    "grade",
    "judge",
    "review",
    "test",
    "benchmark",
    "replay",
    "roll",
    "switch",
    "move",
    "fail",
    "degrade",
    "recover",
    "restart",
    "spread",
    "throttle",
    "debounce",
    "truncate",
    "trim",
    "compress",
    "assemble",
    "pack",
    "fit",
    "budget",
    "estimate",
    "size",
    "cost",
    "costs",
    "save",
    "cut",
    "reduce",
    "lower",
    "raise",
    "increase",
    "decrease",
    "improve",
    "lose",
    "trade",
    "buy",
    "pay",
    "spend",
    "charge",
    "bill",
    "meter",
    "count",
    "cover",
    "catch",
    "miss",
    "escalate",
    "hand",
    "confirm",
    "refund",
    "approve",
    "lookup",
    "verify",
    "sanitise",
    "sanitize",
    "escape",
    "fence",
    "strip",
    "wrap",
    "attach",
    "cite",
    "link",
    "point",
    "map",
    "assign",
    "allocate",
    "reserve",
    "warm",
    "precompute",
    "prefetch",
    "stitch",
    "segment",
    "slice",
    "window",
    "overlap",
    "weigh",
    "rerun",
    "re-run",
    "flag",
    "sandbox",
    "restrict",
    "grant",
    "revoke",
    "mask",
    "redact",
    "clarify",
    "assume",
    "estimate",
    "target",
    "expect",
    "support",
    "serve",
    "receive",
    "emit",
    "record",
    "insert",
    "delete",
    "upsert",
    "lock",
    "release",
    "wait",
    "listen",
    "speak",
    "synthesise",
    "synthesize",
    "interrupt",
    "detects",
    "decide",
    "decides",
    "start",
    "begin",
    "finish",
    "end",
    "open",
    "close",
    "connect",
    "install",
    "host",
    "rent",
    "train",
    "fine-tune",
    "finetune",
    "distil",
    "distill",
    "quantise",
    "quantize",
    "generate",
    "draft",
    "plan",
    "execute",
    "invoke",
];

/// Irregular forms the suffix rules miss.
const IRREGULAR: &[&str] = &[
    "chose", "chosen", "kept", "split", "sent", "wrote", "written", "read", "built", "ran", "run",
    "fell", "fallen", "gave", "given", "took", "taken", "held", "put", "set", "got", "gotten",
    "went", "gone", "came", "bought", "paid", "spent", "cut", "lost", "caught", "fed", "hit",
    "shown", "drew", "drawn", "made", "make", "makes", "making", "brought", "bring", "brings",
    // A component that has a property is design talk: "each call has a timeout".
    "has",
];

/// Words after which the next word is a verb: modals and the infinitive's "to".
const VERB_OPENERS: &[&str] = &[
    "would", "will", "can", "could", "should", "must", "might", "may", "d", "ll", "to", "wed",
    "id", "well", "ill", "theyd", "youd", "lets",
];

/// Words that are never a verb even after an opener ("to the", "would also").
const NOT_VERBS: &[&str] = &[
    "the",
    "a",
    "an",
    "be",
    "also",
    "just",
    "then",
    "probably",
    "definitely",
    "really",
    "still",
    "not",
    "never",
    "always",
    "first",
    "me",
    "us",
    "them",
    "it",
    "this",
    "that",
    "my",
    "our",
    "their",
    "your",
    "some",
    "each",
    "every",
    "about",
    "around",
    "make",
    "have",
    "need",
    "do",
    "think",
    "say",
    "like",
    "mention",
    "talk",
    "discuss",
    "consider",
];

fn verb_forms() -> &'static HashSet<String> {
    static FORMS: OnceLock<HashSet<String>> = OnceLock::new();
    FORMS.get_or_init(|| {
        let mut out = HashSet::new();
        for v in DESIGN_VERBS {
            let v = normalize_for_match(v).replace(' ', "");
            out.insert(v.clone());
            let stem = v.strip_suffix('e').unwrap_or(&v).to_string();
            if v.ends_with('y') && !v.ends_with("ay") && !v.ends_with("ey") {
                let root = &v[..v.len() - 1];
                out.insert(format!("{root}ies"));
                out.insert(format!("{root}ied"));
            } else if v.ends_with('s') || v.ends_with("sh") || v.ends_with("ch") || v.ends_with('x')
            {
                out.insert(format!("{v}es"));
            } else {
                out.insert(format!("{v}s"));
            }
            out.insert(format!("{stem}ed"));
            out.insert(format!("{stem}ing"));
            // Doubled final consonant: "split" -> "splitting", "cap" -> "capped".
            if let Some(last) = v.chars().last() {
                if "ptgnmdb".contains(last) && v.len() <= 6 {
                    out.insert(format!("{v}{last}ing"));
                    out.insert(format!("{v}{last}ed"));
                }
            }
        }
        out.extend(IRREGULAR.iter().map(|s| s.to_string()));
        out
    })
}

/// Normalised words of `text` ("we'd" -> "wed").
fn words(text: &str) -> Vec<String> {
    normalize_for_match(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Subjects and adverbs after which a bare verb form is a verb ("we cache", "then store").
const SUBJECTS: &[&str] = &[
    "we", "i", "you", "they", "it", "that", "which", "who", "then", "also", "just", "only",
    "always", "never", "first", "please", "lets", "simply", "instead", "still", "both",
];

/// Words before a form that make it a noun: "the cache", "of retries", "and costs".
const NOUN_CONTEXT: &[&str] = &[
    "the", "a", "an", "of", "our", "their", "its", "and", "or", "for", "with", "vector",
    "semantic", "any", "some", "no", "each", "every", "this", "that", "these", "those", "in", "on",
    "about", "between", "like", "as", "my", "your", "one", "two", "three", "four", "five", "six",
    "seven", "eight", "nine", "ten", "twenty", "fifty", "hundred", "thousand", "million",
    "billion", "few", "many", "more", "fewer", "all", "most", "top", "new", "old", "per", "by",
    "to", "from", "into", "at",
];

/// Forms of "to be" before an "-ing" or "-ed" form: "we are caching", "chunks are stored".
const BE: &[&str] = &[
    "is", "are", "am", "was", "were", "be", "been", "being", "its", "theyre", "were", "im", "gets",
    "get", "got",
];

/// True when word `i` of `ws` is a verb of design talk in its place.
fn is_verb_at(ws: &[String], i: usize) -> bool {
    let w = ws[i].as_str();
    let prev = if i > 0 { ws[i - 1].as_str() } else { "" };
    if i > 0
        && VERB_OPENERS.contains(&prev)
        && !NOT_VERBS.contains(&w)
        && w.chars().all(|c| c.is_alphabetic())
        && w.len() > 2
    {
        return true;
    }
    let after_number = prev.chars().next().is_some_and(|c| c.is_ascii_digit());
    if !verb_forms().contains(w) || NOUN_CONTEXT.contains(&prev) || after_number {
        return false;
    }
    if w.ends_with("ing") {
        // "monitoring matters", "then monitoring": a gerund is a noun unless a form of
        // "to be" or a pronoun runs it.
        return BE.contains(&prev) || matches!(prev, "we" | "i" | "you" | "they" | "it");
    }
    if w.ends_with("ed") || IRREGULAR.contains(&w) {
        return i > 0;
    }
    if w.ends_with('s') && !w.ends_with("ss") {
        // "the gateway retries twice": a third-person verb after its subject noun.
        return i > 0;
    }
    // A bare form: a verb after a subject ("we cache", "tools fail": a plural noun), else a
    // noun ("cache is warm").
    SUBJECTS.contains(&prev)
        || (prev.len() > 3
            && prev.ends_with('s')
            && !prev.ends_with("ss")
            && !prev.ends_with("us")
            && !verb_forms().contains(prev))
}

/// True when `text` holds a verb of design talk.
pub fn has_design_verb(text: &str) -> bool {
    let ws = words(text);
    (0..ws.len()).any(|i| is_verb_at(&ws, i))
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
        for w in norm.split(' ').filter(|w| !w.is_empty()) {
            if matches!(w, "and" | "or" | "plus" | "also" | "versus" | "vs") {
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
    out
}

/// A recited list: three or more short items, most of them without a verb.
fn is_list(sentence: &str) -> bool {
    let parts = items(sentence);
    if parts.len() < 3 {
        return false;
    }
    let short = parts
        .iter()
        .filter(|p| p.split(' ').count() <= 3 && !has_design_verb(p))
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
    saying.clamp(1, MAX_CLAUSE_CONCEPTS)
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
        ] {
            assert_eq!(sort_of(s), SentenceSort::Says, "{s}");
        }
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
        ] {
            assert_ne!(sort_of(s), SentenceSort::Says, "{s}");
        }
    }
}
