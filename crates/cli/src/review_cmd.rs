//! `rehearse sessions ...` for review: search, correct, history, analytics, compare,
//! progress, export, prune and finishing interrupted sessions.

use crate::report::mmss;
use anyhow::Result;
use clap::Subcommand;
use rehearse_core::{DimensionId, ExportFormat, SessionQuery};
use rehearse_engine::Engine;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ReviewCommand {
    /// Sessions whose transcript holds every word (full-text, stemmed), with filters.
    Search {
        /// Words to find in transcripts (optional: filters alone list matching sessions).
        text: Option<String>,
        #[arg(long)]
        prompt: Option<String>,
        /// From this date (YYYY-MM-DD or RFC 3339), inclusive.
        #[arg(long)]
        from: Option<String>,
        /// Up to this date, inclusive.
        #[arg(long)]
        to: Option<String>,
        /// With --below: sessions whose latest level on this dimension is below it.
        #[arg(long, value_parser = parse_dimension, requires = "below")]
        dimension: Option<DimensionId>,
        #[arg(long, requires = "dimension")]
        below: Option<u8>,
        #[arg(long)]
        json: bool,
    },
    /// Correct a transcript segment (by its id, see `show --json`) and re-score.
    Correct {
        id: String,
        #[arg(long)]
        segment: i64,
        #[arg(long)]
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// Every score version of a session.
    History {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Pace, fillers, pauses and signposting of a session.
    Analytics {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Two attempts side by side.
    Compare {
        a: String,
        b: String,
        #[arg(long)]
        json: bool,
    },
    /// Each dimension over time, delivery trends and the weakest dimensions.
    Progress {
        #[arg(long)]
        json: bool,
    },
    /// Export a session as Markdown or one self-contained HTML file.
    Export {
        id: String,
        #[arg(long, value_parser = parse_format, default_value = "html")]
        format: ExportFormat,
        /// Where to write it (default: exports/ in the data folder).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print the document instead of writing a file.
        #[arg(long, conflicts_with = "out")]
        stdout: bool,
    },
    /// Delete sessions (rows and recordings) older than DAYS days.
    Prune {
        #[arg(long)]
        older_than: u32,
        #[arg(long)]
        json: bool,
    },
    /// Finish a session interrupted by a crash: transcribe the rest and score it.
    Finish {
        id: String,
        #[arg(long)]
        json: bool,
    },
}

fn parse_dimension(s: &str) -> Result<DimensionId, String> {
    s.parse()
        .map_err(|e: rehearse_core::UnknownDimension| e.to_string())
}

fn parse_format(s: &str) -> Result<ExportFormat, String> {
    ExportFormat::parse(s).ok_or_else(|| format!("'{s}' is not an export format; use md or html"))
}

/// Prints a value as pretty JSON and returns from the command.
macro_rules! print_json {
    ($value:expr) => {{
        println!("{}", serde_json::to_string_pretty(&$value)?);
        return Ok(());
    }};
}

pub fn run(engine: &Engine, cmd: ReviewCommand) -> Result<()> {
    match cmd {
        ReviewCommand::Search {
            text,
            prompt,
            from,
            to,
            dimension,
            below,
            json,
        } => {
            let list = engine.search_sessions(&SessionQuery {
                text,
                prompt_id: prompt,
                from,
                to,
                dimension,
                below_level: below,
            })?;
            if json {
                print_json!(list);
            }
            if list.is_empty() {
                println!("No matching sessions.");
            }
            for s in list {
                println!(
                    "{}  {}  {:<22} {:>6}  {}",
                    s.session_id,
                    s.started_at,
                    s.prompt_id,
                    mmss(s.duration_s),
                    s.overall
                        .map(|o| format!("{o:.1}/4"))
                        .unwrap_or_else(|| "-".into())
                );
                if let Some(snippet) = s.snippet {
                    println!("    {snippet}");
                }
            }
        }
        ReviewCommand::Correct {
            id,
            segment,
            text,
            json,
        } => {
            let r = engine.correct_segment(&id, segment, &text)?;
            if json {
                print_json!(r);
            }
            println!(
                "Corrected; scores are now version {}.",
                r.score_version.unwrap_or(0)
            );
        }
        ReviewCommand::History { id, json } => {
            let h = engine.score_history(&id)?;
            if json {
                print_json!(h);
            }
            for v in h {
                println!(
                    "v{}  {}  {:<10} {:.1}/4  {}",
                    v.version, v.created_at, v.grader, v.overall, v.reason
                );
            }
        }
        ReviewCommand::Analytics { id, json } => {
            let a = engine.session_analytics(&id)?;
            if json {
                print_json!(a);
            }
            println!(
                "talk time  {} of {}",
                mmss(a.talk_time_s),
                mmss(a.duration_s)
            );
            println!("pace       {:.0} wpm ({} words)", a.wpm, a.words);
            println!(
                "fillers    {} ({:.1} per 100 words)",
                a.filler_total, a.fillers_per_100_words
            );
            println!(
                "pauses     {} (longest {:.1} s, {:.0} s in all)",
                a.pauses.len(),
                a.longest_pause_s,
                a.think_time_s
            );
            println!("signposts  {}", a.signposts.len());
        }
        ReviewCommand::Compare { a, b, json } => {
            let c = engine.compare_sessions(&a, &b)?;
            if json {
                print_json!(c);
            }
            println!("{:<14} {:>5} {:>5}", "dimension", "A", "B");
            for (la, lb) in c.a.levels.iter().zip(&c.b.levels) {
                println!("{:<14} {:>5} {:>5}", la.id.as_str(), la.level, lb.level);
            }
            println!(
                "{:<14} {:>5} {:>5}",
                "duration",
                mmss(c.a.duration_s),
                mmss(c.b.duration_s)
            );
        }
        ReviewCommand::Progress { json } => {
            let p = engine.progress()?;
            if json {
                print_json!(p);
            }
            println!("{} scored sessions", p.sessions);
            for w in p.weakest {
                let cards: Vec<_> = w.cards.iter().map(|c| c.card_id.as_str()).collect();
                println!(
                    "weak: {:<14} {:.1}/4  study: {}",
                    w.id.as_str(),
                    w.mean_level,
                    cards.join(", ")
                );
            }
        }
        ReviewCommand::Export {
            id,
            format,
            out,
            stdout,
        } => {
            if stdout {
                print!("{}", engine.render_session_export(&id, format)?);
            } else {
                let f = engine.export_session(&id, format, out.as_deref())?;
                println!("{}", f.path);
            }
        }
        ReviewCommand::Prune { older_than, json } => {
            let r = engine.prune_sessions_older_than(older_than)?;
            if json {
                print_json!(r);
            }
            println!("Deleted {} session(s).", r.deleted.len());
        }
        ReviewCommand::Finish { id, json } => {
            let r = engine.finish_interrupted(&id)?;
            if json {
                print_json!(r);
            }
            println!(
                "Finished {}: {} segments, scored.",
                r.session_id,
                r.transcript.segments.len()
            );
        }
    }
    Ok(())
}
