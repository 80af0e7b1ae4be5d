use crate::ContentError;
use std::fmt;

/// One thing wrong with the content, located as `file:line` so an author can jump to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentProblem {
    /// Path of the file, relative to the content root (or joined to the folder checked).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    pub message: String,
}

impl ContentProblem {
    pub(crate) fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        ContentProblem {
            file: file.to_string(),
            line: line.max(1),
            message: message.into(),
        }
    }
}

impl fmt::Display for ContentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl From<ContentError> for ContentProblem {
    fn from(e: ContentError) -> Self {
        match e {
            ContentError::Invalid {
                file,
                line,
                message,
            } => ContentProblem::new(&file, line, message),
            ContentError::Io { path, source } => {
                ContentProblem::new(&path.display().to_string(), 1, source.to_string())
            }
            other => ContentProblem::new("content", 1, other.to_string()),
        }
    }
}

/// A one-line verdict for a list of problems, for the end of `rehearse content check`.
pub fn check_summary(problems: &[ContentProblem]) -> String {
    match problems.len() {
        0 => "content OK: no problems found".to_string(),
        1 => "1 problem found".to_string(),
        n => format!("{n} problems found"),
    }
}

/// The error `Content::embedded` / `Content::load_dir` return: the first problem, with a
/// count of the others.
pub(crate) fn into_error(problems: &[ContentProblem]) -> Option<ContentError> {
    let first = problems.first()?;
    let mut message = first.message.clone();
    if problems.len() > 1 {
        message.push_str(&format!(
            " (and {} more problems; `rehearse content check` lists them all)",
            problems.len() - 1
        ));
    }
    Some(ContentError::invalid(&first.file, first.line, message))
}
