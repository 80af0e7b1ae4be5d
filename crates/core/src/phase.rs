//! The phases of a system-design interview, how long each may take, and which rubric
//! dimensions each probes first.

use crate::DimensionId;
use serde::{Deserialize, Serialize};

/// A phase of the interview, in the order they come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Clarify requirements: users, scale, what is in and out of scope.
    Clarify,
    /// The high-level design: components and how a request flows through them.
    HighLevel,
    /// One component in depth.
    DeepDive,
    /// What was given up, and what breaks first.
    TradeoffsFailures,
    /// The candidate summarises.
    WrapUp,
}

/// Every phase, in interview order.
pub const ALL_PHASES: [Phase; 5] = [
    Phase::Clarify,
    Phase::HighLevel,
    Phase::DeepDive,
    Phase::TradeoffsFailures,
    Phase::WrapUp,
];

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Clarify => "clarify",
            Phase::HighLevel => "high_level",
            Phase::DeepDive => "deep_dive",
            Phase::TradeoffsFailures => "tradeoffs_failures",
            Phase::WrapUp => "wrap_up",
        }
    }

    /// Where this phase comes in [`ALL_PHASES`].
    pub fn index(self) -> usize {
        ALL_PHASES.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// The phase after this one; None for the wrap-up.
    pub fn next(self) -> Option<Phase> {
        ALL_PHASES.get(self.index() + 1).copied()
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many seconds each phase may take, in [`ALL_PHASES`] order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PhasePlan {
    pub budgets_s: [f64; 5],
}

impl PhasePlan {
    /// A 45-minute interview: 5 / 10 / 15 / 10 / 5 minutes.
    pub fn full_45() -> Self {
        PhasePlan {
            budgets_s: [300.0, 600.0, 900.0, 600.0, 300.0],
        }
    }

    /// A 10-minute drill: 1 / 3 / 3 / 2 / 1 minutes.
    pub fn drill_10() -> Self {
        PhasePlan {
            budgets_s: [60.0, 180.0, 180.0, 120.0, 60.0],
        }
    }

    pub fn budget_s(&self, phase: Phase) -> f64 {
        self.budgets_s[phase.index()]
    }

    /// The whole interview's length.
    pub fn total_s(&self) -> f64 {
        self.budgets_s.iter().sum()
    }
}

impl Default for PhasePlan {
    fn default() -> Self {
        PhasePlan::full_45()
    }
}

/// The rubric dimensions that matter in each phase, most important first: among equally weak
/// dimensions, these are probed first.
pub fn phase_dimensions(phase: Phase) -> &'static [DimensionId] {
    match phase {
        Phase::Clarify => &[DimensionId::Requirements],
        Phase::HighLevel => &[DimensionId::Architecture, DimensionId::DataApis],
        Phase::DeepDive => &[DimensionId::Depth, DimensionId::DataApis],
        Phase::TradeoffsFailures => &[
            DimensionId::Tradeoffs,
            DimensionId::Reliability,
            DimensionId::Evaluation,
        ],
        Phase::WrapUp => &[DimensionId::Communication, DimensionId::Evaluation],
    }
}

/// After a phase's own dimensions, the order the rest are probed in among equally weak ones:
/// foundations first (what the system must do, what it is made of), then what breaks, then
/// the details, then the reasoning about choices already made (issue 19's "depth on a
/// decision" comes last), communication only when nothing else is left.
pub const REST_PRIORITY: [DimensionId; 8] = [
    DimensionId::Requirements,
    DimensionId::Architecture,
    DimensionId::Reliability,
    DimensionId::Depth,
    DimensionId::DataApis,
    DimensionId::Evaluation,
    DimensionId::Tradeoffs,
    DimensionId::Communication,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_add_up_to_their_lengths() {
        assert_eq!(PhasePlan::full_45().total_s(), 45.0 * 60.0);
        assert_eq!(PhasePlan::drill_10().total_s(), 10.0 * 60.0);
    }

    #[test]
    fn phases_go_forward_and_end_at_wrap_up() {
        let order: Vec<_> = std::iter::successors(Some(Phase::Clarify), |p| p.next()).collect();
        assert_eq!(order, ALL_PHASES);
        assert_eq!(
            serde_json::to_string(&Phase::TradeoffsFailures).unwrap(),
            "\"tradeoffs_failures\""
        );
    }
}
