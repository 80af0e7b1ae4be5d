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
    Sql(rusqlite::Error),
    /// SQLite could not grow the database or its write-ahead log; the change was rolled back.
    #[error("the disk holding the sessions database is full, so this change was not saved (everything saved before is intact); free some space on that disk and try again")]
    DiskFull,
    /// Another process (the app and the CLI at once) held the database for longer than the
    /// wait allows.
    #[error("the sessions database is busy (another Rehearse window or `rehearse` command is writing to it); try again in a moment")]
    Busy,
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sql(e),
        }
    }
}
