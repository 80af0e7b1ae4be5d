//! How good the interviewer's judgement is, as a measured quantity: a graded reference set
//! (`evals/judgement/`), the graders run over it, and the figures a person would ask of a
//! human interviewer's scores (agreement with reference levels, weighted kappa, adversarial
//! answers scoring low, first follow-ups on a real gap, quotes that occur, stability under
//! speech-recognition damage).

mod agreement;
mod followups;
mod judgement;
mod reference;
mod report;
mod transcript;

pub use agreement::{quadratic_weighted_kappa, Agreement};
pub use followups::{
    evaluate_follow_ups, render_follow_ups, repository_moments_dir, Expect, FollowUpError,
    FollowUpReport, MomentResult,
};
pub use judgement::{evaluate, AnswerResult, EvalError, Grader, JudgementReport, KindTotals};
pub use reference::{load_set, AnswerKind, ReferenceAnswer, SetError};
pub use report::{render_explained, render_table};
pub use transcript::segments_of;

/// The reference set in this repository (for tests and the CLI's default).
pub fn repository_set_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../evals/judgement")
}
