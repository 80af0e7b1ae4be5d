use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("content file {file}, line {line}: {message}")]
    Invalid {
        file: String,
        line: usize,
        message: String,
    },
    #[error("could not read content folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("unknown prompt '{0}'; run `rehearse prompts` to see the available ones")]
    UnknownPrompt(String),
}

impl ContentError {
    pub(crate) fn invalid(file: &str, line: usize, message: impl Into<String>) -> Self {
        ContentError::Invalid {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}
