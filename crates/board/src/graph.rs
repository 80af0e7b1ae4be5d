//! The elements of a scene -> the graph: units become nodes, arrows between them edges.
//!
//! An arrow's end reaches a unit by its binding (to a shape, to a member of an icon, to a
//! shape's text or caption, to a frame, to a free text that names a component), else by
//! where it ends: inside or within a few pixels of a box, on a sequence diagram's lifeline
//! (the participant at its head), or short of a box it points at. An arrow from a unit back
//! to itself with a label (a sequence diagram's self-message) is the note "unit: label"; a
//! labelled arrow with an end that reaches nothing leaves its label as a note.

use crate::geometry::{dist, path_of, Point};
use crate::kind::kind_from_label;
use crate::labels::{assign_labels, Labels};
use crate::scene::{element_type, str_field};
use crate::units::{find_units, Element, Unit, Units};
use rehearse_core::{BoardEdge, BoardGraph, BoardNode, ComponentKind};
use serde_json::Value;
use std::collections::HashSet;

/// How far outside a box an unbound arrow may end and still be drawn to it, whatever its
/// direction.
const ARROW_SNAP_PX: f64 = 12.0;
/// How far short of a box an unbound arrow pointing at it may end.
const ARROW_REACH_PX: f64 = 32.0;
/// How far beside a lifeline a message may end.
const LIFELINE_PX: f64 = 14.0;

fn is_connector(m: &Element) -> bool {
    matches!(element_type(m), "arrow" | "line")
}

fn binding<'a>(m: &'a Element, key: &str) -> Option<&'a str> {
    m.get(key)
        .and_then(|b| b.get("elementId"))
        .and_then(Value::as_str)
}

fn join_label(parts: &[String]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

struct RawEdge {
    from: usize,
    to: usize,
    label: Option<String>,
    start_head: bool,
    end_head: bool,
}

/// The graph of a scene's elements, in named steps: units and their labels, arrows resolved
/// to the units they join, the units that become nodes, and the notes left over.
pub(crate) fn graph_of_elements(elements: &[Element]) -> BoardGraph {
    let bound_targets = bound_targets(elements);
    let mut units = find_units(elements, &bound_targets);
    let connectors = connector_paths(elements, &units);
    let labels = assign_labels(elements, &mut units, &connectors, &bound_targets);
    let (raw_edges, arrow_notes) = resolve_arrows(elements, &units, &labels);
    for e in &raw_edges {
        units.units[e.from].connected = true;
        units.units[e.to].connected = true;
    }
    let (nodes, region_notes) = nodes_of(&units);
    let edges = edges_of(&units, raw_edges);
    let mut notes = labels.notes;
    notes.extend(region_notes);
    notes.extend(arrow_notes);
    notes.extend(frame_notes(elements, &units));
    BoardGraph {
        nodes,
        edges,
        notes,
    }
}

/// The ids of the elements an arrow or line is bound to.
fn bound_targets(elements: &[Element]) -> HashSet<&str> {
    elements
        .iter()
        .filter(|m| is_connector(m))
        .flat_map(|m| [binding(m, "startBinding"), binding(m, "endBinding")])
        .flatten()
        .collect()
}

/// Each arrow or line that connects (not one drawn as part of a unit), with its path.
fn connector_paths<'a>(elements: &'a [Element], units: &Units) -> Vec<(&'a str, Vec<Point>)> {
    elements
        .iter()
        .filter(|m| is_connector(m))
        .filter_map(|m| {
            let id = str_field(m, "id")?;
            (!units.not_connectors.contains(id)).then(|| (id, path_of(m)))
        })
        .collect()
}

/// The edges the connectors make between units, and the notes left by arrows that join no
/// two units: a labelled arrow with a loose end leaves its label, a message from a unit to
/// itself leaves "unit: label".
fn resolve_arrows(
    elements: &[Element],
    units: &Units,
    labels: &Labels,
) -> (Vec<RawEdge>, Vec<String>) {
    let mut raw_edges = Vec::new();
    let mut arrow_notes = Vec::new();
    for m in elements.iter().filter(|m| is_connector(m)) {
        let Some(id) = str_field(m, "id") else {
            continue;
        };
        if units.not_connectors.contains(id) {
            continue;
        }
        let label = labels
            .arrow_labels
            .get(id)
            .map(|parts| join_label(parts))
            .filter(|l| !l.is_empty());
        let path = path_of(m);
        let start = path.first().map(|&p| (p, path[1]));
        let end = path.last().map(|&p| (p, path[path.len() - 2]));
        let ends = (
            resolve_end(units, labels, binding(m, "startBinding"), start),
            resolve_end(units, labels, binding(m, "endBinding"), end),
        );
        let (Some(from), Some(to)) = ends else {
            arrow_notes.extend(label);
            continue;
        };
        if from == to {
            // A message to itself: what the unit does.
            if let Some(label) = label {
                let owner = join_label(&units.units[from].label_parts);
                arrow_notes.push(if owner.is_empty() {
                    label
                } else {
                    format!("{owner}: {label}")
                });
            }
            continue;
        }
        let head = |key: &str| m.get(key).is_some_and(|v| !v.is_null());
        let (start_head, end_head) = if element_type(m) == "line" {
            (false, false)
        } else {
            (head("startArrowhead"), head("endArrowhead"))
        };
        raw_edges.push(RawEdge {
            from,
            to,
            label,
            start_head,
            end_head,
        });
    }
    (raw_edges, arrow_notes)
}

/// The units that are components, in drawing order, and the notes that regions and legends
/// leave (a region's title or a legend box not joined by any arrow).
fn nodes_of(units: &Units) -> (Vec<BoardNode>, Vec<String>) {
    let mut order: Vec<usize> = (0..units.units.len()).collect();
    order.sort_by_key(|&i| units.units[i].order);
    let mut nodes = Vec::new();
    let mut region_notes = Vec::new();
    for i in order {
        let u = &units.units[i];
        let label = join_label(&u.label_parts);
        if u.absorbed.is_some() {
            continue;
        }
        // A region's title, or a legend box ("Legend: dashed = async"), is a note.
        let legend = label.to_lowercase().starts_with("legend");
        if (u.region || legend) && !u.connected {
            region_notes.extend(Some(label).filter(|l| !l.is_empty()));
            continue;
        }
        let typed = u
            .element
            .get("customData")
            .and_then(|c| c.get("rehearseType"))
            .and_then(Value::as_str)
            .and_then(ComponentKind::from_name);
        // A bare box with no words, no type and no arrows is decoration (a region, a border).
        if !u.connected && (u.frame || (label.is_empty() && typed.is_none())) {
            continue;
        }
        nodes.push(BoardNode {
            id: u.id().to_string(),
            kind: typed.unwrap_or_else(|| kind_of(u, &label)),
            label,
        });
    }
    (nodes, region_notes)
}

/// The edges between node ids, pointing the way the arrowhead does.
fn edges_of(units: &Units, raw_edges: Vec<RawEdge>) -> Vec<BoardEdge> {
    let node_id = |i: usize| units.units[i].id().to_string();
    raw_edges
        .into_iter()
        .map(|e| {
            let (from, to) = (node_id(e.from), node_id(e.to));
            match (e.start_head, e.end_head) {
                (false, true) => BoardEdge {
                    from,
                    to,
                    label: e.label,
                    directed: true,
                },
                // Drawn backwards: the arrowhead is at the start.
                (true, false) => BoardEdge {
                    from: to,
                    to: from,
                    label: e.label,
                    directed: true,
                },
                _ => BoardEdge {
                    from,
                    to,
                    label: e.label,
                    directed: false,
                },
            }
        })
        .collect()
}

/// The names of frames that are not components.
fn frame_notes(elements: &[Element], units: &Units) -> Vec<String> {
    let mut notes = Vec::new();
    for m in elements {
        if !matches!(element_type(m), "frame" | "magicframe") {
            continue;
        }
        let is_node = str_field(m, "id")
            .and_then(|id| units.by_element.get(id))
            .is_some_and(|&i| units.units[i].connected);
        if let Some(name) = str_field(m, "name")
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            if !is_node {
                notes.push(name.to_string());
            }
        }
    }
    notes
}

/// The kind its words name; a database icon whose words name nothing is a database, a stick
/// figure a client.
fn kind_of(u: &Unit, label: &str) -> ComponentKind {
    match kind_from_label(label) {
        ComponentKind::Unknown if u.cylinder => ComponentKind::RelationalDb,
        ComponentKind::Unknown if u.actor => ComponentKind::Client,
        kind => kind,
    }
}

/// Which unit an arrow's end reaches: its binding, else where it ends (`end` is the end
/// point and the point before it, for the arrow's direction).
fn resolve_end(
    units: &Units,
    labels: &Labels,
    bound: Option<&str>,
    end: Option<(Point, Point)>,
) -> Option<usize> {
    if let Some(target) = bound {
        if let Some(&i) = units.by_element.get(target) {
            return Some(units.units[i].stands_for(i));
        }
        if let Some(&i) = labels.text_owner.get(target) {
            return Some(i);
        }
    }
    let ((px, py), before) = end?;
    let boxes = || {
        units
            .units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.is_box())
            .filter_map(|(i, u)| Some((i, u.distance_to(px, py)?, u.bounds?.area())))
    };
    // Inside or touching a box: the smallest one.
    if let Some((i, ..)) = boxes()
        .filter(|(_, d, _)| *d <= ARROW_SNAP_PX)
        .min_by(|a, b| a.2.total_cmp(&b.2))
    {
        return Some(i);
    }
    // On a lifeline: its participant.
    if let Some(l) = units
        .lifelines
        .iter()
        .find(|l| (px - l.x).abs() <= LIFELINE_PX && py >= l.top - 6.0 && py <= l.bottom + 6.0)
    {
        return Some(l.owner);
    }
    // Short of a box the arrow points at.
    let (dx, dy) = (px - before.0, py - before.1);
    let len = dx.hypot(dy);
    if len <= 0.0 {
        return None;
    }
    boxes()
        .filter(|(_, d, _)| *d <= ARROW_REACH_PX)
        .filter(|(i, d, _)| {
            let Some(b) = units.units[*i].bounds else {
                return false;
            };
            let q = b.nearest_point(px, py);
            let cos = ((q.0 - px) * dx + (q.1 - py) * dy) / (len * dist(q, (px, py)).max(1e-9));
            cos >= 0.5 || *d <= 1e-9
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, ..)| i)
}

#[cfg(test)]
mod tests {
    use crate::scene_to_graph;

    #[test]
    fn a_self_message_is_a_note_and_an_arrow_to_nowhere_keeps_its_label() {
        let scene = r#"[
          {"id":"a","type":"rectangle","x":0,"y":0,"width":100,"height":60},
          {"id":"at","type":"text","x":10,"y":20,"width":50,"height":20,"text":"Worker","containerId":"a"},
          {"id":"loop","type":"arrow","x":100,"y":20,"width":40,"height":20,
           "points":[[0,0],[40,0],[40,20],[0,20]],"endArrowhead":"arrow"},
          {"id":"lt","type":"text","x":110,"y":25,"width":40,"height":20,"text":"retry","containerId":"loop"},
          {"id":"away","type":"arrow","x":100,"y":50,"width":300,"height":0,
           "points":[[0,0],[300,0]],"endArrowhead":"arrow"},
          {"id":"awt","type":"text","x":200,"y":40,"width":40,"height":20,"text":"spill","containerId":"away"}
        ]"#;
        let g = scene_to_graph(scene).unwrap();
        assert!(g.edges.is_empty(), "{:?}", g.edges);
        assert_eq!(g.notes, ["Worker: retry", "spill"]);
    }

    fn boxed(id: &str, x: f64, y: f64, words: &str) -> String {
        format!(
            r#"{{"id":"{id}","type":"rectangle","x":{x},"y":{y},"width":120,"height":60}},
               {{"id":"{id}-t","type":"text","x":{x},"y":{y},"width":60,"height":20,
                 "text":"{words}","containerId":"{id}"}}"#
        )
    }

    fn vline(id: &str, x: f64, y0: f64, y1: f64) -> String {
        format!(
            r#"{{"id":"{id}","type":"line","x":{x},"y":{y0},"width":0,"height":{h},
                 "points":[[0,0],[0,{h}]]}}"#,
            h = y1 - y0
        )
    }

    #[test]
    fn a_vertical_line_between_two_boxes_is_an_edge_not_a_lifeline() {
        let scene = format!(
            "[{},{},{}]",
            boxed("a", 0.0, 0.0, "API"),
            boxed("b", 0.0, 300.0, "Postgres"),
            vline("l", 60.0, 62.0, 298.0)
        );
        let g = scene_to_graph(&scene).unwrap();
        assert_eq!(g.nodes.len(), 2);
        assert_eq!(g.edges.len(), 1, "{:?}", g.edges);
        assert!(!g.edges[0].directed);
    }

    #[test]
    fn a_participant_drawn_again_at_its_lifelines_foot_is_one_component() {
        let scene = format!(
            r#"[{},{},{},{},{},{},
               {{"id":"m","type":"arrow","x":60,"y":150,"width":200,"height":0,
                 "points":[[0,0],[198,0]],"endArrowhead":"arrow"}}]"#,
            boxed("a", 0.0, 0.0, "App"),
            boxed("a2", 0.0, 400.0, "App"),
            vline("la", 60.0, 62.0, 398.0),
            boxed("b", 200.0, 0.0, "Store"),
            boxed("b2", 200.0, 400.0, "Store"),
            vline("lb", 260.0, 62.0, 398.0)
        );
        let g = scene_to_graph(&scene).unwrap();
        let labels: Vec<&str> = g.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["App", "Store"]);
        assert_eq!(g.edges.len(), 1);
        assert_eq!(
            (g.edges[0].from.as_str(), g.edges[0].to.as_str()),
            ("a", "b")
        );
    }
}
