//! What the boxes on a board are: each component-like thing ("unit") with the elements it is
//! drawn from. A unit is one shape, or several shapes grouped into one icon (a database drawn
//! as ellipses + a rectangle or lines), or a frame an arrow is bound to. Also found here:
//! region boxes that enclose other boxes (a "VPC" border), and sequence-diagram lifelines
//! with their activation bars, which belong to the participant at the lifeline's head.

use crate::geometry::{path_of, Bounds};
use crate::scene::{element_type, str_field, text_of};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Element types that are boxes a component can be drawn as.
pub(crate) const SHAPE_TYPES: &[&str] = &[
    "rectangle",
    "ellipse",
    "diamond",
    "image",
    "embeddable",
    "iframe",
];

pub(crate) type Element = Map<String, Value>;

pub(crate) struct Unit<'a> {
    /// The element whose id the node takes (an icon's body rectangle, or its largest shape).
    pub element: &'a Element,
    /// Where the first of its elements is in the scene: nodes keep the drawing order.
    pub order: usize,
    pub bounds: Option<Bounds>,
    pub label_parts: Vec<String>,
    /// Boxes of free text that labels it from beside or below (a caption): arrows drawn
    /// from the caption reach the unit.
    pub label_boxes: Vec<Bounds>,
    /// Drawn as a database icon: a grouped ellipse as wide as the icon, with a rectangle or
    /// lines.
    pub cylinder: bool,
    /// Drawn as a stick figure: a small round head and lines, grouped.
    pub actor: bool,
    pub frame: bool,
    /// A box around other boxes (a border, a VPC, a team's area): its words are a note.
    pub region: bool,
    /// Free text an arrow is bound to, read as a component with no box.
    pub text_node: bool,
    /// Part of another unit, which it stands for (an activation bar on a lifeline, the
    /// participant's box repeated at the lifeline's foot): never a node of its own.
    pub absorbed: Option<usize>,
    pub connected: bool,
}

impl<'a> Unit<'a> {
    pub fn new(element: &'a Element, order: usize, bounds: Option<Bounds>) -> Self {
        Unit {
            element,
            order,
            bounds,
            label_parts: Vec::new(),
            label_boxes: Vec::new(),
            cylinder: false,
            actor: false,
            frame: false,
            region: false,
            text_node: false,
            absorbed: None,
            connected: false,
        }
    }

    /// The unit this one stands for: itself, or the participant it is part of.
    pub fn stands_for(&self, me: usize) -> usize {
        self.absorbed.unwrap_or(me)
    }

    pub fn id(&self) -> &'a str {
        str_field(self.element, "id").unwrap_or("")
    }

    /// Can hold a label written inside it, or take an unbound arrow's end.
    pub fn is_box(&self) -> bool {
        !self.frame && !self.region && !self.text_node && self.absorbed.is_none()
    }

    /// How far a point is from the unit or its caption.
    pub fn distance_to(&self, x: f64, y: f64) -> Option<f64> {
        let own = self.bounds?.distance_to(x, y);
        Some(
            self.label_boxes
                .iter()
                .map(|b| b.distance_to(x, y))
                .fold(own, f64::min),
        )
    }
}

/// A sequence diagram's lifeline: a vertical line hanging from a participant.
pub(crate) struct Lifeline {
    pub x: f64,
    pub top: f64,
    pub bottom: f64,
    pub owner: usize,
}

pub(crate) struct Units<'a> {
    pub units: Vec<Unit<'a>>,
    /// Element id -> the unit it is part of.
    pub by_element: HashMap<&'a str, usize>,
    pub lifelines: Vec<Lifeline>,
    /// Lines that are drawing, not connections: an icon's sides, lifelines.
    pub not_connectors: HashSet<&'a str>,
}

/// A box around an element: its points for lines and arrows, else x/y/width/height.
pub(crate) fn element_box(m: &Element) -> Option<Bounds> {
    if matches!(element_type(m), "line" | "arrow" | "freedraw") {
        let path = path_of(m);
        let (first, rest) = path.split_first()?;
        let start = Bounds {
            x: first.0,
            y: first.1,
            w: 0.0,
            h: 0.0,
            angle: 0.0,
        };
        return Some(rest.iter().fold(start, |b, p| {
            b.union(&Bounds {
                x: p.0,
                y: p.1,
                w: 0.0,
                h: 0.0,
                angle: 0.0,
            })
        }));
    }
    Bounds::of(m)
}

/// The innermost group an element is in.
fn innermost_group(m: &Element) -> Option<&str> {
    m.get("groupIds")
        .and_then(Value::as_array)
        .and_then(|g| g.first())
        .and_then(Value::as_str)
}

/// Builds the units of a scene. `bound_targets` are the ids arrows are bound to: a frame
/// an arrow is bound to is a unit, and a box an arrow is bound to is never a region.
pub(crate) fn find_units<'a>(elements: &'a [Element], bound_targets: &HashSet<&str>) -> Units<'a> {
    // Container id -> the words bound to it.
    let bound_words: HashMap<&str, String> = elements
        .iter()
        .filter(|m| element_type(m) == "text")
        .filter_map(|m| Some((str_field(m, "containerId")?, text_of(m))))
        .collect();
    let containers: HashSet<&str> = bound_words.keys().copied().collect();
    let icons = icon_groups(elements, &containers);

    let mut units: Vec<Unit> = Vec::new();
    let mut by_element: HashMap<&str, usize> = HashMap::new();
    let mut not_connectors: HashSet<&str> = HashSet::new();
    let mut icon_unit: HashMap<&str, usize> = HashMap::new();
    for (order, m) in elements.iter().enumerate() {
        let ty = element_type(m);
        let Some(id) = str_field(m, "id") else {
            continue;
        };
        if let Some(icon) = innermost_group(m).and_then(|g| icons.get(g).map(|i| (g, i))) {
            let (group, icon) = icon;
            if ty == "line" {
                not_connectors.insert(id);
            }
            if !SHAPE_TYPES.contains(&ty) && ty != "line" {
                continue;
            }
            let i = *icon_unit.entry(group).or_insert_with(|| {
                let mut u = Unit::new(&elements[icon.primary], order, Some(icon.bounds));
                u.cylinder = icon.cylinder;
                u.actor = icon.actor;
                units.push(u);
                units.len() - 1
            });
            by_element.insert(id, i);
            continue;
        }
        let is_frame = matches!(ty, "frame" | "magicframe") && bound_targets.contains(id);
        if SHAPE_TYPES.contains(&ty) || is_frame {
            let mut u = Unit::new(m, order, Bounds::of(m));
            u.frame = is_frame;
            if is_frame {
                // A frame an arrow is bound to is the component its name names.
                let name = str_field(m, "name").map(str::trim).unwrap_or("");
                u.label_parts
                    .extend(Some(name.to_string()).filter(|n| !n.is_empty()));
            }
            by_element.insert(id, units.len());
            units.push(u);
        }
    }

    mark_regions(&mut units, bound_targets);
    let lifelines = find_lifelines(elements, &units, &bound_words, &mut not_connectors);
    absorb_into_lifelines(&mut units, &lifelines, &containers);
    Units {
        units,
        by_element,
        lifelines,
        not_connectors,
    }
}

struct Icon {
    primary: usize,
    bounds: Bounds,
    cylinder: bool,
    actor: bool,
}

/// Groups drawn as one icon: two or more shapes and lines that touch, with no arrows and at
/// most one label among them (a database of ellipses + rectangle, a stack of boxes).
fn icon_groups<'a>(elements: &'a [Element], containers: &HashSet<&str>) -> HashMap<&'a str, Icon> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, m) in elements.iter().enumerate() {
        if let Some(g) = innermost_group(m) {
            groups.entry(g).or_default().push(i);
        }
    }
    let mut icons = HashMap::new();
    for (group, members) in groups {
        let ty = |i: &usize| element_type(&elements[*i]);
        let shapes: Vec<usize> = members
            .iter()
            .copied()
            .filter(|i| SHAPE_TYPES.contains(&ty(i)))
            .collect();
        let lines = members.iter().filter(|i| ty(i) == "line").count();
        let arrows = members.iter().filter(|i| ty(i) == "arrow").count();
        let labels = members.iter().filter(|i| ty(i) == "text").count()
            + shapes
                .iter()
                .filter(|i| {
                    str_field(&elements[**i], "id").is_some_and(|id| containers.contains(id))
                })
                .count();
        if shapes.is_empty() || shapes.len() + lines < 2 || arrows > 0 || labels > 1 {
            continue;
        }
        let parts: Vec<(usize, Bounds)> = members
            .iter()
            .copied()
            .filter(|i| SHAPE_TYPES.contains(&ty(i)) || ty(i) == "line")
            .filter_map(|i| Some((i, element_box(&elements[i])?)))
            .collect();
        // Every part touches another: one drawing, not boxes grouped for moving together.
        let touching = parts
            .iter()
            .all(|(i, b)| parts.iter().any(|(j, o)| i != j && b.gap(o) <= 4.0));
        if parts.len() < 2 || !touching {
            continue;
        }
        let bounds = parts[1..]
            .iter()
            .fold(parts[0].1, |acc, (_, b)| acc.union(b));
        let of_type = |t: &str| shapes.iter().filter(|i| ty(i) == t).count();
        let ellipses: Vec<Bounds> = shapes
            .iter()
            .filter(|i| ty(i) == "ellipse")
            .filter_map(|i| element_box(&elements[*i]))
            .collect();
        // A database's caps are as wide as it and flat; a stick figure's head is small and round.
        let cap = ellipses
            .iter()
            .any(|e| e.w >= 0.8 * bounds.w && e.h <= 0.5 * bounds.h);
        let head = ellipses.len() == 1
            && ellipses[0].w < 0.8 * bounds.w
            && (ellipses[0].w / ellipses[0].h.max(1e-9) - 1.0).abs() <= 0.35
            && ellipses[0].y <= bounds.y + 1.0;
        let area = |i: &usize| element_box(&elements[*i]).map_or(0.0, |b| b.area());
        let primary = shapes
            .iter()
            .copied()
            .filter(|i| ty(i) == "rectangle")
            .max_by(|a, b| area(a).total_cmp(&area(b)))
            .or_else(|| {
                shapes
                    .iter()
                    .copied()
                    .max_by(|a, b| area(a).total_cmp(&area(b)))
            });
        let Some(primary) = primary else { continue };
        icons.insert(
            group,
            Icon {
                primary,
                bounds,
                cylinder: cap && (of_type("rectangle") >= 1 || lines >= 1),
                actor: head && lines >= 2 && shapes.len() == 1,
            },
        );
    }
    icons
}

/// A box that wholly encloses two or more other boxes and that no arrow is bound to.
fn mark_regions(units: &mut [Unit], bound_targets: &HashSet<&str>) {
    let boxes: Vec<Option<Bounds>> = units
        .iter()
        .map(|u| u.bounds.filter(|_| !u.frame))
        .collect();
    for (i, u) in units.iter_mut().enumerate() {
        let Some(b) = boxes[i] else { continue };
        if bound_targets.contains(u.id()) || b.angle != 0.0 {
            continue;
        }
        let inside = boxes
            .iter()
            .enumerate()
            .filter(|(j, o)| *j != i && o.is_some_and(|o| b.encloses(&o) && o.area() < b.area()))
            .count();
        u.region = inside >= 2;
    }
}

/// Vertical, unbound lines whose top is at the bottom edge of a box: a sequence diagram.
fn find_lifelines<'a>(
    elements: &'a [Element],
    units: &[Unit],
    bound_words: &HashMap<&str, String>,
    not_connectors: &mut HashSet<&'a str>,
) -> Vec<Lifeline> {
    let box_at = |x: f64, below: &dyn Fn(&Bounds) -> f64| {
        units.iter().position(|u| {
            u.is_box()
                && u.bounds.is_some_and(|b| {
                    (-6.0..=24.0).contains(&below(&b)) && x >= b.x && x <= b.right()
                })
        })
    };
    let mut out = Vec::new();
    for m in elements {
        let ty = element_type(m);
        let headless = ty == "line"
            || (ty == "arrow"
                && m.get("startArrowhead").is_none_or(Value::is_null)
                && m.get("endArrowhead").is_none_or(Value::is_null));
        let Some(id) = str_field(m, "id") else {
            continue;
        };
        if !headless || not_connectors.contains(id) {
            continue;
        }
        let bound = |k: &str| m.get(k).is_some_and(|b| !b.is_null());
        if bound("startBinding") || bound("endBinding") {
            continue;
        }
        let path = path_of(m);
        let Some(&(x0, _)) = path.first() else {
            continue;
        };
        if path.iter().any(|p| (p.0 - x0).abs() > 4.0) {
            continue;
        }
        let top = path.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let bottom = path.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        if bottom - top < 80.0 {
            continue;
        }
        let Some(owner) = box_at(x0, &|b| top - b.bottom()) else {
            continue;
        };
        // A line down to another box connects the two, unless that box is the participant
        // drawn again at the foot of its lifeline (the same name).
        if let Some(foot) = box_at(x0, &|b| b.y - bottom) {
            let words = |i: usize| bound_words.get(units[i].id()).filter(|w| !w.is_empty());
            if foot == owner || words(foot).is_none() || words(foot) != words(owner) {
                continue;
            }
        }
        {
            not_connectors.insert(id);
            out.push(Lifeline {
                x: x0,
                top,
                bottom,
                owner,
            });
        }
    }
    out
}

/// Thin unlabelled boxes on a lifeline (activation bars), and a box at a lifeline's foot
/// (the participant drawn again, UML style), are the lifeline's participant.
fn absorb_into_lifelines(units: &mut [Unit], lifelines: &[Lifeline], containers: &HashSet<&str>) {
    for (i, u) in units.iter_mut().enumerate() {
        let Some(b) = u.bounds else { continue };
        if !u.is_box() {
            continue;
        }
        let (cx, _) = b.center();
        let bar = !containers.contains(u.id()) && b.w <= 30.0 && b.h >= 2.5 * b.w;
        let line = lifelines.iter().find(|l| {
            if l.owner == i {
                return false;
            }
            let on_line = bar
                && (cx - l.x).abs() <= 8.0
                && b.y >= l.top - 10.0
                && b.bottom() <= l.bottom + 10.0;
            let at_foot =
                (-6.0..=24.0).contains(&(b.y - l.bottom)) && l.x >= b.x && l.x <= b.right();
            on_line || at_foot
        });
        if let Some(l) = line {
            u.absorbed = Some(l.owner);
        }
    }
}
