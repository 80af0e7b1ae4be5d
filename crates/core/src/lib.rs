//! Domain types for Rehearse. No I/O lives here: every other crate shares these shapes,
//! and the UI gets them as generated TypeScript (feature `ts`).

mod dimension;
mod events;
mod report;
mod study;
mod text;

pub use dimension::{DimensionId, UnknownDimension, ALL_DIMENSIONS};
pub use events::{AppStatus, EngineEvent, PromptInfo};
pub use report::{
    AudioInfo, DimensionScore, Evidence, Scorecard, Segment, SessionReport, SessionStatus,
    SessionSummary, Transcript, Turn, TurnRole,
};
pub use study::{
    AnswerCoverage, CardLearningState, CardSchedule, CoveredPoint, DueCard, GlossaryEntry,
    MissedPoint, ReviewGrade, SearchHit, SearchHitKind, SpokenAnswer, StudyCard, StudyDeck,
    StudyStats, ALL_GRADES,
};
pub use text::{normalize_for_match, quote_occurs_in};
