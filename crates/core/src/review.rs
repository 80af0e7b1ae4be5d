//! Review and progress: the sessions query, corrections and score history, delivery
//! analytics, attempts, progress over time and export.

use crate::{DimensionId, Evidence};
use serde::{Deserialize, Serialize};

/// A segment's identity in the store and whether the candidate corrected it; aligned by
/// index with `SessionReport::transcript.segments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SegmentRef {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub corrected: bool,
    /// What whisper heard, when the text was corrected.
    pub original_text: Option<String>,
}

/// One dimension's level in a scorecard.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DimensionLevel {
    pub id: DimensionId,
    pub level: u8,
}

/// What the sessions list asks for; every field narrows the list, none set lists all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct SessionQuery {
    /// Words that must all occur in the transcript (full-text, stemmed); typed text is never
    /// query syntax.
    pub text: Option<String>,
    pub prompt_id: Option<String>,
    /// RFC 3339 or YYYY-MM-DD, inclusive.
    pub from: Option<String>,
    /// RFC 3339 or YYYY-MM-DD, inclusive (a date means the whole day).
    pub to: Option<String>,
    /// With `below_level`: only sessions whose latest score on this dimension is below it.
    pub dimension: Option<DimensionId>,
    pub below_level: Option<u8>,
}

/// One version of a session's scores, oldest first in a history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ScoreVersion {
    pub version: u32,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub grader: String,
    /// Why this version exists, e.g. "scored" or "after correcting segment 3".
    pub reason: String,
    pub levels: Vec<DimensionLevel>,
    pub overall: f64,
}

/// Words per minute in one minute of the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PacePoint {
    /// Start of the minute, seconds from the start of the session.
    pub t0: f64,
    pub words: u32,
    /// Words spoken in this minute per minute of it (the last minute may be partial).
    pub wpm: f64,
}

/// A filler word or phrase, where it was said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TimedPhrase {
    pub t0: f64,
    pub phrase: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PhraseCount {
    pub phrase: String,
    pub count: u32,
}

/// Silence between two segments of at least [`PAUSE_MIN_S`](crate::PAUSE_MIN_S).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PauseSpan {
    pub t0: f64,
    pub t1: f64,
}

/// Gaps between segments this long or longer count as pauses.
pub const PAUSE_MIN_S: f64 = 2.0;

/// How the answer was delivered, from the transcript's segments alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DeliveryAnalytics {
    pub duration_s: f64,
    /// Sum of the segments' lengths.
    pub talk_time_s: f64,
    pub words: u32,
    /// Words per minute of talk time.
    pub wpm: f64,
    pub pace: Vec<PacePoint>,
    pub fillers: Vec<TimedPhrase>,
    pub filler_counts: Vec<PhraseCount>,
    pub filler_total: u32,
    pub fillers_per_100_words: f64,
    pub pauses: Vec<PauseSpan>,
    pub longest_pause_s: f64,
    /// Total of the pauses.
    pub think_time_s: f64,
    pub signposts: Vec<TimedPhrase>,
}

/// One side of an attempts comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AttemptSide {
    pub session_id: String,
    pub started_at: String,
    pub duration_s: f64,
    pub grader: String,
    pub overall: Option<f64>,
    pub levels: Vec<DimensionLevel>,
    /// The trade-offs the candidate named: the scorecard's evidence for `tradeoffs`.
    pub tradeoffs: Vec<Evidence>,
}

/// Two attempts side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SessionComparison {
    pub prompt_id: String,
    pub a: AttemptSide,
    pub b: AttemptSide,
    /// Per dimension: b's level minus a's.
    pub level_deltas: Vec<LevelDelta>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LevelDelta {
    pub id: DimensionId,
    pub delta: i8,
}

/// One value of a trend, at a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProgressPoint {
    pub session_id: String,
    /// RFC 3339, UTC: when the session started.
    pub date: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DimensionSeries {
    pub id: DimensionId,
    pub points: Vec<ProgressPoint>,
}

/// A card that teaches a dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CardLink {
    pub card_id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WeakDimension {
    pub id: DimensionId,
    /// Mean of the latest levels over the recent sessions it is computed from.
    pub mean_level: f64,
    pub cards: Vec<CardLink>,
}

/// The Progress screen: each dimension over time (oldest first), delivery trends and the
/// weakest dimensions with the cards that teach them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Progress {
    pub sessions: u32,
    pub dimensions: Vec<DimensionSeries>,
    pub filler_rate: Vec<ProgressPoint>,
    pub pace_wpm: Vec<ProgressPoint>,
    /// Weakest first.
    pub weakest: Vec<WeakDimension>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Md,
    Html,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Md => "md",
            ExportFormat::Html => "html",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(ExportFormat::Md),
            "html" | "htm" => Some(ExportFormat::Html),
            _ => None,
        }
    }
}

/// Where an export was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportedFile {
    pub path: String,
    pub format: ExportFormat,
    pub bytes: u32,
}

/// What pruning old sessions removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PruneResult {
    pub deleted: Vec<String>,
}
