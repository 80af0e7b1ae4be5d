//! A study card file: its front matter (kind, area, key points with their phrases, links) and
//! its body; a card sits in the folder of its area.

use super::doc::Doc;
use super::Loader;
use crate::cards::{Area, Card, CardKind, KeyPoint};
use crate::frontmatter::{parse_toml, split};
use rehearse_core::normalize_for_match;
use serde::Deserialize;
use std::collections::HashSet;
use toml::{Table, Value};

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

impl Loader {
    pub(super) fn card(&mut self, file: &str, text: &str) -> Option<Card> {
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
}
