//! The rubric as checklists: each dimension's concepts are yes/no checks, and a level is a
//! fixed function of the checks met, whichever grader ticked them (the offline detector or an
//! LLM answering the check's question with a quote). One function, so the two graders can
//! only differ in what they heard, never in how it is counted.

use rehearse_content::RubricDimension;
use rehearse_core::{CheckResult, Evidence};
use std::collections::BTreeMap;

/// The check that stands for "put a number on it", on dimensions where numbers count.
pub const NUMBER_CHECK: &str = "a number";

/// The level for the checks met: one per distinct check (a number counts as one where numbers
/// count; the rubric's uncounted checks earn at most level 1 between them), 4 from four; at most
/// 1 until a gate check is met, at most 3 until a top check is.
pub fn level_from_checks(dim: &RubricDimension, met: &BTreeMap<String, Evidence>) -> u8 {
    let counted = met
        .keys()
        .filter(|name| {
            (dim.concepts.iter().any(|c| &c.name == *name) && !dim.uncounted.contains(name))
                || (dim.numbers_count && name.as_str() == NUMBER_CHECK)
        })
        .count();
    let mut level = u8::try_from(counted.min(4)).unwrap_or(4);
    // An uncounted check met still names a part: "names a couple of components" is level 1.
    if level == 0 && dim.uncounted.iter().any(|u| met.contains_key(u)) {
        level = 1;
    }
    if !dim.gate.is_empty() && !dim.gate.iter().any(|g| met.contains_key(g)) {
        level = level.min(1);
    }
    if !dim.top_requires.is_empty() && !dim.top_requires.iter().any(|g| met.contains_key(g)) {
        level = level.min(3);
    }
    level
}

/// The dimension's checklist in the rubric's order, ticked from `met`.
pub fn checks_of(dim: &RubricDimension, met: &BTreeMap<String, Evidence>) -> Vec<CheckResult> {
    dim.concepts
        .iter()
        .map(|c| c.name.as_str())
        .chain(dim.numbers_count.then_some(NUMBER_CHECK))
        .map(|name| CheckResult {
            name: name.to_string(),
            met: met.contains_key(name),
            evidence: met.get(name).cloned(),
            needed_for: if dim.gate.iter().any(|g| g == name) {
                Some(2)
            } else if dim.top_requires.iter().any(|g| g == name) {
                Some(4)
            } else {
                None
            },
            // Known once the level is final: `DimensionScore::mark_checks_holding_the_level`.
            holds_level: false,
            uncounted: dim.uncounted.iter().any(|u| u == name),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rehearse_content::Content;
    use rehearse_core::DimensionId;

    fn dim(id: DimensionId) -> RubricDimension {
        let c = Content::embedded().unwrap();
        c.prompt_with_rubric("doc-qa-10k")
            .unwrap()
            .1
            .dimension(id)
            .unwrap()
            .clone()
    }

    fn met(names: &[&str]) -> BTreeMap<String, Evidence> {
        names
            .iter()
            .map(|n| {
                (
                    n.to_string(),
                    Evidence {
                        quote: format!("said {n}"),
                        t0: 0.0,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn a_level_counts_the_checks_met_under_the_gate_and_top_rules() {
        let req = dim(DimensionId::Requirements);
        assert_eq!(level_from_checks(&req, &met(&[])), 0);
        assert_eq!(level_from_checks(&req, &met(&["users", "scale"])), 2);
        assert_eq!(
            level_from_checks(
                &req,
                &met(&["users", "scale", "scope", "freshness", "latency target"])
            ),
            4
        );
        // Names that are not checks of this dimension count for nothing.
        assert_eq!(level_from_checks(&req, &met(&["users", "made up"])), 1);
        let tradeoffs = dim(DimensionId::Tradeoffs);
        // "because" and a number are not a trade-off: at most 1 without a gate check.
        assert_eq!(
            level_from_checks(&tradeoffs, &met(&["because", NUMBER_CHECK])),
            1
        );
        // Four checks but never "when otherwise": at most 3.
        assert_eq!(
            level_from_checks(
                &tradeoffs,
                &met(&["versus", "because", "cost of", NUMBER_CHECK])
            ),
            3
        );
    }

    #[test]
    fn naming_architecture_parts_without_walking_a_request_through_them_stops_at_3() {
        let arch = dim(DimensionId::Architecture);
        let parts = [
            "embeddings",
            "vector store",
            "generation",
            "named products",
            "retrieval",
        ];
        assert_eq!(level_from_checks(&arch, &met(&parts)), 3);
        let walked = ["embeddings", "vector store", "generation", "flow"];
        assert_eq!(level_from_checks(&arch, &met(&walked)), 4);
    }

    #[test]
    fn a_product_name_is_ticked_but_earns_no_architecture_level() {
        let arch = dim(DimensionId::Architecture);
        // "I'd use GPT-4 and Pinecone": a model and a store named, two checks, but one level.
        let named = met(&["generation", "named products"]);
        assert_eq!(level_from_checks(&arch, &named), 1);
        // A product alone still names a part: level 1, never more.
        assert_eq!(level_from_checks(&arch, &met(&["named products"])), 1);
        let checks = checks_of(&arch, &named);
        let products = checks.iter().find(|c| c.name == "named products").unwrap();
        assert!(products.met && products.uncounted);
        assert!(checks
            .iter()
            .filter(|c| c.name != "named products")
            .all(|c| !c.uncounted));
    }

    #[test]
    fn the_checklist_lists_every_check_with_its_quote_when_met() {
        let depth = dim(DimensionId::Depth);
        let checks = checks_of(&depth, &met(&["costing"]));
        assert_eq!(checks.len(), depth.concepts.len() + 1, "a number check too");
        let costing = checks.iter().find(|c| c.name == "costing").unwrap();
        assert!(costing.met && costing.evidence.is_some());
        assert!(checks.iter().filter(|c| c.met).count() == 1);
        assert_eq!(checks.last().unwrap().name, NUMBER_CHECK);
    }

    #[test]
    fn a_check_that_opens_a_level_says_which() {
        let needed = |id: DimensionId| -> Vec<(String, u8)> {
            checks_of(&dim(id), &met(&[]))
                .into_iter()
                .filter_map(|c| Some((c.name, c.needed_for?)))
                .collect()
        };
        assert_eq!(needed(DimensionId::Architecture), [("flow".to_string(), 4)]);
        let tradeoffs = needed(DimensionId::Tradeoffs);
        for gate in ["versus", "cost of", "trade-off named"] {
            assert!(tradeoffs.contains(&(gate.to_string(), 2)), "{tradeoffs:?}");
        }
        assert!(tradeoffs.contains(&("when otherwise".to_string(), 4)));
        assert!(needed(DimensionId::Depth).is_empty());
    }
}
