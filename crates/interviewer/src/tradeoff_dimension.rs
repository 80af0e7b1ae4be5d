//! The trade-off dimension from the decisions `crate::tradeoffs` heard: its level (the best
//! decision's, 4 only with two decisions at 3 or more: "for each key decision") and its quotes.

use rehearse_core::{DimensionId, Evidence, Scorecard, TradeOffDecision};

/// Quotes of the best decisions put on the trade-off dimension.
const MAX_DIMENSION_QUOTES: usize = 3;

/// The trade-off dimension's level from its decisions (see the module docs); None when
/// there are none.
pub fn tradeoffs_dimension_level(decisions: &[TradeOffDecision]) -> Option<u8> {
    let best = decisions.iter().map(|d| d.level).max()?;
    let strong = decisions.iter().filter(|d| d.level >= 3).count();
    Some(if best == 4 && strong < 2 { 3 } else { best })
}

/// Puts `decisions` on the card and makes its trade-off dimension agree with them: the level
/// from the decisions, their sentences as evidence, and the weakest decision's suggestion.
/// With no decisions the dimension stays as the grader scored it, up to 3.
pub fn attach_tradeoffs(card: &mut Scorecard, decisions: Vec<TradeOffDecision>) {
    // Level 4 is "for each key decision": with no decision heard, the reading stops at 3.
    if decisions.is_empty() {
        if let Some(dim) = card
            .dimensions
            .iter_mut()
            .find(|d| d.id == DimensionId::Tradeoffs)
        {
            dim.level = dim.level.min(3);
        }
    }
    if let Some(level) = tradeoffs_dimension_level(&decisions) {
        if let Some(dim) = card
            .dimensions
            .iter_mut()
            .find(|d| d.id == DimensionId::Tradeoffs)
        {
            let mut best: Vec<&TradeOffDecision> = decisions.iter().collect();
            best.sort_by(|a, b| {
                b.level
                    .cmp(&a.level)
                    .then(a.evidence.t0.total_cmp(&b.evidence.t0))
            });
            let mut evidence: Vec<Evidence> = Vec::new();
            for d in best {
                if evidence.len() < MAX_DIMENSION_QUOTES
                    && !evidence.iter().any(|e| e.quote == d.evidence.quote)
                {
                    evidence.push(d.evidence.clone());
                }
            }
            evidence.sort_by(|a, b| a.t0.total_cmp(&b.t0));
            // The decisions set the dimension, unless the grader's reading of the whole
            // answer (past its gate: an alternative or a cost named) heard more, in words
            // the decision patterns miss ("there's a choice between A or B ... I'd use B
            // because ..., even if ..."); then the reading's own quotes stand. Only
            // decisions can make it a 4 ("for each key decision").
            let reading = dim.level;
            if reading >= 2 && reading.min(3) > level {
                dim.level = reading.min(3);
                card.tradeoffs = decisions;
                return;
            }
            dim.level = level;
            dim.evidence = if level == 0 { Vec::new() } else { evidence };
            if let Some(weakest) = decisions
                .iter()
                .filter(|d| !d.suggestion.is_empty())
                .min_by_key(|d| d.level)
            {
                dim.suggestion = weakest.suggestion.clone();
            }
        }
    }
    card.tradeoffs = decisions;
}
