//! Exporting a session as Markdown or as one self-contained HTML file: header, scorecard with
//! evidence, the trade-off decisions graded one by one, delivery analytics (with an inline SVG pace chart), the final board as SVG, and
//! the transcript with timestamps and the interviewer's turns.
//!
//! Built with `format!` rather than a template crate: the documents are short and linear, and
//! the one thing a template engine would add, escaping, is done by [`escape_html`] on every
//! piece of session text (the transcript is untrusted). The HTML holds no URL and no script:
//! inline CSS only, so it opens anywhere without a network.

use crate::board_svg::{escape_html, scene_to_svg};
use crate::{Engine, EngineError};
use rehearse_core::{
    DeliveryAnalytics, ExportFormat, ExportedFile, PacePoint, SessionReport, TradeOffDecision, Turn,
};
use rehearse_interviewer::{delivery_analytics, OFFLINE_GRADER, OFFLINE_GRADER_CAVEAT};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Everything an export shows, gathered once.
struct ExportData {
    report: SessionReport,
    prompt_title: String,
    analytics: DeliveryAnalytics,
    board_svg: Option<String>,
}

pub fn mmss(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// Transcript lines and interviewer turns in time order.
enum Line<'a> {
    Said(f64, &'a str),
    Asked(&'a Turn),
}

fn timeline(r: &SessionReport) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut turns = r.turns.iter().peekable();
    for seg in &r.transcript.segments {
        while let Some(t) = turns.next_if(|t| t.at <= seg.t0) {
            out.push(Line::Asked(t));
        }
        out.push(Line::Said(seg.t0, &seg.text));
    }
    out.extend(turns.map(Line::Asked));
    out
}

/// Markdown text: backslash-escapes the characters that would become markup, and HTML-escapes
/// `<`, `>` and `&` so raw HTML in a transcript stays text in any renderer.
fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn overall(r: &SessionReport) -> Option<f64> {
    let d = &r.scorecard.dimensions;
    (!d.is_empty()).then(|| d.iter().map(|d| f64::from(d.level)).sum::<f64>() / d.len() as f64)
}

/// An inline SVG bar chart of words per minute, one bar per minute.
fn pace_svg(pace: &[PacePoint]) -> String {
    let (w, h, pad) = (600.0, 160.0, 24.0);
    let max = pace.iter().map(|p| p.wpm).fold(60.0, f64::max);
    let n = pace.len().max(1) as f64;
    let bar_w = (w - 2.0 * pad) / n;
    let mut bars = String::new();
    for (i, p) in pace.iter().enumerate() {
        let bh = (h - 2.0 * pad) * (p.wpm / max);
        let _ = write!(
            bars,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}" fill="#4f6bed"><title>{} — {:.0} wpm</title></rect>"##,
            pad + i as f64 * bar_w + 1.0,
            h - pad - bh,
            (bar_w - 2.0).max(1.0),
            mmss(p.t0),
            p.wpm
        );
    }
    format!(
        r##"<svg viewBox="0 0 {w} {h}" width="100%" style="max-width:600px" role="img" aria-label="Pace in words per minute, per minute of the session">
<line x1="{pad}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#888"/>
<text x="{pad}" y="14" font-size="11" fill="#555">{max:.0} wpm</text>
<text x="{pad}" y="{yl}" font-size="11" fill="#555">00:00</text>
<text x="{xe}" y="{yl}" font-size="11" fill="#555" text-anchor="end">{end}</text>
{bars}</svg>"##,
        y0 = h - pad,
        x1 = w - pad,
        yl = h - 6.0,
        xe = w - pad,
        end = mmss(pace.len() as f64 * 60.0),
    )
}

fn render_md(d: &ExportData) -> String {
    let r = &d.report;
    let a = &d.analytics;
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md_text(&d.prompt_title));
    let _ = writeln!(o, "- Session: `{}`", r.session_id);
    let _ = writeln!(o, "- Date: {}", md_text(&r.started_at));
    let _ = writeln!(o, "- Duration: {}", mmss(r.audio.duration_s));
    let _ = writeln!(o, "- Grader: {}", md_text(&r.scorecard.grader));
    if r.scorecard.grader == OFFLINE_GRADER {
        let _ = writeln!(o, "- Note: {}", md_text(OFFLINE_GRADER_CAVEAT));
    }
    if let Some(v) = overall(r) {
        let _ = writeln!(o, "- Overall: {v:.1}/4");
    }
    let _ = writeln!(o, "\n## Scorecard\n");
    for dim in &r.scorecard.dimensions {
        let _ = writeln!(o, "### {} — {}/4\n", dim.id.as_str(), dim.level);
        for e in &dim.evidence {
            let _ = writeln!(o, "- [{}] “{}”", mmss(e.t0), md_text(&e.quote));
        }
        if dim.level < 4 {
            let _ = writeln!(o, "\nNext time: {}", md_text(&dim.suggestion));
        }
        o.push('\n');
    }
    tradeoffs_md(&mut o, &r.scorecard.tradeoffs);
    let _ = writeln!(o, "## Delivery\n");
    let _ = writeln!(
        o,
        "- Talk time: {} of {}\n- Pace: {:.0} words per minute ({} words)\n- Fillers: {} ({:.1} per 100 words){}\n- Pauses of 2 s or more: {} (longest {:.1} s, {:.0} s in all)\n- Signposts: {}",
        mmss(a.talk_time_s),
        mmss(a.duration_s),
        a.wpm,
        a.words,
        a.filler_total,
        a.fillers_per_100_words,
        if a.filler_counts.is_empty() {
            String::new()
        } else {
            format!(
                ": {}",
                a.filler_counts
                    .iter()
                    .map(|c| format!("{} ×{}", c.phrase, c.count))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        a.pauses.len(),
        a.longest_pause_s,
        a.think_time_s,
        a.signposts.len()
    );
    let _ = writeln!(o, "\n| minute | words per minute |\n| --- | --- |");
    for p in &a.pace {
        let _ = writeln!(o, "| {} | {:.0} |", mmss(p.t0), p.wpm);
    }
    if let Some(svg) = &d.board_svg {
        let _ = writeln!(o, "\n## Final board\n\n{svg}");
    }
    let _ = writeln!(o, "\n## Transcript\n");
    for line in timeline(r) {
        match line {
            Line::Said(t0, text) => {
                let _ = writeln!(o, "**[{}]** {}  ", mmss(t0), md_text(text));
            }
            Line::Asked(t) => {
                let _ = writeln!(
                    o,
                    "\n> **[{}] Interviewer:** {}\n",
                    mmss(t.at),
                    md_text(&t.text)
                );
            }
        }
    }
    o
}

/// The parts of one decision, as label and value, in the order the scorecard shows them.
fn decision_parts(d: &TradeOffDecision) -> [(&'static str, String); 4] {
    let or_not = |v: Option<&str>| v.map_or_else(|| "not said".to_string(), str::to_string);
    [
        ("alternative", or_not(d.alternative.as_deref())),
        (
            "reason",
            or_not(d.reason.as_ref().map(|e| e.quote.as_str())),
        ),
        ("number", or_not(d.number.as_deref())),
        (
            "would choose otherwise",
            or_not(d.otherwise.as_ref().map(|e| e.quote.as_str())),
        ),
    ]
}

fn tradeoffs_md(o: &mut String, decisions: &[TradeOffDecision]) {
    if decisions.is_empty() {
        return;
    }
    let _ = writeln!(o, "## Trade-off decisions\n");
    for d in decisions {
        let _ = writeln!(
            o,
            "### {} — {}/4\n\n- [{}] “{}”",
            md_text(&d.choice),
            d.level,
            mmss(d.evidence.t0),
            md_text(&d.evidence.quote)
        );
        for (label, value) in decision_parts(d) {
            let _ = writeln!(o, "- {label}: {}", md_text(&value));
        }
        if !d.suggestion.is_empty() {
            let _ = writeln!(o, "\nNext time: {}", md_text(&d.suggestion));
        }
        o.push('\n');
    }
}

fn tradeoffs_html(o: &mut String, decisions: &[TradeOffDecision]) {
    if decisions.is_empty() {
        return;
    }
    let e = escape_html;
    o.push_str("<h2>Trade-off decisions</h2>\n");
    for d in decisions {
        let _ = writeln!(
            o,
            "<div class=\"dim decision\"><span class=\"lvl\">{}</span><span class=\"bar\"><i style=\"width:{}%\"></i></span>{}/4\n<div class=\"ev\"><span class=\"t\">{}</span>“{}”</div>",
            e(&d.choice),
            u32::from(d.level) * 25,
            d.level,
            mmss(d.evidence.t0),
            e(&d.evidence.quote)
        );
        for (label, value) in decision_parts(d) {
            let _ = writeln!(o, "<div class=\"ev\">{label}: {}</div>", e(&value));
        }
        if !d.suggestion.is_empty() {
            let _ = writeln!(
                o,
                "<div class=\"ev sugg\">Next time: {}</div>",
                e(&d.suggestion)
            );
        }
        o.push_str("</div>\n");
    }
}

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;line-height:1.5}\
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}\
.meta{color:#555}.dim{margin:.8rem 0}.lvl{font-weight:600}.bar{display:inline-block;width:6rem;height:.6rem;background:#eee;border-radius:3px;vertical-align:middle;margin:0 .5rem}\
.bar i{display:block;height:100%;background:#4f6bed;border-radius:3px}\
.ev{margin:.2rem 0 .2rem 1.2rem;color:#333}.t{font-family:ui-monospace,monospace;color:#777;margin-right:.5rem}\
.turn{background:#f3f4fb;border-left:3px solid #4f6bed;padding:.4rem .8rem;margin:.6rem 0}\
.seg{margin:.2rem 0}.sugg{color:#555;font-style:italic}table{border-collapse:collapse}td{padding:.1rem .8rem}";

fn render_html(d: &ExportData) -> String {
    let r = &d.report;
    let a = &d.analytics;
    let e = escape_html;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\
         <title>{} — Rehearse session</title><style>{CSS}</style></head><body>\n",
        e(&d.prompt_title)
    );
    let _ = writeln!(o, "<h1>{}</h1>", e(&d.prompt_title));
    let _ = writeln!(
        o,
        "<p class=\"meta\">Session <code>{}</code> · {} · {} · grader {}{}</p>",
        e(&r.session_id),
        e(&r.started_at),
        mmss(r.audio.duration_s),
        e(&r.scorecard.grader),
        overall(r)
            .map(|v| format!(" · overall {v:.1}/4"))
            .unwrap_or_default()
    );
    if r.scorecard.grader == OFFLINE_GRADER {
        let _ = writeln!(
            o,
            "<p class=\"meta caveat\">{}</p>",
            e(OFFLINE_GRADER_CAVEAT)
        );
    }
    o.push_str("<h2>Scorecard</h2>\n");
    for dim in &r.scorecard.dimensions {
        let _ = writeln!(
            o,
            "<div class=\"dim\"><span class=\"lvl\">{}</span><span class=\"bar\"><i style=\"width:{}%\"></i></span>{}/4",
            e(dim.id.as_str()),
            u32::from(dim.level) * 25,
            dim.level
        );
        for ev in &dim.evidence {
            let _ = writeln!(
                o,
                "<div class=\"ev\"><span class=\"t\">{}</span>“{}”</div>",
                mmss(ev.t0),
                e(&ev.quote)
            );
        }
        if dim.level < 4 {
            let _ = writeln!(
                o,
                "<div class=\"ev sugg\">Next time: {}</div>",
                e(&dim.suggestion)
            );
        }
        o.push_str("</div>\n");
    }
    tradeoffs_html(&mut o, &r.scorecard.tradeoffs);
    o.push_str("<h2>Delivery</h2>\n<table>\n");
    let rows = [
        (
            "Talk time",
            format!("{} of {}", mmss(a.talk_time_s), mmss(a.duration_s)),
        ),
        (
            "Pace",
            format!("{:.0} words per minute ({} words)", a.wpm, a.words),
        ),
        (
            "Fillers",
            format!(
                "{} ({:.1} per 100 words) {}",
                a.filler_total,
                a.fillers_per_100_words,
                a.filler_counts
                    .iter()
                    .map(|c| format!("{} ×{}", c.phrase, c.count))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        (
            "Pauses ≥ 2 s",
            format!(
                "{} (longest {:.1} s, {:.0} s in all)",
                a.pauses.len(),
                a.longest_pause_s,
                a.think_time_s
            ),
        ),
        ("Signposts", a.signposts.len().to_string()),
    ];
    for (k, v) in rows {
        let _ = writeln!(o, "<tr><td>{k}</td><td>{}</td></tr>", e(&v));
    }
    o.push_str("</table>\n");
    o.push_str(&pace_svg(&a.pace));
    o.push('\n');
    if let Some(svg) = &d.board_svg {
        let _ = writeln!(o, "<h2>Final board</h2>\n{svg}");
    }
    o.push_str("<h2>Transcript</h2>\n");
    for line in timeline(r) {
        match line {
            Line::Said(t0, text) => {
                let _ = writeln!(
                    o,
                    "<p class=\"seg\"><span class=\"t\">{}</span>{}</p>",
                    mmss(t0),
                    e(text)
                );
            }
            Line::Asked(t) => {
                let _ = writeln!(
                    o,
                    "<div class=\"turn\"><span class=\"t\">{}</span><strong>Interviewer:</strong> {}</div>",
                    mmss(t.at),
                    e(&t.text)
                );
            }
        }
    }
    o.push_str("</body></html>\n");
    o
}

/// A file name part from free text: lower-case letters, digits and dashes.
fn slug(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-');
    if s.is_empty() {
        "session".to_string()
    } else {
        s.chars().take(60).collect()
    }
}

impl Engine {
    fn export_data(&self, session_id: &str) -> Result<ExportData, EngineError> {
        let report = self.session(session_id)?;
        let prompt_title = self
            .content()
            .prompt(&report.prompt_id)
            .map(|p| p.title.clone())
            .unwrap_or_else(|_| report.prompt_id.clone());
        let analytics = delivery_analytics(&report.transcript.segments, report.audio.duration_s);
        let board_svg = match self.session_board_final(session_id) {
            Ok(scene) => scene.as_deref().and_then(scene_to_svg),
            Err(e) => {
                tracing::warn!(session = session_id, error = %e, "no board in the export");
                None
            }
        };
        Ok(ExportData {
            report,
            prompt_title,
            analytics,
            board_svg,
        })
    }

    /// The session as one Markdown or self-contained HTML document.
    pub fn render_session_export(
        &self,
        session_id: &str,
        format: ExportFormat,
    ) -> Result<String, EngineError> {
        let data = self.export_data(session_id)?;
        Ok(match format {
            ExportFormat::Md => render_md(&data),
            ExportFormat::Html => render_html(&data),
        })
    }

    /// Writes the export to `out`, or to `<data>/exports/<date>-<prompt>.<md|html>` (a `-2`,
    /// `-3`... name when that exists), and says where.
    pub fn export_session(
        &self,
        session_id: &str,
        format: ExportFormat,
        out: Option<&Path>,
    ) -> Result<ExportedFile, EngineError> {
        let data = self.export_data(session_id)?;
        let text = match format {
            ExportFormat::Md => render_md(&data),
            ExportFormat::Html => render_html(&data),
        };
        let path = match out {
            Some(p) => p.to_path_buf(),
            None => {
                let date: String = data.report.started_at.chars().take(10).collect();
                let stem = format!("{}-{}", slug(&date), slug(&data.prompt_title));
                free_path(&self.exports_dir(), &stem, format.extension())?
            }
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| EngineError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        // A transcript is as private as the recording it came from.
        crate::vault::write_private(&path, text.as_bytes())?;
        Ok(ExportedFile {
            path: path.display().to_string(),
            format,
            bytes: u32::try_from(text.len()).unwrap_or(u32::MAX),
        })
    }
}

/// `dir/stem.ext`, or `dir/stem-2.ext`, ... whichever does not exist yet.
fn free_path(dir: &Path, stem: &str, ext: &str) -> Result<PathBuf, EngineError> {
    crate::vault::create_private_dir(dir)?;
    let mut path = dir.join(format!("{stem}.{ext}"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}.{ext}"));
        n += 1;
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_cannot_become_markup() {
        assert_eq!(
            md_text("<script>*x*</script> [a](b)"),
            "&lt;script&gt;\\*x\\*&lt;/script&gt; \\[a\\](b)"
        );
        assert_eq!(slug("2026-11-25"), "2026-11-25");
        assert_eq!(
            slug("Doc Q&A over 10-K filings!"),
            "doc-q-a-over-10-k-filings"
        );
        assert_eq!(slug("..."), "session");
        assert_eq!(mmss(3725.0), "1:02:05");
    }
}
