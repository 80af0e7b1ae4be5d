//! `rehearse`: the engine from a terminal. Practice on a WAV file or the microphone, list
//! and show stored sessions, install and check speech models.

mod bench_cmd;
mod bench_llm;
mod eval_cmd;
mod models_cmd;
mod practice_cmd;
mod report;
mod review_cmd;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use rehearse_core::ReviewGrade;
use rehearse_engine::{Engine, EnginePaths, EngineSettings};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "rehearse",
    version,
    about = "Practise system-design interviews out loud"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Answer a prompt from a WAV file or the microphone; transcribe, interview, score, store.
    Practice(PracticeArgs),
    /// Stored sessions.
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// The practice prompts.
    Prompts,
    /// Speech models.
    #[command(subcommand)]
    Models(ModelsCommand),
    /// Study content and prompts.
    #[command(subcommand)]
    Content(ContentCommand),
    /// Study cards: spaced repetition (FSRS), answers graded by key points, search.
    #[command(subcommand)]
    Cards(CardsCommand),
    /// Benchmarks that print figures (`bench stt`: speech-to-text speed, latency and WER).
    #[command(subcommand)]
    Bench(bench_cmd::BenchCommand),
    /// Whiteboards (`board show FILE`: the graph the interviewer reads from an Excalidraw
    /// scene, so you can see what it understood).
    #[command(subcommand)]
    Board(BoardCommand),
    /// LLM servers (`llm find`: the OpenAI-compatible servers on this computer and their
    /// models, as Settings offers them).
    #[command(subcommand)]
    Llm(LlmCommand),
    /// Measurements of the interviewer's judgement (`eval judgement`: scores and follow-ups
    /// against the graded reference set).
    #[command(subcommand)]
    Eval(eval_cmd::EvalCommand),
}

#[derive(Subcommand)]
enum BoardCommand {
    /// Components (with kind and label), arrows and notes the interviewer reads.
    Show {
        /// An Excalidraw scene (.excalidraw, as the app exports it or excalidraw.com saves it).
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum LlmCommand {
    /// Ollama, LM Studio or llama.cpp's server running here at its usual port, with models.
    Find {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CardsCommand {
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

#[derive(Subcommand)]
enum ContentCommand {
    /// Validate a content folder (default: the content built into this binary); prints every
    /// problem as file:line: message and exits 1 if there are any.
    Check { dir: Option<PathBuf> },
}

#[derive(Args)]
struct PracticeArgs {
    /// Prompt id, e.g. doc-qa-10k (see `rehearse prompts`).
    #[arg(long)]
    prompt: String,
    /// A recorded answer: WAV of any common rate, channel count and bit depth.
    #[arg(long, conflicts_with = "mic", required_unless_present_any = ["mic", "live_from"])]
    audio: Option<PathBuf>,
    /// Tests and tools without a microphone: a WAV file played through the live recording
    /// path in real time, as if spoken into the microphone (ends 2 s after the clip).
    #[arg(long, hide = true, value_name = "WAV", conflicts_with_all = ["audio", "mic"])]
    live_from: Option<PathBuf>,
    /// Record from the default microphone instead.
    #[arg(long)]
    mic: bool,
    /// How long to record with --mic.
    #[arg(long, default_value_t = 60, requires = "mic")]
    seconds: u64,
    /// Print one JSON document instead of a readable report.
    #[arg(long)]
    json: bool,
    /// A whiteboard for the answer: an Excalidraw scene file (.excalidraw), read by the
    /// interviewer and stored with the session.
    #[arg(long, value_name = "SCENE")]
    board: Option<PathBuf>,
}

#[derive(Subcommand)]
enum SessionsCommand {
    /// All stored sessions, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One session: transcript, follow-ups, scorecard.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Delete a session and its recording.
    Delete { id: String },
    /// Transcribe a stored session again with another installed model and re-score it
    /// (the earlier transcript and scores are kept).
    Retranscribe {
        id: String,
        /// An installed model: a catalogue id (`rehearse models list`) or custom/NAME.
        #[arg(long)]
        model: String,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Review(review_cmd::ReviewCommand),
}

#[derive(Subcommand)]
enum ModelsCommand {
    /// Known models and whether each is installed and verified.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Download a catalogue model (resumes a partial download; checks its sha256).
    Download {
        id: String,
        /// Fetch from this address instead of the catalogue's (a mirror serving the same file).
        #[arg(long)]
        url: Option<String>,
    },
    /// Install a ggml model file you already have: checked against the catalogue, else
    /// installed as custom/NAME.
    InstallFile { path: PathBuf },
    /// Convert a CTranslate2 Whisper folder into the app's models folder and verify it.
    Install {
        id: String,
        /// Folder with model.bin, vocabulary.txt and config.json.
        #[arg(long)]
        from_ct2: PathBuf,
    },
    /// Check the selected model's size and checksum.
    Verify,
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            // whisper.cpp's own log is off unless asked for (REHEARSE_LOG=whisper_rs=debug):
            // it reports every cancelled live partial as an error ("failed to decode"), and
            // real failures reach the user through our own errors.
            tracing_subscriber::EnvFilter::try_from_env("REHEARSE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,whisper_rs=off")),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn engine() -> Result<Engine> {
    Ok(Engine::new(
        EnginePaths::from_env()?,
        EngineSettings::from_env(),
    )?)
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Practice(args) => practice_cmd::practice(args),
        Command::Sessions(cmd) => sessions(cmd),
        Command::Prompts => {
            for p in engine()?.prompts() {
                println!("{:<24} {}", p.id, p.title);
            }
            Ok(())
        }
        Command::Models(cmd) => models(cmd),
        Command::Cards(cmd) => cards(cmd),
        Command::Bench(cmd) => bench_cmd::run(cmd),
        Command::Eval(cmd) => eval_cmd::run(cmd),
        Command::Board(BoardCommand::Show { file, json }) => {
            let scene = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read the board {}", file.display()))?;
            let graph = rehearse_engine::read_board(&scene).with_context(|| {
                format!(
                    "{} is not a whiteboard the interviewer can read",
                    file.display()
                )
            })?;
            if json {
                println!("{}", serde_json::to_string_pretty(&graph)?);
            } else {
                print!("{}", rehearse_engine::describe_board(&graph));
            }
            Ok(())
        }
        Command::Llm(LlmCommand::Find { json }) => {
            let found = rehearse_engine::find_local_llm_servers();
            if json {
                println!("{}", serde_json::to_string_pretty(&found)?);
            } else if found.is_empty() {
                println!("No LLM server answered at the usual ports (Ollama 11434, LM Studio 1234, llama.cpp 8080).");
            } else {
                for s in &found {
                    println!("{} at {}: {}", s.name, s.base_url, s.models.join(", "));
                }
                println!("Use one with REHEARSE_LLM_URL and REHEARSE_LLM_MODEL, or pick it in the app's Settings.");
            }
            Ok(())
        }
        Command::Content(ContentCommand::Check { dir }) => {
            let problems = match &dir {
                Some(dir) => rehearse_content::check_dir(dir),
                // The shipped content, and the user's own cards beside it.
                None => {
                    let mut problems = rehearse_content::check_embedded();
                    let data_dir = EnginePaths::from_env()?.data_dir;
                    let (_, user) = rehearse_content::Content::embedded_with_user_cards(&data_dir)?;
                    problems.extend(user);
                    problems
                }
            };
            for p in &problems {
                println!("{p}");
            }
            println!("{}", rehearse_content::check_summary(&problems));
            if !problems.is_empty() {
                std::process::exit(1);
            }
            Ok(())
        }
    }
}

fn sessions(cmd: SessionsCommand) -> Result<()> {
    let engine = engine()?;
    match cmd {
        SessionsCommand::List { json } => {
            let list = engine.sessions()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else if list.is_empty() {
                println!("No sessions yet. Try `rehearse practice --prompt doc-qa-10k --mic`.");
            } else {
                for s in list {
                    println!(
                        "{}  {}  {:<22} {:>6}  {:<11} {}",
                        s.session_id,
                        s.started_at,
                        s.prompt_id,
                        report::mmss(s.duration_s),
                        s.status.as_str(),
                        s.overall
                            .map(|o| format!("{o:.1}/4"))
                            .unwrap_or_else(|| "-".into())
                    );
                }
            }
        }
        SessionsCommand::Show { id, json } => {
            let r = engine.session(&id)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                print!(
                    "{}",
                    report::render(&r, &practice_cmd::prompt_title(&engine, &r.prompt_id))
                );
            }
        }
        SessionsCommand::Delete { id } => {
            engine.delete_session(&id)?;
            println!("Deleted session {id}.");
        }
        SessionsCommand::Retranscribe { id, model, json } => {
            models_cmd::retranscribe(&engine, &id, &model, json)?
        }
        SessionsCommand::Review(cmd) => review_cmd::run(&engine, cmd)?,
    }
    Ok(())
}

fn models(cmd: ModelsCommand) -> Result<()> {
    let paths = EnginePaths::from_env()?;
    match cmd {
        ModelsCommand::List { json } => models_cmd::list(&engine()?, json)?,
        ModelsCommand::Download { id, url } => {
            models_cmd::download(&engine()?, &id, url.as_deref())?
        }
        ModelsCommand::InstallFile { path } => models_cmd::install_file(&engine()?, &path)?,
        ModelsCommand::Install { id, from_ct2 } => {
            let Some(spec) = rehearse_stt::models::find_model(&id) else {
                bail!("unknown model '{id}'; `rehearse models list` shows the known ones");
            };
            let path = rehearse_stt::install_from_ct2(&from_ct2, &paths.models_dir, spec)
                .with_context(|| format!("installing {id} from {}", from_ct2.display()))?;
            println!("{id} installed and verified: {}", path.display());
        }
        ModelsCommand::Verify => {
            let engine = engine()?;
            let path = engine.verified_model()?;
            println!("{} OK: {}", engine.settings().model_id, path.display());
            println!("backend: {}", engine.speech_backend()?.describe());
        }
    }
    Ok(())
}

fn cards(cmd: CardsCommand) -> Result<()> {
    let engine = engine()?;
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
