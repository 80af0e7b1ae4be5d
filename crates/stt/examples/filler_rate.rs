//! How many filler words ("um", "uh", "erm", "like", "you know") survive transcription, with
//! and without an initial prompt that contains fillers: the delivery analytics count them, and
//! Whisper was trained on transcripts that mostly leave them out.
//!
//! ```sh
//! cargo run -p rehearse-stt --example filler_rate [-- --model PATH] [--samples N]
//! ```
//!
//! Speech is made by espeak-ng (several voices and speeds) and resampled by sox; the model
//! defaults to `$REHEARSE_MODELS_DIR/ggml-tiny.en.bin` (else ~/.local/share/rehearse/models).
//! Prints, per setting: fillers kept / present per kind with a Wilson 95 % interval, extra
//! fillers that were not said, the word error rate on the other words, and the WER on the
//! real-speech test's paragraph (no fillers) so a setting that helps fillers but hurts the
//! rest shows it.

use rehearse_stt::wer::{normalized_words, word_error_rate};
use rehearse_stt::{SpeechToText, WhisperOptions, WhisperStt};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The engine's default prompt (rehearse_engine::settings::VOCABULARY_PROMPT), copied because
/// this crate sits below the engine; keep them the same.
const VOCABULARY_PROMPT: &str = "A system design interview: requirements, architecture, \
chunks, embeddings, vector store, retrieval, reranker, LLM, latency, cache, queue, database, \
trade-offs, evaluation.";

/// Fillers written the way a verbatim transcript writes them (the transcriber's primer).
const FILLER_PROMPT: &str = rehearse_stt::FILLER_PRIMER;

/// The paragraph of crates/stt/tests/it/transcribe_real_speech.rs (no fillers).
const CLEAN_PARAGRAPH: &str = "To design a chat service, we first clarify the requirements \
and the expected traffic. Reads dominate writes, so we put a cache in front of the database. \
We shard the messages by conversation, replicate each shard, and use a queue to deliver \
notifications.";

/// Carrier sentences in three parts; fillers go between them. None contains a filler word.
const CARRIERS: [[&str; 3]; 8] = [
    [
        "so the first thing",
        "I would do is clarify",
        "the requirements with the team",
    ],
    [
        "we need about fifty",
        "queries per second",
        "at the busiest hour",
    ],
    [
        "the cache sits",
        "in front of the database",
        "to keep reads fast",
    ],
    [
        "we split every document",
        "into small chunks",
        "before we embed them",
    ],
    [
        "the queue absorbs",
        "the spikes in traffic",
        "so the workers keep up",
    ],
    [
        "for the vector store",
        "I would start with one node",
        "and shard it later",
    ],
    [
        "the reranker improves",
        "the top five results",
        "at the cost of latency",
    ],
    [
        "we measure the recall",
        "on a fixed test set",
        "every time the model changes",
    ],
];

/// Hesitation spellings tried with espeak-ng (it says "um" and "uh" oddly, so variants too).
const HESITATIONS: [&str; 6] = ["um", "umm", "uh", "uhh", "erm", "er"];

/// Words in a transcript that count as a hesitation filler.
const HESITATION_WORDS: [&str; 11] = [
    "um", "umm", "uhm", "mm", "hmm", "uh", "uhh", "er", "erm", "ah", "eh",
];

const VOICES: [(&str, &str); 4] = [
    ("en-us", "150"),
    ("en+m3", "165"),
    ("en-us+f3", "140"),
    ("en", "175"),
];

struct Sample {
    text: String,
    /// The hesitation spelling used (twice) in this sample.
    hesitation: &'static str,
    voice: (&'static str, &'static str),
}

fn samples(n: usize) -> Vec<Sample> {
    (0..n)
        .map(|i| {
            let c = CARRIERS[i % CARRIERS.len()];
            let h = HESITATIONS[i % HESITATIONS.len()];
            // Fillers at the start, in the middle and before the end: 2 hesitations, 1 "like",
            // 1 "you know" per sample, in rotating places.
            let text = match i % 3 {
                0 => format!("{h}, {}, like, {}, {h}, {}, you know.", c[0], c[1], c[2]),
                1 => format!("you know, {}, {h}, {}, like, {}, {h}.", c[0], c[1], c[2]),
                _ => format!("{h}, {} {h}, {}, you know, like, {}.", c[0], c[1], c[2]),
            };
            Sample {
                text,
                hesitation: h,
                voice: VOICES[i % VOICES.len()],
            }
        })
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Counts {
    hesitation: (usize, usize),
    like: (usize, usize),
    you_know: (usize, usize),
    extra: usize,
}

/// (hesitations, likes, you-knows) in normalised words.
fn count_fillers(words: &[String]) -> (usize, usize, usize) {
    let hes = words
        .iter()
        .filter(|w| HESITATION_WORDS.contains(&w.as_str()))
        .count();
    let like = words.iter().filter(|w| *w == "like").count();
    let yk = words
        .windows(2)
        .filter(|w| w[0] == "you" && w[1] == "know")
        .count();
    (hes, like, yk)
}

fn without_fillers(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if i + 1 < words.len() && words[i] == "you" && words[i + 1] == "know" {
            i += 2;
            continue;
        }
        if !HESITATION_WORDS.contains(&words[i].as_str()) && words[i] != "like" {
            out.push(words[i].clone());
        }
        i += 1;
    }
    out
}

/// Wilson score interval, 95 %.
fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_964f64;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let den = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / den;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / den;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

fn fmt_rate(kept: usize, present: usize) -> String {
    let (lo, hi) = wilson(kept, present);
    format!(
        "{kept:>3}/{present:<3} = {:>5.1}%  [{:>5.1}, {:>5.1}]",
        100.0 * kept as f64 / present.max(1) as f64,
        lo * 100.0,
        hi * 100.0
    )
}

fn speak(text: &str, voice: (&str, &str), dir: &Path, name: &str) -> Vec<f32> {
    let raw = dir.join(format!("{name}.raw.wav"));
    let wav = dir.join(format!("{name}.wav"));
    let ok = Command::new("espeak-ng")
        .args(["-v", voice.0, "-s", voice.1, "-w"])
        .arg(&raw)
        .arg(text)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(ok, "espeak-ng failed (install espeak-ng)");
    let ok = Command::new("sox")
        .arg(&raw)
        .args(["-r", "16000", "-c", "1", "-b", "16"])
        .arg(&wav)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(ok, "sox failed (install sox)");
    let mut r = hound::WavReader::open(&wav).expect("sox wrote a WAV");
    r.samples::<i16>()
        .map(|s| s.map_or(0.0, |v| v as f32 / 32_768.0))
        .collect()
}

fn model_path(args: &[String]) -> PathBuf {
    if let Some(i) = args.iter().position(|a| a == "--model") {
        if let Some(p) = args.get(i + 1) {
            return PathBuf::from(p);
        }
    }
    let dir = std::env::var_os("REHEARSE_MODELS_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/rehearse/models"))
        })
        .unwrap_or_default();
    dir.join("ggml-tiny.en.bin")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n = args
        .iter()
        .position(|a| a == "--samples")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(24usize);
    let model = model_path(&args);
    let tmp = tempfile::tempdir().expect("temp dir");
    let set = samples(n);
    println!(
        "model {}; {n} samples, espeak-ng voices {VOICES:?}",
        model.display()
    );
    let audio: Vec<Vec<f32>> = set
        .iter()
        .enumerate()
        .map(|(i, s)| speak(&s.text, s.voice, tmp.path(), &format!("f{i}")))
        .collect();
    let clean = speak(CLEAN_PARAGRAPH, ("en", "175"), tmp.path(), "clean");
    let audio_s: f64 = audio.iter().map(|a| a.len() as f64 / 16_000.0).sum();
    println!("{audio_s:.0} s of speech with fillers\n");

    let settings: [(&str, Option<String>); 4] = [
        ("no prompt", None),
        (
            "vocabulary prompt (the default)",
            Some(VOCABULARY_PROMPT.to_string()),
        ),
        ("filler prompt", Some(FILLER_PROMPT.to_string())),
        (
            "filler + vocabulary prompt (the default)",
            Some(format!("{FILLER_PROMPT} {VOCABULARY_PROMPT}")),
        ),
    ];
    for (name, prompt) in settings {
        let options = WhisperOptions {
            threads: WhisperOptions::default().threads,
            initial_prompt: prompt,
            ..WhisperOptions::default()
        };
        let mut stt = WhisperStt::load(&model, options).unwrap_or_else(|e| panic!("{e}"));
        let started = std::time::Instant::now();
        let mut total = Counts::default();
        let mut by_spelling: Vec<(&str, usize, usize)> =
            HESITATIONS.iter().map(|h| (*h, 0, 0)).collect();
        let (mut other_errs, mut other_words) = (0usize, 0usize);
        let mut examples = Vec::new();
        for (s, a) in set.iter().zip(&audio) {
            let segs = stt.transcribe(a).unwrap_or_else(|e| panic!("{e}"));
            let hyp: String = segs
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let rw = normalized_words(&s.text);
            let hw = normalized_words(&hyp);
            let (rh, rl, ry) = count_fillers(&rw);
            let (hh, hl, hy) = count_fillers(&hw);
            total.hesitation.0 += rh.min(hh);
            total.hesitation.1 += rh;
            total.like.0 += rl.min(hl);
            total.like.1 += rl;
            total.you_know.0 += ry.min(hy);
            total.you_know.1 += ry;
            total.extra += hh.saturating_sub(rh) + hl.saturating_sub(rl) + hy.saturating_sub(ry);
            if let Some(b) = by_spelling.iter_mut().find(|b| b.0 == s.hesitation) {
                b.1 += rh.min(hh);
                b.2 += rh;
            }
            let r_other = without_fillers(&rw);
            let h_other = without_fillers(&hw);
            other_errs += rehearse_stt::wer::word_edit_distance(&r_other, &h_other);
            other_words += r_other.len();
            if examples.len() < 3 {
                examples.push(format!("    said: {}\n    got:  {}", s.text, hyp.trim()));
            }
        }
        let took = started.elapsed().as_secs_f64();
        let clean_hyp: String = stt
            .transcribe(&clean)
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let clean_wer = word_error_rate(CLEAN_PARAGRAPH, &clean_hyp);
        let kept = total.hesitation.0 + total.like.0 + total.you_know.0;
        let present = total.hesitation.1 + total.like.1 + total.you_know.1;
        println!(
            "== {name} ({took:.1} s for {audio_s:.0} s of audio, {:.1}x real time)",
            audio_s / took
        );
        println!("  all fillers     {}", fmt_rate(kept, present));
        println!(
            "  hesitations     {}",
            fmt_rate(total.hesitation.0, total.hesitation.1)
        );
        for (h, k, p) in &by_spelling {
            println!("    written {h:<5} {}", fmt_rate(*k, *p));
        }
        println!("  like            {}", fmt_rate(total.like.0, total.like.1));
        println!(
            "  you know        {}",
            fmt_rate(total.you_know.0, total.you_know.1)
        );
        println!("  fillers not said but written: {}", total.extra);
        println!(
            "  WER on the other words: {:.1}% ({other_errs}/{other_words})",
            100.0 * other_errs as f64 / other_words.max(1) as f64
        );
        println!(
            "  WER on the real-speech test paragraph: {:.1}%",
            clean_wer * 100.0
        );
        for e in examples {
            println!("{e}");
        }
        println!();
    }
}
