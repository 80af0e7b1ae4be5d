use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The eight rubric dimensions every system-design answer is scored on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum DimensionId {
    Requirements,
    Architecture,
    DataApis,
    Depth,
    Tradeoffs,
    Reliability,
    Evaluation,
    Communication,
}

/// In the order a scorecard shows them: trade-off reasoning is what the product is about,
/// but the card reads in the order an interview unfolds.
pub const ALL_DIMENSIONS: [DimensionId; 8] = [
    DimensionId::Requirements,
    DimensionId::Architecture,
    DimensionId::DataApis,
    DimensionId::Depth,
    DimensionId::Tradeoffs,
    DimensionId::Reliability,
    DimensionId::Evaluation,
    DimensionId::Communication,
];

impl DimensionId {
    pub fn as_str(self) -> &'static str {
        match self {
            DimensionId::Requirements => "requirements",
            DimensionId::Architecture => "architecture",
            DimensionId::DataApis => "data_apis",
            DimensionId::Depth => "depth",
            DimensionId::Tradeoffs => "tradeoffs",
            DimensionId::Reliability => "reliability",
            DimensionId::Evaluation => "evaluation",
            DimensionId::Communication => "communication",
        }
    }
}

impl fmt::Display for DimensionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown dimension id '{0}' (expected one of requirements, architecture, data_apis, depth, tradeoffs, reliability, evaluation, communication)")]
pub struct UnknownDimension(pub String);

impl FromStr for DimensionId {
    type Err = UnknownDimension;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ALL_DIMENSIONS
            .iter()
            .copied()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| UnknownDimension(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_json() {
        for d in ALL_DIMENSIONS {
            assert_eq!(d.as_str().parse::<DimensionId>().unwrap(), d);
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(json, format!("\"{}\"", d.as_str()));
        }
        assert!("trade_offs".parse::<DimensionId>().is_err());
    }
}
