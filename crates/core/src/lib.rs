//! Domain types for Rehearse. No I/O lives here: every other crate shares these shapes,
//! and the UI gets them as generated TypeScript (feature `ts`).

mod board;
mod dimension;
mod events;
mod models;
mod phase;
mod report;
mod review;
mod settings;
mod study;
mod text;
mod tradeoff;

pub use board::{
    BoardEdge, BoardGraph, BoardNode, ComponentInfo, ComponentKind, ALL_COMPONENT_KINDS,
};
pub use dimension::{DimensionId, UnknownDimension, ALL_DIMENSIONS};
pub use events::{AppStatus, EngineEvent, PromptInfo};
pub use models::{DownloadPhase, InstalledModel, ModelDownloadProgress, ModelInfo, ModelState};
pub use phase::{phase_dimensions, Phase, PhasePlan, ALL_PHASES, REST_PRIORITY};
pub use report::{
    AudioInfo, CheckResult, DimensionScore, Evidence, Scorecard, Segment, SessionReport,
    SessionStatus, SessionSummary, Transcript, Turn, TurnRole, Word, UNCERTAIN_BELOW,
};
pub use review::{
    AttemptSide, CardLink, DeliveryAnalytics, DimensionLevel, DimensionSeries, ExportFormat,
    ExportedFile, LevelDelta, PacePoint, PauseSpan, PhraseCount, Progress, ProgressPoint,
    PruneResult, ScoreVersion, SegmentRef, SessionComparison, SessionQuery, TimedPhrase,
    WeakDimension, PAUSE_MIN_S,
};
pub use settings::{
    ApiKeySource, ApiKeyStatus, AppSettings, InterruptionStyle, InterviewLength, LlmCheck,
    LlmPreferences, LoadedSettings, LocalLlmServer, MicCheck, Retention, SettingsProblem, Theme,
    SETTINGS_SCHEMA_VERSION,
};
pub use study::{
    AnswerCoverage, CardLearningState, CardSchedule, CoveredPoint, DueCard, GlossaryEntry,
    MissedPoint, ReviewGrade, SearchHit, SearchHitKind, SpokenAnswer, StudyCard, StudyDeck,
    StudyStats, ALL_GRADES,
};
pub use text::{normalize_for_match, quote_occurs_in};
pub use tradeoff::{TradeOffDecision, TradeOffPart};
