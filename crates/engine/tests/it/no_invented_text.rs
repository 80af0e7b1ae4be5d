//! No invented text: silence and background noise must produce no transcript, and speech with
//! long pauses must not come back with repeated sentences. Everything goes through
//! `Engine::practice_file`, i.e. the pause detection and whisper settings a live session uses,
//! with the real installed model (ignored by default like the other real-model tests; CI runs
//! them with --include-ignored).

use rehearse_engine::{Engine, EnginePaths, EngineSettings};
use rehearse_stt::wer::word_error_rate;
use std::path::Path;
use std::process::Command;

const RATE: u32 = 16_000;

fn engine(dir: &Path) -> Engine {
    let models = rehearse_testkit::models_dir();
    let mut paths = EnginePaths::new(dir.to_path_buf());
    paths.models_dir = models;
    Engine::new(paths, EngineSettings::default()).unwrap()
}

fn write_wav(path: &Path, samples: &[f32]) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for s in samples {
        w.write_sample((s.clamp(-1.0, 1.0) * 32_767.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
}

/// Seeded xorshift white noise in [-1, 1].
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }
}

fn scale_to_rms(mut v: Vec<f32>, rms: f32) -> Vec<f32> {
    let now = (v.iter().map(|s| s * s).sum::<f32>() / v.len() as f32).sqrt();
    for s in &mut v {
        *s *= rms / now;
    }
    v
}

fn white(secs: f32, rms: f32, seed: u64) -> Vec<f32> {
    let mut r = Rng(seed);
    scale_to_rms(
        (0..(secs * RATE as f32) as usize)
            .map(|_| r.next())
            .collect(),
        rms,
    )
}

/// Pink (1/f) noise, Paul Kellet's filter over white noise.
fn pink(secs: f32, rms: f32, seed: u64) -> Vec<f32> {
    let mut r = Rng(seed);
    let mut b = [0f32; 7];
    let v = (0..(secs * RATE as f32) as usize)
        .map(|_| {
            let w = r.next();
            b[0] = 0.99886 * b[0] + w * 0.0555179;
            b[1] = 0.99332 * b[1] + w * 0.0750759;
            b[2] = 0.96900 * b[2] + w * 0.153_852;
            b[3] = 0.86650 * b[3] + w * 0.3104856;
            b[4] = 0.55000 * b[4] + w * 0.5329522;
            b[5] = -0.7616 * b[5] - w * 0.0168980;
            let out = b.iter().sum::<f32>() + w * 0.5362;
            b[6] = w * 0.115926;
            out
        })
        .collect();
    scale_to_rms(v, rms)
}

/// Brown (1/f^2) noise: leaky integrated white noise (a rumble, like a fan or traffic).
fn brown(secs: f32, rms: f32, seed: u64) -> Vec<f32> {
    let mut r = Rng(seed);
    let mut acc = 0f32;
    let v = (0..(secs * RATE as f32) as usize)
        .map(|_| {
            acc = 0.998 * acc + 0.02 * r.next();
            acc
        })
        .collect();
    scale_to_rms(v, rms)
}

fn dbfs(db: f32) -> f32 {
    10f32.powf(db / 20.0)
}

#[test]
#[ignore = "needs the installed speech model: run `bash scripts/test.sh`"]
fn thirty_seconds_of_silence_or_noise_give_no_text() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(&tmp.path().join("data"));
    let mut cases: Vec<(&str, Vec<f32>)> = vec![("digital silence", vec![0.0; 30 * RATE as usize])];
    // A quiet room's hiss up to a loud fan: -50 to -30 dBFS RMS.
    for (db, seed) in [(-50.0, 1), (-40.0, 2), (-30.0, 3)] {
        cases.push(("white noise", white(30.0, dbfs(db), seed)));
        cases.push(("pink noise", pink(30.0, dbfs(db), seed + 10)));
        cases.push(("brown noise", brown(30.0, dbfs(db), seed + 20)));
    }
    let mut invented = Vec::new();
    for (i, (name, samples)) in cases.iter().enumerate() {
        let wav = tmp.path().join(format!("case{i}.wav"));
        write_wav(&wav, samples);
        let report = engine.practice_file("doc-qa-10k", &wav).unwrap();
        let rms = (samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32).sqrt();
        let db = 20.0 * rms.max(1e-9).log10();
        eprintln!(
            "{name} at {db:.0} dBFS: {} segments {:?}",
            report.transcript.segments.len(),
            report
                .transcript
                .segments
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
        );
        if !report.transcript.segments.is_empty() {
            invented.push(format!(
                "{name} at {db:.0} dBFS: {:?}",
                report.transcript.segments
            ));
        }
    }
    assert!(invented.is_empty(), "text from no speech: {invented:#?}");
}

fn espeak_16k(text: &str, dir: &Path, name: &str) -> Vec<f32> {
    let raw = dir.join(format!("{name}.raw.wav"));
    let wav = dir.join(format!("{name}.wav"));
    rehearse_testkit::speak_to_wav(text, &raw);
    let ok = Command::new("sox")
        .arg(&raw)
        .args(["-r", "16000", "-c", "1", "-b", "16"])
        .arg(&wav)
        .status()
        .expect("sox is installed by scripts/test.sh")
        .success();
    assert!(ok);
    let mut r = hound::WavReader::open(&wav).unwrap();
    r.samples::<i16>()
        .map(|s| s.unwrap() as f32 / 32_768.0)
        .collect()
}

const SENTENCES: [&str; 5] = [
    "First, I would clarify the requirements and the expected traffic.",
    "Reads dominate writes, so we put a cache in front of the database.",
    "We shard the messages by conversation and replicate each shard.",
    "A queue delivers the notifications to the phones.",
    "Finally, we monitor the latency and the error rate.",
];

fn normalise(t: &str) -> String {
    t.chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

// Measured on tiny.en with the vocabulary prompt: see the figure printed by the test and the
// report in the pull request. The bound leaves room for espeak-ng/whisper.cpp drift; a repeat
// loop or text invented in the pauses adds whole sentences and breaks it.
const MAX_WER_WITH_PAUSES: f64 = 0.30;

#[test]
#[ignore = "needs the installed speech model and espeak-ng: run `bash scripts/test.sh`"]
fn speech_with_long_pauses_has_no_repeated_sentences() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(&tmp.path().join("data"));
    // 6 to 8 s of quiet room noise (-50 dBFS pink) between sentences.
    let mut audio = pink(1.0, dbfs(-50.0), 7);
    for (i, s) in SENTENCES.iter().enumerate() {
        audio.extend(espeak_16k(s, tmp.path(), &format!("s{i}")));
        let pause = 6.0 + (i % 3) as f32;
        audio.extend(pink(pause, dbfs(-50.0), 100 + i as u64));
    }
    let wav = tmp.path().join("pauses.wav");
    write_wav(&wav, &audio);
    let report = engine.practice_file("doc-qa-10k", &wav).unwrap();
    let texts: Vec<String> = report
        .transcript
        .segments
        .iter()
        .map(|s| s.text.clone())
        .collect();
    eprintln!("{} s of audio -> {texts:#?}", audio.len() / RATE as usize);
    let mut seen = std::collections::HashSet::new();
    for t in &texts {
        let n = normalise(t);
        assert!(seen.insert(n.clone()), "repeated: {t:?} in {texts:#?}");
    }
    let hyp = texts.join(" ");
    let reference = SENTENCES.join(" ");
    let wer = word_error_rate(&reference, &hyp);
    eprintln!("WER with long pauses: {:.1}%", wer * 100.0);
    assert!(wer <= MAX_WER_WITH_PAUSES, "WER {wer:.3}: {hyp}");
    // Nothing was placed inside a pause: every segment starts within a spoken sentence's span.
    let total_words_ref = reference.split_whitespace().count();
    let total_words_hyp = hyp.split_whitespace().count();
    assert!(
        total_words_hyp <= total_words_ref + total_words_ref / 5,
        "{total_words_hyp} words for {total_words_ref} spoken: {hyp}"
    );
}

#[test]
#[ignore = "needs the installed speech model and espeak-ng: run `bash scripts/test.sh`"]
fn speech_in_steady_noise_is_still_transcribed() {
    // The steady-noise gate must not throw away speech in a noisy room: two sentences over
    // pink noise at -35 dBFS (a loud fan), noise running throughout.
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(&tmp.path().join("data"));
    let mut speech = espeak_16k(SENTENCES[1], tmp.path(), "a");
    speech.extend(vec![0.0; RATE as usize]);
    speech.extend(espeak_16k(SENTENCES[4], tmp.path(), "b"));
    let mut audio = pink(
        2.0 + speech.len() as f32 / RATE as f32 + 2.0,
        dbfs(-35.0),
        42,
    );
    for (i, s) in speech.iter().enumerate() {
        audio[2 * RATE as usize + i] += s;
    }
    let wav = tmp.path().join("noisy.wav");
    write_wav(&wav, &audio);
    let report = engine.practice_file("doc-qa-10k", &wav).unwrap();
    let hyp: String = report
        .transcript
        .segments
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let reference = format!("{} {}", SENTENCES[1], SENTENCES[4]);
    let wer = word_error_rate(&reference, &hyp);
    eprintln!(
        "speech over -35 dBFS pink noise: WER {:.1}%: {hyp}",
        wer * 100.0
    );
    assert!(wer <= 0.5, "WER {wer:.3}: {hyp}");
}

/// Real people (`tests/speech-real/`: a head cold and a long pause, a sentence spoken mostly
/// below -50 dBFS, fillers and restarts, read speech), each with the words said.
fn real_voices() -> Vec<(String, Vec<f32>, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/speech-real");
    let mut clips: Vec<(String, Vec<f32>, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let samples = rehearse_audio::read_wav_16k_mono(&p).unwrap().samples;
            let said = std::fs::read_to_string(p.with_extension("txt")).unwrap();
            (name, samples, said)
        })
        .collect();
    clips.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        clips.len() >= 6,
        "the real voices are missing from {}",
        dir.display()
    );
    clips
}

/// No stretch of 2 s or more of what a person said may come back without any transcript
/// (an energy gate used to drop whole sentences of quiet or hoarse speech).
const MAX_DROPPED_STRETCH_S: f64 = 2.0;

/// Word error rate over all the real clips (133 reference words). Measured: 12.8% through the
/// file path, 12.0% through the live path (docs/benchmarks.md has the 18-clip figures, with
/// faster-whisper's beside them); the energy gate before the voice detector lost most of
/// `mfa_thoughts` and the middle of `mfa_cold_corpus`.
const MAX_REAL_VOICES_WER: f64 = 0.18;

fn check_nothing_dropped(path: &str, clips: &[(String, Vec<f32>, String)], heard: &[String]) {
    let (mut errors, mut words) = (0usize, 0usize);
    for ((name, samples, said), text) in clips.iter().zip(heard) {
        let voiced = rehearse_stt::gate::voiced_seconds(samples);
        let dropped = rehearse_stt::wer::dropped_stretches_s(said, text, voiced);
        let reference = rehearse_stt::wer::normalized_words(said);
        let wrong = rehearse_stt::wer::word_edit_distance(
            &reference,
            &rehearse_stt::wer::normalized_words(text),
        );
        eprintln!(
            "{path} {name}: {wrong}/{} wrong, dropped {dropped:?} s: {text}",
            reference.len()
        );
        assert!(
            dropped.iter().all(|&s| s < MAX_DROPPED_STRETCH_S),
            "{path}: {name} lost {dropped:?} s of speech.\nsaid:  {said}\nheard: {text}"
        );
        errors += wrong;
        words += reference.len();
    }
    let wer = errors as f64 / words as f64;
    eprintln!(
        "{path}: WER on real voices {:.1}% ({errors}/{words})",
        100.0 * wer
    );
    assert!(
        wer <= MAX_REAL_VOICES_WER,
        "{path}: WER {wer:.3} on real voices"
    );
}

#[test]
#[ignore = "needs the installed speech model: run `bash scripts/test.sh`"]
fn real_voices_lose_no_speech_through_the_file_path() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = engine(&tmp.path().join("data"));
    let clips = real_voices();
    let heard: Vec<String> = clips
        .iter()
        .map(|(name, samples, _)| {
            let wav = tmp.path().join(format!("{name}.wav"));
            write_wav(&wav, samples);
            let report = engine.practice_file("doc-qa-10k", &wav).unwrap();
            report
                .transcript
                .segments
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    check_nothing_dropped("file path", &clips, &heard);
}

#[test]
#[ignore = "needs the installed speech model: run `bash scripts/test.sh`"]
fn real_voices_lose_no_speech_through_the_live_path() {
    use rehearse_engine::stream::{LiveTranscriber, StreamConfig, SttEvent};
    let clips = real_voices();
    let settings = EngineSettings::default();
    let heard: Vec<String> = clips
        .iter()
        .map(|(_, samples, _)| {
            let options = rehearse_stt::WhisperOptions {
                threads: 1,
                initial_prompt: settings.whisper_prompt.clone(),
                ..rehearse_stt::WhisperOptions::default()
            };
            let stt =
                rehearse_stt::WhisperStt::load(&rehearse_testkit::installed_tiny_en(), options)
                    .unwrap();
            // Partials off and fed at full speed: a final depends only on where the pieces
            // are cut, which is the same as in real time.
            let config = StreamConfig {
                partial_every_s: f64::INFINITY,
                ..StreamConfig::default()
            };
            let (mut live, events) = LiveTranscriber::start(Box::new(stt), config).unwrap();
            for chunk in samples.chunks(320) {
                live.push(chunk);
            }
            let mut got: Vec<SttEvent> = live.finish();
            got.extend(events.try_iter());
            let mut finals: Vec<(f64, String)> = got
                .into_iter()
                .filter_map(|e| match e {
                    SttEvent::Final { t0, segments, .. } => Some((
                        t0,
                        segments
                            .iter()
                            .map(|s| s.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    )),
                    _ => None,
                })
                .collect();
            finals.sort_by(|a, b| a.0.total_cmp(&b.0));
            finals
                .into_iter()
                .map(|(_, t)| t)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    check_nothing_dropped("live path", &clips, &heard);
}
