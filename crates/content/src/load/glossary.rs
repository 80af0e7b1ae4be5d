//! The glossary: its `[[terms]]`, each with an id, a definition and links.

use super::doc::Doc;
use super::Loader;
use crate::cards::GlossaryTerm;
use crate::frontmatter::parse_toml;
use serde::Deserialize;
use std::ops::Range;
use toml::{Table, Value};

const GLOSSARY_KEYS: &[&str] = &["terms"];
const TERM_KEYS: &[&str] = &["id", "term", "definition", "see_also"];

#[derive(Deserialize)]
struct GlossaryFront {
    terms: Option<Vec<TermFront>>,
}

#[derive(Deserialize)]
struct TermFront {
    id: Option<String>,
    term: Option<String>,
    definition: Option<String>,
    see_also: Option<Vec<String>>,
}

impl Loader {
    pub(super) fn glossary(&mut self, file: &str, text: &str) -> Vec<GlossaryTerm> {
        let doc = Doc {
            file,
            text,
            first_line: 1,
        };
        let Some(table) = parse_toml::<Table>(file, text, 1)
            .map_err(|e| self.problems.push(e.into()))
            .ok()
        else {
            return Vec::new();
        };
        self.unknown_keys(&doc, doc.all(), &table, GLOSSARY_KEYS, true);
        let Some(f) = parse_toml::<GlossaryFront>(file, text, 1)
            .map_err(|e| self.problems.push(e.into()))
            .ok()
        else {
            return Vec::new();
        };
        let Some(terms) = f.terms else {
            self.push(file, 1, "the glossary has no [[terms]]");
            return Vec::new();
        };
        // The byte range of each [[terms]] block, for line numbers.
        let mut starts = Vec::new();
        let mut off = 0;
        for line in text.split_inclusive('\n') {
            if line.trim() == "[[terms]]" {
                starts.push(off);
            }
            off += line.len();
        }
        let ranges: Vec<Range<usize>> = if starts.len() == terms.len() {
            starts
                .iter()
                .enumerate()
                .map(|(i, s)| *s..starts.get(i + 1).copied().unwrap_or(text.len()))
                .collect()
        } else {
            vec![doc.all(); terms.len()]
        };
        let tables: Vec<Option<&Table>> = match table.get("terms") {
            Some(Value::Array(a)) => a.iter().map(Value::as_table).collect(),
            _ => Vec::new(),
        };
        let mut out = Vec::new();
        for (i, (t, range)) in terms.into_iter().zip(ranges).enumerate() {
            if let Some(Some(tt)) = tables.get(i) {
                self.unknown_keys(&doc, range.clone(), tt, TERM_KEYS, true);
            }
            let head = doc.line_at(range.start);
            let what = format!("glossary term #{}", i + 1);
            let id = self.id(&doc, range.clone(), t.id, &what, head);
            let term = self.required(
                &doc,
                doc.key_line(range.clone(), "term"),
                t.term,
                "term",
                &what,
            );
            let definition = self.required(
                &doc,
                doc.key_line(range.clone(), "definition"),
                t.definition,
                "definition",
                &what,
            );
            let see_also = t.see_also.unwrap_or_default();
            if let Some(id) = &id {
                self.refs(&doc, range.clone(), id, "see_also", &see_also);
            }
            if let (Some(id), Some(term), Some(definition)) = (id, term, definition) {
                out.push(GlossaryTerm {
                    id,
                    term,
                    definition,
                    see_also,
                });
            }
        }
        out
    }
}
