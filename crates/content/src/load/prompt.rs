//! A prompt file: its front matter (id, title, rubric, follow-up bank, scale hints, reference
//! outline) and its brief.

use super::doc::Doc;
use super::{Loader, Ref, RefTarget};
use crate::frontmatter::{parse_toml, split};
use crate::model::Prompt;
use rehearse_core::{DimensionId, ALL_DIMENSIONS};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Table;

const PROMPT_KEYS: &[&str] = &[
    "id",
    "title",
    "rubric",
    "followups",
    "scale_hints",
    "reference_outline",
];

#[derive(Deserialize)]
struct PromptFront {
    id: Option<String>,
    title: Option<String>,
    rubric: Option<String>,
    followups: Option<BTreeMap<DimensionId, Vec<String>>>,
    scale_hints: Option<Vec<String>>,
    reference_outline: Option<String>,
}

impl Loader {
    pub(super) fn prompt(&mut self, file: &str, text: &str) -> Option<Prompt> {
        let (front, first_line, body) = split(file, text)
            .map_err(|e| self.problems.push(e.into()))
            .ok()?;
        let doc = Doc {
            file,
            text: front,
            first_line,
        };
        let table: Table = parse_toml(file, front, first_line)
            .map_err(|e| self.problems.push(e.into()))
            .ok()?;
        self.unknown_keys(&doc, doc.all(), &table, PROMPT_KEYS, true);
        let f: PromptFront = parse_toml(file, front, first_line)
            .map_err(|e| self.problems.push(e.into()))
            .ok()?;
        let what = "the prompt";
        let id = self.id(&doc, doc.all(), f.id, what, 1);
        let title = self.required(
            &doc,
            doc.key_line(doc.all(), "title"),
            f.title,
            "title",
            what,
        );
        let rubric_line = doc.key_line(doc.all(), "rubric");
        let rubric = self.required(&doc, rubric_line, f.rubric, "rubric", what);
        let followups = f.followups.unwrap_or_default();
        let followups_line = doc.key_line(doc.all(), "followups");
        for d in ALL_DIMENSIONS {
            if followups
                .get(&d)
                .is_none_or(|q| q.iter().all(|s| s.trim().is_empty()))
            {
                self.push(
                    file,
                    followups_line,
                    format!("[followups] has no questions for '{d}'"),
                );
            }
        }
        match &f.scale_hints {
            None => self.push(
                file,
                1,
                "the prompt is missing 'scale_hints' (the numbers to design for)",
            ),
            Some(h) if h.iter().all(|s| s.trim().is_empty()) => self.push(
                file,
                doc.key_line(doc.all(), "scale_hints"),
                "'scale_hints' is empty",
            ),
            Some(_) => {}
        }
        let reference_outline = self.required(
            &doc,
            if f.reference_outline.is_some() {
                doc.key_line(doc.all(), "reference_outline")
            } else {
                1
            },
            f.reference_outline,
            "reference_outline",
            what,
        );
        let brief = body.trim().to_string();
        if brief.is_empty() {
            self.push(
                file,
                doc.line_at(front.len()),
                "the prompt has no brief after its front matter",
            );
        }
        let (id, title, rubric) = (id?, title?, rubric?);
        self.refs.push(Ref {
            file: file.to_string(),
            line: rubric_line,
            from: id.clone(),
            field: "rubric",
            target: rubric.clone(),
            kind: RefTarget::Rubric,
        });
        Some(Prompt {
            id,
            title,
            rubric,
            followups,
            brief,
            scale_hints: f.scale_hints.unwrap_or_default(),
            reference_outline: reference_outline.unwrap_or_default(),
        })
    }
}
