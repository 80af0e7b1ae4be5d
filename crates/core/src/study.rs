//! Study mode: spaced-repetition state of topic cards, graded spoken answers, search hits.
//! Times are RFC 3339 strings in UTC ("2026-11-25T10:00:00Z").

use serde::{Deserialize, Serialize};

/// How well a card was recalled, the four FSRS ratings (1 = Again .. 4 = Easy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ReviewGrade {
    Again,
    Hard,
    Good,
    Easy,
}

pub const ALL_GRADES: [ReviewGrade; 4] = [
    ReviewGrade::Again,
    ReviewGrade::Hard,
    ReviewGrade::Good,
    ReviewGrade::Easy,
];

impl ReviewGrade {
    /// The FSRS rating, 1 to 4.
    pub fn rating(self) -> u8 {
        match self {
            ReviewGrade::Again => 1,
            ReviewGrade::Hard => 2,
            ReviewGrade::Good => 3,
            ReviewGrade::Easy => 4,
        }
    }

    pub fn from_rating(rating: u8) -> Option<ReviewGrade> {
        ALL_GRADES.into_iter().find(|g| g.rating() == rating)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewGrade::Again => "again",
            ReviewGrade::Hard => "hard",
            ReviewGrade::Good => "good",
            ReviewGrade::Easy => "easy",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewGrade> {
        ALL_GRADES
            .into_iter()
            .find(|g| g.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// Where a card is in its spaced-repetition life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum CardLearningState {
    /// Never reviewed.
    New,
    /// Reviewed, but the last answer was Again before the card ever graduated.
    Learning,
    /// Recalled at its last review.
    Review,
    /// Forgotten (Again) after having been recalled before.
    Relearning,
}

impl CardLearningState {
    pub fn as_str(self) -> &'static str {
        match self {
            CardLearningState::New => "new",
            CardLearningState::Learning => "learning",
            CardLearningState::Review => "review",
            CardLearningState::Relearning => "relearning",
        }
    }

    pub fn parse(s: &str) -> Option<CardLearningState> {
        [
            CardLearningState::New,
            CardLearningState::Learning,
            CardLearningState::Review,
            CardLearningState::Relearning,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// A card to study now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DueCard {
    pub card_id: String,
    pub title: String,
    /// overview, concept, question or mistake.
    pub kind: String,
    /// The topic area, e.g. "system-design".
    pub area: String,
    pub state: CardLearningState,
    /// When it fell due; None for a new card.
    pub due: Option<String>,
    /// Why a practice session put it first ("Trade-off reasoning scored 1 in session ...");
    /// None for an ordinary due or new card.
    pub reason: Option<String>,
}

/// A card's schedule after a review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CardSchedule {
    pub card_id: String,
    pub grade: ReviewGrade,
    pub state: CardLearningState,
    pub reviewed_at: String,
    pub due: String,
    /// The interval FSRS chose, in days (fractional: 0.21 is about five hours).
    pub interval_days: f64,
    pub stability: f64,
    pub difficulty: f64,
    pub reps: u32,
    pub lapses: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StudyStats {
    /// Reviewed cards due now or within the next 24 hours (overdue included).
    pub due_today: u32,
    /// Cards never reviewed.
    pub new: u32,
    /// Reviews ever recorded.
    pub reviewed_total: u32,
    /// Reviewed cards falling due in each of the next seven 24-hour windows from now;
    /// the first window includes overdue cards, so `due_next_7_days[0] == due_today`.
    pub due_next_7_days: Vec<u32>,
    /// Share of repeat reviews (not a card's first) answered Hard, Good or Easy; None
    /// until there is one.
    pub retention: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CoveredPoint {
    pub key_point_id: String,
    pub text: String,
    /// The phrase from the card found in the answer.
    pub matched_phrase: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct MissedPoint {
    pub key_point_id: String,
    pub text: String,
}

/// A spoken (or typed) answer to a question card, checked against its key points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AnswerCoverage {
    pub card_id: String,
    pub covered: Vec<CoveredPoint>,
    pub missed: Vec<MissedPoint>,
    pub suggested_grade: ReviewGrade,
}

/// An answer recorded to a WAV file: what was heard and how it covers the card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SpokenAnswer {
    pub transcript: String,
    pub coverage: AnswerCoverage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum SearchHitKind {
    Card,
    Glossary,
    Prompt,
}

impl SearchHitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SearchHitKind::Card => "card",
            SearchHitKind::Glossary => "glossary",
            SearchHitKind::Prompt => "prompt",
        }
    }

    pub fn parse(s: &str) -> Option<SearchHitKind> {
        [
            SearchHitKind::Card,
            SearchHitKind::Glossary,
            SearchHitKind::Prompt,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One full-text search result, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SearchHit {
    pub kind: SearchHitKind,
    pub id: String,
    pub title: String,
    /// A short excerpt with the matched words wrapped in `**`.
    pub snippet: String,
}

/// A study card in full, for the study screen: the front (title) and the answer (body and
/// key points).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StudyCard {
    pub card_id: String,
    /// The front: a topic, or for a question card the question itself.
    pub title: String,
    /// overview, concept, question or mistake.
    pub kind: String,
    /// The topic area, e.g. "system-design".
    pub area: String,
    pub tags: Vec<String>,
    /// Markdown.
    pub body: String,
    /// Question cards: what a good answer covers.
    pub key_points: Vec<String>,
    /// Question cards: answers that sound plausible but lose the interviewer.
    pub weak_answers: Vec<String>,
    /// Question cards: what an interviewer asks next.
    pub followups: Vec<String>,
}

/// One deck of the study screen: the cards of one topic area, and how many of them the
/// queue holds now (what `cards_due_in` lists for the area).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StudyDeck {
    /// The topic area, e.g. "agents"; "practice" for the gap cards practice sessions made.
    pub area: String,
    /// Cards to study now: queued by practice, fallen due, or new.
    pub due: u32,
    /// Reviewed cards fallen due now (overdue included).
    pub due_reviewed: u32,
    /// Cards never reviewed.
    pub new: u32,
    /// Every card in the deck.
    pub total: u32,
}

/// A glossary term with its definition, as a search hit opens it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct GlossaryEntry {
    pub id: String,
    pub term: String,
    /// Markdown.
    pub definition: String,
    /// Ids of related glossary terms or cards.
    pub see_also: Vec<String>,
}
