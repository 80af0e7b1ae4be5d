//! Which words of a sentence are verbs of design talk ("we cache", "the gateway retries",
//! "chunks are stored"): a closed list of design verbs with their inflections, and any word
//! right after a modal or "to". No part-of-speech tagger is used; see `clauses` for why.

use rehearse_core::normalize_for_match;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Verbs of design talk, as lemmas; inflections are made below. Copulas and verbs of
/// importance ("is", "matters", "need", "think about", "consider") are left out on purpose.
pub(crate) const DESIGN_VERBS: &[&str] = &[
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
    // Negated, a modal or "do" runs a verb all the same: "a retry can't publish twice".
    "cant", "cannot", "wont", "dont", "doesnt", "didnt", "shouldnt", "couldnt", "wouldnt", "mustnt",
];

/// Pronouns that run a verb: after them (and any adverbs) the next content word is the verb,
/// in or out of the list ("we calibrate against what reviewers flag", "they diff the files").
const PRONOUN_SUBJECTS: &[&str] = &["we", "i", "you", "they"];

/// Adverbs a speaker puts between a subject and its verb ("we actually flag", "we then
/// store"); words ending in "-ly" count too.
const ADVERBS: &[&str] = &[
    "also", "just", "then", "only", "never", "always", "still", "first", "often", "already",
    "again", "even", "now", "instead", "both", "all", "mostly", "rather",
];

/// Words after a pronoun that are not the design verb, besides [`NOT_VERBS`]: being, wanting,
/// knowing and caring say nothing about the design ("we are", "we want scalability").
const NOT_DESIGN_AFTER_PRONOUN: &[&str] = &[
    "are",
    "were",
    "was",
    "am",
    "is",
    "been",
    "had",
    "needs",
    "want",
    "wants",
    "thought",
    "know",
    "knew",
    "guess",
    "mean",
    "feel",
    "believe",
    "hope",
    "said",
    "see",
    "saw",
    "did",
    "does",
    "get",
    "got",
    "go",
    "went",
    "focus",
    "care",
    "agree",
    "remember",
    "wonder",
    "imagine",
    "suppose",
    "reckon",
    "understand",
    "wish",
    "try",
    "tried",
    "and",
    "or",
    "but",
    "so",
    "if",
    "all",
    "both",
];

/// Words after which an imperative verb starts its clause ("Split into segments.", "Then look
/// every segment up in translation memory.").
const CLAUSE_STARTERS: &[&str] = &[
    "", "so", "and", "then", "first", "next", "now", "just", "also", "okay", "ok", "um", "uh",
    "after", "finally", "second", "third",
];

/// Words that can follow an imperative verb: its object's determiner, a preposition, a
/// pronoun or a number ("look every segment up", "split into segments", "cache it").
const AFTER_IMPERATIVE: &[&str] = &[
    "the", "a", "an", "every", "each", "all", "it", "them", "its", "their", "our", "into", "by",
    "on", "to", "in", "with", "up", "out", "back", "through", "over", "per", "any", "some", "one",
    "two", "three", "this", "that", "those", "these", "only", "at",
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

/// The regular inflections of a normalised verb lemma: "retry" -> "retries", "retried",
/// "retrying"; "cap" -> "caps", "capped", "capping" (a doubled consonant is guessed for short
/// verbs, and a wrong guess only adds a form nobody says).
pub(crate) fn inflections(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    let stem = v.strip_suffix('e').unwrap_or(v);
    if v.ends_with('y') && !v.ends_with("ay") && !v.ends_with("ey") {
        let root = &v[..v.len() - 1];
        out.push(format!("{root}ies"));
        out.push(format!("{root}ied"));
    } else if v.ends_with('s') || v.ends_with("sh") || v.ends_with("ch") || v.ends_with('x') {
        out.push(format!("{v}es"));
    } else {
        out.push(format!("{v}s"));
    }
    out.push(format!("{stem}ed"));
    out.push(format!("{stem}ing"));
    // Doubled final consonant: "split" -> "splitting", "cap" -> "capped".
    if let Some(last) = v.chars().last() {
        if "ptgnmdb".contains(last) && v.len() <= 6 {
            out.push(format!("{v}{last}ing"));
            out.push(format!("{v}{last}ed"));
        }
    }
    out
}

/// Whether a normalised word is one of the design verbs' lemmas.
pub(crate) fn is_design_verb_lemma(word: &str) -> bool {
    DESIGN_VERBS.contains(&word)
}

pub(crate) fn verb_forms() -> &'static HashSet<String> {
    static FORMS: OnceLock<HashSet<String>> = OnceLock::new();
    FORMS.get_or_init(|| {
        let mut out = HashSet::new();
        for v in DESIGN_VERBS {
            let v = normalize_for_match(v).replace(' ', "");
            out.extend(inflections(&v));
            out.insert(v);
        }
        out.extend(IRREGULAR.iter().map(|s| s.to_string()));
        out
    })
}

/// Normalised words of `text` ("we'd" -> "wed").
pub(crate) fn words(text: &str) -> Vec<String> {
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
    // The word before, past any adverbs: "we actually flag" is "we flag".
    let is_adverb = |x: &str| ADVERBS.contains(&x) || (x.len() > 4 && x.ends_with("ly"));
    let subject_at = (0..i).rev().find(|&j| !is_adverb(&ws[j]));
    let subject = subject_at.map_or("", |j| ws[j].as_str());
    let content_word = w.len() > 2 && w.chars().all(|c| c.is_alphabetic()) && !is_adverb(w);
    if PRONOUN_SUBJECTS.contains(&subject)
        && content_word
        && !NOT_DESIGN_AFTER_PRONOUN.contains(&w)
        && !NOT_VERBS.contains(&w)
    {
        return true;
    }
    // An imperative opens its clause with a bare design verb and its object or a preposition.
    let next = ws.get(i + 1).map_or("", String::as_str);
    // Any third-person verb, design word or not, between its subject and its object: "it
    // diverts everything", "the PLC watches a heartbeat", "capacity sets the band". A word in
    // "-s" after "it" or a noun, before a determiner, is a verb far more often than a noun.
    let next_after = ws.get(i + 2).map_or("", String::as_str);
    if third_person_verb(prev, w, next, next_after) {
        return true;
    }
    // (At the first word `prev` is "", a clause starter too.)
    if i <= 1
        && CLAUSE_STARTERS.contains(&prev)
        && is_design_verb_lemma(w)
        && AFTER_IMPERATIVE.contains(&next)
    {
        return true;
    }
    let prev = if is_adverb(prev) && VERB_OPENERS.contains(&subject) {
        subject
    } else {
        prev
    };
    if i > 0
        && VERB_OPENERS.contains(&prev)
        && !NOT_VERBS.contains(&w)
        && w.chars().all(|c| c.is_alphabetic())
        && w.len() > 2
    {
        return true;
    }
    let after_number = prev.chars().next().is_some_and(|c| c.is_ascii_digit());
    // "a job that checks each store", "which deletes the record": a relative pronoun runs a
    // third-person verb ("that" before a bare form is a determiner: "that cache").
    if matches!(prev, "that" | "which" | "who")
        && verb_forms().contains(w)
        && w.ends_with('s')
        && !w.ends_with("ss")
    {
        return true;
    }
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

/// Determiners that open a verb's object.
const OBJECT_OPENERS: &[&str] = &[
    "a",
    "an",
    "the",
    "every",
    "each",
    "its",
    "their",
    "our",
    "your",
    "his",
    "her",
    "this",
    "these",
    "those",
    "everything",
    "nothing",
    "anything",
    "something",
];

/// Words in "-s" that are not third-person verbs of design talk.
const NOT_THIRD_PERSON: &[&str] = &[
    "is", "has", "does", "was", "its", "this", "thus", "plus", "versus", "as", "us", "yes",
    "needs", "means", "seems", "looks", "sounds", "feels", "becomes", "remains", "gets", "goes",
    "says", "lets", "makes", "matters", "counts", "helps", "works", "costs", "takes",
];

/// "it diverts everything", "the encoder triggers the cameras": a word in "-s" after "it" or a
/// noun and before a determiner.
fn third_person_verb(prev: &str, w: &str, next: &str, next_after: &str) -> bool {
    let third_person = w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && w.chars().all(|c| c.is_alphabetic())
        && !NOT_THIRD_PERSON.contains(&w)
        && !NOT_VERBS.contains(&w);
    // "matters a lot", "a bit": a degree, not an object.
    if !third_person
        || !OBJECT_OPENERS.contains(&next)
        || next_after == "lot"
        || next_after == "bit"
    {
        return false;
    }
    prev == "it"
        || (prev.len() > 2
            && prev.chars().all(|c| c.is_alphanumeric())
            && !NOUN_CONTEXT.contains(&prev)
            && !SUBJECTS.contains(&prev)
            && !PRONOUN_SUBJECTS.contains(&prev)
            && !BE.contains(&prev)
            && !prev.ends_with("ly"))
}

/// True when `text` holds a verb of design talk.
pub(crate) fn has_design_verb(text: &str) -> bool {
    let ws = words(text);
    (0..ws.len()).any(|i| is_verb_at(&ws, i))
}
