//! The engine's errors in words that fit the app and the CLI alike. The crates below the
//! engine speak to whoever calls them (the speech crate's messages name `rehearse` commands
//! and `--url`, the audio crate's name Settings); here those few messages lose their hint,
//! and [`Remedy`] says what to do so each shell can say it its own way.

use crate::EngineError;
use rehearse_audio::AudioError;
use rehearse_content::ContentError;
use rehearse_store::StoreError;
use rehearse_stt::{DownloadError, ModelError, SttError};

/// What the candidate can do about an error, where the app and the CLI do it differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// Install speech model `id` (download it, or install a file); None: the chosen one.
    InstallModel { id: Option<String> },
    /// Pick a speech model the catalogue knows (or an installed custom one).
    ChooseModel,
    /// Install a model from a file already on disk (the model cannot be downloaded).
    InstallModelFile,
    /// Pick one of the practice prompts.
    ChoosePrompt,
    /// Look among the stored sessions (the one named is not there).
    FindSession,
    /// Search the study cards (the one named is not there).
    FindCard,
    /// Choose another microphone (the one in the settings is not connected).
    ChooseMicrophone,
}

impl EngineError {
    /// What the candidate can do about this error beyond what its message says, if the
    /// app and the CLI do it differently.
    pub fn remedy(&self) -> Option<Remedy> {
        match self {
            EngineError::Model(ModelError::Missing { id, .. } | ModelError::Damaged { id, .. }) => {
                Some(Remedy::InstallModel {
                    id: Some(id.clone()),
                })
            }
            EngineError::Stt(
                SttError::ModelMissing { .. }
                | SttError::ModelInvalid { .. }
                | SttError::ModelLoad { .. },
            ) => Some(Remedy::InstallModel { id: None }),
            EngineError::UnknownModel(_) => Some(Remedy::ChooseModel),
            EngineError::NotDownloadable(_)
            | EngineError::Download(DownloadError::Network { .. }) => {
                Some(Remedy::InstallModelFile)
            }
            EngineError::Content(ContentError::UnknownPrompt(_)) => Some(Remedy::ChoosePrompt),
            EngineError::Store(StoreError::NotFound(_)) => Some(Remedy::FindSession),
            EngineError::UnknownCard(_) => Some(Remedy::FindCard),
            EngineError::Audio(AudioError::DeviceNotFound(_)) => Some(Remedy::ChooseMicrophone),
            _ => None,
        }
    }
}

pub(crate) fn content(e: &ContentError) -> String {
    match e {
        ContentError::UnknownPrompt(id) => format!("unknown prompt '{id}'"),
        other => other.to_string(),
    }
}

pub(crate) fn audio(e: &AudioError) -> String {
    match e {
        AudioError::DeviceNotFound(name) => format!("microphone '{name}' is not available"),
        other => other.to_string(),
    }
}

pub(crate) fn store(e: &StoreError) -> String {
    match e {
        StoreError::NotFound(id) => format!("no session with id '{id}'"),
        other => other.to_string(),
    }
}

pub(crate) fn model(e: &ModelError) -> String {
    match e {
        ModelError::Missing { id, path } => {
            format!(
                "speech model '{id}' is not installed (expected {})",
                path.display()
            )
        }
        ModelError::Damaged { path, reason, .. } => format!(
            "speech model file {} is damaged ({reason}); install it again",
            path.display()
        ),
        other => other.to_string(),
    }
}

pub(crate) fn stt(e: &SttError) -> String {
    match e {
        SttError::ModelMissing { path } => {
            format!("speech model not found at {}", path.display())
        }
        SttError::ModelInvalid { path, reason } => format!(
            "speech model {} is unusable: {reason}; install it again",
            path.display()
        ),
        SttError::ModelLoad { path, source } => format!(
            "whisper.cpp could not load {} ({source}); install the model again, and check there is ~300 MB of free memory",
            path.display()
        ),
        SttError::Transcribe(source) => format!(
            "transcription failed ({source}); try again, and if it keeps failing, install the speech model again"
        ),
        other => other.to_string(),
    }
}

pub(crate) fn download(e: &DownloadError) -> String {
    const MIRROR: &str = "a mirror must serve the same file";
    match e {
        DownloadError::Network { url, reason } => {
            format!("could not reach {url} ({reason}); check the network or the address")
        }
        DownloadError::Http { url, status } => {
            format!("{url} answered HTTP {status}; check the address ({MIRROR})")
        }
        DownloadError::WrongSize {
            url,
            offered,
            expected,
        } => format!(
            "{url} offers {offered} bytes but the model is {expected} bytes: it is a different file; check the address ({MIRROR})"
        ),
        DownloadError::ChecksumMismatch { url, got, expected } => format!(
            "the file from {url} is not the expected model (sha256 {got}, expected {expected}); it was deleted and nothing was installed. Try again ({MIRROR})"
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// No message the engine passes up names a CLI command or flag, or the app's screens.
    #[test]
    fn wrapped_messages_name_neither_shell() {
        let errors = [
            EngineError::Model(ModelError::Missing {
                id: "base.en".into(),
                path: PathBuf::from("/m/ggml-base.en.bin"),
            }),
            EngineError::Model(ModelError::Damaged {
                id: "tiny.en".into(),
                path: PathBuf::from("/m/ggml-tiny.en.bin"),
                reason: "wrong size".into(),
            }),
            EngineError::Stt(SttError::ModelMissing {
                path: PathBuf::from("/m/x.bin"),
            }),
            EngineError::Download(DownloadError::Network {
                url: "https://example.invalid/m.bin".into(),
                reason: "dns".into(),
            }),
            EngineError::Content(ContentError::UnknownPrompt("nope".into())),
            EngineError::Store(StoreError::NotFound("s-1".into())),
            EngineError::Audio(AudioError::DeviceNotFound("USB".into())),
            EngineError::UnknownModel("huge".into()),
            EngineError::NotDownloadable("custom/x".into()),
            EngineError::UnknownCard("c-1".into()),
        ];
        for e in &errors {
            let m = e.to_string();
            for word in ["rehearse ", "--", "setup.sh", "Settings"] {
                assert!(!m.contains(word), "{m:?} contains {word:?}");
            }
            assert!(e.remedy().is_some(), "{m:?} has no remedy");
        }
        let http = EngineError::Download(DownloadError::Http {
            url: "https://example.invalid/m.bin".into(),
            status: 404,
        });
        assert_eq!(
            http.to_string(),
            "https://example.invalid/m.bin answered HTTP 404; check the address (a mirror must serve the same file)"
        );
    }
}
