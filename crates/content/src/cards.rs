use rehearse_core::quote_occurs_in;
use serde::Serialize;
use std::fmt;

/// The five topic areas the study cards are grouped in; each has a folder `cards/<area>/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    MlFundamentals,
    LlmApis,
    Agents,
    SystemDesign,
    CodingPatterns,
}

pub const ALL_AREAS: [Area; 5] = [
    Area::MlFundamentals,
    Area::LlmApis,
    Area::Agents,
    Area::SystemDesign,
    Area::CodingPatterns,
];

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Area::MlFundamentals => "ml-fundamentals",
            Area::LlmApis => "llm-apis",
            Area::Agents => "agents",
            Area::SystemDesign => "system-design",
            Area::CodingPatterns => "coding-patterns",
        }
    }

    pub fn parse(s: &str) -> Option<Area> {
        ALL_AREAS.into_iter().find(|a| a.as_str() == s)
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a card is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CardKind {
    /// The map of one area.
    Overview,
    /// One idea, with its trade-offs and numbers.
    Concept,
    /// An interview question; the body is the answer framework, graded by key points.
    Question,
    /// A mistake that sinks candidates, and what to do instead.
    Mistake,
}

pub const ALL_KINDS: [CardKind; 4] = [
    CardKind::Overview,
    CardKind::Concept,
    CardKind::Question,
    CardKind::Mistake,
];

impl CardKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CardKind::Overview => "overview",
            CardKind::Concept => "concept",
            CardKind::Question => "question",
            CardKind::Mistake => "mistake",
        }
    }

    pub fn parse(s: &str) -> Option<CardKind> {
        ALL_KINDS.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for CardKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something a good spoken answer covers. It counts as covered when any of `phrases`
/// occurs in the answer on whole words, after lower-casing and removing punctuation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyPoint {
    pub id: String,
    pub text: String,
    pub phrases: Vec<String>,
}

impl KeyPoint {
    /// The first phrase that occurs in `answer`, if any.
    pub fn covered_by(&self, answer: &str) -> Option<&str> {
        self.phrases
            .iter()
            .find(|p| quote_occurs_in(p, answer))
            .map(String::as_str)
    }
}

/// A study card from `content/cards/<area>/<name>.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    pub id: String,
    pub kind: CardKind,
    pub area: Area,
    pub title: String,
    pub tags: Vec<String>,
    /// Ids of related cards or glossary terms.
    pub related: Vec<String>,
    /// Markdown.
    pub body: String,
    /// Question cards: what a good answer covers.
    pub key_points: Vec<KeyPoint>,
    /// Question cards: answers that sound plausible but lose the interviewer.
    pub weak_answers: Vec<String>,
    /// Question cards: what an interviewer asks next.
    pub followups: Vec<String>,
}

/// A term from `content/glossary.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlossaryTerm {
    pub id: String,
    pub term: String,
    pub definition: String,
    /// Ids of other glossary terms or cards.
    pub see_also: Vec<String>,
}
