//! Parses and validates every content file, collecting all problems instead of stopping
//! at the first, each located by file and line.

use crate::cards::{Area, Card, CardKind, GlossaryTerm, KeyPoint};
use crate::frontmatter::{line_of, parse_toml, split};
use crate::model::{Content, Prompt, Rubric};
use crate::ContentProblem;
use rehearse_core::{normalize_for_match, DimensionId, ALL_DIMENSIONS};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use toml::{Table, Value};

const PROMPT_KEYS: &[&str] = &[
    "id",
    "title",
    "rubric",
    "followups",
    "scale_hints",
    "reference_outline",
];
const CARD_KEYS: &[&str] = &[
    "id",
    "kind",
    "area",
    "title",
    "tags",
    "related",
    "key_points",
    "weak_answers",
    "followups",
];
const KEY_POINT_KEYS: &[&str] = &["id", "text", "phrases"];
const GLOSSARY_KEYS: &[&str] = &["terms"];
const TERM_KEYS: &[&str] = &["id", "term", "definition", "see_also"];

#[derive(Deserialize)]
struct PromptFront {
    id: Option<String>,
    title: Option<String>,
    rubric: Option<String>,
    followups: Option<BTreeMap<DimensionId, Vec<String>>>,
    scale_hints: Option<Vec<String>>,
    reference_outline: Option<String>,
}

#[derive(Deserialize)]
struct CardFront {
    id: Option<String>,
    kind: Option<String>,
    area: Option<String>,
    title: Option<String>,
    tags: Option<Vec<String>>,
    related: Option<Vec<String>>,
    key_points: Option<Vec<KeyPointFront>>,
    weak_answers: Option<Vec<String>>,
    followups: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct KeyPointFront {
    id: Option<String>,
    text: Option<String>,
    phrases: Option<Vec<String>>,
}

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

/// A TOML text inside a file, for turning byte offsets and keys into line numbers.
struct Doc<'a> {
    file: &'a str,
    text: &'a str,
    first_line: usize,
}

impl Doc<'_> {
    fn all(&self) -> Range<usize> {
        0..self.text.len()
    }

    fn line_at(&self, offset: usize) -> usize {
        line_of(self.text, offset, self.first_line)
    }

    /// Offset of the line in `range` that assigns `key` (`key = ...` or `[key]`), at the
    /// start of a line when `line_start`, anywhere (inline tables) otherwise.
    fn key_offset(&self, range: Range<usize>, key: &str, line_start: bool) -> Option<usize> {
        let mut off = range.start;
        for line in self.text[range].split_inclusive('\n') {
            let t = line.trim();
            if t == format!("[{key}]") {
                return Some(off);
            }
            let mut search = 0;
            while let Some(pos) = line[search..].find(key) {
                let at = search + pos;
                let before = line[..at].trim();
                let before_ok = if line_start {
                    before.is_empty()
                } else {
                    before.is_empty() || before.ends_with(['{', ',', '['])
                };
                let after = line[at + key.len()..].trim_start();
                if before_ok && after.starts_with('=') {
                    return Some(off);
                }
                search = at + key.len();
            }
            off += line.len();
        }
        None
    }

    fn key_line(&self, range: Range<usize>, key: &str) -> usize {
        let start = range.start;
        self.key_offset(range, key, true)
            .map(|o| self.line_at(o))
            .unwrap_or_else(|| self.line_at(start))
    }

    /// Line of the quoted `value` given for `key` in `range`.
    fn value_line(&self, range: Range<usize>, key: &str, value: &str) -> usize {
        let from = self
            .key_offset(range.clone(), key, false)
            .unwrap_or(range.start);
        let hay = &self.text[from..range.end];
        [format!("\"{value}\""), format!("'{value}'")]
            .iter()
            .filter_map(|q| hay.find(q.as_str()))
            .min()
            .map(|o| self.line_at(from + o))
            .unwrap_or_else(|| self.line_at(from))
    }
}

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

    fn prompt(&mut self, file: &str, text: &str) -> Option<Prompt> {
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

    fn card(&mut self, file: &str, text: &str) -> Option<Card> {
        let (front, first_line, body) = split(file, text)
            .map_err(|e| self.problems.push(e.into()))
            .ok()?;
        let doc = Doc {
            file,
            text: front,
            first_line,
        };
        let all = doc.all();
        let table: Table = parse_toml(file, front, first_line)
            .map_err(|e| self.problems.push(e.into()))
            .ok()?;
        self.unknown_keys(&doc, all.clone(), &table, CARD_KEYS, true);
        if let Some(Value::Array(kps)) = table.get("key_points") {
            let from = doc.key_offset(all.clone(), "key_points", true).unwrap_or(0);
            for kp in kps {
                if let Value::Table(t) = kp {
                    self.unknown_keys(&doc, from..front.len(), t, KEY_POINT_KEYS, false);
                }
            }
        }
        let f: CardFront = parse_toml(file, front, first_line)
            .map_err(|e| self.problems.push(e.into()))
            .ok()?;
        let what = "the card";
        let id = self.id(&doc, all.clone(), f.id, what, 1);
        let title = self.required(
            &doc,
            doc.key_line(all.clone(), "title"),
            f.title,
            "title",
            what,
        );

        let kind_line = doc.key_line(all.clone(), "kind");
        let kind = match f.kind {
            None => {
                self.push(file, 1, "the card is missing the required field 'kind'");
                None
            }
            Some(k) => {
                let kind = CardKind::parse(&k);
                if kind.is_none() {
                    self.push(file, kind_line, format!("unknown kind '{k}' (expected one of: overview, concept, question, mistake)"));
                }
                kind
            }
        };
        let area_line = doc.key_line(all.clone(), "area");
        let area = match f.area {
            None => {
                self.push(file, 1, "the card is missing the required field 'area'");
                None
            }
            Some(a) => {
                let area = Area::parse(&a);
                if area.is_none() {
                    self.push(file, area_line, format!("unknown area '{a}' (expected one of: ml-fundamentals, llm-apis, agents, system-design, coding-patterns)"));
                }
                area
            }
        };
        let parts: Vec<&str> = file.split('/').collect();
        match (area, parts.as_slice()) {
            (Some(area), ["cards", folder, _]) if *folder != area.as_str() => self.push(
                file,
                area_line,
                format!("the card's area is '{area}' but it is in cards/{folder}/; move it to cards/{area}/ or fix the area"),
            ),
            (_, ["cards", _, _]) => {}
            _ => self.push(file, 1, "cards belong in a folder named after their area: cards/<area>/<name>.md"),
        }

        let mut key_points = Vec::new();
        let kp_start = doc.key_offset(all.clone(), "key_points", true).unwrap_or(0);
        let kp_range = kp_start..front.len();
        let mut kp_ids = HashSet::new();
        for (i, kp) in f.key_points.unwrap_or_default().into_iter().enumerate() {
            let line = match &kp.id {
                Some(kid) => doc.value_line(kp_range.clone(), "id", kid),
                None => doc.line_at(kp_start),
            };
            let label = kp.id.clone().unwrap_or_else(|| format!("#{}", i + 1));
            let kwhat = format!("key point '{label}'");
            let kid = self.required(&doc, line, kp.id, "id", &kwhat);
            if let Some(kid) = &kid {
                if !kp_ids.insert(kid.clone()) {
                    self.push(
                        file,
                        line,
                        format!("key point id '{kid}' is used twice in this card"),
                    );
                }
            }
            let text = self.required(&doc, line, kp.text, "text", &kwhat);
            let phrases: Vec<String> = kp.phrases.unwrap_or_default();
            if phrases.is_empty() {
                self.push(file, line, format!("{kwhat} has no phrases; give several words or short phrases that show an answer covered it"));
            }
            for p in &phrases {
                if normalize_for_match(p).is_empty() {
                    self.push(
                        file,
                        line,
                        format!("{kwhat} has a phrase with no words: '{p}'"),
                    );
                }
            }
            if let (Some(id), Some(text)) = (kid, text) {
                key_points.push(KeyPoint { id, text, phrases });
            }
        }
        if kind == Some(CardKind::Question)
            && key_points.is_empty()
            && !table.contains_key("key_points")
        {
            self.push(file, kind_line, "a question card needs key_points = [{ id, text, phrases }] to grade answers against");
        } else if kind == Some(CardKind::Question)
            && table
                .get("key_points")
                .and_then(Value::as_array)
                .is_some_and(|a| a.is_empty())
        {
            self.push(
                file,
                doc.key_line(all.clone(), "key_points"),
                "a question card needs at least one key point",
            );
        }

        let related = f.related.unwrap_or_default();
        if let Some(id) = &id {
            self.refs(&doc, all.clone(), id, "related", &related);
        }
        let body = body.trim().to_string();
        if body.is_empty() {
            self.push(
                file,
                doc.line_at(front.len()),
                "the card has no body after its front matter",
            );
        }
        Some(Card {
            id: id?,
            kind: kind?,
            area: area?,
            title: title?,
            tags: f.tags.unwrap_or_default(),
            related,
            body,
            key_points,
            weak_answers: f.weak_answers.unwrap_or_default(),
            followups: f.followups.unwrap_or_default(),
        })
    }

    fn glossary(&mut self, file: &str, text: &str) -> Vec<GlossaryTerm> {
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

    fn rubric(&mut self, file: &str, text: &str) -> Option<Rubric> {
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
            for g in dim.gate.iter().chain(&dim.top_requires) {
                if !dim.concepts.iter().any(|c| &c.name == g) {
                    self.push(
                        file,
                        line_for(dim.id),
                        format!(
                            "dimension '{}' gates on '{g}', which is not one of its concepts",
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
            if dim.concepts.is_empty() || dim.concepts.iter().any(|c| c.phrases.is_empty()) {
                self.push(
                    file,
                    line_for(dim.id),
                    format!("dimension '{}' has a concept with no phrases", dim.id),
                );
            }
            // The offline grader's level 4 needs four distinct concepts (a number counts as
            // one where numbers count): fewer, and the top level can never be reached.
            let reachable = dim.concepts.len() + usize::from(dim.numbers_count);
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
        Some(rubric)
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
