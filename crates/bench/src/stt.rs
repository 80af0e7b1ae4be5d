//! `rehearse-bench stt`: how fast and how accurately the speech model transcribes a folder of
//! recordings whose words are known, in one pass of whole files (batch) and fed in real time
//! through the live transcriber (streaming), optionally side by side with faster-whisper's
//! figures on the same files (`scripts/bench-stt.sh` runs both). A benchmark prints figures;
//! nothing here is a pass/fail test of speed.
//!
//! Both engines' word error rates are computed here, by the same code
//! (`rehearse_stt::wer`), from the texts each produced.

use crate::compare::{
    compare, dropped_seconds, median_max, opt, rate, render_table, Comparison, FileRun, Reference,
    StreamRun, TheirRun,
};
use crate::proc_stats::{peak_rss_mb, process_cpu_s};
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use rehearse_engine::stream::{LiveTranscriber, StreamConfig, SttEvent};
use rehearse_engine::{Engine, EnginePaths, EngineSettings};
use rehearse_stt::wer::{normalized_words, word_edit_distance};
use rehearse_stt::{SpeechToText, WhisperOptions, WhisperStt};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct BenchSttArgs {
    /// An installed model (catalogue id or custom/NAME) or a path to a ggml file; default:
    /// the selected model.
    #[arg(long)]
    model: Option<String>,
    /// whisper.cpp threads; default: the app's setting.
    #[arg(long)]
    threads: Option<usize>,
    /// Folder of NAME.wav files, each with NAME.txt holding the words spoken (e.g. the real
    /// voices in ../shared/speech-real).
    #[arg(long, alias = "set", default_value_os_t = default_files_dir())]
    files: PathBuf,
    /// faster-whisper's results on the same files (JSON written by
    /// scripts/bench/faster_whisper_bench.py).
    #[arg(long, value_name = "JSON")]
    compare: Option<PathBuf>,
    /// Batch runs per file; the fastest counts (the machine may be shared).
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// How a file is handed to whisper in batch: whole (whisper's own 30 s windows) or
    /// utterances (cut at pauses first and the speech packed into windows of up to 28 s, as the
    /// app does with a recording; silence is never transcribed).
    #[arg(long, value_enum, default_value_t = BatchMode::Whole)]
    mode: BatchMode,
    /// Transcribe with the backend's quick mode (`SpeechToText::transcribe_partial`, which
    /// live partials use: whisper's encoder sized to the clip, one segment, no timestamps);
    /// with `--mode utterances`, one call per utterance.
    #[arg(long)]
    quick: bool,
    /// Beam search width (1 = greedy, the app's default).
    #[arg(long, default_value_t = 1)]
    beam: usize,
    /// whisper.cpp's flash attention.
    #[arg(long)]
    flash_attn: bool,
    /// No initial prompt (the app primes whisper with fillers and vocabulary by default).
    #[arg(long)]
    no_prompt: bool,
    /// Skip the real-time streaming run (it takes as long as the audio).
    #[arg(long)]
    no_stream: bool,
    /// Streaming run: CPU threads for finals (default: every core, at most 8, as the app;
    /// partials use --threads).
    #[arg(long)]
    final_threads: Option<usize>,
    /// Print the resolved settings (model, threads, beam, prompt) as JSON and exit: the
    /// script hands the same ones to faster-whisper.
    #[arg(long)]
    show_config: bool,
    /// One JSON document instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchMode {
    Whole,
    Utterances,
}

fn default_files_dir() -> PathBuf {
    dirs_cache().join("rehearse/bench/stt")
}

fn dirs_cache() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"))
}

/// The settings both engines run with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BenchConfig {
    pub model: String,
    pub model_path: PathBuf,
    pub threads: usize,
    pub beam_size: usize,
    pub flash_attn: bool,
    pub mode: BatchMode,
    #[serde(default)]
    pub quick: bool,
    pub initial_prompt: Option<String>,
    /// The app's `use_gpu` setting (`REHEARSE_USE_GPU=0` runs a GPU build on the CPU).
    #[serde(default)]
    pub use_gpu: bool,
    /// Streaming run: CPU threads for finals (partials use `threads`).
    #[serde(default)]
    pub final_threads: usize,
    /// "CPU", "GPU (Vulkan: ...)" or the fallback notice.
    pub backend: String,
}

/// The reference texts: every NAME.wav in `dir` with its NAME.txt, sorted by name.
fn bench_files(dir: &Path) -> Result<Vec<(String, PathBuf, String)>> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "cannot read {} (scripts/bench-stt.sh generates the files)",
            dir.display()
        )
    })?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("wav") {
            continue;
        }
        let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        let txt = path.with_extension("txt");
        let reference = std::fs::read_to_string(&txt).with_context(|| {
            format!("{} has no reference text {}", path.display(), txt.display())
        })?;
        out.push((name, path, reference));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    if out.is_empty() {
        bail!("no .wav files in {}", dir.display());
    }
    Ok(out)
}

fn segments_text(segments: &[rehearse_core::Segment]) -> String {
    segments
        .iter()
        .map(|s| s.text.trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn transcribe_batch(
    stt: &mut WhisperStt,
    samples: &[f32],
    mode: BatchMode,
    quick: bool,
) -> Result<String> {
    let segments = match (mode, quick) {
        (BatchMode::Whole, false) => stt.transcribe(samples)?,
        (BatchMode::Whole, true) => stt.transcribe_partial(samples)?,
        // The app's path for a recording transcribed after the fact.
        (BatchMode::Utterances, false) => rehearse_engine::transcribe_clip(stt, samples)?,
        // Each utterance on its own, as live partials are made.
        (BatchMode::Utterances, true) => {
            let utterances = rehearse_audio::Endpointer::cut(
                samples,
                rehearse_audio::EndpointerConfig::default(),
            );
            let mut all = Vec::new();
            for u in &utterances {
                all.extend(stt.transcribe_partial(&u.samples)?);
            }
            all
        }
    };
    Ok(segments_text(&segments))
}

/// The last moment with speech-level sound (30 ms frames over -40 dBFS), in seconds.
fn last_sound_s(samples: &[f32]) -> f64 {
    const FRAME: usize = 480;
    let frames = samples.len() / FRAME;
    for i in (0..frames).rev() {
        let f = &samples[i * FRAME..(i + 1) * FRAME];
        let rms = (f.iter().map(|s| s * s).sum::<f32>() / FRAME as f32).sqrt();
        if rms > 0.01 {
            return ((i + 1) * FRAME) as f64 / rehearse_stt::SAMPLE_RATE;
        }
    }
    0.0
}

/// Feeds `samples` to a live transcriber in real time (20 ms chunks, paced by the wall clock,
/// as a microphone would), stamps every event as it arrives, then stops at the end of the file.
fn stream_file(
    stt: Box<dyn SpeechToText>,
    name: &str,
    samples: &[f32],
    final_threads: usize,
) -> Result<StreamRun> {
    const CHUNK: usize = 320;
    let rate = rehearse_stt::SAMPLE_RATE;
    let config = StreamConfig {
        final_threads,
        ..StreamConfig::default()
    };
    let (mut live, events) = LiveTranscriber::start(stt, config)?;
    let start = Instant::now();
    let stamper = std::thread::spawn(move || {
        let mut got = Vec::new();
        while let Ok(e) = events.recv() {
            got.push((start.elapsed().as_secs_f64(), e));
        }
        got
    });
    let mut speech_ends: Vec<f64> = Vec::new();
    for (i, chunk) in samples.chunks(CHUNK).enumerate() {
        let due = Duration::from_secs_f64((i * CHUNK) as f64 / rate);
        if let Some(wait) = due.checked_sub(start.elapsed()) {
            std::thread::sleep(wait);
        }
        live.push(chunk);
        if let Some(e) = live.last_speech_end_s() {
            if speech_ends.last() != Some(&e) {
                speech_ends.push(e);
            }
        }
    }
    let stop_s = start.elapsed().as_secs_f64();
    let rest = live.finish();
    let finished_s = start.elapsed().as_secs_f64();
    let mut events = stamper
        .join()
        .map_err(|_| anyhow::anyhow!("the event thread panicked"))?;
    events.extend(rest.into_iter().map(|e| (finished_s, e)));

    let speech_end = last_sound_s(samples);
    let mut final_after_pause_s = Vec::new();
    let mut partial_lag_s = Vec::new();
    let mut finals: Vec<(f64, Vec<rehearse_core::Segment>)> = Vec::new();
    for (at, e) in &events {
        match e {
            SttEvent::Partial { t1, .. } => partial_lag_s.push(at - t1),
            SttEvent::Final { t0, t1, segments } => {
                // Finals closed by a pause before the stop: measured from that pause's start.
                if *at <= stop_s {
                    if let Some(e) = speech_ends.iter().rev().find(|e| **e >= *t0 && **e <= *t1) {
                        final_after_pause_s.push(at - e);
                    }
                }
                finals.push((*t0, segments.clone()));
            }
            SttEvent::Failed { message, .. } => {
                tracing::warn!(file = name, %message, "a stretch failed to transcribe")
            }
        }
    }
    finals.sort_by(|a, b| a.0.total_cmp(&b.0));
    let segments: Vec<_> = finals.into_iter().flat_map(|(_, s)| s).collect();
    // The text is complete when its last final arrives: at the stop, or at the pause before
    // it when the file ends in seconds of silence (which are no wait for text).
    let complete_s = (events.iter())
        .filter(|(_, e)| matches!(e, SttEvent::Final { .. }))
        .map(|(at, _)| *at)
        .reduce(f64::max)
        .unwrap_or(finished_s);
    Ok(StreamRun {
        name: name.to_string(),
        audio_s: samples.len() as f64 / rate,
        final_after_stop_s: (complete_s - speech_end.min(stop_s)).max(0.0),
        final_after_pause_s,
        partial_lag_s,
        text: segments_text(&segments),
    })
}

fn resolve_config(args: &BenchSttArgs) -> Result<BenchConfig> {
    let engine = Engine::new(EnginePaths::from_env()?, EngineSettings::from_env())?;
    let settings = engine.settings();
    let (model, model_path) = match &args.model {
        Some(m) if Path::new(m).is_file() => (
            Path::new(m)
                .file_name()
                .map_or_else(|| m.clone(), |f| f.to_string_lossy().into_owned()),
            PathBuf::from(m),
        ),
        Some(m) => (m.clone(), engine.verified_model_by_id(m)?),
        None => (settings.model_id.clone(), engine.verified_model()?),
    };
    Ok(BenchConfig {
        model,
        model_path,
        threads: args.threads.unwrap_or(settings.whisper_threads).max(1),
        beam_size: args.beam.max(1),
        flash_attn: args.flash_attn,
        mode: args.mode,
        quick: args.quick,
        initial_prompt: if args.no_prompt {
            None
        } else {
            settings.whisper_prompt.clone()
        },
        use_gpu: settings.use_gpu,
        final_threads: args
            .final_threads
            .unwrap_or(StreamConfig::default().final_threads),
        backend: String::new(),
    })
}

fn load(config: &BenchConfig) -> Result<WhisperStt> {
    let options = WhisperOptions {
        threads: config.threads,
        initial_prompt: config.initial_prompt.clone(),
        flash_attn: config.flash_attn,
        beam_size: config.beam_size,
        use_gpu: config.use_gpu,
    };
    Ok(WhisperStt::load(&config.model_path, options)?)
}

#[derive(Debug, Serialize)]
struct Report {
    config: BenchConfig,
    ours: Vec<FileRun>,
    ours_load_s: f64,
    ours_peak_rss_mb: Option<f64>,
    stream: Vec<StreamRun>,
    theirs: Option<TheirRun>,
    comparison: Comparison,
}

pub fn run(args: BenchSttArgs) -> Result<()> {
    let mut config = resolve_config(&args)?;
    if args.show_config {
        println!("{}", serde_json::to_string_pretty(&config)?);
        return Ok(());
    }
    let files = bench_files(&args.files)?;
    let theirs: Option<TheirRun> = match &args.compare {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read faster-whisper's results {}", p.display()))?;
            Some(
                serde_json::from_str(&text).with_context(|| {
                    format!("{} is not faster-whisper bench output", p.display())
                })?,
            )
        }
        None => None,
    };

    let loading = Instant::now();
    let mut stt = load(&config)?;
    let ours_load_s = loading.elapsed().as_secs_f64();
    config.backend = stt.backend().describe();
    let mut ours = Vec::new();
    let mut clips = Vec::new();
    for (name, path, _) in &files {
        let clip = rehearse_audio::read_wav_16k_mono(path)?;
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        let mut text = String::new();
        for _ in 0..args.repeat.max(1) {
            let cpu_before = process_cpu_s();
            let started = Instant::now();
            text = transcribe_batch(&mut stt, &clip.samples, config.mode, config.quick)?;
            times.push(started.elapsed().as_secs_f64());
            if let (Some(a), Some(b)) = (cpu_before, process_cpu_s()) {
                cpu.push(b - a);
            }
        }
        if !args.json {
            eprintln!(
                "{name}: {:.1} s of audio in {:.2} s",
                clip.duration_s,
                times.iter().copied().fold(f64::INFINITY, f64::min)
            );
        }
        ours.push(FileRun {
            name: name.clone(),
            audio_s: clip.duration_s,
            transcribe_s: times,
            cpu_s: cpu,
            text,
        });
        clips.push((name.clone(), clip));
    }
    drop(stt);

    let mut stream = Vec::new();
    if !args.no_stream {
        for (name, clip) in &clips {
            if !args.json {
                eprintln!(
                    "{name}: streaming in real time ({:.0} s)...",
                    clip.duration_s
                );
            }
            stream.push(stream_file(
                Box::new(load(&config)?),
                name,
                &clip.samples,
                config.final_threads,
            )?);
        }
    }
    let ours_peak_rss_mb = peak_rss_mb();

    let references: Vec<Reference> = files
        .iter()
        .zip(&clips)
        .map(|((name, _, text), (_, clip))| Reference {
            name: name.clone(),
            text: text.clone(),
            voiced_s: rehearse_stt::gate::voiced_seconds(&clip.samples),
        })
        .collect();
    let comparison = compare(&references, &ours, theirs.as_ref())?;
    if args.json {
        let report = Report {
            config,
            ours,
            ours_load_s,
            ours_peak_rss_mb,
            stream,
            theirs,
            comparison,
        };
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    print!(
        "{}",
        render_summary(
            &config,
            ours_load_s,
            ours_peak_rss_mb,
            theirs.as_ref(),
            &comparison,
            &stream,
            &references
        )
    );
    Ok(())
}

fn render_summary(
    config: &BenchConfig,
    ours_load_s: f64,
    ours_peak_rss_mb: Option<f64>,
    theirs: Option<&TheirRun>,
    comparison: &Comparison,
    stream: &[StreamRun],
    references: &[Reference],
) -> String {
    let mut out = format!(
        "\nours: whisper.cpp {} ({}), {} thread(s), {}, {}, {}, {}{}\n",
        config.model,
        config.backend,
        config.threads,
        if config.beam_size > 1 {
            format!("beam {}", config.beam_size)
        } else {
            "greedy".into()
        },
        match (config.mode, config.quick) {
            (BatchMode::Whole, _) => "whole-file batch".to_string(),
            (BatchMode::Utterances, false) => format!(
                "batch of utterances packed in <= {} s windows",
                rehearse_engine::PACKED_WINDOW_S
            ),
            (BatchMode::Utterances, true) => "per-utterance batch".to_string(),
        },
        if config.flash_attn {
            "flash attention"
        } else {
            "no flash attention"
        },
        if config.quick { "quick mode, " } else { "" },
        if config.initial_prompt.is_some() {
            "app's initial prompt"
        } else {
            "no prompt"
        },
    );
    if let Some(t) = theirs {
        out.push_str(&format!(
            "fw:   faster-whisper {} ({}), {} thread(s), beam {}\n",
            t.version, t.compute_type, t.threads, t.beam_size
        ));
    }
    out.push('\n');
    out.push_str(&render_table(comparison));
    out.push_str(&format!(
        "\nload: ours {ours_load_s:.2} s{}\n",
        theirs.map_or_else(String::new, |t| format!(", fw {:.2} s", t.load_s))
    ));
    out.push_str(&format!(
        "peak memory (whole process): ours {}{}\n",
        opt(ours_peak_rss_mb, |v| format!("{v:.0} MB")),
        theirs.map_or_else(String::new, |t| format!(", fw {:.0} MB", t.peak_rss_mb))
    ));
    if let (Some(ratio), Some(their_wer)) =
        (comparison.total.ratio(), comparison.total.theirs_wer())
    {
        out.push_str(&format!(
            "ours/fw time ratio {ratio:.2} (goal <= 1.00); WER ours {:.1}% vs fw {:.1}% ({:+.1} points; goal <= +1.0)\n",
            100.0 * comparison.total.ours_wer(),
            100.0 * their_wer,
            100.0 * (comparison.total.ours_wer() - their_wer)
        ));
    }
    if let Some(cpu_ratio) = comparison.total.cpu_ratio() {
        out.push_str(&format!(
            "ours/fw CPU-time ratio {cpu_ratio:.2} (the work done, less sensitive to a busy machine than wall time)\n"
        ));
    }
    if !stream.is_empty() {
        out.push_str(&format!(
            "\nstreaming, fed in real time (seconds; partials on {} thread(s), finals on {}):\n",
            config.threads,
            config.threads.max(config.final_threads)
        ));
        out.push_str(&format!(
            "{:<10} {:>7} | {:>16} | {:>19} | {:>18} | {:>6} {:>6}\n",
            "file",
            "audio",
            "final after stop",
            "final after pause",
            "partial lag",
            "WER",
            "drop s"
        ));
        out.push_str(&format!(
            "{:<10} {:>7} | {:>16} | {:>9} {:>9} | {:>8} {:>9} |\n",
            "", "", "", "median", "max", "median", "max"
        ));
        let mut all_partial = Vec::new();
        let (mut errors, mut words, mut dropped) = (0usize, 0usize, 0.0f64);
        for s in stream {
            let Some(reference) = references.iter().find(|r| r.name == s.name) else {
                continue;
            };
            let said = normalized_words(&reference.text);
            let wrong = word_edit_distance(&said, &normalized_words(&s.text));
            let drop_s = dropped_seconds(&reference.text, &s.text, reference.voiced_s);
            (errors, words, dropped) = (errors + wrong, words + said.len(), dropped + drop_s);
            let (pm, px) = median_max(&s.final_after_pause_s).unzip();
            let (lm, lx) = median_max(&s.partial_lag_s).unzip();
            out.push_str(&format!(
                "{:<10} {:>7.1} | {:>16.2} | {:>9} {:>9} | {:>8} {:>9} | {:>5.1}% {:>6.1}\n",
                s.name,
                s.audio_s,
                s.final_after_stop_s,
                opt(pm, |v| format!("{v:.2}")),
                opt(px, |v| format!("{v:.2}")),
                opt(lm, |v| format!("{v:.2}")),
                opt(lx, |v| format!("{v:.2}")),
                100.0 * rate(wrong, said.len()),
                drop_s,
            ));
            all_partial.extend_from_slice(&s.partial_lag_s);
        }
        out.push_str(&format!(
            "{:<10} {:>7.1} | {:>16} | {:>19} | {:>18} | {:>5.1}% {:>6.1}\n",
            "all",
            stream.iter().map(|s| s.audio_s).sum::<f64>(),
            "",
            "",
            "",
            100.0 * rate(errors, words),
            dropped,
        ));
        let worst_stop = stream
            .iter()
            .map(|s| s.final_after_stop_s)
            .fold(0.0, f64::max);
        out.push_str(&format!(
            "final after stop: max {worst_stop:.2} s (goal <= 0.5); partial lag: {} (goal <= 1.0); final after a pause includes the {:.1} s pause the detector waits for\n",
            opt(median_max(&all_partial).map(|m| m.1), |v| format!("max {v:.2} s")),
            StreamConfig::default().endpoint.end_silence_s,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_sound_is_found_in_trailing_silence() {
        let mut s = vec![0.0f32; 16_000 * 2];
        for (i, x) in s[8_000..16_000].iter_mut().enumerate() {
            *x = 0.2 * (i as f32 * 0.1).sin();
        }
        let t = last_sound_s(&s);
        assert!((0.99..=1.03).contains(&t), "{t}");
        assert_eq!(last_sound_s(&[0.0; 16_000]), 0.0);
    }
}
