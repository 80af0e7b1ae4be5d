//! A plain SVG of an Excalidraw scene, for exports: rectangles, diamonds, ellipses, arrows,
//! lines, free drawing and text, without Excalidraw's hand-drawn look.
//!
//! Written here rather than taken from a library: no maintained Rust crate renders
//! Excalidraw scenes (the official renderer is Excalidraw's own JavaScript, which the app uses
//! for its in-window PNG/SVG export), and the subset a review needs is small. Everything from
//! the scene is untrusted: numbers must be finite, colours must be `#hex`, text is escaped.

use serde_json::Value;
use std::fmt::Write;

/// Escapes text for HTML and XML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in XML.
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

fn num(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64).filter(|n| n.is_finite())
}

/// A scene colour if it is plain hex, else `fallback` (never anything that could be markup or
/// a URL).
fn colour(v: &Value, key: &str, fallback: &'static str) -> String {
    match v.get(key).and_then(Value::as_str) {
        Some(c)
            if (4..=9).contains(&c.len())
                && c.starts_with('#')
                && c[1..].chars().all(|h| h.is_ascii_hexdigit()) =>
        {
            c.to_string()
        }
        _ => fallback.to_string(),
    }
}

/// The SVG of a scene's live elements; None when the scene is not JSON or has nothing to
/// draw.
pub fn scene_to_svg(scene_json: &str) -> Option<String> {
    let scene: Value = serde_json::from_str(scene_json).ok()?;
    let elements = scene.get("elements")?.as_array()?;
    let mut body = String::new();
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut grow = |x: f64, y: f64| {
        min_x = min_x.min(x);
        min_y = min_y.min(y);
        max_x = max_x.max(x);
        max_y = max_y.max(y);
    };
    for el in elements {
        if el.get("isDeleted").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let (Some(x), Some(y)) = (num(el, "x"), num(el, "y")) else {
            continue;
        };
        let w = num(el, "width").unwrap_or(0.0).max(0.0);
        let h = num(el, "height").unwrap_or(0.0).max(0.0);
        let stroke = colour(el, "strokeColor", "#1e1e1e");
        let fill = match colour(el, "backgroundColor", "none") {
            c if c == "#transparent" => "none".to_string(),
            c => c,
        };
        let kind = el.get("type").and_then(Value::as_str).unwrap_or("");
        match kind {
            "rectangle" | "frame" => {
                grow(x, y);
                grow(x + w, y + h);
                let _ = writeln!(
                    body,
                    r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="8" fill="{fill}" stroke="{stroke}" stroke-width="2"/>"#
                );
            }
            "ellipse" => {
                grow(x, y);
                grow(x + w, y + h);
                let _ = writeln!(
                    body,
                    r#"<ellipse cx="{:.1}" cy="{:.1}" rx="{:.1}" ry="{:.1}" fill="{fill}" stroke="{stroke}" stroke-width="2"/>"#,
                    x + w / 2.0,
                    y + h / 2.0,
                    w / 2.0,
                    h / 2.0
                );
            }
            "diamond" => {
                grow(x, y);
                grow(x + w, y + h);
                let _ = writeln!(
                    body,
                    r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{fill}" stroke="{stroke}" stroke-width="2"/>"#,
                    x + w / 2.0,
                    y,
                    x + w,
                    y + h / 2.0,
                    x + w / 2.0,
                    y + h,
                    x,
                    y + h / 2.0
                );
            }
            "arrow" | "line" | "freedraw" => {
                let points: Vec<(f64, f64)> = el
                    .get("points")
                    .and_then(Value::as_array)
                    .map(|ps| {
                        ps.iter()
                            .filter_map(|p| {
                                let p = p.as_array()?;
                                let px = p.first()?.as_f64().filter(|n| n.is_finite())?;
                                let py = p.get(1)?.as_f64().filter(|n| n.is_finite())?;
                                Some((x + px, y + py))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                if points.len() < 2 {
                    continue;
                }
                let mut d = String::new();
                for (i, (px, py)) in points.iter().enumerate() {
                    grow(*px, *py);
                    let _ = write!(d, "{}{px:.1},{py:.1} ", if i == 0 { "M" } else { "L" });
                }
                let marker = if kind == "arrow" {
                    r#" marker-end="url(#arrowhead)""#
                } else {
                    ""
                };
                let _ = writeln!(
                    body,
                    r#"<path d="{}" fill="none" stroke="{stroke}" stroke-width="2"{marker}/>"#,
                    d.trim_end()
                );
            }
            "text" => {
                let text = el.get("text").and_then(Value::as_str).unwrap_or("");
                if text.trim().is_empty() {
                    continue;
                }
                let size = num(el, "fontSize").unwrap_or(20.0).clamp(4.0, 200.0);
                grow(x, y);
                grow(x + w.max(size), y + h.max(size));
                let _ = write!(
                    body,
                    r#"<text x="{x:.1}" y="{:.1}" font-family="sans-serif" font-size="{size:.0}" fill="{stroke}">"#,
                    y + size
                );
                for (i, line) in text.lines().enumerate() {
                    let _ = write!(
                        body,
                        r#"<tspan x="{x:.1}" dy="{}">{}</tspan>"#,
                        if i == 0 { 0.0 } else { size * 1.25 },
                        escape_html(line)
                    );
                }
                body.push_str("</text>\n");
            }
            _ => {}
        }
    }
    if body.is_empty() {
        return None;
    }
    let pad = 20.0;
    let (vx, vy) = (min_x - pad, min_y - pad);
    let (vw, vh) = (max_x - min_x + 2.0 * pad, max_y - min_y + 2.0 * pad);
    // Inline in HTML, so no xmlns (an export holds no URL at all); `url(#arrowhead)` is a
    // same-document fragment.
    Some(format!(
        r##"<svg viewBox="{vx:.1} {vy:.1} {vw:.1} {vh:.1}" width="100%" style="max-height:600px" role="img" aria-label="The final whiteboard">
<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1e1e1e"/></marker></defs>
{body}</svg>"##
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_shapes_arrows_and_escaped_text_and_skips_deleted_and_junk() {
        let scene = r##"{"elements":[
          {"type":"rectangle","x":0,"y":0,"width":100,"height":50,"strokeColor":"#ff0000","backgroundColor":"url(http://x)"},
          {"type":"ellipse","x":200,"y":0,"width":80,"height":80},
          {"type":"arrow","x":100,"y":25,"points":[[0,0],[100,0]]},
          {"type":"text","x":10,"y":10,"text":"<script>alert(1)</script>\nline 2","fontSize":16},
          {"type":"rectangle","x":"12","y":0,"width":1,"height":1},
          {"type":"diamond","x":0,"y":100,"width":40,"height":40,"isDeleted":true},
          {"type":"image","x":0,"y":0}
        ]}"##;
        let svg = scene_to_svg(scene).unwrap();
        assert!(svg.contains("<rect") && svg.contains("<ellipse") && svg.contains("<path"));
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script"));
        assert!(!svg.contains("<polygon"), "deleted elements are not drawn");
        assert!(
            !svg.contains("http://x"),
            "a colour that is not hex is dropped"
        );
        assert!(svg.contains("#ff0000"));
        assert_eq!(svg.matches("<tspan").count(), 2);
        assert!(scene_to_svg("not json").is_none());
        assert!(scene_to_svg(r#"{"elements":[]}"#).is_none());
    }
}
