use crate::Evidence;
use serde::{Deserialize, Serialize};

/// A part of a trade-off decision the candidate can say (or leave out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum TradeOffPart {
    /// What the choice was weighed against ("over whole pages").
    Alternative,
    /// Why the choice wins ("because retrieval is more precise").
    Reason,
    /// A figure that sizes the trade-off ("about three times more vectors").
    Number,
    /// When they would choose otherwise ("if latency mattered more, I would switch").
    Otherwise,
}

impl TradeOffPart {
    pub fn as_str(self) -> &'static str {
        match self {
            TradeOffPart::Alternative => "alternative",
            TradeOffPart::Reason => "reason",
            TradeOffPart::Number => "number",
            TradeOffPart::Otherwise => "otherwise",
        }
    }
}

/// One decision the candidate made, taken apart and graded on its own.
///
/// Every quote (`evidence`, `reason`, `otherwise`) and fragment (`choice`, `alternative`,
/// `number`) is verbatim from the transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TradeOffDecision {
    /// What was chosen ("500 token chunks").
    pub choice: String,
    /// What it was weighed against, when named ("whole pages").
    pub alternative: Option<String>,
    /// Why, when said: the clause that gives the reason, with when it was said.
    pub reason: Option<Evidence>,
    /// A number with a unit that sizes the trade-off, when given.
    pub number: Option<String>,
    /// When they would choose otherwise, when said.
    pub otherwise: Option<Evidence>,
    /// The sentence that made the decision.
    pub evidence: Evidence,
    /// 0 (a choice only) to 4 (alternative, reason, a number and when they would choose
    /// otherwise); the ladder is written down in rehearse-interviewer's `tradeoffs` module.
    pub level: u8,
    /// What the decision lacks, in the order a candidate would add it.
    pub missing: Vec<TradeOffPart>,
    /// One concrete thing to add to this decision; empty when nothing is missing.
    pub suggestion: String,
}
