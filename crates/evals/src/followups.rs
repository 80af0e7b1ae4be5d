//! The follow-up benchmark: answer moments (the answer so far, a board, the clock) with the
//! questions a strong interviewer would accept first (`evals/followups/moments/*.toml`), run
//! through the offline interviewer at the pause.

use crate::transcript::segments_of;
use rehearse_content::Content;
use rehearse_core::{normalize_for_match, BoardGraph, DimensionId, Segment};
use rehearse_interviewer::{
    board_probes, find_red_flags, transition_line, InterviewerConfig, OfflineInterviewer,
};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What should come first at the moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// A confident misconception or implausible number was said: challenge it.
    Challenge,
    /// The board shows a gap the words did not address: ask about it.
    Board,
    /// Otherwise: ask about something important that is missing.
    Gap,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MomentFile {
    prompt: String,
    #[serde(default)]
    board: Option<String>,
    elapsed_s: f64,
    expect: Expect,
    acceptable: Vec<DimensionId>,
    #[serde(default)]
    noise: Vec<String>,
    #[serde(default)]
    note: String,
    text: String,
}

/// What the interviewer asked at one moment.
#[derive(Debug, Clone, Serialize)]
pub struct MomentResult {
    pub id: String,
    pub expect: Expect,
    pub question: Option<String>,
    pub targets: Vec<DimensionId>,
    /// The question's dimension is one the reference accepts.
    pub acceptable: bool,
    /// The question is of the expected kind (a challenge, a board probe, or neither).
    pub right_kind: bool,
    /// The question quotes a word the reference marks as transcription noise.
    pub quotes_noise: bool,
    /// Questions asked twice over four more pauses of the same session.
    pub repeats: usize,
    /// Why the reference expects what it does (from the moment's file).
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FollowUpReport {
    pub moments: usize,
    pub acceptable: usize,
    pub right_kind: usize,
    pub noise_quotes: usize,
    pub repeats: usize,
    pub results: Vec<MomentResult>,
}

#[derive(Debug, thiserror::Error)]
pub enum FollowUpError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// The repository's follow-up moments.
pub fn repository_moments_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../evals/followups/moments")
}

/// Where board fixtures named by moments live.
fn boards_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../board/tests/fixtures")
}

fn read_board(path: &Path) -> Result<BoardGraph, FollowUpError> {
    let scene = std::fs::read_to_string(path).map_err(|source| FollowUpError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    rehearse_board::scene_to_graph(&scene).map_err(|e| FollowUpError::Invalid {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// The answer so far, its last word said a pause before `elapsed_s`.
fn timed(text: &str, elapsed_s: f64, pause_s: f64) -> Vec<Segment> {
    let mut segs = segments_of(text);
    let end = segs.last().map_or(0.0, |s| s.t1);
    let shift = (elapsed_s - pause_s - end).max(0.0);
    for s in &mut segs {
        s.t0 += shift;
        s.t1 += shift;
    }
    segs
}

/// The fragments a question quotes.
fn quoted(question: &str) -> Vec<&str> {
    question
        .split(['"', '\u{201c}', '\u{201d}'])
        .skip(1)
        .step_by(2)
        .collect()
}

fn run_moment(
    content: &Content,
    id: String,
    file: &MomentFile,
    path: &Path,
) -> Result<MomentResult, FollowUpError> {
    let invalid = |message: String| FollowUpError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let (prompt, rubric) = content
        .prompt_with_rubric(&file.prompt)
        .map_err(|e| invalid(e.to_string()))?;
    let config = InterviewerConfig::default();
    let (pause, cooldown) = (config.pause_s, config.cooldown_s);
    let mut interviewer = OfflineInterviewer::new(prompt, rubric, config);
    let board = file
        .board
        .as_deref()
        .map(|b| read_board(&boards_dir().join(b)))
        .transpose()?;
    if let Some(g) = &board {
        interviewer.set_board(g.clone());
    }
    let mut segments = timed(&file.text, file.elapsed_s, pause);
    let mut now = file.elapsed_s;
    let mut turn = interviewer.at_pause(&segments, now);
    // A phase the clock moved into is announced first, as live; the question comes at the
    // next pause, after a few more words.
    if let Some(t) = &turn {
        if t.text == transition_line(interviewer.phase().phase) {
            now += cooldown + 1.0;
            segments.push(Segment {
                t0: now - pause - 2.0,
                t1: now - pause,
                text: " Okay.".into(),
                words: Vec::new(),
            });
            turn = interviewer.at_pause(&segments, now);
        }
    }
    let challenges: Vec<String> = find_red_flags(rubric, &segments)
        .into_iter()
        .map(|h| h.challenge)
        .collect();
    let probes: Vec<String> = board
        .as_ref()
        .map(|g| {
            board_probes(g, &segments)
                .into_iter()
                .map(|p| p.text)
                .collect()
        })
        .unwrap_or_default();
    let question = turn.as_ref().map(|t| t.text.clone());
    let targets = turn.as_ref().map(|t| t.targets.clone()).unwrap_or_default();
    let right_kind = question.as_ref().is_some_and(|q| match file.expect {
        Expect::Challenge => challenges.contains(q),
        Expect::Board => probes.contains(q),
        Expect::Gap => !challenges.contains(q),
    });
    let noise: Vec<String> = file.noise.iter().map(|n| normalize_for_match(n)).collect();
    let quotes_noise = question.as_deref().is_some_and(|q| {
        quoted(q).iter().any(|f| {
            let f = format!(" {} ", normalize_for_match(f));
            noise.iter().any(|n| f.contains(&format!(" {n} ")))
        })
    });
    // Four more pauses with a little more said each time: nothing is asked twice.
    let mut asked: Vec<String> = question.iter().cloned().collect();
    let mut repeats = 0;
    for k in 0..4 {
        now += cooldown + 5.0;
        segments.push(Segment {
            t0: now - pause - 4.0,
            t1: now - pause,
            text: format!(" Let me add one more detail, number {}.", k + 1),
            words: Vec::new(),
        });
        if let Some(t) = interviewer.at_pause(&segments, now) {
            if asked.contains(&t.text) {
                repeats += 1;
            }
            asked.push(t.text);
        }
    }
    Ok(MomentResult {
        id,
        expect: file.expect,
        acceptable: targets.iter().any(|t| file.acceptable.contains(t)),
        question,
        targets,
        right_kind,
        quotes_noise,
        repeats,
        note: file.note.clone(),
    })
}

/// Runs every moment in `dir` through the offline interviewer.
pub fn evaluate_follow_ups(content: &Content, dir: &Path) -> Result<FollowUpReport, FollowUpError> {
    let read = std::fs::read_dir(dir).map_err(|source| FollowUpError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("toml"))
        .collect();
    paths.sort();
    let mut results = Vec::new();
    for path in &paths {
        let raw = std::fs::read_to_string(path).map_err(|source| FollowUpError::Read {
            path: path.clone(),
            source,
        })?;
        let file: MomentFile = toml::from_str(&raw).map_err(|e| FollowUpError::Invalid {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        results.push(run_moment(content, id, &file, path)?);
    }
    Ok(FollowUpReport {
        moments: results.len(),
        acceptable: results.iter().filter(|r| r.acceptable).count(),
        right_kind: results.iter().filter(|r| r.right_kind).count(),
        noise_quotes: results.iter().filter(|r| r.quotes_noise).count(),
        repeats: results.iter().map(|r| r.repeats).sum(),
        results,
    })
}

/// The follow-up table.
pub fn render_follow_ups(report: &FollowUpReport, verbose: bool) -> String {
    use std::fmt::Write;
    let pct = |a: usize| {
        if report.moments == 0 {
            0.0
        } else {
            100.0 * a as f64 / report.moments as f64
        }
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Follow-ups of the offline interviewer at {} answer moments",
        report.moments
    );
    let _ = writeln!(
        s,
        "first follow-up acceptable: {} ({:.0}%)",
        report.acceptable,
        pct(report.acceptable)
    );
    let _ = writeln!(
        s,
        "of the expected kind (challenge / board probe / gap): {} ({:.0}%)",
        report.right_kind,
        pct(report.right_kind)
    );
    let _ = writeln!(s, "quoting transcription noise: {}", report.noise_quotes);
    let _ = writeln!(s, "repeated over four more pauses: {}", report.repeats);
    if verbose {
        for r in &report.results {
            let _ = writeln!(
                s,
                "{:<36} {:<9} {} {} [{}] {}",
                r.id,
                format!("{:?}", r.expect).to_lowercase(),
                if r.acceptable { "ok " } else { "NOT" },
                if r.right_kind { "kind-ok " } else { "kind-NOT" },
                r.targets
                    .iter()
                    .map(|d| d.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                r.question.as_deref().unwrap_or("-")
            );
        }
    }
    s
}
