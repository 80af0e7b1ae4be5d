//! Excalidraw scene JSON -> [`BoardGraph`]. Reads the saved format of Excalidraw 0.18
//! (`{"type":"excalidraw","version":2,"elements":[...]}`) or a bare elements array, and is
//! tolerant of everything a real board holds: deleted elements, unbound arrows, groups,
//! frames, freedraw, unknown element types and missing fields.

use crate::kind::kind_from_label;
use crate::BoardError;
use rehearse_core::{BoardEdge, BoardGraph, BoardNode, ComponentKind};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// More elements than any hand-drawn board has; beyond it the input is not a board.
pub const MAX_ELEMENTS: usize = 20_000;

/// Element types that are boxes a component can be drawn as.
const SHAPE_TYPES: &[&str] = &[
    "rectangle",
    "ellipse",
    "diamond",
    "image",
    "embeddable",
    "iframe",
];

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

fn str_field<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    m.get(key).and_then(Value::as_str)
}

fn num_field(m: &Map<String, Value>, key: &str) -> Option<f64> {
    m.get(key).and_then(Value::as_f64).filter(|v| v.is_finite())
}

/// A shape's box, for "is this point / text inside it".
#[derive(Debug, Clone, Copy)]
struct Bounds {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    angle: f64,
}

impl Bounds {
    fn of(m: &Map<String, Value>) -> Option<Bounds> {
        let (x, y) = (num_field(m, "x")?, num_field(m, "y")?);
        let (w, h) = (num_field(m, "width")?, num_field(m, "height")?);
        // Excalidraw keeps width/height positive, but a hand-edited file may not.
        let (x, w) = if w < 0.0 { (x + w, -w) } else { (x, w) };
        let (y, h) = if h < 0.0 { (y + h, -h) } else { (y, h) };
        Some(Bounds {
            x,
            y,
            w,
            h,
            angle: num_field(m, "angle").unwrap_or(0.0),
        })
    }

    fn center(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// With a margin, because arrows drawn "to" a box end a few pixels short of it.
    fn contains(&self, px: f64, py: f64, margin: f64) -> bool {
        // A rotated shape: rotate the point back around the shape's centre.
        let (cx, cy) = self.center();
        let (s, c) = (-self.angle).sin_cos();
        let (dx, dy) = (px - cx, py - cy);
        let (lx, ly) = (cx + dx * c - dy * s, cy + dx * s + dy * c);
        lx >= self.x - margin
            && lx <= self.x + self.w + margin
            && ly >= self.y - margin
            && ly <= self.y + self.h + margin
    }

    fn area(&self) -> f64 {
        self.w * self.h
    }
}

/// How far outside a box an unbound arrow may end and still be drawn to it.
const ARROW_SNAP_PX: f64 = 12.0;

/// The words of a text element, on one line.
fn text_of(m: &Map<String, Value>) -> String {
    // `originalText` is what was typed; `text` has the wrapping Excalidraw added.
    let raw = str_field(m, "originalText")
        .filter(|t| !t.trim().is_empty())
        .or_else(|| str_field(m, "text"))
        .unwrap_or("");
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn join_label(parts: &[String]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

struct Shape<'a> {
    element: &'a Map<String, Value>,
    bounds: Option<Bounds>,
    label_parts: Vec<String>,
    connected: bool,
}

pub(crate) fn graph_of_elements(elements: &[Map<String, Value>]) -> BoardGraph {
    let by_id: HashMap<&str, &Map<String, Value>> = elements
        .iter()
        .filter_map(|m| Some((str_field(m, "id")?, m)))
        .collect();
    let element_type = |m: &Map<String, Value>| str_field(m, "type").unwrap_or("").to_string();

    let mut shapes: Vec<Shape> = Vec::new();
    let mut shape_index: HashMap<&str, usize> = HashMap::new();
    for m in elements {
        if SHAPE_TYPES.contains(&element_type(m).as_str()) {
            if let Some(id) = str_field(m, "id") {
                shape_index.insert(id, shapes.len());
                shapes.push(Shape {
                    element: m,
                    bounds: Bounds::of(m),
                    label_parts: Vec::new(),
                    connected: false,
                });
            }
        }
    }

    let is_arrow = |m: &Map<String, Value>| matches!(element_type(m).as_str(), "arrow" | "line");
    let mut arrow_labels: HashMap<&str, Vec<String>> = HashMap::new();
    // Free text that labels a shape by group or position, by text id: which shape.
    let mut text_owner: HashMap<&str, usize> = HashMap::new();
    let mut notes = Vec::new();
    let mut frame_notes = Vec::new();

    for m in elements {
        let ty = element_type(m);
        if ty == "frame" || ty == "magicframe" {
            if let Some(name) = str_field(m, "name")
                .map(str::trim)
                .filter(|n| !n.is_empty())
            {
                frame_notes.push(name.to_string());
            }
            continue;
        }
        if ty != "text" {
            continue;
        }
        let Some(id) = str_field(m, "id") else {
            continue;
        };
        let words = text_of(m);
        // Bound text: the label of its container (a shape or an arrow).
        if let Some(container) = str_field(m, "containerId") {
            if let Some(&i) = shape_index.get(container) {
                shapes[i].label_parts.push(words);
                text_owner.insert(id, i);
                continue;
            }
            if by_id.get(container).is_some_and(|c| is_arrow(c)) {
                arrow_labels.entry(container).or_default().push(words);
                continue;
            }
        }
        if words.is_empty() {
            continue;
        }
        // Free text grouped with exactly one shape (a library component is a group).
        if let Some(owner) = group_owner(m, &shapes) {
            shapes[owner].label_parts.push(words);
            text_owner.insert(id, owner);
            continue;
        }
        // Free text written inside a shape: the smallest shape around its centre.
        if let Some(owner) = Bounds::of(m).and_then(|b| {
            let (cx, cy) = b.center();
            smallest_shape_at(&shapes, cx, cy, 0.0)
        }) {
            shapes[owner].label_parts.push(words);
            text_owner.insert(id, owner);
            continue;
        }
        notes.push(words);
    }

    // Which shape an arrow's end is attached to: its binding, else where it ends.
    let resolve_end = |m: &Map<String, Value>, binding: &str, point: Option<Point>| {
        let bound = m
            .get(binding)
            .and_then(|b| b.get("elementId"))
            .and_then(Value::as_str);
        if let Some(target) = bound {
            if let Some(&i) = shape_index.get(target) {
                return Some(i);
            }
            if let Some(&i) = text_owner.get(target) {
                return Some(i);
            }
        }
        let (px, py) = point?;
        smallest_shape_at(&shapes, px, py, ARROW_SNAP_PX)
    };

    let mut raw_edges: Vec<(usize, usize, Option<String>, bool, bool)> = Vec::new();
    for m in elements.iter().filter(|m| is_arrow(m)) {
        let is_line = element_type(m) == "line";
        let (start_pt, end_pt) = endpoints(m);
        let (Some(from), Some(to)) = (
            resolve_end(m, "startBinding", start_pt),
            resolve_end(m, "endBinding", end_pt),
        ) else {
            continue;
        };
        if from == to {
            continue;
        }
        let head = |key: &str| m.get(key).is_some_and(|v| !v.is_null());
        let (start_head, end_head) = if is_line {
            (false, false)
        } else {
            (head("startArrowhead"), head("endArrowhead"))
        };
        let label = str_field(m, "id")
            .and_then(|id| arrow_labels.get(id))
            .map(|parts| join_label(parts))
            .filter(|l| !l.is_empty());
        raw_edges.push((from, to, label, start_head, end_head));
    }

    for (from, to, ..) in &raw_edges {
        shapes[*from].connected = true;
        shapes[*to].connected = true;
    }

    // A bare box with no words, no type and no arrows is decoration (a region, a border).
    let node_id = |s: &Shape| str_field(s.element, "id").unwrap_or("").to_string();
    let mut nodes = Vec::new();
    for s in &shapes {
        let label = join_label(&s.label_parts);
        let typed = s
            .element
            .get("customData")
            .and_then(|c| c.get("rehearseType"))
            .and_then(Value::as_str)
            .and_then(ComponentKind::from_name);
        if label.is_empty() && typed.is_none() && !s.connected {
            continue;
        }
        nodes.push(BoardNode {
            id: node_id(s),
            kind: typed.unwrap_or_else(|| kind_from_label(&label)),
            label,
        });
    }

    let edges = raw_edges
        .into_iter()
        .map(|(from, to, label, start_head, end_head)| {
            let (from, to) = (node_id(&shapes[from]), node_id(&shapes[to]));
            match (start_head, end_head) {
                (false, true) => BoardEdge {
                    from,
                    to,
                    label,
                    directed: true,
                },
                // Drawn backwards: the arrowhead is at the start.
                (true, false) => BoardEdge {
                    from: to,
                    to: from,
                    label,
                    directed: true,
                },
                _ => BoardEdge {
                    from,
                    to,
                    label,
                    directed: false,
                },
            }
        })
        .collect();

    notes.extend(frame_notes);
    BoardGraph {
        nodes,
        edges,
        notes,
    }
}

/// The one shape sharing the text's innermost group, if exactly one does.
fn group_owner(text: &Map<String, Value>, shapes: &[Shape]) -> Option<usize> {
    let group = text
        .get("groupIds")
        .and_then(Value::as_array)
        .and_then(|g| g.first())
        .and_then(Value::as_str)?;
    let mut owners = shapes.iter().enumerate().filter(|(_, s)| {
        s.element
            .get("groupIds")
            .and_then(Value::as_array)
            .is_some_and(|g| g.iter().any(|id| id.as_str() == Some(group)))
    });
    let first = owners.next()?.0;
    owners.next().is_none().then_some(first)
}

fn smallest_shape_at(shapes: &[Shape], x: f64, y: f64, margin: f64) -> Option<usize> {
    shapes
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((i, s.bounds?)))
        .filter(|(_, b)| b.contains(x, y, margin))
        .min_by(|a, b| a.1.area().total_cmp(&b.1.area()))
        .map(|(i, _)| i)
}

type Point = (f64, f64);

/// An arrow's first and last points in scene coordinates (`points` are relative to x, y).
fn endpoints(m: &Map<String, Value>) -> (Option<Point>, Option<Point>) {
    let (Some(x), Some(y)) = (num_field(m, "x"), num_field(m, "y")) else {
        return (None, None);
    };
    let point = |p: &Value| {
        let p = p.as_array()?;
        Some((
            x + p.first()?.as_f64().filter(|v| v.is_finite())?,
            y + p.get(1)?.as_f64().filter(|v| v.is_finite())?,
        ))
    };
    let points = m.get("points").and_then(Value::as_array);
    match points {
        Some(ps) if ps.len() >= 2 => (ps.first().and_then(point), ps.last().and_then(point)),
        _ => (None, None),
    }
}
