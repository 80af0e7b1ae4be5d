//! `rehearse practice`: a recorded answer, or one recorded live, transcribed, interviewed,
//! scored and stored; the report printed.

use crate::{engine, report, PracticeArgs};
use anyhow::{Context, Result};
use rehearse_core::{EngineEvent, SessionReport};
use rehearse_engine::Engine;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The scene in an Excalidraw file, checked to be a readable board.
fn read_board_file(path: &Path) -> Result<String> {
    let scene = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the board file {}", path.display()))?;
    rehearse_engine::read_board(&scene).with_context(|| {
        format!(
            "{} is not a usable board (save it from Excalidraw as .excalidraw)",
            path.display()
        )
    })?;
    Ok(scene)
}

pub(crate) fn practice(args: PracticeArgs) -> Result<()> {
    let board = args.board.as_deref().map(read_board_file).transpose()?;
    let engine = engine()?;
    let report = if let Some(audio) = &args.audio {
        engine.practice_file_with_board(&args.prompt, audio, board.as_deref())?
    } else {
        let (report, fault) = practice_live(&engine, &args, board)?;
        if let Some(message) = fault {
            // The report of what was said is still shown; the exit status says it ended early.
            print_report(&engine, &report, args.json)?;
            anyhow::bail!("{message}");
        }
        report
    };
    print_report(&engine, &report, args.json)
}

fn print_report(engine: &Engine, report: &SessionReport, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        print!(
            "{}",
            report::render(report, &prompt_title(engine, &report.prompt_id))
        );
    }
    Ok(())
}

/// Records an answer live (the microphone, or a WAV file played as if spoken) until the time
/// is up or the session ends by itself; returns the stored report and, when the session could
/// not go on (a full disk, a lost microphone), the message that says why.
fn practice_live(
    engine: &Engine,
    args: &PracticeArgs,
    board: Option<String>,
) -> Result<(SessionReport, Option<String>)> {
    let quiet = args.json;
    let faults: Arc<Mutex<Faults>> = Arc::default();
    let sink = {
        let faults = faults.clone();
        Arc::new(move |e: EngineEvent| {
            faults.lock().unwrap_or_else(|p| p.into_inner()).note(&e);
            if quiet {
                return;
            }
            match e {
                EngineEvent::Started { .. } => eprintln!("Recording... speak now."),
                EngineEvent::Segment { segment } => {
                    eprintln!("[{}] {}", report::mmss(segment.t0), segment.text)
                }
                EngineEvent::Turn { turn } => eprintln!("\n  Interviewer: {}\n", turn.text),
                EngineEvent::Phase {
                    phase, budget_s, ..
                } => eprintln!("-- phase: {phase} ({} min)", (budget_s / 60.0).round()),
                EngineEvent::Notice { message }
                | EngineEvent::Error { message }
                | EngineEvent::MicResumed { message, .. } => eprintln!("! {message}"),
                EngineEvent::MicLost { message, .. } => eprintln!(
                    "! {message} Waiting {} s for it to come back, then transcribing and scoring what was said.",
                    MIC_COMEBACK.as_secs()
                ),
                EngineEvent::Level { .. }
                | EngineEvent::Partial { .. }
                | EngineEvent::InterviewerDraft { .. }
                | EngineEvent::Finished { .. } => {}
            }
        })
    };
    let (live, seconds) = match &args.live_from {
        Some(wav) => {
            let clip = rehearse_audio::read_wav_16k_mono(wav)?;
            let seconds = clip.samples.len() as f64 / f64::from(rehearse_audio::TARGET_RATE);
            let live = engine.start_live_from_samples(&args.prompt, clip.samples, true, sink)?;
            (live, seconds + 2.0)
        }
        None => (engine.start_live(&args.prompt, sink)?, args.seconds as f64),
    };
    if let Some(scene) = board {
        live.update_board(scene)?;
    }
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let must_stop = || faults.lock().unwrap_or_else(|p| p.into_inner()).must_stop();
    while Instant::now() < deadline && !live.is_finished() && !must_stop() {
        std::thread::sleep(Duration::from_millis(100));
    }
    let report = live.stop()?;
    let fault = faults.lock().unwrap_or_else(|p| p.into_inner()).why();
    Ok((report, fault))
}

/// How long a CLI session waits for a microphone that stopped to deliver sound again (a
/// sound server stalled on a busy machine, a device that was only slow) before it ends: it
/// has no way to pick another input, as the app does.
const MIC_COMEBACK: Duration = Duration::from_secs(4);

/// What stops a live CLI session: an engine error at once, a lost microphone once it has
/// stayed lost for [`MIC_COMEBACK`].
#[derive(Default)]
struct Faults {
    error: Option<String>,
    mic_lost: Option<(String, Instant)>,
}

impl Faults {
    fn note(&mut self, event: &EngineEvent) {
        match event {
            EngineEvent::Error { message } => {
                self.error.get_or_insert_with(|| message.clone());
            }
            EngineEvent::MicLost { message, .. } => {
                self.mic_lost
                    .get_or_insert_with(|| (message.clone(), Instant::now()));
            }
            EngineEvent::MicResumed { .. } => self.mic_lost = None,
            _ => {}
        }
    }

    fn must_stop(&self) -> bool {
        self.error.is_some()
            || self
                .mic_lost
                .as_ref()
                .is_some_and(|(_, at)| at.elapsed() >= MIC_COMEBACK)
    }

    fn why(&mut self) -> Option<String> {
        self.error
            .take()
            .or_else(|| self.mic_lost.take().map(|(message, _)| message))
    }
}

pub(crate) fn prompt_title(engine: &Engine, prompt_id: &str) -> String {
    engine
        .prompts()
        .into_iter()
        .find(|p| p.id == prompt_id)
        .map(|p| p.title)
        .unwrap_or_default()
}
