//! Which words label what: text bound to a shape or an arrow, text grouped with a shape,
//! text written inside a shape, a caption just beside or under a shape, a label written next
//! to the middle of an arrow; free text that an arrow is bound to is a component of its own;
//! the rest is notes.

use crate::geometry::{box_to_path, Bounds, Point};
use crate::scene::{element_type, str_field, text_of};
use crate::units::{Element, Unit, Units};
use std::collections::{HashMap, HashSet};

/// The words on a board, by what they label.
pub(crate) struct Labels<'a> {
    /// Arrow id -> its label's parts.
    pub arrow_labels: HashMap<&'a str, Vec<String>>,
    /// Text id -> the unit it labels (arrows bound to a label reach its shape).
    pub text_owner: HashMap<&'a str, usize>,
    /// Free text that labels nothing, in drawing order.
    pub notes: Vec<String>,
}

/// How far from an arrow's path a label may be written.
const ARROW_LABEL_PX: f64 = 18.0;

/// How far a caption may be from its shape: half the shape's smaller side, within limits.
fn caption_reach(b: &Bounds) -> f64 {
    (0.5 * b.w.min(b.h)).clamp(20.0, 45.0)
}

struct FreeText<'a> {
    id: &'a str,
    order: usize,
    words: String,
    bounds: Bounds,
}

/// Assigns every text element. `connectors` are the arrows and lines that may carry a label
/// (their id and path); `bound_targets` the ids arrows are bound to.
pub(crate) fn assign_labels<'a>(
    elements: &'a [Element],
    units: &mut Units<'a>,
    connectors: &[(&'a str, Vec<Point>)],
    bound_targets: &HashSet<&str>,
) -> Labels<'a> {
    let connector_ids: HashSet<&str> = connectors.iter().map(|(id, _)| *id).collect();
    let linear_ids: HashSet<&str> = elements
        .iter()
        .filter(|m| matches!(element_type(m), "arrow" | "line"))
        .filter_map(|m| str_field(m, "id"))
        .collect();
    let mut labels = Labels {
        arrow_labels: HashMap::new(),
        text_owner: HashMap::new(),
        notes: Vec::new(),
    };
    let mut free: Vec<FreeText> = Vec::new();
    let mut notes: Vec<(usize, String)> = Vec::new();
    let by_group = units_by_group(elements, units);

    for (order, m) in elements.iter().enumerate() {
        if element_type(m) != "text" {
            continue;
        }
        let Some(id) = str_field(m, "id") else {
            continue;
        };
        let words = text_of(m);
        if words.is_empty() {
            continue;
        }
        // Bound text: the label of its container (a shape or an arrow).
        if let Some(container) = str_field(m, "containerId") {
            if let Some(&i) = units.by_element.get(container) {
                let owner = units.units[i].stands_for(i);
                // A participant drawn again at its lifeline's foot: its name once.
                if owner == i {
                    units.units[i].label_parts.push(words);
                }
                labels.text_owner.insert(id, owner);
                continue;
            }
            if linear_ids.contains(container) {
                labels
                    .arrow_labels
                    .entry(container)
                    .or_default()
                    .push(words);
                continue;
            }
            // Its container was deleted: left-over words, placed for no shape or arrow.
            notes.push((order, words));
            continue;
        }
        // Free text grouped with exactly one unit (a library component is a group).
        if let Some(owner) = group_owner(m, &by_group) {
            units.units[owner].label_parts.push(words);
            labels.text_owner.insert(id, owner);
            continue;
        }
        let Some(bounds) = Bounds::of(m) else {
            notes.push((order, words));
            continue;
        };
        // Free text written inside a box: the smallest box around its centre.
        let (cx, cy) = bounds.center();
        let inside = units
            .units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.is_box())
            .filter_map(|(i, u)| Some((i, u.bounds?)))
            .filter(|(_, b)| b.contains(cx, cy, 0.0))
            .min_by(|a, b| a.1.area().total_cmp(&b.1.area()))
            .map(|(i, _)| i);
        if let Some(owner) = inside {
            units.units[owner].label_parts.push(words);
            labels.text_owner.insert(id, owner);
            continue;
        }
        free.push(FreeText {
            id,
            order,
            words,
            bounds,
        });
    }

    let taken = place_free_text(&free, units, connectors, &mut labels);
    for (k, t) in free.iter().enumerate() {
        if taken[k] {
            continue;
        }
        if bound_targets.contains(t.id) && !connector_ids.contains(t.id) {
            // An arrow is bound to this text: it names a component drawn without a box.
            let mut u = Unit::new(&elements[t.order], t.order, Some(t.bounds));
            u.text_node = true;
            u.label_parts.push(t.words.clone());
            units.by_element.insert(t.id, units.units.len());
            units.units.push(u);
        } else {
            notes.push((t.order, t.words.clone()));
        }
    }
    notes.sort_by_key(|(order, _)| *order);
    labels.notes = notes.into_iter().map(|(_, w)| w).collect();
    labels
}

/// Free text beside a shape with no words (a caption) or along the middle of an arrow with
/// no label: each text goes to the nearest such place, each place takes one text. Returns
/// which texts were placed.
fn place_free_text<'a>(
    free: &[FreeText<'a>],
    units: &mut Units<'a>,
    connectors: &[(&'a str, Vec<Point>)],
    labels: &mut Labels<'a>,
) -> Vec<bool> {
    enum Place {
        Unit(usize),
        Arrow(usize),
    }
    // Each arrow's box, to skip the arrows nowhere near a text.
    let path_boxes: Vec<Option<Bounds>> = connectors
        .iter()
        .map(|(_, path)| {
            let (first, rest) = path.split_first()?;
            let point = |p: &Point| Bounds {
                x: p.0,
                y: p.1,
                w: 0.0,
                h: 0.0,
                angle: 0.0,
            };
            Some(rest.iter().fold(point(first), |b, p| b.union(&point(p))))
        })
        .collect();
    let mut candidates: Vec<(f64, u8, usize, Place)> = Vec::new();
    for (k, t) in free.iter().enumerate() {
        let (cx, cy) = t.bounds.center();
        for (i, u) in units.units.iter().enumerate() {
            let Some(b) = u.bounds else { continue };
            if !u.is_box() || !u.label_parts.is_empty() {
                continue;
            }
            let tb = &t.bounds;
            // Under or over it and centred on it, or beside it and level with it.
            let under_or_over = (cx >= b.x && cx <= b.right())
                && (tb.y >= b.bottom() - 4.0 || tb.bottom() <= b.y + 4.0);
            let beside = (cy >= b.y && cy <= b.bottom())
                && (tb.x >= b.right() - 4.0 || tb.right() <= b.x + 4.0);
            let gap = b.gap(tb);
            if (under_or_over || beside) && gap <= caption_reach(&b) {
                candidates.push((gap, 0, k, Place::Unit(i)));
            }
        }
        for (a, (id, path)) in connectors.iter().enumerate() {
            let near = path_boxes[a].is_some_and(|b| b.gap(&t.bounds) <= ARROW_LABEL_PX);
            if !near || labels.arrow_labels.contains_key(id) {
                continue;
            }
            if let Some((d, along)) = box_to_path(&t.bounds, path) {
                if d <= ARROW_LABEL_PX && (0.1..=0.9).contains(&along) {
                    candidates.push((d, 1, k, Place::Arrow(a)));
                }
            }
        }
    }
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut taken = vec![false; free.len()];
    for (_, _, k, place) in candidates {
        if taken[k] {
            continue;
        }
        let t = &free[k];
        match place {
            Place::Unit(i) => {
                let u = &mut units.units[i];
                if !u.label_parts.is_empty() {
                    continue;
                }
                u.label_parts.push(t.words.clone());
                u.label_boxes.push(t.bounds);
                labels.text_owner.insert(t.id, i);
            }
            Place::Arrow(a) => {
                let id = connectors[a].0;
                if labels.arrow_labels.contains_key(id) {
                    continue;
                }
                labels.arrow_labels.insert(id, vec![t.words.clone()]);
            }
        }
        taken[k] = true;
    }
    taken
}

/// Group id -> the units drawn in it (at any depth of grouping).
fn units_by_group<'a>(elements: &'a [Element], units: &Units) -> HashMap<&'a str, HashSet<usize>> {
    let mut out: HashMap<&str, HashSet<usize>> = HashMap::new();
    for m in elements {
        let Some(&i) = str_field(m, "id").and_then(|id| units.by_element.get(id)) else {
            continue;
        };
        if !units.units[i].is_box() {
            continue;
        }
        let groups = m.get("groupIds").and_then(serde_json::Value::as_array);
        for g in groups
            .into_iter()
            .flatten()
            .filter_map(serde_json::Value::as_str)
        {
            out.entry(g).or_default().insert(i);
        }
    }
    out
}

/// The one unit drawn in the text's innermost group, if exactly one is.
fn group_owner(text: &Element, by_group: &HashMap<&str, HashSet<usize>>) -> Option<usize> {
    let group = text
        .get("groupIds")
        .and_then(serde_json::Value::as_array)
        .and_then(|g| g.first())
        .and_then(serde_json::Value::as_str)?;
    let owners = by_group.get(group)?;
    let mut owners = owners.iter();
    let first = *owners.next()?;
    owners.next().is_none().then_some(first)
}
