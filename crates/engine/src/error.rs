use std::path::PathBuf;

/// Every message is meant to be shown to the candidate as it is.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Content(#[from] rehearse_content::ContentError),
    #[error(transparent)]
    Audio(#[from] rehearse_audio::AudioError),
    #[error(transparent)]
    Model(#[from] rehearse_stt::ModelError),
    #[error(transparent)]
    Stt(#[from] rehearse_stt::SttError),
    #[error(transparent)]
    Store(#[from] rehearse_store::StoreError),
    #[error("unknown speech model '{0}'; `rehearse models list` shows the known ones")]
    UnknownModel(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the recording {0} is missing from disk")]
    AudioMissing(PathBuf),
    #[error("could not find your data folder; set REHEARSE_DATA_DIR to a writable folder")]
    NoDataDir,
    #[error("the session stopped unexpectedly: {0}; what was recorded is kept")]
    SessionThread(String),
    #[error("no study card with id '{0}'; `rehearse cards search WORD` finds cards")]
    UnknownCard(String),
    #[error("card '{0}' has no key points to grade an answer against; answer a question card (its id starts with q-)")]
    NoKeyPoints(String),
    #[error("could not schedule the review of '{card_id}': {reason}")]
    Schedule { card_id: String, reason: String },
}
