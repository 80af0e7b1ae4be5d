//! Whether an answer says anything specific at all. A design, even a plain one, gives a figure
//! ("about 2,000 employees", "top five chunks") or a condition or a reason ("if the call times
//! out", "because scans have no text layer"). Fluent buzzword prose ("we'd leverage RAG with
//! embeddings and a vector database, plus guardrails, to make sure the LLM is grounded end to
//! end") gives neither, however many rubric terms it strings into sentences with verbs: it
//! names topics and designs nothing, like a recited list (see `crate::score`).

use crate::sentences::sentences_to_the_interviewer;
use crate::verbs::words;
use rehearse_core::Segment;

/// At most this many figures, conditions and reasons together: an answer that gives no more
/// is unspecific.
const MAX_SPECIFICS_OF_AN_UNSPECIFIC_ANSWER: usize = 1;

/// Below this many words an answer is too short to judge this way (a pause, "fine").
const JUDGED_FROM_WORDS: usize = 30;

/// Words that make a clause a condition or a reason: what happens when, and why.
const CONDITION_WORDS: &[&str] = &[
    "if",
    "when",
    "whenever",
    "unless",
    "until",
    "otherwise",
    "instead",
    "rather",
    "because",
    "since",
];

/// Number words, as a speaker says figures.
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
    "ninety", "hundred", "thousand", "million", "billion", "half", "dozen",
];

/// Words of consultancy prose, not of design: qualities claimed and approaches labelled, never a
/// part doing something ("robust", "leverage", "AI-first", "key pillars"). The "-ability" nouns
/// ("scalability", "observability") count too.
const BUZZWORDS: &[&str] = &[
    "robust",
    "scalable",
    "seamless",
    "seamlessly",
    "holistic",
    "holistically",
    "enterprisegrade",
    "agentic",
    "aifirst",
    "aidriven",
    "aipowered",
    "leverage",
    "leverages",
    "leveraging",
    "pillars",
    "pillar",
    "paradigm",
    "cuttingedge",
    "stateoftheart",
    "bestinclass",
    "worldclass",
    "synergy",
    "synergies",
    "cloudnative",
    "futureproof",
    "nextgeneration",
    "nextgen",
    "missioncritical",
    "governance",
    "explainable",
    "trustworthy",
    "responsible",
    "innovative",
    "comprehensive",
    "industrystandard",
    "battletested",
    "productiongrade",
    "enterpriseready",
    "frictionless",
    "streamline",
    "streamlined",
    "empower",
    "empowers",
    "unlock",
    "harness",
    "ecosystem",
    "datadriven",
    "bulletproof",
    "resilient",
];

/// At least this share of an unspecific answer's words are buzzwords: it is a keyword salad
/// told in sentences, graded as a recital.
const BUZZ_SHARE_OF_A_SALAD: f64 = 0.015;

/// How many figures, conditions and reasons `words` give.
fn specifics_in(words: &[String]) -> usize {
    words
        .iter()
        .filter(|w| {
            w.chars().any(|c| c.is_ascii_digit())
                || NUMBER_WORDS.contains(&w.as_str())
                || CONDITION_WORDS.contains(&w.as_str())
        })
        .count()
}

/// At least this share of buzzwords is consultancy prose whatever else it says: the answers of
/// the reference sets that are not keyword salads stay at 1 % or under, the salads reach 3-6 %,
/// and one number or "rather than" said in passing does not make such prose a design.
const BUZZ_SHARE_WHATEVER_ELSE: f64 = 0.03;

/// From this many words, an answer with not a single condition or reason ("if", "when",
/// "because", "instead") recites its parts and says nothing of how they behave or why they are
/// there, however many figures it gives ("twenty-five thousand tickets a day are no problem").
/// In every reference set only keyword salads do this; the shortest strong answer has two.
const REASONS_EXPECTED_FROM_WORDS: usize = 150;

/// At least this share of an answer's words are names (capitalised inside a sentence: "Kafka",
/// "Pinecone", "Datadog"): parts named one after another. With no condition or reason at all
/// that is a salad of products; the plainest designs of the reference sets stay under 2 %, the
/// product salads at 6 % and more.
const NAME_SHARE_OF_A_PRODUCT_SALAD: f64 = 0.04;

/// A share of names that no design of the reference sets reaches in 150 words or more (the
/// most, 4.9 %, in a medium answer with three conditions): with at most one condition or
/// reason, such an answer is a list of products told in sentences.
const NAME_SHARE_OF_A_PRODUCT_LIST: f64 = 0.06;

/// The share of `said`'s words that are names: capitalised, not the first word of their
/// sentence, not "I".
fn name_share(said: &[&str]) -> f64 {
    let mut words = 0usize;
    let mut names = 0usize;
    for sentence in said {
        for (i, w) in sentence.split_whitespace().enumerate() {
            words += 1;
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
            let is_i = bare == "I" || bare.starts_with("I'") || bare.starts_with("I\u{2019}");
            if i > 0 && !is_i && bare.chars().next().is_some_and(char::is_uppercase) {
                names += 1;
            }
        }
    }
    names as f64 / words.max(1) as f64
}

/// How many conditions and reasons `words` give.
fn conditions_in(words: &[String]) -> usize {
    words
        .iter()
        .filter(|w| CONDITION_WORDS.contains(&w.as_str()))
        .count()
}

/// How specific an answer is, from the words it says to the interviewer (words to the grader
/// do not count either way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Specificity {
    /// Figures, conditions or reasons: a design, however thin.
    Specific,
    /// At most one figure, condition or reason in an answer of some length: a design only
    /// named ("I'd use an LLM with RAG and a vector database").
    Unspecific,
    /// A keyword salad told in sentences: unspecific and thick with buzzwords, or at length
    /// without a single condition or reason. Graded as a recital.
    Recital,
}

/// The [`Specificity`] of what `segments` say.
pub(crate) fn specificity(segments: &[Segment]) -> Specificity {
    let said = sentences_to_the_interviewer(segments);
    // Figures word by word ("ninety-five" is two number words); buzzwords with their hyphens
    // closed up ("AI-first" is one).
    let figures: Vec<String> = said.iter().flat_map(|t| words(t)).collect();
    if figures.len() < JUDGED_FROM_WORDS {
        return Specificity::Specific;
    }
    let closed_up: Vec<String> = said
        .iter()
        .flat_map(|t| words(&t.replace('-', "")))
        .collect();
    let buzz = closed_up
        .iter()
        .filter(|w| BUZZWORDS.contains(&w.as_str()) || (w.len() > 9 && w.ends_with("ability")))
        .count();
    let buzz_share = buzz as f64 / closed_up.len().max(1) as f64;
    let conditions = conditions_in(&figures);
    let no_reason_at_all = figures.len() >= REASONS_EXPECTED_FROM_WORDS && conditions == 0;
    // A plain design can go a while without "if" or "because" ("so the tutor uses the same
    // methods the school uses"); parts named at length with none, thick with products or
    // buzzwords, cannot.
    // Thicker with products still ("GPT-4o as the reasoning backbone, orchestrated with
    // LangChain agents, Pinecone as the vector store"), one "rather than" does not make it a
    // design either.
    let names = name_share(&said);
    let listed = (no_reason_at_all
        && (buzz_share >= BUZZ_SHARE_OF_A_SALAD || names >= NAME_SHARE_OF_A_PRODUCT_SALAD))
        || (figures.len() >= REASONS_EXPECTED_FROM_WORDS
            && conditions <= 1
            && names >= NAME_SHARE_OF_A_PRODUCT_LIST);
    let unspecific = specifics_in(&figures) <= MAX_SPECIFICS_OF_AN_UNSPECIFIC_ANSWER;
    if buzz_share >= BUZZ_SHARE_WHATEVER_ELSE
        || listed
        || (unspecific && buzz_share >= BUZZ_SHARE_OF_A_SALAD)
    {
        Specificity::Recital
    } else if unspecific {
        Specificity::Unspecific
    } else {
        Specificity::Specific
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_segments::seg;

    fn segments_of(text: &str) -> Vec<Segment> {
        vec![seg(0.0, text)]
    }

    #[test]
    fn a_salad_told_in_sentences_is_a_recital_a_named_design_unspecific_and_a_plain_design_specific(
    ) {
        let buzz = "For this I'd take an AI-first approach where scalability, reliability and \
            observability are the key pillars. We'd leverage RAG with embeddings and a vector \
            database, plus guardrails and a human in the loop, to make sure the LLM is grounded \
            end to end. Latency versus throughput is an important trade-off, so caching comes \
            into play, and we'd monitor drift with a robust evals framework.";
        assert_eq!(specificity(&segments_of(buzz)), Specificity::Recital);
        // A design only named, in plain words: unspecific, not a salad.
        let named = "I'd put an LLM between the alerts and the analysts. Each alert gets sent \
            to the model with the customer's recent transactions, and it writes a short summary. \
            The analysts see that in their tool and make the decision.";
        assert_eq!(specificity(&segments_of(named)), Specificity::Unspecific);
        // Plain, with no figure, but with what happens when: specific.
        let plain = "I'd chunk the manuals and embed them into a vector store. When a question \
            comes in we retrieve the closest chunks and the model answers from them with \
            citations. If retrieval finds nothing relevant, it says it does not know instead \
            of guessing, and we log those questions for the team.";
        assert_eq!(specificity(&segments_of(plain)), Specificity::Specific);
        // A number said with a hyphen is a figure all the same.
        let hyphenated = "We'd aim for ninety-five percent of questions answered from the \
            manuals, with the model grounded in the retrieved pages and a human reviewer for \
            anything the assistant cannot answer, and a dashboard for the team to watch.";
        assert_eq!(specificity(&segments_of(hyphenated)), Specificity::Specific);
        // Figures are specifics too.
        let sized = "About two thousand employees ask around five thousand questions a day, and \
            answers should start within two seconds; the corpus is ten thousand pages of \
            manuals that change every week, which we chunk and embed overnight.";
        assert_eq!(specificity(&segments_of(sized)), Specificity::Specific);
        // Consultancy prose stays a salad with a number or a "rather than" in it.
        let prose = "The key is a holistic, AI-first approach. We'd leverage a \
            state-of-the-art model with agentic workflows, so that extraction and scoring become \
            one seamless pipeline, and governance is embedded end to end, empowering the team \
            to be a strategic partner rather than a bottleneck.";
        assert_eq!(specificity(&segments_of(prose)), Specificity::Recital);
        // Parts and figures with not one condition or reason in 150 words: recited, not designed.
        let parts = "I'd put Kafka at the front, then a classification service, a vector \
            database and an LLM for the drafts, all behind an API gateway. "
            .repeat(6)
            + "The twenty-five thousand tickets a day are no problem, latency stays under two \
            seconds, and accuracy should be around ninety-five percent.";
        assert_eq!(specificity(&segments_of(&parts)), Specificity::Recital);
        // A plain design may go 150 words without "if" or "because": what it does is said.
        let plain_long = "The student opens the app and types a question or takes a photo of \
            the worksheet, and photos go through text recognition first. The question goes to \
            the model with instructions to explain the idea and ask questions back, and the \
            reply streams so the first words appear quickly. "
            .repeat(3)
            + "We keep each conversation per student, so the tutor remembers its hints, and a \
            weekly job sums the sessions up for the parent, who can set a daily limit that the \
            app enforces. At peak that is sixty thousand students at once, and the tutor retrieves \
            the top five curriculum chunks for each question.";
        assert_eq!(
            specificity(&segments_of(&plain_long)),
            Specificity::Specific
        );
        // Too short to judge.
        assert_eq!(
            specificity(&segments_of("It should be fine.")),
            Specificity::Specific
        );
    }
}
