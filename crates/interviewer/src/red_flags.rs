//! Misconceptions said with confidence (the rubric's red flags): found sentence by sentence,
//! they cap the dimensions they undermine and give the interviewer a challenge to ask.

use crate::sentences::{sentences, Sentence};
use crate::uncertain::UnsureWords;
use regex::Regex;
use rehearse_content::{RedFlag, Rubric};
use rehearse_core::{DimensionId, Evidence, Segment};
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

/// Words kept of the sentence around a match for the challenge's quote.
const QUOTE_WORDS: usize = 14;

/// A red flag heard in the transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct RedFlagHit {
    pub id: String,
    pub claim: String,
    pub dimensions: Vec<DimensionId>,
    pub cap: u8,
    /// The sentence that says it, verbatim.
    pub evidence: Evidence,
    /// The interviewer's challenge, quoting the candidate.
    pub challenge: String,
}

/// What a red flag is: its id, the claim in plain words, the dimensions it caps and how far,
/// and the challenge with `{quote}` in it.
pub(crate) struct FlagKind<'a> {
    pub id: &'a str,
    pub claim: &'a str,
    pub dimensions: &'a [DimensionId],
    pub cap: u8,
    pub challenge: &'a str,
}

impl RedFlagHit {
    /// The flag `kind` heard in `sentence`, challenged with the candidate's words `quote`.
    pub(crate) fn heard(kind: FlagKind<'_>, sentence: &Sentence<'_>, quote: &str) -> Self {
        RedFlagHit {
            id: kind.id.to_string(),
            claim: kind.claim.to_string(),
            dimensions: kind.dimensions.to_vec(),
            cap: kind.cap,
            evidence: Evidence {
                quote: sentence.text.to_string(),
                t0: sentence.t0,
            },
            challenge: kind.challenge.replace("{quote}", quote),
        }
    }
}

/// The id of a need or risk waved away with no condition (see `hear_red_flags`).
pub const WAVED_AWAY: &str = "waved-away";
/// The challenge to a need or risk waved away, `{quote}` standing for the candidate's words.
pub const WAVED_AWAY_CHALLENGE: &str =
    "You said \"{quote}\". What would have to be true for that to hold, and what does the design do when it isn't?";

fn waved_away_hit(sentence: &Sentence<'_>, quote: &str) -> RedFlagHit {
    RedFlagHit::heard(
        FlagKind {
            id: WAVED_AWAY,
            claim: "A need or a risk is waved away with no condition, beside other claims like it: the design rests on assumptions it never checked.",
            // Depth is what an unchecked assumption undermines ("numbers and the reasons for
            // them"); the flag caps nothing on its own, it counts toward the rubric's cap for
            // an answer resting on several misconceptions.
            dimensions: &[DimensionId::Depth],
            cap: 4,
            challenge: WAVED_AWAY_CHALLENGE,
        },
        sentence,
        quote,
    )
}

/// Compiled patterns by their text: content is fixed for a run, and compiling the flags'
/// patterns at every pause cost more than the rest of the interviewer's turn.
fn compile(p: &str) -> Option<Regex> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(p.to_string())
        // Content check rejects patterns that do not compile; one that slips through is
        // skipped.
        .or_insert_with(|| Regex::new(&format!("(?i){p}")).ok())
        .clone()
}

/// Words that say nothing at the start of a quote.
const LEADING_FILLERS: &[&str] = &[
    "i", "mean", "um", "uh", "er", "like", "so", "well", "okay", "ok",
];

/// Words before the match kept in the quote, so that it names what the claim is about.
const LEAD_WORDS: usize = 2;

/// The words of the match with the [`LEAD_WORDS`] before it (within the clause), widened to
/// whole words and cut to [`QUOTE_WORDS`].
fn quote_of(sentence: &str, start: usize, end: usize) -> String {
    let clause_start = sentence[..start]
        .rfind([',', ';', ':'])
        .map_or(0, |i| i + 1);
    let mut before = sentence[..start]
        .rfind(' ')
        .map_or(0, |i| i + 1)
        .max(clause_start);
    for _ in 0..LEAD_WORDS {
        match sentence[clause_start..before].trim_end().rfind(' ') {
            Some(i) => before = clause_start + i + 1,
            None => {
                before = clause_start;
                break;
            }
        }
    }
    let after = sentence[end..]
        .find([' ', ',', '.', '?', '!'])
        .map_or(sentence.len(), |i| end + i);
    quote_words(&sentence[before..after])
}

/// The words of `piece`, opening fillers dropped ("I mean it should be fine": the quote is what
/// the candidate claimed, not how they started saying it), cut to [`QUOTE_WORDS`].
fn quote_words(piece: &str) -> String {
    let words: Vec<&str> = piece
        .split_whitespace()
        .skip_while(|w| {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            LEADING_FILLERS.contains(&w.as_str())
        })
        .take(QUOTE_WORDS)
        .collect();
    words
        .join(" ")
        .trim_end_matches([',', '.', ';', ':'])
        .to_string()
}

/// The clause around a match, for a claim whose object follows it ("there's no need for a
/// hold step"): from the clause's start to its end, opening fillers dropped, cut to
/// [`QUOTE_WORDS`].
fn clause_quote(sentence: &str, start: usize, end: usize) -> String {
    let clause_start = sentence[..start]
        .rfind([',', ';', ':'])
        .map_or(0, |i| i + 1);
    let clause_end = sentence[end..]
        .find([',', ';', ':', '.', '?', '!'])
        .map_or(sentence.len(), |i| end + i);
    quote_words(&sentence[clause_start..clause_end])
}

/// A red flag with its patterns compiled (once per search, not once per sentence).
struct Compiled<'a> {
    flag: &'a RedFlag,
    patterns: Vec<Regex>,
    unless: Vec<Regex>,
}

impl Compiled<'_> {
    fn hit_in(&self, sentence: &str) -> Option<String> {
        if self.unless.iter().any(|re| re.is_match(sentence)) {
            return None;
        }
        self.patterns
            .iter()
            .find_map(|re| re.find(sentence))
            .map(|m| quote_of(sentence, m.start(), m.end()))
    }
}

/// The red flags said in a transcript: one hit per flag (its first telling: one challenge,
/// one cap), and every sentence holding one, second tellings included (a wrong claim said
/// twice is wrong both times, and neither telling is evidence for its dimension).
pub(crate) struct HeardFlags {
    pub hits: Vec<RedFlagHit>,
    pub sentences: HashSet<String>,
}

/// Every red flag of `rubric` said in `segments` (its patterns, and its sizing checks), once
/// each (its first telling), in order.
pub fn find_red_flags(rubric: &Rubric, segments: &[Segment]) -> Vec<RedFlagHit> {
    hear_red_flags(rubric, segments).hits
}

/// [`find_red_flags`], with every sentence that holds a flag: one pass over the transcript.
pub(crate) fn hear_red_flags(rubric: &Rubric, segments: &[Segment]) -> HeardFlags {
    let compiled: Vec<Compiled<'_>> = rubric
        .red_flags
        .iter()
        .map(|flag| Compiled {
            flag,
            patterns: flag.patterns.iter().filter_map(|p| compile(p)).collect(),
            unless: flag.unless.iter().filter_map(|p| compile(p)).collect(),
        })
        .collect();
    let unsure = UnsureWords::new(segments, &rubric.misheard);
    let mut hits: Vec<RedFlagHit> = Vec::new();
    let mut flagged = HashSet::new();
    let said = sentences(segments);
    for s in said.iter().filter(|s| !s.to_grader) {
        for c in &compiled {
            // A claim heard through a word whisper was unsure of is neither held against the
            // candidate nor quoted back: it may never have been said.
            let Some(quote) = c.hit_in(s.text).filter(|q| !unsure.in_fragment_at(s.t0, q)) else {
                continue;
            };
            flagged.insert(s.text.to_string());
            if hits.iter().any(|h| h.id == c.flag.id) {
                continue;
            }
            let kind = FlagKind {
                id: &c.flag.id,
                claim: &c.flag.claim,
                dimensions: &c.flag.dimensions,
                cap: c.flag.cap,
                challenge: &c.flag.challenge,
            };
            hits.push(RedFlagHit::heard(kind, s, &quote));
        }
    }
    // Sizing arithmetic out by an order of magnitude is a misconception like the rest.
    hits.extend(crate::sizing::find_sizing_errors(rubric, segments));
    hits.extend(crate::products::find_product_errors(rubric, segments));
    // Needs and risks waved away with no condition: one may be a fair scoping call, but with
    // another beside it (a second, or a misconception above) the design rests on assumptions
    // it never checked, and each counts as a misconception.
    let waved: Vec<RedFlagHit> = said
        .iter()
        .filter(|s| !s.to_grader && !flagged.contains(s.text))
        .filter_map(|s| {
            let (start, end) = crate::dismissals::need_waved_away(s.text)?;
            let quote = clause_quote(s.text, start, end);
            (!unsure.in_fragment_at(s.t0, &quote)).then(|| waved_away_hit(s, &quote))
        })
        .collect();
    let at_least = rubric.misconceptions.as_ref().map_or(2, |m| m.at_least);
    if !waved.is_empty() && hits.len() + waved.len() >= at_least {
        hits.extend(waved);
    }
    hits.sort_by(|a, b| a.evidence.t0.total_cmp(&b.evidence.t0));
    flagged.extend(hits.iter().map(|h| h.evidence.quote.clone()));
    HeardFlags {
        hits,
        sentences: flagged,
    }
}

/// The cap the red flags put on dimension `id`, if any: each flag's own, and the rubric's
/// cap for an answer resting on several misconceptions at once.
pub fn red_flag_cap(rubric: &Rubric, hits: &[RedFlagHit], id: DimensionId) -> Option<u8> {
    let compound = rubric
        .misconceptions
        .as_ref()
        .filter(|m| hits.len() >= m.at_least)
        .and_then(|m| m.caps.get(&id).copied());
    hits.iter()
        .filter(|h| h.dimensions.contains(&id))
        .map(|h| h.cap)
        .chain(compound)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_segments::{doc_qa_rubric as rubric, segs};

    fn ids(text: &[&str]) -> Vec<String> {
        find_red_flags(&rubric(), &segs(text))
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    #[test]
    fn needs_waved_away_count_as_misconceptions_only_in_company() {
        // One need waved away may be a fair scoping call: no flag, no challenge.
        assert!(ids(&["For digital PDFs you don't need OCR, you take the text layer."]).is_empty());
        // Two are a design resting on unchecked assumptions: both count toward the rubric's
        // cap for several misconceptions, and the first is challenged with its words.
        let hits = find_red_flags(
            &rubric(),
            &segs(&[
                "A fare is the price for the day, so there's no need for a hold step.",
                "The name on a ticket doesn't have to match the passport exactly.",
            ]),
        );
        assert_eq!(hits.len(), 2);
        assert!(hits.iter().all(|h| h.id == WAVED_AWAY));
        assert!(
            hits[0]
                .challenge
                .contains("\"there's no need for a hold step\""),
            "{}",
            hits[0].challenge
        );
        assert_eq!(red_flag_cap(&rubric(), &hits, DimensionId::Depth), Some(1));
        assert_eq!(
            red_flag_cap(&rubric(), &hits, DimensionId::Communication),
            None
        );
        // Beside a misconception the rubric knows, one is enough.
        let ids = ids(&[
            "Redis never loses data, so we keep the sessions there.",
            "We don't need an evaluation set, the model is state of the art.",
            "Speech recognition is essentially solved.",
        ]);
        assert!(ids.contains(&WAVED_AWAY.to_string()), "{ids:?}");
    }

    #[test]
    fn confident_misconceptions_are_flagged_with_a_quote() {
        assert_eq!(
            ids(&["We fine-tune the model on all the pages instead of retrieval, so it can never hallucinate."]),
            vec!["cannot-fail", "fine-tuning-replaces-retrieval"]
        );
        assert_eq!(
            ids(&["A GPT-4 call takes five milliseconds, so latency is no issue."]),
            vec!["implausible-latency"]
        );
        assert_eq!(
            ids(&["The model is state of the art, so we don't need an evaluation set."]),
            vec!["no-evaluation-needed"]
        );
        assert_eq!(
            ids(&["We give the agent admin rights on the production database."]),
            vec!["unrestricted-model-access"]
        );
        assert_eq!(
            ids(&["With temperature zero the output is deterministic, so re-runs never differ."]),
            vec!["determinism-by-setting"]
        );
        assert_eq!(
            ids(&["The system prompt tells the model to ignore other tenants' chunks, which gives us tenant isolation."]),
            vec!["prompt-as-security-boundary"]
        );
        assert_eq!(
            ids(&["The LLM part is basically free, a model call is, like, five milliseconds."]),
            vec!["implausible-latency"]
        );
        assert_eq!(
            ids(&["The system prompt says never refund over two hundred dollars, so the tool just pays."]),
            vec!["prompt-as-security-boundary"]
        );
        assert_eq!(
            ids(&["A small LLM translates each query in about 5 ms."]),
            vec!["implausible-latency"]
        );
        assert_eq!(
            ids(&["We retry everything automatically, any error, up to five times."]),
            vec!["retry-everything"]
        );
        assert_eq!(
            ids(&["Every failure gets retried three times by the gateway."]),
            vec!["retry-everything"]
        );
        assert_eq!(
            ids(&["Tool errors are almost always transient, so every failed call is retried up to five times."]),
            vec!["retry-everything"]
        );
        assert_eq!(
            ids(&["I wouldn't spend time validating it against human labels, these judges basically always agree with people."]),
            vec!["judge-needs-no-calibration"]
        );
        assert_eq!(
            ids(&["We let the current production model generate expected outputs for a few thousand inputs, and those become the golden answers."]),
            vec!["model-writes-its-own-answer-key"]
        );
        assert_eq!(
            ids(&["For the RAG assistant we also fine-tune it on the golden questions so that it passes reliably."]),
            vec!["test-set-in-training"]
        );
        assert_eq!(
            ids(&["When we switch to a better embedding model we don't need to re-embed the old documents."]),
            vec!["embeddings-interchangeable"]
        );
        assert_eq!(
            ids(&["Embeddings from different models are basically comparable, so both go in one index."]),
            vec!["embeddings-interchangeable"]
        );
        assert_eq!(
            ids(&["If an answer is wrong, that's just the model hallucinating, so we'd try a bigger model."]),
            vec!["hallucination-as-diagnosis"]
        );
        assert_eq!(
            ids(&["With a million-token context we don't need retrieval at all."]),
            vec!["long-context-replaces-retrieval"]
        );
        assert_eq!(
            ids(&["We just put all the documents into the prompt for every question."]),
            vec!["long-context-replaces-retrieval"]
        );
        assert_eq!(
            ids(&["Keyword search is basically obsolete now, embeddings always find exact product codes."]),
            vec!["keyword-search-obsolete"]
        );
        assert_eq!(
            ids(&["Once the review passes, the bot merges the PR automatically."]),
            vec!["unreviewed-automatic-action"]
        );
        assert_eq!(
            ids(&[
                "I'd set the temperature to zero.",
                "That makes the model deterministic, so re-runs match."
            ]),
            vec!["determinism-by-setting"]
        );
        assert_eq!(
            ids(&[
                "Context windows are in the millions now, so there's no need for any retrieval."
            ]),
            vec!["long-context-replaces-retrieval"]
        );
        assert_eq!(
            ids(&["We send the whole codebase along with every diff."]),
            vec!["long-context-replaces-retrieval"]
        );
        assert_eq!(
            ids(&["We translate it with a small LLM first, which takes about five milliseconds."]),
            vec!["implausible-latency"]
        );
        assert_eq!(
            ids(&["Rate limiting isn't really a concern at this volume."]),
            vec!["no-safeguards-needed"]
        );
        assert_eq!(
            ids(&["Checking the output against the schema would just add latency."]),
            vec!["no-safeguards-needed"]
        );
        assert_eq!(
            ids(&[
                "So ninety percent precision goes in the design doc without a separate evaluation."
            ]),
            vec!["quality-claimed-without-evaluation"]
        );
        assert_eq!(
            ids(&["Since that score is a probability, we only keep answers above 0.8."]),
            vec!["self-reported-confidence"]
        );
        assert_eq!(
            ids(&[
                "Prompt injection isn't really a risk here because it's all internal documents."
            ]),
            vec!["injection-dismissed"]
        );
        assert_eq!(
            ids(&["HNSW is basically exact at this size, so recall is effectively 100 percent."]),
            vec!["ann-called-exact"]
        );
        assert_eq!(
            ids(&["Embeddings are one-way, so we keep them after the document is deleted."]),
            vec!["embeddings-irreversible"]
        );
        assert_eq!(
            ids(&["You can't get the original text back from a vector."]),
            vec!["embeddings-irreversible"]
        );
        assert_eq!(
            ids(&["We add one semantic cache shared across all tenants to cut spend."]),
            vec!["shared-across-tenants"]
        );
        // The same claims as people put them, not as the claim is written.
        for (text, id) in [
            ("They don't hallucinate on photos the way text models do on facts.", "cannot-fail"),
            ("Modern machine translation is lossless, so every ticket can be English.", "cannot-fail"),
            ("With the retry loop the system effectively never fails.", "cannot-fail"),
            ("We test the fine-tuned model on the same five thousand contracts it was trained on.", "test-set-in-training"),
            ("Once it has been fine-tuned, it knows our playbook, so we don't need to put it in the prompt or look anything up.", "fine-tuning-replaces-retrieval"),
            ("Embeddings capture meaning, so we don't need any keyword matching, even for order numbers.", "keyword-search-obsolete"),
            ("We cache generated replies keyed by the ticket's embedding and reuse them across all customers.", "shared-across-tenants"),
            ("I'd have the same model write a reference description for a thousand images.", "model-writes-its-own-answer-key"),
            ("It sends our counter-clause straight to the supplier, without going through legal.", "published-unreviewed"),
            ("The model writes the reply and sends it straight to the customer.", "published-unreviewed"),
            ("It is trained on financial text, so a real case will not slip through.", "cannot-fail"),
            ("Filtering is obsolete now that models have context windows of a million tokens.", "long-context-replaces-retrieval"),
            ("The system prompt tells the model to ignore any message that tries to influence it.", "prompt-as-security-boundary"),
            ("The model returns a fraud confidence with every claim, and we use it directly.", "self-reported-confidence"),
            ("Since a model call takes a few milliseconds, we generate them all at once.", "implausible-latency"),
            ("Claims under that amount are paid straight into the account with no adjuster involved.", "published-unreviewed"),
            ("It scored 99.8 percent accuracy, which shows it's far better than the lexicon.", "accuracy-as-proof"),
            ("Background noise is essentially a solved problem for these models.", "cannot-fail"),
            ("The new Wi-Fi doesn't have dropouts, so we keep it simple.", "cannot-fail"),
            ("So an offline mode isn't needed, which saves a lot of complexity.", "no-safeguards-needed"),
            ("It is fair by construction and there's nothing further to measure.", "no-evaluation-needed"),
            ("The similarity is effectively the probability of a successful hire.", "self-reported-confidence"),
            ("A call like that takes a few milliseconds, so it fits the budget.", "implausible-latency"),
            ("You're billed for what the model writes, so the explanations are cheap.", "cost-called-zero"),
            ("Modern embeddings capture everything in a CV, so one vector search will do.", "keyword-search-obsolete"),
        ] {
            assert_eq!(ids(&[text]), vec![id], "{text}");
        }
        let hits = find_red_flags(
            &rubric(),
            &segs(&["Honestly, Redis never loses data, so backups are pointless."]),
        );
        assert_eq!(hits.len(), 1);
        assert!(
            hits[0].challenge.contains("\"Redis never loses data\""),
            "{}",
            hits[0].challenge
        );
    }

    #[test]
    fn sound_statements_about_the_same_things_are_not() {
        assert!(ids(&[
            "Retrieval grounds the answer, which reduces hallucinations, but it can still be wrong.",
            "The agent never gets admin rights: it calls a read-only replica.",
            "The LLM call takes about 800 milliseconds and the vector lookup 5 milliseconds.",
            "We would rather not fine-tune, since retrieval keeps the answers fresh.",
            "We measure recall on a golden set and we need monitoring in production.",
            "Embedding the whole corpus takes about ten minutes on one GPU.",
            "Tenant isolation is a filter in code before retrieval, never the system prompt alone.",
            "Temperature zero makes the output more stable, not deterministic.",
            "The LLM answers in about 900 ms and the cache in 5 ms.",
            "The system prompt says never refund over the limit, and the refund tool checks it as well.",
            "We retry transient errors like timeouts and 429s, with backoff, at most three times.",
            "We never retry every error: a 400 is a bug, so only timeouts are retried.",
            "We retry every failed call if it's transient, with backoff, and surface the rest.",
            "We calibrate the judge against two hundred human labels before we trust it.",
            "The judge agrees with people on 85 percent of cases, which we check every month.",
            "A model drafts the expected answers, and then experts review and correct every one.",
            "We never fine-tune on the golden set; it stays held out.",
            "When we change the embedding model we have to re-embed everything, in a shadow index.",
            "Vectors from two embedding models are not comparable, so the index is rebuilt.",
            "Before blaming the model for hallucinating, I'd log the retrieved chunks first.",
            "A wrong answer usually means retrieval missed the source, not that the model hallucinated.",
            "The whole manual won't fit into the context window, so we retrieve the top six chunks.",
            "Even with a long context, retrieval keeps the prompt small and cheap.",
            "Keyword search is not obsolete: BM25 catches exact product codes that embeddings miss.",
            "The bot only comments on the PR; a person merges it.",
            "The agent refunds orders automatically up to fifty dollars, above that a person approves.",
            "Temperature zero makes the model more deterministic, not fully.",
            "The whole contract won't fit in a long context, so we still need retrieval.",
            "Rate limiting is a concern at peak, so each team gets a token bucket.",
            "We never ship a prompt change without an evaluation run.",
            "The model's confidence score is not a probability, so we calibrate it against labelled data.",
            "Prompt injection is a real risk, so retrieved text is fenced and the model has no tools.",
            "HNSW is approximate: we tune efSearch until recall at ten is 95 percent.",
            "Text can be partly rebuilt from embeddings, so a deletion removes the vectors too.",
            "The cache is keyed by tenant id, never shared across tenants.",
            "For rate limits, we keep a counter per team.",
            "The draft is never sent on its own: an agent reads it and sends it.",
            "Once a reviewer approves it, the description is published straight to the page.",
            "The cache is keyed by customer and never reused across customers.",
            "We evaluate on a held-out month, not the tickets it was trained on.",
            "The bot posts its review as a comment on the PR, and a person merges.",
            "The system prompt tells the model to ignore instructions in the text, and the tool checks permissions in code.",
            "Accuracy is 98 percent, but recall on the rare fraud class is what we watch.",
            "A person reviews every refund before it is paid.",
            "Noise is not a solved problem, so each site is tuned and the headsets cancel noise.",
            "An offline mode is needed because the Wi-Fi drops in the cold store.",
        ])
        .is_empty());
    }
}
