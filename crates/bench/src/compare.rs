//! The figures `rehearse-bench stt` compares: each engine's runs per file, matched by name to
//! what was said, as word error rate, dropped speech, time and CPU time, in a table.

use anyhow::{bail, Context, Result};
use rehearse_stt::wer::{dropped_stretches_s, normalized_words, word_edit_distance};
use serde::{Deserialize, Serialize};

/// One file's figures for one engine.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileRun {
    pub name: String,
    pub audio_s: f64,
    /// Every batch run's transcription time (model loading excluded).
    pub transcribe_s: Vec<f64>,
    /// The CPU time (all threads) of each run: the work done, whatever else the machine
    /// was doing (wall time on a shared 2-core machine depends on the neighbours).
    #[serde(default)]
    pub cpu_s: Vec<f64>,
    pub text: String,
}

impl FileRun {
    /// The fastest run: on a shared machine, the one least disturbed.
    pub fn best_s(&self) -> f64 {
        self.transcribe_s
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
    }

    /// The least CPU time of the runs, if measured.
    pub fn best_cpu_s(&self) -> Option<f64> {
        self.cpu_s.iter().copied().reduce(f64::min)
    }
}

/// What scripts/bench/faster_whisper_bench.py writes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TheirRun {
    pub engine: String,
    pub version: String,
    pub compute_type: String,
    pub threads: usize,
    pub beam_size: usize,
    pub load_s: f64,
    pub peak_rss_mb: f64,
    pub files: Vec<FileRun>,
}

/// Streaming figures for one file, fed in real time.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StreamRun {
    pub name: String,
    pub audio_s: f64,
    /// From the end of the last speech in the file to the last final text (the candidate
    /// stops talking and presses Stop): only the tail is left to transcribe.
    pub final_after_stop_s: f64,
    /// For finals that arrived during the answer (after a pause): from the end of the speech
    /// before the pause to its final text. Includes the pause detector's wait
    /// (`end_silence_s`) by design.
    pub final_after_pause_s: Vec<f64>,
    /// For each partial: how far the audio it covers is behind the stream when it arrives.
    pub partial_lag_s: Vec<f64>,
    pub text: String,
}

/// One row of the comparison table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Row {
    pub name: String,
    pub audio_s: f64,
    pub ref_words: usize,
    pub ours_s: f64,
    pub ours_rtf: f64,
    pub ours_errors: usize,
    pub ours_cpu_s: Option<f64>,
    pub theirs_cpu_s: Option<f64>,
    pub theirs_s: Option<f64>,
    pub theirs_rtf: Option<f64>,
    pub theirs_errors: Option<usize>,
    /// Seconds of reference speech with no transcript at all (see [`dropped_seconds`]).
    pub ours_dropped_s: f64,
    pub theirs_dropped_s: Option<f64>,
}

impl Row {
    pub fn ours_wer(&self) -> f64 {
        rate(self.ours_errors, self.ref_words)
    }
    pub fn theirs_wer(&self) -> Option<f64> {
        self.theirs_errors.map(|e| rate(e, self.ref_words))
    }
    /// Our time over theirs: below 1.0 we are faster.
    pub fn ratio(&self) -> Option<f64> {
        self.theirs_s.map(|t| self.ours_s / t)
    }
    /// Our CPU time over theirs.
    pub fn cpu_ratio(&self) -> Option<f64> {
        Some(self.ours_cpu_s? / self.theirs_cpu_s?)
    }
}

pub fn rate(errors: usize, words: usize) -> f64 {
    if words == 0 {
        0.0
    } else {
        errors as f64 / words as f64
    }
}

/// The whole comparison: per file and over all files.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Comparison {
    pub rows: Vec<Row>,
    pub total: Row,
}

/// What was said in one file: its words and how many seconds of voice carry them.
#[derive(Debug, Clone)]
pub struct Reference {
    pub name: String,
    pub text: String,
    /// Seconds of the file in which the voice detector hears a voice.
    pub voiced_s: f64,
}

/// Seconds of reference speech with no transcript at all
/// (`rehearse_stt::wer::dropped_stretches_s`, summed).
pub fn dropped_seconds(reference: &str, transcript: &str, voiced_s: f64) -> f64 {
    // `+ 0.0`: a float sum of nothing is -0.0, which prints as "-0.0".
    dropped_stretches_s(reference, transcript, voiced_s)
        .into_iter()
        .sum::<f64>()
        + 0.0
}

/// Files are matched by name; WER is the edit distance over the reference words, summed over
/// files (so long files weigh more, as they should). A file faster-whisper did not transcribe
/// is an error.
pub fn compare(
    references: &[Reference],
    ours: &[FileRun],
    theirs: Option<&TheirRun>,
) -> Result<Comparison> {
    let mut rows = Vec::new();
    for Reference {
        name,
        text: reference,
        voiced_s,
    } in references
    {
        let Some(o) = ours.iter().find(|r| &r.name == name) else {
            bail!("no result of ours for {name}");
        };
        let t = match theirs {
            Some(t) => Some(
                t.files
                    .iter()
                    .find(|r| &r.name == name)
                    .with_context(|| format!("faster-whisper's results have no file {name}"))?,
            ),
            None => None,
        };
        let r = normalized_words(reference);
        let errors = |text: &str| word_edit_distance(&r, &normalized_words(text));
        rows.push(Row {
            name: name.clone(),
            audio_s: o.audio_s,
            ref_words: r.len(),
            ours_s: o.best_s(),
            ours_rtf: o.best_s() / o.audio_s.max(f64::EPSILON),
            ours_errors: errors(&o.text),
            ours_cpu_s: o.best_cpu_s(),
            theirs_cpu_s: t.and_then(FileRun::best_cpu_s),
            theirs_s: t.map(FileRun::best_s),
            theirs_rtf: t.map(|t| t.best_s() / t.audio_s.max(f64::EPSILON)),
            theirs_errors: t.map(|t| errors(&t.text)),
            ours_dropped_s: dropped_seconds(reference, &o.text, *voiced_s),
            theirs_dropped_s: t.map(|t| dropped_seconds(reference, &t.text, *voiced_s)),
        });
    }
    let audio_s: f64 = rows.iter().map(|r| r.audio_s).sum();
    let ours_s: f64 = rows.iter().map(|r| r.ours_s).sum();
    let theirs_s = theirs.map(|_| rows.iter().filter_map(|r| r.theirs_s).sum::<f64>());
    let sum_all = |f: fn(&Row) -> Option<f64>| rows.iter().map(f).sum::<Option<f64>>();
    let ours_cpu_s = sum_all(|r| r.ours_cpu_s);
    let theirs_cpu_s = sum_all(|r| r.theirs_cpu_s);
    let total = Row {
        name: "all".into(),
        audio_s,
        ref_words: rows.iter().map(|r| r.ref_words).sum(),
        ours_s,
        ours_rtf: ours_s / audio_s.max(f64::EPSILON),
        ours_errors: rows.iter().map(|r| r.ours_errors).sum(),
        ours_cpu_s,
        theirs_cpu_s,
        theirs_s,
        theirs_rtf: theirs_s.map(|t| t / audio_s.max(f64::EPSILON)),
        theirs_errors: theirs.map(|_| rows.iter().filter_map(|r| r.theirs_errors).sum()),
        ours_dropped_s: rows.iter().map(|r| r.ours_dropped_s).sum(),
        theirs_dropped_s: theirs.map(|_| rows.iter().filter_map(|r| r.theirs_dropped_s).sum()),
    };
    Ok(Comparison { rows, total })
}

pub fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or_else(|| "-".to_string(), f)
}

/// The comparison as a plain-text table.
pub fn render_table(c: &Comparison) -> String {
    let mut out = format!(
        "{:<10} {:>7} {:>6} | {:>8} {:>6} {:>6} {:>6} | {:>8} {:>6} {:>6} {:>6} | {:>6} {:>9}\n",
        "file",
        "audio s",
        "words",
        "ours s",
        "RTF",
        "WER",
        "drop s",
        "fw s",
        "RTF",
        "WER",
        "drop s",
        "ratio",
        "cpu ratio"
    );
    for r in c.rows.iter().chain(std::iter::once(&c.total)) {
        out.push_str(&format!(
            "{:<10} {:>7.1} {:>6} | {:>8.2} {:>6.3} {:>5.1}% {:>6.1} | {:>8} {:>6} {:>6} {:>6} | {:>6} {:>9}\n",
            r.name,
            r.audio_s,
            r.ref_words,
            r.ours_s,
            r.ours_rtf,
            100.0 * r.ours_wer(),
            r.ours_dropped_s,
            opt(r.theirs_s, |v| format!("{v:.2}")),
            opt(r.theirs_rtf, |v| format!("{v:.3}")),
            opt(r.theirs_wer(), |v| format!("{:.1}%", 100.0 * v)),
            opt(r.theirs_dropped_s, |v| format!("{v:.1}")),
            opt(r.ratio(), |v| format!("{v:.2}")),
            opt(r.cpu_ratio(), |v| format!("{v:.2}")),
        ));
    }
    out
}

/// Median and maximum, `None` for no values.
pub fn median_max(values: &[f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    let median = if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    };
    Some((median, v[v.len() - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn their_json() -> &'static str {
        r#"{"engine": "faster-whisper", "version": "1.2.1", "compute_type": "int8",
            "threads": 1, "beam_size": 1, "load_s": 0.41, "peak_rss_mb": 231.5,
            "files": [
              {"name": "a", "audio_s": 10.0, "transcribe_s": [1.2, 1.0], "cpu_s": [1.1, 0.9],
               "text": "We shard by user ID."},
              {"name": "b", "audio_s": 30.0, "transcribe_s": [2.5], "cpu_s": [2.6],
               "text": "then a queue"}
            ]}"#
    }

    #[test]
    fn reads_faster_whisper_output_and_compares_by_file() {
        let theirs: TheirRun = serde_json::from_str(their_json()).unwrap();
        assert_eq!(theirs.files[0].best_s(), 1.0);
        let ours = vec![
            FileRun {
                name: "b".into(),
                audio_s: 30.0,
                transcribe_s: vec![3.0, 5.0],
                cpu_s: vec![2.0, 4.0],
                text: "then the queue".into(),
            },
            FileRun {
                name: "a".into(),
                audio_s: 10.0,
                transcribe_s: vec![0.5],
                cpu_s: vec![0.5],
                text: "we shard by user id".into(),
            },
        ];
        let reference = |name: &str, text: &str| Reference {
            name: name.into(),
            text: text.into(),
            voiced_s: 6.0,
        };
        let refs = vec![
            reference("a", "We shard by user id."),
            reference("b", "Then a queue, um, in front."),
        ];
        let c = compare(&refs, &ours, Some(&theirs)).unwrap();
        assert_eq!(c.rows[0].name, "a");
        assert_eq!(c.rows[0].ours_errors, 0);
        assert_eq!(c.rows[0].ratio(), Some(0.5));
        // b: 6 reference words; ours: "a"->"the" + 3 deleted = 4; theirs: 3 deleted.
        assert_eq!(c.rows[1].ref_words, 6);
        assert_eq!(c.rows[1].ours_errors, 4);
        assert_eq!(c.rows[1].theirs_errors, Some(3));
        assert_eq!(c.total.ref_words, 11);
        assert_eq!(c.total.ours_s, 3.5);
        assert_eq!(c.total.theirs_s, Some(3.5));
        assert_eq!(c.total.ratio(), Some(1.0));
        assert_eq!(c.rows[0].cpu_ratio(), Some(0.5 / 0.9));
        assert_eq!(c.total.ours_cpu_s, Some(2.5));
        assert_eq!(c.total.theirs_cpu_s, Some(3.5));
        assert!((c.total.ours_wer() - 4.0 / 11.0).abs() < 1e-12);
        assert!((c.total.theirs_wer().unwrap() - 3.0 / 11.0).abs() < 1e-12);
        let table = render_table(&c);
        assert_eq!(table.lines().count(), 4, "{table}");
        assert!(table.lines().last().unwrap().starts_with("all"), "{table}");
        assert!(table.contains("36.4%"), "{table}");
        // b: "um in front" left out by both, 3 of 6 words at 1 s a word; a: nothing.
        assert_eq!(c.rows[0].ours_dropped_s, 0.0);
        assert_eq!(c.rows[1].ours_dropped_s, 3.0);
        assert_eq!(c.rows[1].theirs_dropped_s, Some(3.0));
        assert_eq!(c.total.ours_dropped_s, 3.0);
    }

    #[test]
    fn a_file_missing_on_their_side_is_an_error_not_a_silent_gap() {
        let theirs: TheirRun = serde_json::from_str(their_json()).unwrap();
        let ours = vec![FileRun {
            name: "c".into(),
            audio_s: 1.0,
            transcribe_s: vec![0.1],
            cpu_s: vec![],
            text: String::new(),
        }];
        let refs = vec![Reference {
            name: "c".into(),
            text: "x".into(),
            voiced_s: 0.5,
        }];
        assert!(compare(&refs, &ours, Some(&theirs)).is_err());
        // Without their figures the table still renders, with dashes.
        let c = compare(&refs, &ours, None).unwrap();
        assert_eq!(c.rows[0].ratio(), None);
        assert!(render_table(&c).contains(" - "));
    }

    #[test]
    fn malformed_faster_whisper_output_is_rejected() {
        assert!(serde_json::from_str::<TheirRun>(r#"{"engine": "faster-whisper"}"#).is_err());
        assert!(serde_json::from_str::<TheirRun>("not json").is_err());
    }

    #[test]
    fn median_and_max() {
        assert_eq!(median_max(&[]), None);
        assert_eq!(median_max(&[3.0, 1.0, 2.0]), Some((2.0, 3.0)));
        assert_eq!(median_max(&[4.0, 1.0, 2.0, 3.0]), Some((2.5, 4.0)));
    }
}
