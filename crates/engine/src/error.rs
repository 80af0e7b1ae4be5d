use crate::neutral;
use std::path::PathBuf;

/// The errors of the crates below that are reworded (see `neutral.rs`) are not their
/// `source()`: a chain printed whole (`{:#}`) would repeat them with the hint left in.
macro_rules! from_lower {
    ($($variant:ident($t:ty)),* $(,)?) => {$(
        impl From<$t> for EngineError {
            fn from(e: $t) -> Self {
                EngineError::$variant(e)
            }
        }
    )*};
}

from_lower!(
    Content(rehearse_content::ContentError),
    Audio(rehearse_audio::AudioError),
    Model(rehearse_stt::ModelError),
    Stt(rehearse_stt::SttError),
    Store(rehearse_store::StoreError),
    Download(rehearse_stt::DownloadError),
);

/// Every message is meant to be shown to the candidate as it is, by the app and the CLI
/// alike: it says what happened in neither's words. What to do about it, where a shell has its
/// own way, is [`EngineError::remedy`], which each shell says in its own words.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{}", neutral::content(.0))]
    Content(rehearse_content::ContentError),
    #[error("{}", neutral::audio(.0))]
    Audio(rehearse_audio::AudioError),
    #[error("{}", neutral::model(.0))]
    Model(rehearse_stt::ModelError),
    #[error("{}", neutral::stt(.0))]
    Stt(rehearse_stt::SttError),
    #[error("{}", neutral::store(.0))]
    Store(rehearse_store::StoreError),
    #[error("unknown speech model '{0}'")]
    UnknownModel(String),
    #[error("{}", neutral::download(.0))]
    Download(rehearse_stt::DownloadError),
    #[error("speech model '{0}' has no download address")]
    NotDownloadable(String),
    #[error("{path} is not a whisper.cpp ggml model ({reason}); pick a ggml .bin file such as ggml-base.en.bin")]
    NotAModel { path: PathBuf, reason: String },
    #[error("could not install the speech model at {path}: {reason}")]
    Install { path: PathBuf, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the recording {0} is missing from disk")]
    AudioMissing(PathBuf),
    #[error("could not find your data folder; set REHEARSE_DATA_DIR to a writable folder")]
    NoDataDir,
    #[error(transparent)]
    Board(#[from] rehearse_board::BoardError),
    #[error("could not export the board: {0}")]
    BoardExport(String),
    #[error("the session stopped unexpectedly: {0}; what was recorded is kept")]
    SessionThread(String),
    #[error("no study card with id '{0}'")]
    UnknownCard(String),
    #[error("card '{0}' has no key points to grade an answer against; answer a question card (its id starts with q-)")]
    NoKeyPoints(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("session '{0}' is not interrupted; only an interrupted session can be finished")]
    NotInterrupted(String),
    #[error("could not schedule the review of '{card_id}': {reason}")]
    Schedule { card_id: String, reason: String },
}
