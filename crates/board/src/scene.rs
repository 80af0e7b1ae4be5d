//! Excalidraw scene JSON -> [`BoardGraph`]. Reads the saved format of Excalidraw 0.18
//! (`{"type":"excalidraw","version":2,"elements":[...]}`) or a bare elements array, and is
//! tolerant of everything a real board holds: deleted elements, unbound arrows, groups,
//! frames, freedraw, unknown element types and missing fields. This file parses; what the
//! elements mean is read in `units` (the boxes), `labels` (the words) and `graph` (arrows).

use crate::graph::graph_of_elements;
use crate::BoardError;
use rehearse_core::BoardGraph;
use serde_json::{Map, Value};

/// More elements than any hand-drawn board has; beyond it the input is not a board.
pub const MAX_ELEMENTS: usize = 20_000;

/// A scene's live (not deleted) elements, each an object with a string `id` and `type`
/// (anything else in the array is skipped), and its `files` (image data by file id).
pub(crate) struct ParsedScene {
    pub elements: Vec<Map<String, Value>>,
    pub files: Map<String, Value>,
}

pub(crate) fn parse_scene(json: &str) -> Result<ParsedScene, BoardError> {
    let value: Value = serde_json::from_str(json).map_err(BoardError::Json)?;
    let mut files = Map::new();
    let elements = match value {
        Value::Array(items) => items,
        Value::Object(mut scene) => match scene.remove("elements") {
            Some(Value::Array(items)) => {
                if let Some(Value::Object(f)) = scene.remove("files") {
                    files = f;
                }
                items
            }
            Some(_) => return Err(BoardError::NotAScene("`elements` is not an array".into())),
            None => {
                return Err(BoardError::NotAScene(
                    "no `elements` array (expected an Excalidraw scene)".into(),
                ))
            }
        },
        _ => {
            return Err(BoardError::NotAScene(
                "expected an Excalidraw scene object or an array of elements".into(),
            ))
        }
    };
    if elements.len() > MAX_ELEMENTS {
        return Err(BoardError::TooLarge {
            elements: elements.len(),
        });
    }
    let elements = elements
        .into_iter()
        .filter_map(|e| match e {
            Value::Object(m) => Some(m),
            _ => None,
        })
        .filter(|m| str_field(m, "id").is_some_and(|id| !id.is_empty()))
        .filter(|m| str_field(m, "type").is_some())
        .filter(|m| m.get("isDeleted").and_then(Value::as_bool) != Some(true))
        .collect::<Vec<_>>();
    // A duplicated id (a hand-edited or merged file): the first element wins everywhere.
    let mut seen = std::collections::HashSet::new();
    let elements = elements
        .into_iter()
        .filter(|m| seen.insert(str_field(m, "id").unwrap_or_default().to_string()))
        .collect();
    Ok(ParsedScene { elements, files })
}

/// Converts an Excalidraw scene to the graph the interviewer reads. A malformed scene is a
/// clear [`BoardError`]; odd elements inside a well-formed one are skipped, never a panic.
pub fn scene_to_graph(json: &str) -> Result<BoardGraph, BoardError> {
    let scene = parse_scene(json)?;
    Ok(graph_of_elements(&scene.elements))
}

pub(crate) fn str_field<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    m.get(key).and_then(Value::as_str)
}

pub(crate) fn num_field(m: &Map<String, Value>, key: &str) -> Option<f64> {
    m.get(key).and_then(Value::as_f64).filter(|v| v.is_finite())
}

pub(crate) fn element_type(m: &Map<String, Value>) -> &str {
    str_field(m, "type").unwrap_or("")
}

/// The words of a text element, on one line.
pub(crate) fn text_of(m: &Map<String, Value>) -> String {
    // `originalText` is what was typed; `text` has the wrapping Excalidraw added.
    let raw = str_field(m, "originalText")
        .filter(|t| !t.trim().is_empty())
        .or_else(|| str_field(m, "text"))
        .unwrap_or("");
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}
