//! `rehearse`: the engine from a terminal. Practice on a WAV file or the microphone, list
//! and show stored sessions, install and check speech models.

mod cards_cmd;
mod eval_cmd;
mod hints;
mod models_cmd;
mod practice_cmd;
mod report;
mod review_cmd;
mod settings_cmd;

use anyhow::{bail, Context, Result};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use rehearse_engine::{Engine, EnginePaths};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "rehearse",
    version,
    about = "Practise system-design interviews out loud",
    after_help = "Settings: the app's own (settings.json in the data folder, the LLM key in the OS keychain), so the CLI uses the model, interview length and LLM chosen in the app. REHEARSE_* environment variables override them; `rehearse settings show` lists what is in use and which variables override it."
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
    /// The settings in use (the app's, with environment overrides).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Study content and prompts.
    #[command(subcommand)]
    Content(ContentCommand),
    /// Study cards: spaced repetition (FSRS), answers graded by key points, search.
    #[command(subcommand)]
    Cards(cards_cmd::CardsCommand),
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
enum SettingsCommand {
    /// The saved settings, what the engine runs with, and the variables that override them.
    Show {
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
    // `rehearse --version` also says which CPUs this build runs on (docs/packaging.md).
    let version: &'static str = format!(
        "{} (speech recognition built for {})",
        env!("CARGO_PKG_VERSION"),
        rehearse_stt::build_baseline()
    )
    .leak();
    let matches = Cli::command().version(version).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Err(e) = run(cli) {
        eprintln!("error: {}", hints::explain(&e));
        std::process::exit(1);
    }
}

/// The engine with the app's saved settings (and the environment over them).
fn engine() -> Result<Engine> {
    let paths = EnginePaths::from_env()?;
    let settings = rehearse_engine::load_user_settings(&paths);
    Ok(Engine::new(paths, settings.engine)?)
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
        Command::Settings(SettingsCommand::Show { json }) => {
            let paths = EnginePaths::from_env()?;
            settings_cmd::show(&paths, &rehearse_engine::load_user_settings(&paths), json)
        }
        Command::Cards(cmd) => cards_cmd::run(cmd),
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
            println!("cpu: built for {}", rehearse_stt::build_baseline());
            rehearse_stt::check_cpu()?;
            println!("backend: {}", engine.speech_backend()?.describe());
        }
    }
    Ok(())
}
