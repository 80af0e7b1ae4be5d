//! Boxes, points and distances on the board, for "what is this text or arrow end next to".

use crate::scene::num_field;
use serde_json::{Map, Value};

pub(crate) type Point = (f64, f64);

/// An element's box (`x`, `y`, `width`, `height`, `angle`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bounds {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub angle: f64,
}

impl Bounds {
    pub fn of(m: &Map<String, Value>) -> Option<Bounds> {
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

    /// The box around both (unrotated).
    pub fn union(&self, o: &Bounds) -> Bounds {
        let (x, y) = (self.x.min(o.x), self.y.min(o.y));
        let right = (self.x + self.w).max(o.x + o.w);
        let bottom = (self.y + self.h).max(o.y + o.h);
        Bounds {
            x,
            y,
            w: right - x,
            h: bottom - y,
            angle: 0.0,
        }
    }

    pub fn center(&self) -> Point {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    pub fn area(&self) -> f64 {
        self.w * self.h
    }

    /// The point in the shape's own (unrotated) frame: a rotated shape is read unrotated.
    fn local(&self, px: f64, py: f64) -> Point {
        if self.angle == 0.0 {
            return (px, py);
        }
        let (cx, cy) = self.center();
        let (s, c) = (-self.angle).sin_cos();
        let (dx, dy) = (px - cx, py - cy);
        (cx + dx * c - dy * s, cy + dx * s + dy * c)
    }

    /// With a margin, because arrows drawn "to" a box end a few pixels short of it.
    pub fn contains(&self, px: f64, py: f64, margin: f64) -> bool {
        self.distance_to(px, py) <= margin
    }

    /// 0 inside, else how far the point is from the box.
    pub fn distance_to(&self, px: f64, py: f64) -> f64 {
        let (lx, ly) = self.local(px, py);
        let dx = (self.x - lx).max(lx - self.right()).max(0.0);
        let dy = (self.y - ly).max(ly - self.bottom()).max(0.0);
        dx.hypot(dy)
    }

    /// The point of the box nearest to (px, py), in scene coordinates (rotation ignored).
    pub fn nearest_point(&self, px: f64, py: f64) -> Point {
        (
            px.clamp(self.x, self.right()),
            py.clamp(self.y, self.bottom()),
        )
    }

    /// The gap between two boxes; 0 when they touch or overlap.
    pub fn gap(&self, o: &Bounds) -> f64 {
        let dx = (o.x - self.right()).max(self.x - o.right()).max(0.0);
        let dy = (o.y - self.bottom()).max(self.y - o.bottom()).max(0.0);
        dx.hypot(dy)
    }

    /// Whether `o` lies wholly inside this box.
    pub fn encloses(&self, o: &Bounds) -> bool {
        o.x >= self.x && o.y >= self.y && o.right() <= self.right() && o.bottom() <= self.bottom()
    }
}

/// A linear element's points in scene coordinates (`points` are relative to x, y); empty
/// when it has fewer than two usable points.
pub(crate) fn path_of(m: &Map<String, Value>) -> Vec<Point> {
    let (Some(x), Some(y)) = (num_field(m, "x"), num_field(m, "y")) else {
        return Vec::new();
    };
    let point = |p: &Value| {
        let p = p.as_array()?;
        Some((
            x + p.first()?.as_f64().filter(|v| v.is_finite())?,
            y + p.get(1)?.as_f64().filter(|v| v.is_finite())?,
        ))
    };
    let points: Vec<Point> = m
        .get("points")
        .and_then(Value::as_array)
        .map(|ps| ps.iter().filter_map(point).collect())
        .unwrap_or_default();
    if points.len() >= 2 {
        points
    } else {
        Vec::new()
    }
}

pub(crate) fn dist(a: Point, b: Point) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

fn path_length(path: &[Point]) -> f64 {
    path.windows(2).map(|w| dist(w[0], w[1])).sum()
}

/// How far a box is from a path, and where along the path (0 at the start, 1 at the end)
/// the nearest point lies.
pub(crate) fn box_to_path(b: &Bounds, path: &[Point]) -> Option<(f64, f64)> {
    let total = path_length(path);
    if total <= 0.0 {
        return None;
    }
    let mut best: Option<(f64, f64)> = None;
    let mut walked = 0.0;
    for w in path.windows(2) {
        let (a, c) = (w[0], w[1]);
        let len = dist(a, c);
        // Sample the segment: exact enough for "is this label next to this arrow".
        let steps = ((len / 4.0).ceil() as usize).clamp(1, 400);
        for i in 0..=steps {
            let t = i as f64 / steps as f64;
            let p = (a.0 + (c.0 - a.0) * t, a.1 + (c.1 - a.1) * t);
            let d = b.distance_to(p.0, p.1);
            let along = (walked + len * t) / total;
            // Level with the path all along (a label over a short arrow): the middle.
            let better = best.is_none_or(|(bd, ba)| {
                d < bd - 1e-6 || (d <= bd + 1e-6 && (along - 0.5).abs() < (ba - 0.5).abs())
            });
            if better {
                best = Some((d, along));
            }
        }
        walked += len;
    }
    best
}
