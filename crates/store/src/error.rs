use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the sessions database at {path} is damaged or unreadable ({reason}); quit Rehearse, move that file aside (a new one is created at the next start) or restore a backup")]
    Damaged { path: PathBuf, reason: String },
    #[error("the sessions database at {path} was written by a newer version of Rehearse; update Rehearse to open it (nothing in it was changed)")]
    TooNew { path: PathBuf },
    #[error("could not create {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no session with id '{0}'; `rehearse sessions list` shows the stored ones")]
    NotFound(String),
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
}
