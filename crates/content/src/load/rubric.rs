//! A rubric file: every dimension once with five anchors, concepts that can reach level 4,
//! gates on its own concepts, study cards that exist, and red flags whose patterns compile.

use super::doc::Doc;
use super::{Loader, Ref, RefTarget};
use crate::frontmatter::{line_of, parse_toml};
use crate::model::Rubric;
use rehearse_core::{DimensionId, ALL_DIMENSIONS};

impl Loader {
    pub(super) fn rubric(&mut self, file: &str, text: &str) -> Option<Rubric> {
        let rubric: Rubric = parse_toml(file, text, 1)
            .map_err(|e| self.problems.push(e.into()))
            .ok()?;
        let line_for = |id: DimensionId| {
            text.find(&format!("id = \"{id}\""))
                .map(|o| line_of(text, o, 1))
                .unwrap_or(1)
        };
        for d in ALL_DIMENSIONS {
            let count = rubric.dimensions.iter().filter(|x| x.id == d).count();
            if count != 1 {
                self.push(
                    file,
                    1,
                    format!("dimension '{d}' must appear exactly once, found {count}"),
                );
            }
        }
        for dim in &rubric.dimensions {
            if dim.anchors.len() != 5 {
                self.push(
                    file,
                    line_for(dim.id),
                    format!(
                        "dimension '{}' needs 5 anchors (levels 0-4), has {}",
                        dim.id,
                        dim.anchors.len()
                    ),
                );
            }
            for g in dim
                .gate
                .iter()
                .chain(&dim.top_requires)
                .chain(&dim.uncounted)
            {
                if !dim.concepts.iter().any(|c| &c.name == g) {
                    self.push(
                        file,
                        line_for(dim.id),
                        format!(
                            "dimension '{}' names '{g}' (gate, top_requires or uncounted), which is not one of its concepts",
                            dim.id
                        ),
                    );
                }
            }
            // The dimension's block, for the line of each card id.
            let start = text.find(&format!("id = \"{}\"", dim.id)).unwrap_or(0);
            let end = text[start..]
                .find("[[dimensions]]")
                .map_or(text.len(), |o| start + o);
            let doc = Doc {
                file,
                text,
                first_line: 1,
            };
            for card in &dim.cards {
                self.refs.push(Ref {
                    file: file.to_string(),
                    line: doc.value_line(start..end, "cards", card),
                    from: format!("{}/{}", rubric.id, dim.id),
                    field: "cards",
                    target: card.clone(),
                    kind: RefTarget::Card,
                });
            }
            for c in &dim.concepts {
                let q = c.question.trim();
                if !(q.len() > 10 && q.ends_with('?')) {
                    self.push(
                        file,
                        line_for(dim.id),
                        format!(
                            "dimension '{}': check '{}' needs a yes/no question for the LLM grader (ending in '?')",
                            dim.id, c.name
                        ),
                    );
                }
            }
            if dim.concepts.is_empty() || dim.concepts.iter().any(|c| c.phrases.is_empty()) {
                self.push(
                    file,
                    line_for(dim.id),
                    format!("dimension '{}' has a concept with no phrases", dim.id),
                );
            }
            // The offline grader's level 4 needs four distinct concepts (a number counts as
            // one where numbers count): fewer, and the top level can never be reached.
            let reachable = dim
                .concepts
                .iter()
                .filter(|c| !dim.uncounted.contains(&c.name))
                .count()
                + usize::from(dim.numbers_count);
            if reachable < 4 {
                self.push(
                    file,
                    line_for(dim.id),
                    format!(
                        "dimension '{}' can never reach level 4 offline: it needs at least 4 concepts (has {reachable})",
                        dim.id
                    ),
                );
            }
        }
        // A mishearing that is also a phrase the grader listens for would keep a real term
        // from ever being quoted.
        let line = text.find("misheard =").map_or(1, |o| line_of(text, o, 1));
        for form in &rubric.misheard {
            let norm = rehearse_core::normalize_for_match(form);
            let phrase = rubric
                .dimensions
                .iter()
                .flat_map(|d| &d.concepts)
                .find(|c| {
                    c.phrases
                        .iter()
                        .any(|p| rehearse_core::normalize_for_match(p) == norm)
                });
            if norm.is_empty() || phrase.is_some() {
                self.push(
                    file,
                    line,
                    format!("misheard form {form:?} is empty or one of the rubric's own phrases"),
                );
            }
        }
        for flag in &rubric.red_flags {
            let line = text
                .find(&format!("id = \"{}\"", flag.id))
                .map_or(1, |o| line_of(text, o, 1));
            if flag.cap > 4 {
                self.push(
                    file,
                    line,
                    format!("red flag '{}': cap {} is not 0 to 4", flag.id, flag.cap),
                );
            }
            if flag.dimensions.is_empty() || flag.patterns.is_empty() {
                self.push(
                    file,
                    line,
                    format!("red flag '{}' needs dimensions and patterns", flag.id),
                );
            }
            if !flag.challenge.contains("{quote}") {
                self.push(
                    file,
                    line,
                    format!(
                        "red flag '{}': the challenge must quote the claim with {{quote}}",
                        flag.id
                    ),
                );
            }
            for p in flag.patterns.iter().chain(&flag.unless) {
                if let Err(e) = regex::Regex::new(&format!("(?i){p}")) {
                    self.push(
                        file,
                        line,
                        format!(
                            "red flag '{}': pattern {p:?} does not compile: {e}",
                            flag.id
                        ),
                    );
                }
            }
        }
        if let Some(compound) = &rubric.misconceptions {
            let line = text
                .find("[misconceptions]")
                .map_or(1, |o| line_of(text, o, 1));
            if compound.at_least < 2 || compound.caps.values().any(|&c| c > 4) {
                self.push(
                    file,
                    line,
                    "misconceptions: at_least must be 2 or more and every cap 0 to 4",
                );
            }
        }
        if let Some(check) = &rubric.arithmetic {
            let line = text.find("[arithmetic]").map_or(1, |o| line_of(text, o, 1));
            if check.cap > 4 || check.dimensions.is_empty() || !check.challenge.contains("{quote}")
            {
                self.push(
                    file,
                    line,
                    "arithmetic: needs dimensions, a cap of 0 to 4 and a challenge with {quote}",
                );
            }
        }
        for check in &rubric.sizing {
            let line = text
                .find(&format!("id = \"{}\"", check.id))
                .map_or(1, |o| line_of(text, o, 1));
            let [low, high] = check.range;
            let problem = if check.cap > 4 {
                Some(format!("cap {} is not 0 to 4", check.cap))
            } else if check.dimensions.is_empty() || check.total.is_empty() || check.of.is_empty() {
                Some("needs dimensions, a total and the quantities it follows from".into())
            } else if check.of.iter().any(Vec::is_empty) {
                Some("every quantity in `of` needs unit words".into())
            } else if !(low > 0.0 && low < high && check.times > 0.0) {
                Some(format!(
                    "range {low}..{high} and times {} must be positive, low below high",
                    check.times
                ))
            } else if !check.challenge.contains("{quote}") {
                Some("the challenge must quote the figure with {quote}".into())
            } else {
                None
            };
            if let Some(problem) = problem {
                self.push(
                    file,
                    line,
                    format!("sizing check '{}': {problem}", check.id),
                );
            }
        }
        Some(rubric)
    }
}
