//! Signposts said by naming the topic first: "For rate limits, I'd use Redis", "On deletion,
//! we drop the chunks", "To check quality, I'd build a test set". A speaker who opens
//! sentence after sentence this way is walking the listener through the parts, even without
//! "first" or "next".

use rehearse_content::Concept;

/// Sentences opening with one of a concept's openers that this many times make it met: one
/// such sentence may be an accident of phrasing, two are a habit.
const OPENED_SENTENCES: usize = 2;

/// Idioms that start like a topic but name none ("for example", "on the other hand").
const NOT_TOPICS: &[&str] = &[
    " for example ",
    " for instance ",
    " for now ",
    " for each ",
    " for every ",
    " for a ",
    " for one ",
    " on top ",
    " on average ",
    " on the other hand ",
    " on the one hand ",
];

/// The first of the sentences that open with one of `concept`'s openers, when at least
/// [`OPENED_SENTENCES`] do. `sentences` are (normalised text padded with spaces, the sentence).
pub(crate) fn opened_by_topic<'a, S>(
    concept: &Concept,
    sentences: impl Iterator<Item = (&'a str, S)>,
) -> Option<S> {
    if concept.openers.is_empty() {
        return None;
    }
    let openers: Vec<String> = concept
        .openers
        .iter()
        .map(|o| format!(" {} ", rehearse_core::normalize_for_match(o)))
        .filter(|o| o.trim().len() > 1)
        .collect();
    let mut opened = sentences.filter(|(norm, _)| {
        openers.iter().any(|o| norm.starts_with(o.as_str()))
            && !NOT_TOPICS.iter().any(|idiom| norm.starts_with(idiom))
    });
    let first = opened.next()?.1;
    (opened.count() + 1 >= OPENED_SENTENCES).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rehearse_core::Evidence;

    fn signposts() -> Concept {
        Concept {
            name: "signposts".into(),
            question: "Does the candidate signpost?".into(),
            phrases: vec!["next".into()],
            openers: vec!["for".into(), "on".into(), "to check".into()],
        }
    }

    fn met(sentences: &[&str]) -> Option<String> {
        let norms: Vec<String> = sentences
            .iter()
            .map(|s| format!(" {} ", rehearse_core::normalize_for_match(s)))
            .collect();
        opened_by_topic(
            &signposts(),
            norms.iter().zip(sentences).map(|(n, s)| {
                (
                    n.as_str(),
                    Evidence {
                        quote: s.to_string(),
                        t0: 0.0,
                    },
                )
            }),
        )
        .map(|e| e.quote)
    }

    #[test]
    fn two_sentences_that_name_their_topic_first_are_signposts() {
        assert_eq!(
            met(&[
                "We chunk the pages.",
                "For rate limits, I'd keep a counter per team in Redis.",
                "On deletion we drop the document's chunks too.",
            ])
            .as_deref(),
            Some("For rate limits, I'd keep a counter per team in Redis.")
        );
        assert_eq!(
            met(&[
                "To check quality, I'd build a test set.",
                "For EU customers we run a copy in Frankfurt."
            ])
            .as_deref(),
            Some("To check quality, I'd build a test set.")
        );
    }

    #[test]
    fn one_opener_or_an_idiom_is_not() {
        assert_eq!(
            met(&["For rate limits, I'd use Redis.", "We retry twice."]),
            None
        );
        assert_eq!(
            met(&[
                "For example, a page.",
                "On the other hand it costs more.",
                "For each chunk we store a vector."
            ]),
            None
        );
        assert_eq!(
            met(&["We keep it simple, for now.", "Built on top of Postgres."]),
            None
        );
    }
}
