use crate::EngineError;
use std::path::PathBuf;

/// Where Rehearse keeps its files. The CLI and the desktop app use the same folder, so a
/// session recorded by one is reviewed in the other.
#[derive(Debug, Clone)]
pub struct EnginePaths {
    pub data_dir: PathBuf,
    pub models_dir: PathBuf,
}

impl EnginePaths {
    pub fn new(data_dir: PathBuf) -> Self {
        let models_dir = data_dir.join("models");
        EnginePaths {
            data_dir,
            models_dir,
        }
    }

    /// `$REHEARSE_DATA_DIR`, else the platform data folder (`$XDG_DATA_HOME/rehearse`);
    /// models in `$REHEARSE_MODELS_DIR`, else `models/` inside it.
    pub fn from_env() -> Result<Self, EngineError> {
        let data_dir = match std::env::var_os("REHEARSE_DATA_DIR") {
            Some(d) if !d.is_empty() => PathBuf::from(d),
            _ => dirs::data_dir()
                .ok_or(EngineError::NoDataDir)?
                .join("rehearse"),
        };
        let mut paths = EnginePaths::new(data_dir);
        if let Some(m) = std::env::var_os("REHEARSE_MODELS_DIR").filter(|m| !m.is_empty()) {
            paths.models_dir = PathBuf::from(m);
        }
        Ok(paths)
    }

    pub fn db_path(&self) -> PathBuf {
        self.data_dir.join("rehearse.sqlite3")
    }

    pub fn audio_dir(&self) -> PathBuf {
        self.data_dir.join("audio")
    }

    /// A new session's recording, created empty and owner-only (the recorder and a copy
    /// write into it, keeping that mode).
    pub(crate) fn new_audio_path(&self, session_id: &str) -> Result<PathBuf, EngineError> {
        let dir = self.audio_dir();
        crate::vault::create_private_dir(&dir)?;
        let path = dir.join(format!("{session_id}.wav"));
        drop(crate::vault::create_private_file(&path)?);
        Ok(path)
    }
}
