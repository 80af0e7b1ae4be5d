//! `rehearse eval judgement`: the interviewer's judgement measured on the graded reference
//! set (crates/evals does the work; this is the command line around it).

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use rehearse_content::Content;
use rehearse_evals::{
    evaluate, evaluate_follow_ups, load_set, render_explained, render_follow_ups, render_table,
    repository_moments_dir, repository_set_dir, Grader,
};
use rehearse_interviewer::{LlmInterviewer, LlmInterviewerConfig, LlmScoring};
use rehearse_llm::{LlmClient, LlmConfig, OpenAiCompatible};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// Scores and first follow-ups against the graded reference set (evals/judgement):
    /// agreement, weighted kappa, adversarial answers, follow-ups on a real gap.
    Judgement(JudgementArgs),
    /// The offline interviewer's first follow-up at answer moments (evals/followups): share
    /// acceptable, of the expected kind (challenge, board probe, gap), noise quotes, repeats.
    Followups(FollowupsArgs),
}

#[derive(Args)]
pub struct FollowupsArgs {
    /// A folder of moments (default: the repository's evals/followups/moments).
    #[arg(long)]
    set: Option<PathBuf>,
    /// Also print each moment's question.
    #[arg(long)]
    verbose: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Backend {
    Offline,
    Llm,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Scoring {
    Checklist,
    Holistic,
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
    /// With --backend llm: a checklist call per dimension (default) or every level in one
    /// call.
    #[arg(long, value_enum, default_value_t = Scoring::Checklist)]
    llm_scoring: Scoring,
    /// Also print a line per answer: levels and the first follow-up.
    #[arg(long)]
    verbose: bool,
    /// Grade only this answer (e.g. doc-qa-10k/strong) and print its scorecard check by
    /// check, with the sentence that met each.
    #[arg(long, value_name = "ANSWER")]
    explain: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn run(cmd: EvalCommand) -> Result<()> {
    let args = match cmd {
        EvalCommand::Judgement(args) => args,
        EvalCommand::Followups(args) => return follow_ups(args),
    };
    let dir = args.set.clone().unwrap_or_else(repository_set_dir);
    let mut set = load_set(&dir)?;
    if let Some(id) = &args.explain {
        set.retain(|a| &a.id == id);
        anyhow::ensure!(
            !set.is_empty(),
            "no answer {id} in {}: ids are <prompt>/<file name without .toml>",
            dir.display()
        );
    }
    let content = Content::embedded()?;
    let started = std::time::Instant::now();
    let report = match args.backend {
        Backend::Offline => evaluate(&content, &set, &Grader::Offline, "offline")?,
        Backend::Llm => {
            let (url, model) = rehearse_engine::LlmSettings::endpoint_or_env(args.url, args.model)
                .context(
                    "give --url and --model (or set REHEARSE_LLM_URL and REHEARSE_LLM_MODEL)",
                )?;
            let mut config = LlmConfig::new(url, model.clone());
            config.timeout = Duration::from_secs(300);
            let client: Arc<dyn LlmClient> = Arc::new(OpenAiCompatible::new(config)?);
            let make = |prompt: &rehearse_content::Prompt, rubric: &rehearse_content::Rubric| {
                LlmInterviewer::new(Arc::clone(&client), prompt, rubric, model.clone()).with_config(
                    LlmInterviewerConfig {
                        temperature: 0.0,
                        scoring: match args.llm_scoring {
                            Scoring::Checklist => LlmScoring::Checklist,
                            Scoring::Holistic => LlmScoring::Holistic,
                        },
                        ..LlmInterviewerConfig::default()
                    },
                )
            };
            evaluate(&content, &set, &Grader::Llm(&make), &model)?
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if args.explain.is_some() {
        for result in &report.results {
            print!("{}", render_explained(result));
        }
    } else {
        print!("{}", render_table(&report, args.verbose));
        println!(
            "graded {} answers in {:.0} s",
            report.answers,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn follow_ups(args: FollowupsArgs) -> Result<()> {
    let dir = args.set.unwrap_or_else(repository_moments_dir);
    let report = evaluate_follow_ups(&Content::embedded()?, &dir)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render_follow_ups(&report, args.verbose));
    }
    Ok(())
}
