//! The graded reference set on disk: `answers/<prompt-id>/<answer-id>.toml`, format in
//! `evals/judgement/FORMAT.md`.

use rehearse_core::{DimensionId, ALL_DIMENSIONS};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SetError {
    #[error("cannot read the reference set at {path}: {source}. Pass --set with the folder that holds answers/<prompt-id>/*.toml")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("the reference set at {0} holds no answers")]
    Empty(PathBuf),
}

/// What sort of answer it is; the adversarial kinds must score low.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerKind {
    Strong,
    Medium,
    Weak,
    Rambling,
    Salad,
    Wrong,
    Injection,
    Empty,
    Asr,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerFile {
    kind: AnswerKind,
    #[serde(default)]
    twin_of: String,
    #[serde(default)]
    speech: bool,
    #[serde(default)]
    note: String,
    #[serde(default)]
    red_flags: Vec<String>,
    #[serde(default)]
    gaps: Vec<String>,
    /// The sentences of an injection answer that speak to the grader: without them the
    /// answer must score the same.
    #[serde(default)]
    injected: Vec<String>,
    text: String,
    levels: BTreeMap<String, u8>,
}

/// One graded answer.
#[derive(Debug, Clone)]
pub struct ReferenceAnswer {
    /// `<prompt-id>/<answer-id>`.
    pub id: String,
    pub prompt: String,
    pub kind: AnswerKind,
    /// For an ASR-damaged copy: the id of the answer it was made from.
    pub twin_of: Option<String>,
    pub speech: bool,
    pub note: String,
    pub red_flags: Vec<String>,
    pub gaps: Vec<DimensionId>,
    pub injected: Vec<String>,
    pub text: String,
    pub levels: BTreeMap<DimensionId, u8>,
}

impl ReferenceAnswer {
    pub fn total(&self) -> u32 {
        self.levels.values().map(|&l| u32::from(l)).sum()
    }
}

fn parse_dimension(path: &Path, name: &str) -> Result<DimensionId, SetError> {
    name.parse().map_err(|_| SetError::Invalid {
        path: path.to_path_buf(),
        message: format!("{name:?} is not a dimension id"),
    })
}

fn read_answer(path: &Path, prompt: &str) -> Result<ReferenceAnswer, SetError> {
    let invalid = |message: String| SetError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let raw = std::fs::read_to_string(path).map_err(|source| SetError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let file: AnswerFile = toml::from_str(&raw).map_err(|e| invalid(e.to_string()))?;
    let mut levels = BTreeMap::new();
    for (name, &level) in &file.levels {
        if level > 4 {
            return Err(invalid(format!("level {level} for {name} is not 0 to 4")));
        }
        levels.insert(parse_dimension(path, name)?, level);
    }
    if let Some(missing) = ALL_DIMENSIONS.iter().find(|d| !levels.contains_key(d)) {
        return Err(invalid(format!("no level for {missing}")));
    }
    let gaps = file
        .gaps
        .iter()
        .map(|g| parse_dimension(path, g))
        .collect::<Result<_, _>>()?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| invalid("the file name is not UTF-8".into()))?;
    for sentence in &file.injected {
        if !file.text.contains(sentence.as_str()) {
            return Err(invalid(format!(
                "injected sentence {sentence:?} is not in the text"
            )));
        }
    }
    Ok(ReferenceAnswer {
        id: format!("{prompt}/{stem}"),
        prompt: prompt.to_string(),
        kind: file.kind,
        twin_of: (!file.twin_of.trim().is_empty()).then(|| format!("{prompt}/{}", file.twin_of)),
        speech: file.speech,
        note: file.note,
        red_flags: file.red_flags,
        gaps,
        injected: file.injected,
        text: file.text,
        levels,
    })
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, SetError> {
    let read = std::fs::read_dir(dir).map_err(|source| SetError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    Ok(paths)
}

/// Every answer under `dir/answers`, sorted by id. Twins must exist.
pub fn load_set(dir: &Path) -> Result<Vec<ReferenceAnswer>, SetError> {
    let answers_dir = dir.join("answers");
    let mut out = Vec::new();
    for prompt_dir in sorted_entries(&answers_dir)? {
        if !prompt_dir.is_dir() {
            continue;
        }
        let Some(prompt) = prompt_dir.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        for path in sorted_entries(&prompt_dir)? {
            if path.extension().and_then(|e| e.to_str()) == Some("toml") {
                out.push(read_answer(&path, prompt)?);
            }
        }
    }
    if out.is_empty() {
        return Err(SetError::Empty(dir.to_path_buf()));
    }
    for a in &out {
        if let Some(twin) = &a.twin_of {
            if !out.iter().any(|b| &b.id == twin) {
                return Err(SetError::Invalid {
                    path: answers_dir.join(format!("{}.toml", a.id)),
                    message: format!("twin_of names {twin}, which is not in the set"),
                });
            }
        }
    }
    Ok(out)
}
