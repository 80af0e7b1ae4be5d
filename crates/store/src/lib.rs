//! SQLite storage (WAL, foreign keys, append-only migrations) for practice sessions,
//! study-card review state and the full-text search index.

mod board;
mod error;
mod gaps;
mod marks;
mod retranscribe;
mod review;
mod schema;
mod search;
mod session_stats;
mod sessions;
mod study;
mod tradeoffs;
mod words;

pub use board::BoardEventRow;
pub use error::StoreError;
pub use gaps::{GapCardRow, QueuedCard, StudyGapRows};
pub use retranscribe::SUPERSEDED_PREFIX;
pub use review::StoredSegment;
#[doc(hidden)]
pub use schema::migrate_to_version;
pub use schema::SCHEMA_VERSION;
pub use search::{fts_query, SearchDoc, StoredHit};
pub use session_stats::SessionStats;
pub use sessions::NewSession;
pub use study::{CardStateRow, ReviewLogEntry};

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// One connection to the database file. Open one per thread; WAL lets them coexist.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Io {
                path: parent.to_path_buf(),
                source: e,
            })?;
        }
        let damaged = |e: rusqlite::Error| StoreError::Damaged {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let mut conn = Connection::open(path).map_err(damaged)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(damaged)?;
        // Another process turning a new file to WAL at the same moment makes this busy
        // without waiting (SQLite skips the busy handler here): wait for it as the handler would.
        retry_while_busy(|| conn.pragma_update(None, "journal_mode", "WAL")).map_err(damaged)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(damaged)?;
        migrate_alongside_others(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::MigrationDefinition(
                rusqlite_migration::MigrationDefinitionError::DatabaseTooFarAhead,
            ) => StoreError::TooNew {
                path: path.to_path_buf(),
            },
            e => StoreError::Damaged {
                path: path.to_path_buf(),
                reason: e.to_string(),
            },
        })?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Brings the schema up to date when another process (the app and the CLI started at once)
/// may be doing the same: a migration reads the version before it takes the write lock, so
/// the slower of two fails on tables the other just made, and rolls back. Trying again reads
/// the version the other left, and finds nothing (or only the rest) to do.
fn migrate_alongside_others(conn: &mut Connection) -> Result<(), rusqlite_migration::Error> {
    let mut tries_left = 25; // 5 s, as long as the busy timeout
    loop {
        match schema::migrate(conn) {
            Ok(()) => return Ok(()),
            Err(rusqlite_migration::Error::MigrationDefinition(d)) => {
                return Err(rusqlite_migration::Error::MigrationDefinition(d))
            }
            Err(e) if tries_left == 0 => return Err(e),
            Err(e) => {
                tracing::debug!(error = %e, "migration raced another process; trying again");
                tries_left -= 1;
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
        }
    }
}

/// Runs `op` again (for up to 5 s) while SQLite answers "busy" or "locked".
fn retry_while_busy<T>(mut op: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked};
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match op() {
            Err(e)
                if matches!(e.sqlite_error_code(), Some(DatabaseBusy | DatabaseLocked))
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            result => return result,
        }
    }
}
