//! `rehearse cards`: spaced repetition (FSRS) in the terminal: what is due, search, grading a
//! recall, a spoken answer against a card's key points, a study loop, and the figures.

use anyhow::Result;
use clap::Subcommand;
use rehearse_core::ReviewGrade;
use rehearse_engine::Engine;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum CardsCommand {
    /// Cards to study now: overdue reviews first, then new cards.
    Due {
        /// At most this many cards.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over cards, glossary and prompts.
    Search {
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Record how well you recalled a card; prints when it is next due.
    Review {
        card_id: String,
        #[arg(long, value_parser = parse_grade)]
        grade: ReviewGrade,
        #[arg(long)]
        json: bool,
    },
    /// Grade a recorded answer (WAV) to a question card against its key points.
    Answer {
        card_id: String,
        #[arg(long)]
        audio: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Study the due cards one by one in the terminal.
    Study {
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Due counts, reviews and retention.
    Stats {
        #[arg(long)]
        json: bool,
    },
}

fn parse_grade(s: &str) -> Result<ReviewGrade, String> {
    ReviewGrade::parse(s)
        .or_else(|| s.parse::<u8>().ok().and_then(ReviewGrade::from_rating))
        .ok_or_else(|| format!("'{s}' is not a grade; use again, hard, good or easy (or 1-4)"))
}

pub fn run(cmd: CardsCommand) -> Result<()> {
    let engine = crate::engine()?;
    let now = rehearse_engine::study_now();
    match cmd {
        CardsCommand::Due { limit, json } => {
            let due = engine.cards_due(now, limit)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&due)?);
            } else if due.is_empty() {
                println!("Nothing due. Come back later.");
            } else {
                for c in due {
                    println!(
                        "{:<32} {:<10} {:<9} {}",
                        c.card_id,
                        c.state.as_str(),
                        c.kind,
                        c.title
                    );
                }
            }
        }
        CardsCommand::Search { query, limit, json } => {
            let hits = engine.search(&query, limit)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&hits)?);
            } else if hits.is_empty() {
                println!("No matches for '{query}'.");
            } else {
                for h in hits {
                    println!("{:<8} {:<32} {}", h.kind.as_str(), h.id, h.title);
                    println!("         {}", h.snippet.replace('\n', " "));
                }
            }
        }
        CardsCommand::Review {
            card_id,
            grade,
            json,
        } => {
            let s = engine.review_card(&card_id, grade, now)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                println!(
                    "{}: {} -> next due {} (in {:.1} days)",
                    s.card_id,
                    s.grade.as_str(),
                    s.due,
                    s.interval_days
                );
            }
        }
        CardsCommand::Answer {
            card_id,
            audio,
            json,
        } => {
            let a = engine.grade_spoken_answer_file(&card_id, &audio)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&a)?);
            } else {
                println!("Heard: {}\n", a.transcript);
                print_coverage(&a.coverage);
                println!(
                    "\nRecord it with `rehearse cards review {card_id} --grade {}`.",
                    a.coverage.suggested_grade.as_str()
                );
            }
        }
        CardsCommand::Study { limit } => study(&engine, limit)?,
        CardsCommand::Stats { json } => {
            let s = engine.study_stats(now)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                println!("due today:   {}", s.due_today);
                println!("new:         {}", s.new);
                println!("reviews:     {}", s.reviewed_total);
                println!("next 7 days: {:?}", s.due_next_7_days);
                match s.retention {
                    Some(r) => println!("retention:   {:.0}%", r * 100.0),
                    None => println!("retention:   -"),
                }
            }
        }
    }
    Ok(())
}

fn print_coverage(c: &rehearse_core::AnswerCoverage) {
    for p in &c.covered {
        println!("  [x] {}  (\"{}\")", p.text, p.matched_phrase);
    }
    for p in &c.missed {
        println!("  [ ] {}", p.text);
    }
    println!(
        "Covered {} of {}: suggested grade {}.",
        c.covered.len(),
        c.covered.len() + c.missed.len(),
        c.suggested_grade.as_str()
    );
}

/// One card at a time: read the question, answer (out loud or typed), see the card, grade.
fn study(engine: &Engine, limit: usize) -> Result<()> {
    use std::io::BufRead;
    let due = engine.cards_due(rehearse_engine::study_now(), limit)?;
    if due.is_empty() {
        println!("Nothing due. Come back later.");
        return Ok(());
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    for (i, c) in due.iter().enumerate() {
        println!(
            "\n[{}/{}] {} ({}, {})",
            i + 1,
            due.len(),
            c.title,
            c.kind,
            c.area
        );
        println!("Answer out loud or type your answer; an empty line shows the card.");
        let typed = lines.next().transpose()?.unwrap_or_default();
        if let Ok(card) = engine.card(&c.card_id) {
            println!("\n{}\n", card.body.trim());
        }
        if !typed.trim().is_empty() {
            if let Ok(coverage) = engine.grade_spoken_answer(&c.card_id, &typed) {
                print_coverage(&coverage);
            }
        }
        let grade = loop {
            println!("Grade: again, hard, good, easy (1-4), or q to stop:");
            let Some(line) = lines.next().transpose()? else {
                return Ok(());
            };
            let line = line.trim();
            if line == "q" {
                return Ok(());
            }
            match parse_grade(line) {
                Ok(g) => break g,
                Err(e) => println!("{e}"),
            }
        };
        let s = engine.review_card(&c.card_id, grade, rehearse_engine::study_now())?;
        println!("Next due {} (in {:.1} days).", s.due, s.interval_days);
    }
    Ok(())
}
