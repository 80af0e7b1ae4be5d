//! `rehearse eval judgement`: the interviewer's judgement measured on the graded reference
//! set (crates/evals does the work; this is the command line around it).

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use rehearse_content::Content;
use rehearse_evals::{evaluate, load_set, render_table, repository_set_dir, Grader};
use rehearse_interviewer::{LlmInterviewer, LlmInterviewerConfig};
use rehearse_llm::{LlmClient, LlmConfig, OpenAiCompatible};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// Scores and first follow-ups against the graded reference set (evals/judgement):
    /// agreement, weighted kappa, adversarial answers, follow-ups on a real gap.
    Judgement(JudgementArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Backend {
    Offline,
    Llm,
}

#[derive(Args)]
pub struct JudgementArgs {
    #[arg(long, value_enum, default_value_t = Backend::Offline)]
    backend: Backend,
    /// The reference set: a folder holding answers/<prompt-id>/*.toml (default: the
    /// repository's evals/judgement).
    #[arg(long)]
    set: Option<PathBuf>,
    /// With --backend llm: the OpenAI-compatible base URL (or REHEARSE_LLM_URL).
    #[arg(long)]
    url: Option<String>,
    /// With --backend llm: the model (or REHEARSE_LLM_MODEL).
    #[arg(long)]
    model: Option<String>,
    /// Also print a line per answer: levels and the first follow-up.
    #[arg(long)]
    verbose: bool,
    #[arg(long)]
    json: bool,
}

pub fn run(cmd: EvalCommand) -> Result<()> {
    let EvalCommand::Judgement(args) = cmd;
    let dir = args.set.clone().unwrap_or_else(repository_set_dir);
    let set = load_set(&dir)?;
    let content = Content::embedded()?;
    let report = match args.backend {
        Backend::Offline => evaluate(&content, &set, &Grader::Offline, "offline")?,
        Backend::Llm => {
            let url = args
                .url
                .or_else(|| std::env::var("REHEARSE_LLM_URL").ok())
                .context("give --url (or set REHEARSE_LLM_URL)")?;
            let model = args
                .model
                .or_else(|| std::env::var("REHEARSE_LLM_MODEL").ok())
                .context("give --model (or set REHEARSE_LLM_MODEL)")?;
            let mut config = LlmConfig::new(url, model.clone());
            config.timeout = Duration::from_secs(300);
            let client: Arc<dyn LlmClient> = Arc::new(OpenAiCompatible::new(config)?);
            let make = |prompt: &rehearse_content::Prompt, rubric: &rehearse_content::Rubric| {
                LlmInterviewer::new(Arc::clone(&client), prompt, rubric, model.clone()).with_config(
                    LlmInterviewerConfig {
                        temperature: 0.0,
                        ..LlmInterviewerConfig::default()
                    },
                )
            };
            evaluate(&content, &set, &Grader::Llm(&make), &model)?
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render_table(&report, args.verbose));
    }
    Ok(())
}
