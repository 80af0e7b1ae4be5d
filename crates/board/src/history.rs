//! Board history as a log of small diffs. Each change to the board is stored as a
//! [`BoardDelta`]: elements that are new (whole), the fields that changed on elements that
//! were already there, the ids removed, and the new stacking order only when it changed.
//! Excalidraw bumps an element's `version` on every edit, so unchanged elements cost nothing;
//! deleted elements are dropped rather than kept as tombstones. Replaying the deltas up to a
//! time gives the scene as it was then.
//!
//! A payload is the delta's JSON, deflated: a move is a few dozen bytes. There are no
//! keyframes: replaying a whole 45-minute session is a few hundred small merges.

use crate::scene::{parse_scene, ParsedScene};
use crate::BoardError;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::io::{Read, Write};

/// The fields that changed on one element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementPatch {
    pub id: String,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub set: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unset: Vec<String>,
}

/// One change of the board.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardDelta {
    /// New elements, whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add: Vec<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patch: Vec<ElementPatch>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// The element ids in stacking order, only when it differs from the order the other
    /// fields imply (existing order, new elements at the top).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Vec<String>>,
    /// Image data not stored before, by file id.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub files: Map<String, Value>,
}

impl BoardDelta {
    pub fn is_empty(&self) -> bool {
        self.add.is_empty()
            && self.patch.is_empty()
            && self.remove.is_empty()
            && self.order.is_none()
            && self.files.is_empty()
    }

    /// The stored form: JSON, deflated.
    pub fn encode(&self) -> Vec<u8> {
        // Serialising maps of JSON values cannot fail; an empty payload would replay as
        // "no change", which is the safe reading of the impossible.
        let json = serde_json::to_vec(self).unwrap_or_default();
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
        if enc.write_all(&json).is_err() {
            return Vec::new();
        }
        enc.finish().unwrap_or_default()
    }

    pub fn decode(payload: &[u8]) -> Result<Self, BoardError> {
        if payload.is_empty() {
            return Ok(BoardDelta::default());
        }
        let mut json = Vec::new();
        DeflateDecoder::new(payload)
            .take(256 * 1024 * 1024)
            .read_to_end(&mut json)
            .map_err(|e| BoardError::BadHistory(format!("cannot inflate: {e}")))?;
        serde_json::from_slice(&json).map_err(|e| BoardError::BadHistory(e.to_string()))
    }
}

/// The board as a list of elements in stacking order, plus image files.
#[derive(Debug, Clone, Default)]
pub struct BoardState {
    order: Vec<String>,
    elements: HashMap<String, Map<String, Value>>,
    files: Map<String, Value>,
}

impl BoardState {
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn element_count(&self) -> usize {
        self.order.len()
    }

    fn from_scene(scene: ParsedScene) -> Self {
        let mut state = BoardState::default();
        for m in scene.elements {
            let Some(id) = m.get("id").and_then(Value::as_str).map(str::to_string) else {
                continue;
            };
            // A duplicated id: the first wins, as in the graph.
            if let std::collections::hash_map::Entry::Vacant(slot) =
                state.elements.entry(id.clone())
            {
                slot.insert(m);
                state.order.push(id);
            }
        }
        // Only the files an element still uses: a removed image's data is not kept.
        let used: std::collections::HashSet<&str> = state
            .elements
            .values()
            .filter_map(|m| m.get("fileId").and_then(Value::as_str))
            .collect();
        state.files = scene
            .files
            .into_iter()
            .filter(|(id, _)| used.contains(id.as_str()))
            .collect();
        state
    }

    /// What turns `self` into `next`.
    fn delta_to(&self, next: &BoardState) -> BoardDelta {
        let mut delta = BoardDelta::default();
        for id in &next.order {
            let new = &next.elements[id];
            match self.elements.get(id) {
                None => delta.add.push(new.clone()),
                Some(old) => {
                    let same_version =
                        old.get("version").is_some() && old.get("version") == new.get("version");
                    if same_version {
                        continue;
                    }
                    let set: Map<String, Value> = new
                        .iter()
                        .filter(|(k, v)| old.get(*k) != Some(*v))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    let unset: Vec<String> = old
                        .keys()
                        .filter(|k| !new.contains_key(*k))
                        .cloned()
                        .collect();
                    if !set.is_empty() || !unset.is_empty() {
                        delta.patch.push(ElementPatch {
                            id: id.clone(),
                            set,
                            unset,
                        });
                    }
                }
            }
        }
        delta.remove = self
            .order
            .iter()
            .filter(|id| !next.elements.contains_key(*id))
            .cloned()
            .collect();
        let mut implied: Vec<&String> = self
            .order
            .iter()
            .filter(|id| next.elements.contains_key(*id))
            .collect();
        implied.extend(delta.add.iter().filter_map(|m| {
            m.get("id")
                .and_then(Value::as_str)
                .and_then(|id| next.order.iter().find(|o| o.as_str() == id))
        }));
        if implied.len() != next.order.len()
            || implied.iter().zip(&next.order).any(|(a, b)| *a != b)
        {
            delta.order = Some(next.order.clone());
        }
        delta.files = next
            .files
            .iter()
            .filter(|(id, _)| !self.files.contains_key(*id))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        delta
    }

    /// Applies a delta; ids it names that are not here are ignored (a damaged log replays
    /// as much as it can).
    pub fn apply(&mut self, delta: &BoardDelta) {
        for id in &delta.remove {
            self.elements.remove(id);
        }
        self.order.retain(|id| self.elements.contains_key(id));
        for p in &delta.patch {
            if let Some(m) = self.elements.get_mut(&p.id) {
                for k in &p.unset {
                    m.remove(k);
                }
                for (k, v) in &p.set {
                    m.insert(k.clone(), v.clone());
                }
            }
        }
        for m in &delta.add {
            if let Some(id) = m.get("id").and_then(Value::as_str) {
                if self.elements.insert(id.to_string(), m.clone()).is_none() {
                    self.order.push(id.to_string());
                }
            }
        }
        if let Some(order) = &delta.order {
            let mut seen = std::collections::HashSet::new();
            let mut reordered: Vec<String> = order
                .iter()
                .filter(|id| self.elements.contains_key(*id) && seen.insert((*id).clone()))
                .cloned()
                .collect();
            // Anything the order left out stays, on top.
            reordered.extend(self.order.iter().filter(|id| !seen.contains(*id)).cloned());
            self.order = reordered;
        }
        for (k, v) in &delta.files {
            self.files.insert(k.clone(), v.clone());
        }
    }

    /// The board as an Excalidraw scene file.
    pub fn to_scene_json(&self) -> String {
        let elements: Vec<&Map<String, Value>> = self
            .order
            .iter()
            .filter_map(|id| self.elements.get(id))
            .collect();
        serde_json::json!({
            "type": "excalidraw",
            "version": 2,
            "source": "rehearse",
            "elements": elements,
            "appState": { "viewBackgroundColor": "#ffffff", "gridSize": null },
            "files": self.files,
        })
        .to_string()
    }
}

/// Turns successive scenes from the UI into deltas; holds the last board seen.
#[derive(Debug, Default)]
pub struct BoardRecorder {
    last: BoardState,
}

impl BoardRecorder {
    pub fn new() -> Self {
        BoardRecorder::default()
    }

    /// The delta from the last scene to this one, `None` when nothing changed (Excalidraw
    /// reports selection and scrolling as changes too). The scene is parsed first: a
    /// malformed one is an error and leaves the recorder as it was.
    pub fn record(&mut self, scene_json: &str) -> Result<Option<BoardDelta>, BoardError> {
        let next = BoardState::from_scene(parse_scene(scene_json)?);
        let delta = self.last.delta_to(&next);
        self.last = next;
        Ok((!delta.is_empty()).then_some(delta))
    }

    pub fn state(&self) -> &BoardState {
        &self.last
    }
}

/// The board as it was at `t_s`: every event at or before it applied in order. `None` when
/// the board had no change by then. Events must be in time order (as the store returns them).
pub fn replay_at<'a>(
    events: impl IntoIterator<Item = (f64, &'a [u8])>,
    t_s: f64,
) -> Result<Option<String>, BoardError> {
    let mut state = BoardState::default();
    let mut any = false;
    for (at, payload) in events {
        if at > t_s {
            break;
        }
        state.apply(&BoardDelta::decode(payload)?);
        any = true;
    }
    Ok(any.then(|| state.to_scene_json()))
}

/// The board after every event.
pub fn replay_final<'a>(
    events: impl IntoIterator<Item = (f64, &'a [u8])>,
) -> Result<Option<String>, BoardError> {
    replay_at(events, f64::INFINITY)
}
