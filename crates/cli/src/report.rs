use rehearse_core::SessionReport;
use std::fmt::Write;

pub fn mmss(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{:02}:{:02}", s / 60, s % 60)
}

/// The readable report printed without `--json`.
pub fn render(r: &SessionReport, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Session {}", r.session_id);
    let _ = writeln!(out, "Prompt: {title} ({})", r.prompt_id);
    let _ = writeln!(
        out,
        "Audio: {} ({})\n",
        r.audio.path,
        mmss(r.audio.duration_s)
    );
    let _ = writeln!(out, "Transcript");
    if r.transcript.segments.is_empty() {
        let _ = writeln!(out, "  (no speech was recognised)");
    }
    let mut turns = r.turns.iter().peekable();
    for seg in &r.transcript.segments {
        while let Some(t) = turns.next_if(|t| t.at <= seg.t0) {
            let _ = writeln!(out, "  [{}] INTERVIEWER: {}", mmss(t.at), t.text);
        }
        let _ = writeln!(out, "  [{}] {}", mmss(seg.t0), seg.text);
    }
    for t in turns {
        let _ = writeln!(out, "  [{}] INTERVIEWER: {}", mmss(t.at), t.text);
    }
    let _ = writeln!(
        out,
        "\nScorecard (graded by {})",
        rehearse_interviewer::grader_description(&r.scorecard.grader)
    );
    for d in &r.scorecard.dimensions {
        let bar: String = (0..4)
            .map(|i| if i < d.level { '#' } else { '.' })
            .collect();
        let _ = writeln!(out, "  {:<14} [{bar}] {}/4", d.id.as_str(), d.level);
        for e in &d.evidence {
            let _ = writeln!(out, "      [{}] \"{}\"", mmss(e.t0), e.quote);
        }
        if d.level < 4 {
            let _ = writeln!(out, "      Next time: {}", d.suggestion);
        }
    }
    if !r.scorecard.tradeoffs.is_empty() {
        let _ = writeln!(out, "\nTrade-off decisions");
    }
    for d in &r.scorecard.tradeoffs {
        let said = |v: Option<&str>| v.unwrap_or("(not said)").to_string();
        let _ = writeln!(out, "  {} {}/4", d.choice, d.level);
        let _ = writeln!(
            out,
            "      [{}] \"{}\"",
            mmss(d.evidence.t0),
            d.evidence.quote
        );
        let _ = writeln!(out, "      alternative: {}", said(d.alternative.as_deref()));
        let _ = writeln!(
            out,
            "      reason: {}",
            said(d.reason.as_ref().map(|e| e.quote.as_str()))
        );
        let _ = writeln!(out, "      number: {}", said(d.number.as_deref()));
        let _ = writeln!(
            out,
            "      would choose otherwise: {}",
            said(d.otherwise.as_ref().map(|e| e.quote.as_str()))
        );
        if !d.suggestion.is_empty() {
            let _ = writeln!(out, "      Next time: {}", d.suggestion);
        }
    }
    out
}
