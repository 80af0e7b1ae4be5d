//! The JSON asked of the model and what is accepted back: the schemas its answers are
//! constrained to, the answers as a model writes them, and the checks an answer must pass
//! before anything is used (a failed check goes back to the model for one repair).

use crate::injection::MAX_QUESTION_CHARS;
use crate::uncertain::{quoted_phrases, UnsureWords};
use rehearse_content::Rubric;
use rehearse_core::{normalize_for_match, DimensionId};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashSet;

#[derive(Debug, Deserialize)]
pub(super) struct FollowUpAnswer {
    #[allow(dead_code)]
    #[serde(default)]
    pub(super) gaps: Vec<String>,
    pub(super) targets: Vec<String>,
    pub(super) question: String,
}

#[derive(Debug, Deserialize)]
#[serde(from = "ScoreWire")]
pub(super) struct ScoreAnswer {
    pub(super) dimensions: Vec<DimensionAnswer>,
}

/// A scorecard as a model writes it: the shape asked for (one property per dimension id, so a
/// constrained model cannot repeat or skip one), or a list of dimensions with their ids.
#[derive(Deserialize)]
#[serde(untagged)]
enum ScoreWire {
    List { dimensions: Vec<DimensionAnswer> },
    ById(std::collections::BTreeMap<String, DimensionBody>),
}

#[derive(Debug, Deserialize)]
struct DimensionBody {
    #[serde(default)]
    evidence: Vec<QuoteAnswer>,
    level: u8,
    #[serde(default)]
    suggestion: String,
}

impl From<ScoreWire> for ScoreAnswer {
    fn from(wire: ScoreWire) -> Self {
        let dimensions = match wire {
            ScoreWire::List { dimensions } => dimensions,
            ScoreWire::ById(by_id) => by_id
                .into_iter()
                .map(|(id, b)| DimensionAnswer {
                    id,
                    evidence: b.evidence,
                    level: b.level,
                    suggestion: b.suggestion,
                })
                .collect(),
        };
        ScoreAnswer { dimensions }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct DimensionAnswer {
    pub(super) id: String,
    #[serde(default)]
    pub(super) evidence: Vec<QuoteAnswer>,
    pub(super) level: u8,
    #[serde(default)]
    pub(super) suggestion: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct QuoteAnswer {
    pub(super) quote: String,
}

/// One question, as asked: small models string several together ("...? Also, ...?") or run on
/// to the length limit; the turn keeps the text up to the first question mark.
pub(super) fn first_question(text: &str) -> &str {
    let t = text.trim();
    match t.find('?') {
        Some(i) => &t[..=i],
        None => t,
    }
}

pub(super) fn dimension_ids(rubric: &Rubric) -> Vec<&'static str> {
    rubric.dimensions.iter().map(|d| d.id.as_str()).collect()
}

/// The follow-up's schema: the gaps, the dimensions the question targets, then the question.
pub(super) fn follow_up_schema(rubric: &Rubric) -> serde_json::Value {
    let ids = dimension_ids(rubric);
    json!({
        "type": "object",
        "properties": {
            "gaps": {"type": "array", "items": {"type": "string", "enum": ids}, "maxItems": 4},
            "targets": {"type": "array", "items": {"type": "string", "enum": ids},
                        "minItems": 1, "maxItems": 2},
            "question": {"type": "string", "maxLength": MAX_QUESTION_CHARS}
        },
        "required": ["gaps", "targets", "question"],
        "additionalProperties": false
    })
}

/// The scorecard's schema: every rubric dimension with its quotes, level and suggestion.
pub(super) fn scorecard_schema(rubric: &Rubric) -> serde_json::Value {
    let ids = dimension_ids(rubric);
    // One property per dimension, all required: the grammar makes a constrained model
    // write each exactly once (with a list, Qwen2.5-1.5B repeated one and skipped another).
    let dimension = json!({
        "type": "object",
        "properties": {
            "evidence": {"type": "array", "maxItems": 2, "items": {
                "type": "object",
                "properties": {"quote": {"type": "string", "maxLength": 160}},
                "required": ["quote"], "additionalProperties": false}},
            "level": {"type": "integer", "minimum": 0, "maximum": 4},
            "suggestion": {"type": "string", "maxLength": 160}
        },
        "required": ["evidence", "level", "suggestion"],
        "additionalProperties": false
    });
    let properties: serde_json::Map<String, serde_json::Value> = ids
        .iter()
        .map(|id| (id.to_string(), dimension.clone()))
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": ids,
        "additionalProperties": false
    })
}

/// A follow-up is accepted with known dimension ids, a non-empty question under
/// [`MAX_QUESTION_CHARS`], not one already asked (`asked_norm`, normalised), and quoting no
/// word the speech recogniser was unsure of (`unsure`).
pub(super) fn check_follow_up(
    a: &FollowUpAnswer,
    known: &HashSet<DimensionId>,
    asked_norm: &HashSet<String>,
    unsure: &UnsureWords,
) -> Result<(), String> {
    if a.targets.is_empty() {
        return Err("`targets` must name at least one dimension id".into());
    }
    for t in &a.targets {
        match t.parse::<DimensionId>() {
            Ok(id) if known.contains(&id) => {}
            _ => return Err(format!("`targets` holds {t:?}, not a rubric dimension id")),
        }
    }
    let q = a.question.trim();
    if normalize_for_match(q).is_empty() {
        return Err("`question` is empty".into());
    }
    if q.chars().count() > MAX_QUESTION_CHARS {
        return Err(format!(
            "`question` is over {MAX_QUESTION_CHARS} characters"
        ));
    }
    if asked_norm.contains(&normalize_for_match(q)) {
        return Err("`question` was already asked; ask a different one".into());
    }
    if let Some(quote) = quoted_phrases(q)
        .into_iter()
        .find(|p| unsure.in_fragment(p))
    {
        return Err(format!(
            "`question` quotes {quote:?}, which the speech recognition may have misheard; ask without quoting it"
        ));
    }
    Ok(())
}

/// A scorecard is accepted with every dimension of the rubric exactly once, each at level 0
/// to 4.
pub(super) fn check_scorecard(a: &ScoreAnswer, rubric_ids: &[DimensionId]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for d in &a.dimensions {
        let id: DimensionId =
            d.id.parse()
                .map_err(|_| format!("{:?} is not a rubric dimension id", d.id))?;
        if !rubric_ids.contains(&id) {
            return Err(format!("{:?} is not a dimension of this rubric", d.id));
        }
        if !seen.insert(id) {
            return Err(format!("dimension {:?} appears twice", d.id));
        }
        if d.level > 4 {
            return Err(format!("level {} for {:?} is not 0 to 4", d.level, d.id));
        }
    }
    if let Some(missing) = rubric_ids.iter().find(|id| !seen.contains(id)) {
        return Err(format!("dimension {:?} is missing", missing.as_str()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scorecards_parse_keyed_by_id_or_as_a_list() {
        let keyed: ScoreAnswer = serde_json::from_str(
            r#"{"depth": {"evidence": [{"quote": "we cache"}], "level": 2, "suggestion": "s"},
                "tradeoffs": {"evidence": [], "level": 0, "suggestion": ""}}"#,
        )
        .unwrap();
        let mut ids: Vec<_> = keyed.dimensions.iter().map(|d| d.id.as_str()).collect();
        ids.sort();
        assert_eq!(ids, ["depth", "tradeoffs"]);
        let listed: ScoreAnswer = serde_json::from_str(
            r#"{"dimensions": [{"id": "depth", "evidence": [], "level": 1, "suggestion": ""}]}"#,
        )
        .unwrap();
        assert_eq!(listed.dimensions[0].level, 1);
    }

    #[test]
    fn one_question_is_kept() {
        assert_eq!(
            first_question(" How do you cache? Also, what about cost? "),
            "How do you cache?"
        );
        assert_eq!(
            first_question("Walk me through ingestion."),
            "Walk me through ingestion."
        );
    }
}
