//! The offline (rubric-driven, deterministic) interviewer: it reads the transcript for
//! evidence of each rubric dimension, asks the prompt's follow-ups for the weakest ones at
//! natural pauses, and scores every dimension with verbatim quotes.

pub mod analytics;
mod board_probes;
mod checklist;
mod claims;
mod clauses;
mod considered;
mod dismissals;
mod evidence;
mod fallback;
mod figure_kinds;
mod injection;
mod llm_backend;
mod not_contrast;
mod offline;
mod openers;
mod products;
mod rambling;
mod red_flags;
mod rubric_echo;
mod score;
mod sentences;
mod sized_numbers;
mod sizing;
mod specifics;
mod summary;
#[cfg(test)]
mod test_segments;
mod tradeoff_dimension;
mod tradeoffs;
mod uncertain;
mod verbs;
mod weighed;

pub use analytics::{delivery_analytics, pace_and_filler_rate};
pub use board_probes::{
    board_as_text, board_probes, stated_rate_per_s, BoardProbe, HIGH_LOAD_PER_S,
};
pub use checklist::{checks_of, level_from_checks, NUMBER_CHECK};
pub use claims::{anchored_follow_up, claims, AnchoredQuestion, Claim, ClaimKind, KnownTerms};
pub use clauses::{sort_of, SentenceSort};
pub use evidence::{find_evidence, DimensionEvidence};
pub use fallback::{Answered, FallbackInterviewer, PendingTurn};
pub use injection::{addresses_the_grader, neutralise_tags, MAX_QUESTION_CHARS};
pub use llm_backend::{
    quote_t0, BackendError, FollowUpInput, InterviewClock, LastCall, LlmInterviewer,
    LlmInterviewerConfig, LlmScoring, PromptFit, TEMPLATE_MARGIN_TOKENS,
};
pub use offline::{
    transition_line, InterviewerConfig, OfflineInterviewer, PhaseStart, NO_FIGURES_QUESTION,
    RAMBLING_STOP, RECITAL_QUESTION,
};
pub use rambling::{rambling, Rambling};
pub use red_flags::{find_red_flags, red_flag_cap, RedFlagHit, WAVED_AWAY, WAVED_AWAY_CHALLENGE};
pub use score::score_transcript;
pub use sizing::find_sizing_errors;
pub use summary::{extractive_summary, SummaryPart};
pub use tradeoff_dimension::{attach_tradeoffs, tradeoffs_dimension_level};
pub use tradeoffs::{decision_level, grade_tradeoffs};

/// The grader/backend name recorded with everything the offline interviewer produces.
pub const OFFLINE_GRADER: &str = "offline";

/// What the offline grader is, said wherever its scores are shown (the app, the CLI, exports):
/// it checks what was put into words; it cannot judge whether it is right.
pub const OFFLINE_GRADER_CAVEAT: &str = "The offline grader is a coverage check: it hears which parts of a good answer you put into words, not whether what you said is right. A capable LLM (Settings) can judge correctness; a small local model scores less reliably than this check.";

/// How a scorecard's grader is named to a person: the offline grader with its caveat, an LLM
/// by its model name.
pub fn grader_description(grader: &str) -> String {
    if grader == OFFLINE_GRADER {
        format!("offline rubric grader. {OFFLINE_GRADER_CAVEAT}")
    } else {
        format!("the LLM {grader}")
    }
}
