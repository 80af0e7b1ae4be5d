use crate::clauses::{
    concept_allowance, sort_of, specified_items, SentenceSort, MAX_CLAUSE_CONCEPTS,
};
use crate::red_flags::{hear_red_flags, HeardFlags};
use crate::sentences::sentences;
use crate::specifics::{specificity, Specificity};
use crate::verbs::{inflections, is_design_verb_lemma};
use regex::Regex;
use rehearse_content::Rubric;
use rehearse_core::{normalize_for_match, DimensionId, Evidence, Segment};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// What the transcript shows for one dimension: the rubric concepts put into words in a
/// clause that says something (each with the first sentence that did), the concepts only
/// named (in a list, or a sentence that does nothing with them), and the sentences that gave
/// numbers with units. Sentences addressed to the grader count nowhere.
#[derive(Debug, Clone, Default)]
pub struct DimensionEvidence {
    pub concepts: BTreeMap<String, Evidence>,
    pub mentioned: BTreeMap<String, Evidence>,
    pub numbers: Vec<Evidence>,
    /// The answer is mostly recited lists: whatever it says in between, it names topics
    /// rather than designing anything (see [`crate::score`]: such an answer earns level 1 at
    /// most anywhere).
    pub recital: bool,
}

impl DimensionEvidence {
    /// Distinct concepts, plus one when a number with a unit counts for this dimension.
    pub fn strength(&self, numbers_count: bool) -> usize {
        self.concepts.len() + usize::from(numbers_count && !self.numbers.is_empty())
    }
}

pub(crate) fn number_with_unit() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let number = format!(r"(?:\d[\d ]*|(?:{}|hundred|thousand|million|billion|a hundred|a thousand)(?: (?:hundred|thousand|million|billion))*)", crate::sized_numbers::SPOKEN_NUMBER);
        let unit = r"(?:ms|milliseconds?|seconds?|minutes?|hours?|tokens?|pages?|gb|mb|tb|gigabytes?|megabytes?|percent|users?|requests?|queries|qps|rps|k|million|billion|dollars?|cents?|chunks?|documents?|dimensions?|replicas?|servers?|nodes?|per second|per day)";
        // Safe: a constant pattern that is exercised by the unit tests below.
        Regex::new(&format!(r"\b{number} ?{unit}\b")).expect("valid constant regex")
    })
}

/// Nouns that sizes count ("10 million requests a day", "800 tokens"): their plural is a load
/// or a size, not the concept the singular names ("the request carries the user's id"), so
/// [`phrase_forms`] never adds it; the rubric lists such a plural itself where it is meant.
const COUNTED_NOUNS: &[&str] = &[
    "request",
    "query",
    "token",
    "page",
    "user",
    "document",
    "chunk",
    "dimension",
    "replica",
    "server",
    "node",
    "question",
    "call",
    "message",
    // Ordinals that signpost ("second, the index"): their plural is a unit of time.
    "second",
    "third",
];

/// Words after a verb that make a phrasal verb: "fall back", "time out", "hand over".
const PARTICLES: &[&str] = &[
    "back", "out", "over", "on", "up", "off", "down", "in", "again",
];

/// The padded forms of a rubric phrase that count as saying it in a normalised, space-padded
/// sentence: the phrase, and its last word in the plural ("dashboard" -> " dashboards ",
/// "policy" -> " policies "), since speakers say either and the rubric lists one. Empty for an
/// empty phrase.
pub(crate) fn phrase_forms(phrase: &str) -> Vec<String> {
    let p = normalize_for_match(phrase);
    if p.is_empty() {
        return Vec::new();
    }
    let mut forms = vec![format!(" {p} ")];
    // A verb said in any tense: "retried", "falls back", "timed out", "reruns".
    let mut words = p.split(' ');
    let first = words.next().unwrap_or_default();
    let rest: Vec<&str> = words.collect();
    // The words after the verb, padded: " " for a verb alone, " back " for "fall back".
    let tail = match rest.as_slice() {
        [] => Some(" ".to_string()),
        [w] if PARTICLES.contains(w) => Some(format!(" {w} ")),
        _ => None,
    };
    if let Some(tail) = tail.filter(|_| is_design_verb_lemma(first)) {
        for form in inflections(first) {
            let phrase = format!(" {form}{tail}");
            if !forms.contains(&phrase) {
                forms.push(phrase);
            }
        }
    }
    // A status code said in the plural: "on 429s".
    if p.chars().all(|c| c.is_ascii_digit()) {
        forms.push(format!(" {p}s "));
    }
    let last = p.rsplit(' ').next().unwrap_or(&p);
    // Only words: "p95" and "gpt 4" have no plural; a word already ending in "s" is left.
    if last.len() > 2
        && last.chars().all(|c| c.is_ascii_alphabetic())
        && !last.ends_with('s')
        && !COUNTED_NOUNS.contains(&last)
    {
        let vowel_y = ["ay", "ey", "oy", "uy"].iter().any(|v| last.ends_with(v));
        let plural = if let Some(stem) = p.strip_suffix('y').filter(|_| !vowel_y) {
            format!(" {stem}ies ")
        } else if last.ends_with("ch") || last.ends_with("sh") || last.ends_with('x') {
            format!(" {p}es ")
        } else {
            format!(" {p}s ")
        };
        if !forms.contains(&plural) {
            forms.push(plural);
        }
    }
    forms
}

/// A part said not to be there ("we don't need diarization", "no need for a queue", "skip the
/// reranker", "without a fallback") is not in the design: the words it names are taken out
/// before the concepts are matched (the rest of the sentence still counts).
fn without_negated_objects(norm: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        // Safe: a constant pattern exercised by the unit tests below.
        Regex::new(
            r"\b((?:dont|do not|doesnt|does not|wont|will not|wouldnt|would not) need(?: to use| to| for)?|no need (?:for|to)|skip|skipping|without)((?: (?:a|an|any|the))? \w+(?: \w+)?)",
        )
        .expect("valid constant regex")
    });
    let stripped = re.replace_all(norm, "$1");
    // Not knowing where to start is no plan for the answer ("to start" is a signpost).
    static LOST: OnceLock<Regex> = OnceLock::new();
    let lost = LOST.get_or_init(|| {
        // Safe: a constant pattern exercised by the unit tests below.
        Regex::new(
            r"\b(?:not sure|no idea|dont know|do not know|unsure) (?:where|how|what) to (?:start|begin)\b",
        )
        .expect("valid constant regex")
    });
    lost.replace_all(&stripped, "").into_owned()
}

/// Finds evidence for every dimension of `rubric` in `segments`.
pub fn find_evidence(
    rubric: &Rubric,
    segments: &[Segment],
) -> BTreeMap<DimensionId, DimensionEvidence> {
    evidence_beside_flags(rubric, segments, &hear_red_flags(rubric, segments))
}

/// [`find_evidence`] for a caller that has found the red flags already (the scorer and the
/// interviewer need them too: found once, not twice).
pub(crate) fn evidence_beside_flags(
    rubric: &Rubric,
    segments: &[Segment],
    flags: &HeardFlags,
) -> BTreeMap<DimensionId, DimensionEvidence> {
    // A claim that is wrong earns nothing for its dimension: a sentence holding a red flag
    // supplies no evidence (it caps instead).
    // How the answer is told is another matter: a wrong claim said as a summary ("So: one
    // call per product, confidence-based routing") still signposts, so the words about the
    // answer's shape are heard in every sentence said to the interviewer.
    let flagged = &flags.sentences;
    let all_sents = sentences(segments);
    // An answer that recites the rubric's anchors describes the answer a grader wants: those
    // sentences count nowhere, like words to the grader.
    let to_interviewer: Vec<&str> = all_sents
        .iter()
        .filter(|s| !s.to_grader)
        .map(|s| s.text)
        .collect();
    let echoes = crate::rubric_echo::rubric_echoes(rubric, &to_interviewer);
    let (wrong_sents, right_sents): (Vec<_>, Vec<_>) = all_sents
        .iter()
        .filter(|s| !s.to_grader && !echoes.contains(s.text))
        .partition(|s| flagged.contains(s.text) || crate::dismissals::dismisses_a_concern(s.text));
    let told: Vec<_> = wrong_sents
        .into_iter()
        .map(|s| (format!(" {} ", normalize_for_match(s.text)), s))
        .collect();
    let sents: Vec<_> = right_sents
        .into_iter()
        .map(|s| {
            (
                format!(
                    " {} ",
                    without_negated_objects(&normalize_for_match(s.text))
                ),
                sort_of(s.text),
                concept_allowance(s.text),
                s,
            )
        })
        .collect();
    for (_, sort, allowance, s) in &sents {
        tracing::trace!(?sort, allowance, sentence = s.text, "sentence sort");
    }
    // An answer that is mostly recited lists is a recital: its passing mentions are no
    // evidence of anything (a keyword salad names every topic in passing).
    let lists = sents
        .iter()
        .filter(|(_, sort, _, _)| *sort == SentenceSort::Lists)
        .count();
    // Buzzwords strung into sentences, or parts named at length without one condition or
    // reason, are a salad all the same (see `crate::specifics`).
    // An answer reciting the rubric is one too, whatever its other sentences say.
    let recital = !echoes.is_empty()
        || (lists > 0 && lists * 2 >= sents.len())
        || specificity(segments) == Specificity::Recital;
    // Outside a recital, a terse spec ("Two hundred golden questions with source pages, recall
    // at ten, gated in CI on every prompt change, and dashboards for thumbs-down rate") is
    // said, not recited: its items carry numbers and details a list of names does not.
    let sents: Vec<_> = sents
        .into_iter()
        .map(
            |(norm, sort, allowance, s)| match (sort, recital, specified_items(s.text)) {
                (SentenceSort::Lists, false, Some(n)) => {
                    (norm, SentenceSort::Says, n.min(MAX_CLAUSE_CONCEPTS), s)
                }
                _ => (norm, sort, allowance, s),
            },
        )
        .collect();
    let mut out = BTreeMap::new();
    for dim in &rubric.dimensions {
        let mut ev = DimensionEvidence::default();
        let phrases: Vec<(&str, Vec<String>)> = dim
            .concepts
            .iter()
            .map(|c| {
                let ps = c.phrases.iter().flat_map(|p| phrase_forms(p)).collect();
                (c.name.as_str(), ps)
            })
            .collect();
        for (norm, sentence_sort, sentence_allowance, s) in &sents {
            // Words about the answer's shape count wherever they are said.
            let (sort, allowance) = if dim.structure_words {
                (SentenceSort::Says, MAX_CLAUSE_CONCEPTS)
            } else {
                (*sentence_sort, *sentence_allowance)
            };
            let evidence = || Evidence {
                quote: s.text.to_string(),
                t0: s.t0,
            };
            let mut supplied = 0;
            for (name, ps) in &phrases {
                if ev.concepts.contains_key(*name) || !ps.iter().any(|p| norm.contains(p.as_str()))
                {
                    continue;
                }
                match sort {
                    SentenceSort::Says if supplied < allowance => {
                        supplied += 1;
                        ev.concepts.insert(name.to_string(), evidence());
                        ev.mentioned.remove(*name);
                    }
                    SentenceSort::Says | SentenceSort::Mentions => {
                        ev.mentioned
                            .entry(name.to_string())
                            .or_insert_with(evidence);
                    }
                    // A recited list earns nothing, not even a mention.
                    SentenceSort::Lists => {}
                }
            }
            if dim.numbers_count && sort == SentenceSort::Says && number_with_unit().is_match(norm)
            {
                ev.numbers.push(evidence());
            }
        }
        if dim.structure_words {
            for (norm, s) in &told {
                let said = phrases.iter().filter(|(name, ps)| {
                    !ev.concepts.contains_key(*name) && ps.iter().any(|p| norm.contains(p.as_str()))
                });
                let found: Vec<&str> = said
                    .map(|(name, _)| *name)
                    .take(MAX_CLAUSE_CONCEPTS)
                    .collect();
                for name in found {
                    let e = Evidence {
                        quote: s.text.to_string(),
                        t0: s.t0,
                    };
                    ev.concepts.insert(name.to_string(), e);
                }
            }
        }
        for concept in &dim.concepts {
            if ev.concepts.contains_key(&concept.name) {
                continue;
            }
            let opened = crate::openers::opened_by_topic(
                concept,
                sents.iter().map(|(norm, _, _, s)| (norm.as_str(), s)),
            );
            if let Some(s) = opened {
                ev.mentioned.remove(&concept.name);
                let e = Evidence {
                    quote: s.text.to_string(),
                    t0: s.t0,
                };
                ev.concepts.insert(concept.name.clone(), e);
            }
        }
        if recital {
            ev.mentioned.clear();
            ev.recital = true;
            // "First", "then" and "overall" around recited terms are no structure.
            if dim.structure_words {
                ev.concepts.clear();
            }
        }
        out.insert(dim.id, ev);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_segments::{doc_qa_rubric, seg, segs};

    /// What the doc-qa rubric hears in `sentences`, one segment each.
    fn heard(sentences: &[&str]) -> BTreeMap<DimensionId, DimensionEvidence> {
        find_evidence(&doc_qa_rubric(), &segs(sentences))
    }

    #[test]
    fn finds_concepts_and_numbers_with_verbatim_quotes() {
        let rubric = &doc_qa_rubric();
        let segs = vec![
            seg(0.0, "First, who are the users? About 200 queries per second."),
            seg(5.0, "We split pages into chunks of 500 tokens, versus whole pages. We do that because it keeps more context."),
        ];
        let ev = find_evidence(rubric, &segs);
        let req = &ev[&DimensionId::Requirements];
        assert!(req.concepts.contains_key("users") && req.concepts.contains_key("scale"));
        assert_eq!(req.concepts["users"].quote, "First, who are the users?");
        let tr = &ev[&DimensionId::Tradeoffs];
        assert!(tr.concepts.contains_key("versus") && tr.concepts.contains_key("because"));
        assert_eq!(tr.numbers.len(), 2, "{:?}", tr.numbers);
        assert!(ev[&DimensionId::Evaluation].concepts.is_empty());
    }

    #[test]
    fn a_wrong_claim_earns_nothing_for_its_topic_but_still_signposts() {
        let ev = heard(&[
            "To sum up, we fine-tune the model on all the pages instead of retrieval, so it can never hallucinate.",
        ]);
        assert!(ev[&DimensionId::Communication]
            .concepts
            .contains_key("summary"));
        assert!(ev[&DimensionId::Reliability].concepts.is_empty());
        assert!(ev[&DimensionId::Architecture].concepts.is_empty());
    }

    #[test]
    fn a_recited_list_earns_nothing_and_a_sentence_one_concept_per_clause() {
        let rubric = &doc_qa_rubric();
        let salad = find_evidence(
            rubric,
            &[
                seg(0.0, "Timeouts, retries, backoff, fallbacks, rate limits."),
                seg(4.0, "Golden set, recall, faithfulness, dashboards, alerts."),
                seg(8.0, "Reliability is important."),
            ],
        );
        for (dim, ev) in &salad {
            assert!(
                ev.concepts.is_empty() && ev.mentioned.is_empty(),
                "{dim}: {ev:?}"
            );
        }
        // One clause naming many things earns one; clauses that each do something earn one each.
        let dense = find_evidence(
            rubric,
            &[seg(
                0.0,
                "Each call has a timeout with a fallback on a replica.",
            )],
        );
        assert_eq!(dense[&DimensionId::Reliability].concepts.len(), 1);
        let clauses = find_evidence(
            rubric,
            &[seg(0.0, "If the model is down we time out after 3 seconds, retry with backoff, and fall back to cached answers.")],
        );
        assert_eq!(clauses[&DimensionId::Reliability].concepts.len(), 3);
        let spoken = find_evidence(
            rubric,
            &[
                seg(0.0, "Each call has a timeout and retries with backoff."),
                seg(
                    4.0,
                    "When the provider is down we fall back to a cached answer.",
                ),
            ],
        );
        assert_eq!(spoken[&DimensionId::Reliability].concepts.len(), 2);
    }

    #[test]
    fn a_phrase_counts_in_the_plural_but_a_counted_noun_does_not() {
        assert_eq!(phrase_forms("dashboard"), [" dashboard ", " dashboards "]);
        assert_eq!(phrase_forms("Policy"), [" policy ", " policies "]);
        assert_eq!(phrase_forms("test query"), [" test query "]);
        assert_eq!(
            phrase_forms("spot check"),
            [" spot check ", " spot checks "]
        );
        assert_eq!(phrase_forms("p95"), [" p95 "]);
        // A design verb in any tense, alone or with its particle.
        assert_eq!(
            phrase_forms("replay"),
            [" replay ", " replays ", " replayed ", " replaying "]
        );
        assert!(phrase_forms("fall back").contains(&" falling back ".to_string()));
        assert!(phrase_forms("time out").contains(&" timed out ".to_string()));
        // Not a noun phrase that merely starts with a verb's spelling.
        assert_eq!(phrase_forms("test query"), [" test query "]);
        // An ordinal signpost's plural is a unit of time, not a signpost.
        assert_eq!(phrase_forms("second"), [" second "]);
        // A status code in the plural.
        assert_eq!(phrase_forms("429"), [" 429 ", " 429s "]);
        assert!(phrase_forms(" ").is_empty());
        let ev = heard(&["After launch we send the latency figures to two dashboards."]);
        assert!(ev[&DimensionId::Evaluation]
            .concepts
            .contains_key("monitoring"));
        // "10 million requests a day" is a load, not an API.
        let load = heard(&["We serve 10 million requests a day."]);
        assert!(!load[&DimensionId::DataApis].concepts.contains_key("API"));
    }

    #[test]
    fn measuring_in_plain_words_is_evaluation() {
        let ev = heard(&[
            "To measure it, I'd look at how many questions get resolved, and have people review a sample every week.",
            "We'd keep scripted test conversations.",
            "They run again before each release.",
        ]);
        let eval = &ev[&DimensionId::Evaluation];
        for check in ["metrics", "feedback", "eval set", "regression"] {
            assert!(eval.concepts.contains_key(check), "{check}: {eval:?}");
        }
    }

    #[test]
    fn words_about_the_answers_shape_count_in_any_sentence_but_not_in_a_recital() {
        let ev = heard(&[
            "Let me start with requirements, then the data, the request path and evaluation.",
            "We split pages into 500 token chunks and embed each one.",
            "Now the request path.",
            "Happy to go deeper on retrieval.",
        ]);
        let comm = &ev[&DimensionId::Communication];
        for check in ["plan", "signposts", "check in"] {
            assert!(comm.concepts.contains_key(check), "{check}: {comm:?}");
        }
        let salad = heard(&[
            "First, latency, accuracy, cost, trade-offs.",
            "Then embeddings, vector database, chunking, reranking.",
        ]);
        assert!(salad[&DimensionId::Communication].concepts.is_empty());
    }

    #[test]
    fn a_price_and_when_to_choose_otherwise_said_plainly_are_heard() {
        let ev = heard(&[
            "The reranker sharpens the top results, and that costs roughly two hundred milliseconds.",
            "If the budget were under a second, I'd drop it and trust the hybrid scores.",
        ]);
        let tradeoffs = &ev[&DimensionId::Tradeoffs];
        for check in ["cost of", "when otherwise"] {
            assert!(
                tradeoffs.concepts.contains_key(check),
                "{check}: {tradeoffs:?}"
            );
        }
    }

    #[test]
    fn a_wrong_claim_said_twice_is_evidence_neither_time() {
        let ev = heard(&[
            "Validating the citations would just add latency, so answers go out directly.",
            "Checking each page would only slow things down, so there is no timeout or retry.",
            "We split pages into 500 token chunks.",
        ]);
        let reliability = &ev[&DimensionId::Reliability];
        assert!(
            reliability.concepts.is_empty() && reliability.mentioned.is_empty(),
            "{reliability:?}"
        );
    }

    #[test]
    fn a_part_said_not_to_be_there_is_not_heard() {
        assert_eq!(
            without_negated_objects("we dont need diarization because the model can tell"),
            "we dont need the model can tell"
        );
        assert_eq!(
            // Up to two words after an article go: enough for "a vector store".
            without_negated_objects("no need for a queue here and we skip the reranker"),
            "no need for and we skip"
        );
        assert_eq!(
            without_negated_objects("the cache sits in front of the database"),
            "the cache sits in front of the database"
        );
        assert_eq!(
            without_negated_objects("im honestly not sure where to start with this one"),
            "im honestly  with this one"
        );
    }

    #[test]
    fn number_pattern_needs_a_unit() {
        let re = number_with_unit();
        for yes in [
            "500 tokens",
            "five hundred tokens",
            "200 ms",
            "10 000 pages",
            "two replicas",
            "forty milliseconds",
            "thirty three thousand hours",
            "fifteen minutes",
        ] {
            assert!(re.is_match(yes), "{yes}");
        }
        for no in ["version 2", "step one", "chunks"] {
            assert!(!re.is_match(no), "{no}");
        }
    }
}
