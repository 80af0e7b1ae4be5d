//! Word confidences on real voices, through the app's file path (`Engine::practice_file`:
//! pause detection, whisper, the sessions database and back): every word carries one in
//! (0, 1], and a low one predicts a word heard wrong. Prints, for a few thresholds, the share
//! of wrong words and of right words below it (docs/benchmarks.md, "Uncertain words").
//! Runs `tests/speech-real/` by default; `REHEARSE_SPEECH_SET=DIR` runs another folder of
//! WAVs with reference `.txt` files beside them (e.g. the 18 clips in ../shared/speech-real).
//! Ignored by default like the other real-model tests.

use rehearse_core::{Word, UNCERTAIN_BELOW};
use rehearse_engine::{Engine, EnginePaths, EngineSettings};
use rehearse_stt::wer::{hypothesis_matches, normalized_words};
use std::path::{Path, PathBuf};

fn speech_set() -> PathBuf {
    std::env::var_os("REHEARSE_SPEECH_SET")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/speech-real"))
}

/// Each transcript word with whether it was heard right: a word is right when every
/// normalised piece of it ("GPT-4" is two) lines up with the same reference word.
fn judged_words(reference: &str, words: &[Word]) -> Vec<(Word, bool)> {
    let mut owner = Vec::new();
    let mut pieces = Vec::new();
    for (i, w) in words.iter().enumerate() {
        for piece in normalized_words(&w.text) {
            owner.push(i);
            pieces.push(piece);
        }
    }
    let matches = hypothesis_matches(&normalized_words(reference), &pieces);
    let mut right = vec![true; words.len()];
    for (&i, ok) in owner.iter().zip(matches) {
        right[i] &= ok;
    }
    words.iter().cloned().zip(right).collect()
}

#[test]
#[ignore = "needs the installed speech model: run `bash scripts/test.sh`"]
fn low_confidence_predicts_words_heard_wrong_on_real_voices() {
    let dir = speech_set();
    let tmp = tempfile::tempdir().unwrap();
    let mut paths = EnginePaths::new(tmp.path().join("data"));
    paths.models_dir = rehearse_testkit::models_dir();
    let engine = Engine::new(paths, EngineSettings::default()).unwrap();
    let mut wavs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .collect();
    wavs.sort();
    assert!(wavs.len() >= 6, "too few clips in {}", dir.display());
    let mut judged: Vec<(Word, bool)> = Vec::new();
    for wav in &wavs {
        let reference = std::fs::read_to_string(wav.with_extension("txt")).unwrap();
        let report = engine.practice_file("doc-qa-10k", wav).unwrap();
        let words: Vec<Word> = report
            .transcript
            .segments
            .iter()
            .flat_map(|s| s.words.iter().cloned())
            .collect();
        for w in &words {
            assert!(
                w.p.is_some_and(|p| p > 0.0 && p <= 1.0),
                "{}: {w:?} has no confidence in (0, 1]",
                wav.display()
            );
        }
        let clip = judged_words(&reference, &words);
        let shown: Vec<String> = clip
            .iter()
            .map(|(w, ok)| {
                let p = w.p.unwrap_or(1.0);
                if *ok {
                    format!("{}({p:.2})", w.text)
                } else {
                    format!("*{}*({p:.2})", w.text)
                }
            })
            .collect();
        eprintln!(
            "{}: {}",
            wav.file_stem().unwrap().to_string_lossy(),
            shown.join(" ")
        );
        judged.extend(clip);
    }
    let wrong: Vec<f32> = judged
        .iter()
        .filter(|(_, ok)| !ok)
        .filter_map(|(w, _)| w.p)
        .collect();
    let right: Vec<f32> = judged
        .iter()
        .filter(|(_, ok)| *ok)
        .filter_map(|(w, _)| w.p)
        .collect();
    let below = |ps: &[f32], t: f32| ps.iter().filter(|&&p| p < t).count();
    eprintln!(
        "{} clips, {} words: {} heard right, {} wrong",
        wavs.len(),
        judged.len(),
        right.len(),
        wrong.len()
    );
    eprintln!("| p below | wrong words below | right words below | wrong among those below |");
    eprintln!("| --- | --- | --- | --- |");
    for t in [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8] {
        let (w, r) = (below(&wrong, t), below(&right, t));
        eprintln!(
            "| {t:.1} | {w}/{} ({:.0} %) | {r}/{} ({:.1} %) | {:.0} % |",
            wrong.len(),
            100.0 * w as f64 / wrong.len().max(1) as f64,
            right.len(),
            100.0 * r as f64 / right.len().max(1) as f64,
            100.0 * w as f64 / (w + r).max(1) as f64,
        );
    }
    // The chance that a wrong word has a lower confidence than a right one (ROC AUC; 0.5 is
    // no signal): a summary that needs no threshold.
    let pairs = wrong.len() * right.len();
    let lower: f64 = wrong
        .iter()
        .flat_map(|w| right.iter().map(move |r| (w, r)))
        .map(|(w, r)| match w.total_cmp(r) {
            std::cmp::Ordering::Less => 1.0,
            std::cmp::Ordering::Equal => 0.5,
            std::cmp::Ordering::Greater => 0.0,
        })
        .sum();
    eprintln!("AUC {:.3}", lower / pairs.max(1) as f64);
    // The threshold must separate: a larger share of the wrong words below it than of the
    // right ones (by a clear margin), or dimming words says nothing.
    let wrong_share = below(&wrong, UNCERTAIN_BELOW) as f64 / wrong.len().max(1) as f64;
    let right_share = below(&right, UNCERTAIN_BELOW) as f64 / right.len().max(1) as f64;
    assert!(
        !wrong.is_empty() && wrong_share >= 3.0 * right_share && wrong_share > 0.2,
        "below {UNCERTAIN_BELOW}: {wrong_share:.2} of wrong words, {right_share:.2} of right ones"
    );
}

#[test]
fn words_are_judged_against_the_reference_piece_by_piece() {
    let word = |text: &str| Word {
        text: text.into(),
        ..Word::default()
    };
    let judged = judged_words(
        "we call GPT-4 with backoff",
        &[
            word("We"),
            word("call"),
            word("GPT-4"),
            word("with"),
            word("Macov."),
        ],
    );
    let right: Vec<bool> = judged.iter().map(|(_, ok)| *ok).collect();
    assert_eq!(right, [true, true, true, true, false]);
}
