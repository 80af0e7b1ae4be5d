//! The benchmark's table, as `rehearse eval judgement` prints it.

use crate::judgement::{AnswerResult, JudgementReport};
use std::fmt::Write;

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// A readable table of `report`; `verbose` adds a line per answer.
pub fn render_table(report: &JudgementReport, verbose: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Judgement of the {} grader on {} answers over {} prompts",
        report.grader, report.answers, report.prompts
    );
    if report.grader == "offline" {
        let _ = writeln!(
            s,
            "(the offline grader is a coverage check: it hears what was put into words, it cannot judge whether it is right)"
        );
    }
    let _ = writeln!(
        s,
        "\n{:<16} {:>6} {:>10} {:>7}",
        "dimension", "exact", "within 1", "kappa"
    );
    for (id, a) in &report.per_dimension {
        let _ = writeln!(
            s,
            "{:<16} {:>6} {:>10} {:>7.2}",
            id.as_str(),
            pct(a.exact),
            pct(a.within_one),
            a.kappa
        );
    }
    let o = &report.overall;
    let _ = writeln!(
        s,
        "{:<16} {:>6} {:>10} {:>7.2}",
        "overall",
        pct(o.exact),
        pct(o.within_one),
        o.kappa
    );
    let _ = writeln!(
        s,
        "\n{:<10} {:>7} {:>11} {:>9} {:>10}",
        "kind", "answers", "mean total", "max total", "reference"
    );
    for k in &report.kinds {
        let _ = writeln!(
            s,
            "{:<10} {:>7} {:>8.1}/32 {:>6}/32 {:>7.1}/32",
            format!("{:?}", k.kind).to_lowercase(),
            k.answers,
            k.mean_total,
            k.max_total,
            k.mean_reference_total
        );
    }
    let _ = writeln!(
        s,
        "\nordering strong > medium > weak: {} of {} pairs broken",
        report.ordering_violations, report.ordering_pairs
    );
    let _ = writeln!(
        s,
        "confidently wrong at or above medium: {}",
        if report.wrong_not_below_medium.is_empty() {
            "none".to_string()
        } else {
            report.wrong_not_below_medium.join(", ")
        }
    );
    let _ = writeln!(
        s,
        "injected words that changed the total: {}",
        if report.injection_changed.is_empty() {
            "none".to_string()
        } else {
            report.injection_changed.join(", ")
        }
    );
    let _ = writeln!(
        s,
        "first follow-up on a labelled gap: {} of {} ({}; {} of them challenge a labelled red flag)",
        report.follow_ups_on_gap,
        report.follow_ups_checked,
        pct(report.follow_up_share()),
        report.follow_ups_challenging_flags
    );
    let _ = writeln!(
        s,
        "first follow-ups quoting transcription damage (ASR twins that quote): {} of {}",
        report.noise_quotes, report.noise_checked
    );
    let _ = writeln!(
        s,
        "quotes found verbatim: {} of {} ({})",
        report.quotes_verbatim,
        report.quotes,
        pct(report.quote_share())
    );
    let _ = writeln!(
        s,
        "stable under ASR damage (every dimension within one level of the twin): {} of {} ({})",
        report.asr_pairs_stable,
        report.asr_pairs,
        pct(report.stability())
    );
    if report.fell_back > 0 {
        let _ = writeln!(
            s,
            "answers the LLM could not grade (the offline fallback did): {}",
            report.fell_back
        );
    }
    if verbose {
        let _ = writeln!(
            s,
            "\n{:<36} {:>3} {:>3}  {:<8} {:<8}  first follow-up [dimensions]",
            "answer", "ref", "got", "ref", "got"
        );
        for r in &report.results {
            let digits = |l: &std::collections::BTreeMap<_, u8>| -> String {
                l.values().map(u8::to_string).collect()
            };
            let _ = writeln!(
                s,
                "{:<36} {:>3} {:>3}  {:<8} {:<8}  [{}] {}",
                r.id,
                r.reference_total,
                r.total,
                digits(&r.reference_levels),
                digits(&r.levels),
                r.follow_up_targets
                    .iter()
                    .map(|d| d.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                r.follow_up.as_deref().unwrap_or("-")
            );
        }
    }
    s
}

/// One answer's scorecard as graded, check by check with the sentence that met each, beside
/// the reference levels: what `--explain ID` prints to show why a level or a follow-up came out.
pub fn render_explained(result: &AnswerResult) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({:?}): total {} against the reference {}",
        result.id, result.kind, result.total, result.reference_total
    );
    for dim in &result.card.dimensions {
        let reference = result
            .reference_levels
            .get(&dim.id)
            .map_or("-".to_string(), u8::to_string);
        let _ = writeln!(
            s,
            "\n{}: level {} (reference {})",
            dim.id, dim.level, reference
        );
        for check in &dim.checks {
            let mark = if check.met { "x" } else { " " };
            let quote = check
                .evidence
                .as_ref()
                .map(|e| format!(": \"{}\"", e.quote))
                .unwrap_or_default();
            let _ = writeln!(s, "  [{mark}] {}{quote}", check.name);
        }
    }
    for d in &result.card.tradeoffs {
        let part = |e: Option<&str>| e.map_or("-".to_string(), |q| format!("\"{q}\""));
        let _ = writeln!(
            s,
            "  decision (level {}): \"{}\" against {}; reason {}; number {}; otherwise {}",
            d.level,
            d.choice,
            part(d.alternative.as_deref()),
            part(d.reason.as_ref().map(|e| e.quote.as_str())),
            part(d.number.as_deref()),
            part(d.otherwise.as_ref().map(|e| e.quote.as_str())),
        );
    }
    let flags = if result.red_flags_heard.is_empty() {
        "none".to_string()
    } else {
        result.red_flags_heard.join(", ")
    };
    let _ = writeln!(s, "\nred flags heard: {flags}");
    let targets: Vec<String> = result
        .follow_up_targets
        .iter()
        .map(|d| d.to_string())
        .collect();
    let _ = writeln!(
        s,
        "\nfirst follow-up [{}]: {}",
        targets.join(","),
        result.follow_up.as_deref().unwrap_or("(none)")
    );
    s
}
