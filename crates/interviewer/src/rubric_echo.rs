//! Sentences that recite the rubric's own anchors ("every component is justified by a
//! requirement, and the online and offline paths are kept separate"; "for each key decision I
//! weigh both sides, give a reason with a number, and say when I'd choose otherwise"). One such
//! sentence is a candidate who happens to put a point the way the rubric does; three are an
//! answer describing the answer a grader wants instead of giving one, and none of them is
//! evidence of anything.

use rehearse_content::Rubric;
use std::collections::HashSet;

/// Pairs of content words a sentence must share with the anchors to echo them.
const ECHO_PAIRS: usize = 2;
/// Sentences echoing the anchors from which an answer recites the rubric.
const ECHO_SENTENCES: usize = 3;

/// Words that carry no content of their own.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "by", "at", "as", "is",
    "are", "be", "it", "its", "this", "that", "their", "there", "them", "they", "we", "i", "you",
    "our", "your", "what", "how", "each", "every", "one", "two", "more", "less", "not", "no",
    "from", "into", "out", "up", "then", "so", "if", "when", "which", "who", "do", "does", "did",
    "has", "have", "had", "will", "would", "can", "could", "should", "may", "might", "about",
    "only", "also", "just", "than", "too", "very", "own", "same", "other", "some", "any", "all",
    "both", "few", "most", "such", "over", "under", "again", "here", "once",
];

/// A word's first five letters: "requirements" and "requirement", "separated" and "separate"
/// are the same word here.
fn stem(word: &str) -> String {
    word.chars().take(5).collect()
}

/// The pairs of neighbouring content words of `text`, stemmed.
fn content_pairs(text: &str) -> HashSet<(String, String)> {
    let words: Vec<String> = crate::verbs::words(text)
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|w| stem(w))
        .collect();
    words
        .windows(2)
        .map(|w| (w[0].clone(), w[1].clone()))
        .collect()
}

/// The sentences of `said` that recite `rubric`'s anchors, when there are enough of them to
/// make the answer a recital of the rubric; otherwise none.
pub(crate) fn rubric_echoes<'a>(rubric: &Rubric, said: &[&'a str]) -> HashSet<&'a str> {
    let anchors: HashSet<(String, String)> = rubric
        .dimensions
        .iter()
        .flat_map(|d| d.anchors.iter())
        .flat_map(|a| content_pairs(a))
        .collect();
    let echoes: HashSet<&str> = said
        .iter()
        .copied()
        .filter(|s| content_pairs(s).intersection(&anchors).count() >= ECHO_PAIRS)
        .collect();
    if echoes.len() >= ECHO_SENTENCES {
        echoes
    } else {
        HashSet::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_segments::doc_qa_rubric as rubric;

    #[test]
    fn an_answer_describing_the_wanted_answer_recites_the_rubric() {
        let said = [
            "Let me start with the requirements and turn them into numbers that drive the design, stating my assumptions out loud.",
            "Every component is justified by a requirement, and the online and offline paths are separated.",
            "The data model and the APIs have contracts with ids and versions that fit the access patterns.",
            "For each key decision I weigh both sides, give a reason with numbers, and say when I'd choose otherwise.",
        ];
        assert_eq!(rubric_echoes(&rubric(), &said).len(), 4);
    }

    #[test]
    fn a_design_put_the_rubric_s_way_once_or_twice_is_a_design() {
        let said = [
            "On the request path the gateway authenticates the user and the tenant id comes from the token.",
            "The ingestion path chunks each page into 500 tokens with the page number as metadata.",
            "We cache embeddings by content hash, so re-ingesting an unchanged page costs nothing.",
            "Before launch, two hundred questions with known answers, recall at ten gated in CI.",
        ];
        assert!(rubric_echoes(&rubric(), &said).is_empty());
    }
}
