//! The data folder is private: it holds recordings of the candidate's voice and transcripts,
//! so it is readable by its owner only (folders 0700, files 0600 on Unix). Files are created
//! that way, and [`tighten_data_folder`] fixes what an older version left open at each start.
//! SQLite gives the WAL and shared-memory files the database file's own mode, so creating the
//! database 0600 covers them. Elsewhere these are no-ops beyond creating the folder or file.

use crate::{EngineError, EnginePaths};
use std::fs::{File, OpenOptions};
use std::path::Path;

/// Owner-only modes for folders and files in the data folder.
pub const PRIVATE_DIR_MODE: u32 = 0o700;
pub const PRIVATE_FILE_MODE: u32 = 0o600;

/// The data folder's sub-folders that hold the candidate's data, whose files are made private.
const PRIVATE_SUBDIRS: &[&str] = &["audio", "answers", "exports"];
/// Files directly in the data folder besides the database (which is listed by its paths).
const PRIVATE_FILES: &[&str] = &[crate::SETTINGS_FILE, "mic-test.wav"];

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> EngineError + '_ {
    move |source| EngineError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates `dir` (and its parents) and makes `dir` itself owner-only (a folder that cannot
/// be changed, such as another user's, is logged and used as it is).
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), EngineError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    tighten(dir, PRIVATE_DIR_MODE);
    Ok(())
}

/// Options that create a file owner-only (an existing file keeps its mode).
pub(crate) fn private_open_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(PRIVATE_FILE_MODE);
    }
    options
}

/// Opens `path` for writing, truncated, created owner-only (and made so if it was there).
pub(crate) fn create_private_file(path: &Path) -> Result<File, EngineError> {
    let file = private_open_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(io(path))?;
    tighten(path, PRIVATE_FILE_MODE);
    Ok(file)
}

/// Writes `bytes` to `path` as an owner-only file.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), EngineError> {
    use std::io::Write;
    let mut file = create_private_file(path)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io(path))
}

/// Makes an existing file owner-only (a copy keeps its source's mode).
pub(crate) fn make_private(path: &Path) -> Result<(), EngineError> {
    set_mode_if_needed(path, PRIVATE_FILE_MODE)
}

/// Creates the data folder owner-only (and the database file, so SQLite's WAL and shared-memory
/// files inherit its mode), and tightens what an older version created world-readable: the
/// folder, its sub-folders of personal data and their files, the database and the settings.
/// Only Rehearse's own names are touched; anything else in the folder is left alone. A file
/// that cannot be changed (another owner's) is logged, not an error: the engine still starts.
pub fn tighten_data_folder(paths: &EnginePaths) -> Result<(), EngineError> {
    create_private_dir(&paths.data_dir)?;
    let db = paths.db_path();
    if !db.exists() {
        drop(create_private_file(&db)?);
    }
    let mut files: Vec<std::path::PathBuf> = database_files(paths);
    files.extend(PRIVATE_FILES.iter().map(|f| paths.data_dir.join(f)));
    for sub in PRIVATE_SUBDIRS {
        let dir = paths.data_dir.join(sub);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        tighten(&dir, PRIVATE_DIR_MODE);
        files.extend(
            entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.path()),
        );
    }
    for file in files {
        tighten(&file, PRIVATE_FILE_MODE);
    }
    Ok(())
}

/// The database and the files SQLite keeps beside it.
pub fn database_files(paths: &EnginePaths) -> Vec<std::path::PathBuf> {
    let db = paths.db_path();
    let with_suffix = |suffix: &str| {
        let mut name = db.clone().into_os_string();
        name.push(suffix);
        std::path::PathBuf::from(name)
    };
    vec![db.clone(), with_suffix("-wal"), with_suffix("-shm")]
}

/// [`set_mode_if_needed`], logging a failure: being unable to tighten a mode is no reason
/// to stop recording or to refuse to start.
fn tighten(path: &Path, mode: u32) {
    if let Err(e) = set_mode_if_needed(path, mode) {
        tracing::warn!(error = %e, "could not make a file in the data folder private");
    }
}

/// Sets `mode` on a plain file or folder that is there and has another mode; never follows
/// a symbolic link (a link the user made points at something that is theirs to protect).
fn set_mode_if_needed(path: &Path, mode: u32) -> Result<(), EngineError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return Ok(());
        };
        if meta.file_type().is_symlink() || meta.permissions().mode() & 0o777 == mode {
            return Ok(());
        }
        tracing::debug!(path = %path.display(), mode = format!("{mode:o}"), "made private");
        set_mode(path, mode)
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

fn set_mode(path: &Path, mode: u32) -> Result<(), EngineError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(io(path))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}
