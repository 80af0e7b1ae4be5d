//! Parses and validates every content file, collecting all problems instead of stopping
//! at the first, each located by file and line.
//!
//! One module per kind of file (`prompt`, `card`, `glossary`, `rubric`), each reading into the
//! shared `Loader`; ids and cross-references are checked here once every file is read.

mod card;
mod doc;
mod glossary;
mod prompt;
mod rubric;

use crate::model::Content;
use crate::ContentProblem;
use doc::Doc;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use toml::Table;

enum RefTarget {
    CardOrTerm,
    /// A study card only (a rubric dimension's `cards`).
    Card,
    Rubric,
}

struct Ref {
    file: String,
    line: usize,
    from: String,
    field: &'static str,
    target: String,
    kind: RefTarget,
}

#[derive(Default)]
struct Loader {
    problems: Vec<ContentProblem>,
    /// Ids of prompts, cards and glossary terms, which share one namespace.
    ids: Vec<(String, String, usize)>,
    refs: Vec<Ref>,
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

impl Loader {
    fn push(&mut self, file: &str, line: usize, message: impl Into<String>) {
        self.problems.push(ContentProblem::new(file, line, message));
    }

    fn unknown_keys(
        &mut self,
        doc: &Doc,
        range: Range<usize>,
        table: &Table,
        known: &[&str],
        line_start: bool,
    ) {
        for key in table.keys() {
            if !known.contains(&key.as_str()) {
                let line = doc
                    .key_offset(range.clone(), key, line_start)
                    .map(|o| doc.line_at(o))
                    .unwrap_or_else(|| doc.line_at(range.start));
                self.push(
                    doc.file,
                    line,
                    format!(
                        "unknown field '{key}' (expected one of: {})",
                        known.join(", ")
                    ),
                );
            }
        }
    }

    /// A required, non-empty text field.
    fn required(
        &mut self,
        doc: &Doc,
        line: usize,
        value: Option<String>,
        field: &str,
        what: &str,
    ) -> Option<String> {
        match value {
            Some(v) if !v.trim().is_empty() => Some(v.trim().to_string()),
            Some(_) => {
                self.push(doc.file, line, format!("'{field}' of {what} is empty"));
                None
            }
            None => {
                self.push(
                    doc.file,
                    line,
                    format!("{what} is missing the required field '{field}'"),
                );
                None
            }
        }
    }

    fn id(
        &mut self,
        doc: &Doc,
        range: Range<usize>,
        value: Option<String>,
        what: &str,
        missing_line: usize,
    ) -> Option<String> {
        let line = doc.key_line(range, "id");
        let id = self.required(
            doc,
            if value.is_some() { line } else { missing_line },
            value,
            "id",
            what,
        )?;
        if !is_kebab(&id) {
            self.push(
                doc.file,
                line,
                format!(
                    "id '{id}' is not kebab-case (lower-case letters, digits and single hyphens)"
                ),
            );
        }
        self.ids.push((id.clone(), doc.file.to_string(), line));
        Some(id)
    }

    fn refs(
        &mut self,
        doc: &Doc,
        range: Range<usize>,
        from: &str,
        field: &'static str,
        targets: &[String],
    ) {
        for t in targets {
            self.refs.push(Ref {
                file: doc.file.to_string(),
                line: doc.value_line(range.clone(), field, t),
                from: from.to_string(),
                field,
                target: t.clone(),
                kind: RefTarget::CardOrTerm,
            });
        }
    }
}

/// Parses all content files (paths relative to the content root) into `Content`, with every
/// problem found, sorted by file and line. The content is only usable when there are none.
pub(crate) fn load_files(mut files: Vec<(String, String)>) -> (Content, Vec<ContentProblem>) {
    files.sort();
    let mut l = Loader::default();
    let mut content = Content::default();
    let mut rubric_sites: HashMap<String, String> = HashMap::new();
    for (name, text) in &files {
        if name.starts_with("rubrics/") {
            if let Some(r) = l.rubric(name, text) {
                if let Some(first) = rubric_sites.get(&r.id) {
                    l.push(
                        name,
                        1,
                        format!("duplicate rubric id '{}': already used in {first}", r.id),
                    );
                }
                rubric_sites.insert(r.id.clone(), name.clone());
                content.rubrics.push(r);
            }
        } else if name.starts_with("prompts/") {
            if let Some(p) = l.prompt(name, text) {
                content.prompts.push(p);
            }
        } else if name.starts_with("cards/") {
            if let Some(c) = l.card(name, text) {
                content.cards.push(c);
            }
        } else if name == "glossary.toml" {
            content.glossary = l.glossary(name, text);
        }
    }

    let mut seen: HashMap<&str, (&str, usize)> = HashMap::new();
    let mut dups = Vec::new();
    for (id, file, line) in &l.ids {
        match seen.get(id.as_str()) {
            Some((f, n)) => dups.push(ContentProblem::new(
                file,
                *line,
                format!("duplicate id '{id}': already used in {f}:{n}"),
            )),
            None => {
                seen.insert(id, (file, *line));
            }
        }
    }
    // Every card or glossary id that was read, even from an entry with other problems, so
    // that one bad card does not also break every reference to it.
    let linkable: HashSet<&str> = l
        .ids
        .iter()
        .filter(|(_, file, _)| file.starts_with("cards/") || file == "glossary.toml")
        .map(|(id, _, _)| id.as_str())
        .collect();
    let cards: HashSet<&str> = l
        .ids
        .iter()
        .filter(|(_, file, _)| file.starts_with("cards/"))
        .map(|(id, _, _)| id.as_str())
        .collect();
    let mut broken = Vec::new();
    for r in &l.refs {
        let message = match r.kind {
            RefTarget::Rubric if !rubric_sites.contains_key(&r.target) => Some(format!(
                "rubric '{}' does not exist in content/rubrics",
                r.target
            )),
            RefTarget::CardOrTerm if r.target == r.from => {
                Some(format!("'{}' refers to itself ('{}')", r.field, r.target))
            }
            RefTarget::CardOrTerm if !linkable.contains(r.target.as_str()) => Some(format!(
                "'{}' refers to '{}', which is not a card or glossary id",
                r.field, r.target
            )),
            RefTarget::Card if !cards.contains(r.target.as_str()) => Some(format!(
                "'{}' refers to '{}', which is not a card id in content/cards",
                r.field, r.target
            )),
            _ => None,
        };
        if let Some(m) = message {
            broken.push(ContentProblem::new(&r.file, r.line, m));
        }
    }
    let mut problems = l.problems;
    problems.extend(dups);
    problems.extend(broken);
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    (content, problems)
}
