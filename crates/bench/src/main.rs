//! `rehearse-bench`: benchmarks that print figures, kept out of the user's `rehearse` CLI.
//! `scripts/bench-stt.sh` runs `stt` beside faster-whisper; docs/benchmarks.md has the figures.

mod compare;
mod llm;
mod proc_stats;
mod stt;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "rehearse-bench",
    version,
    about = "Rehearse's benchmarks: figures, not tests"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Speech to text: time, real-time factor, streaming latency, peak memory, WER and
    /// dropped speech on NAME.wav + NAME.txt files (optionally against faster-whisper's).
    Stt(stt::BenchSttArgs),
    /// The LLM backend's overhead over the raw server's time to first token (same request,
    /// plain HTTP vs through the interviewer), and the offline turn decision time.
    Llm(llm::BenchLlmArgs),
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("REHEARSE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,whisper_rs=off")),
        )
        .with_writer(std::io::stderr)
        .init();
    let outcome = match Cli::parse().command {
        Command::Stt(args) => stt::run(args),
        Command::Llm(args) => llm::run(args),
    };
    if let Err(e) = outcome {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
