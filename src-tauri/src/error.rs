//! The one error every command rejects with: `{ kind, message }` in the webview, where the
//! message is shown as it is (`errorMessage` in ui/src/format.ts) and the kind lets the UI
//! tell a busy recorder from a missing model without reading the words. Engine errors get
//! what to do in the app's words (the engine's own messages name neither shell).

use rehearse_engine::{EngineError, Remedy};
use serde::Serialize;

pub type CmdResult<T> = Result<T, CmdError>;

/// What kind of failure, for the UI to act on; the message is for the candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Something is already running (a recording, a download): stop it first.
    Busy,
    /// Nothing is running that the command acts on (stop with no recording).
    NotRunning,
    /// The session, card or prompt named is not there.
    NotFound,
    /// The speech model is missing, damaged or unknown.
    Model,
    /// The microphone is missing or failed.
    Microphone,
    /// The settings could not be saved or applied.
    Settings,
    /// Any other failure the engine reported.
    Engine,
    /// A failure of the shell itself (a worker thread that died).
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct CmdError {
    pub kind: ErrorKind,
    pub message: String,
}

impl CmdError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        CmdError {
            kind,
            message: message.into(),
        }
    }

    pub fn busy(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Busy, message)
    }

    pub fn not_running(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotRunning, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
}

/// The engine's message with what to do in the app, where there is something.
pub fn app_message(e: &EngineError) -> String {
    let message = e.to_string();
    match e.remedy().map(|r| app_hint(&r)) {
        Some(hint) => format!("{message}. {hint}"),
        None => message,
    }
}

fn app_hint(remedy: &Remedy) -> &'static str {
    match remedy {
        Remedy::InstallModel { .. } => "Download it in Settings → Speech models.",
        Remedy::ChooseModel => "Choose one in Settings → Speech models.",
        Remedy::InstallModelFile => {
            "Download the file some other way and add it with Settings → Speech models → Install a model file…"
        }
        Remedy::ChoosePrompt => "Choose a prompt from the list on the Practice screen.",
        Remedy::FindSession => "It may have been deleted: the Review screen lists the stored sessions.",
        Remedy::FindCard => "Search for it on the Study screen.",
        Remedy::ChooseMicrophone => "Choose another one in Settings, or connect it again.",
    }
}

fn kind_of(e: &EngineError) -> ErrorKind {
    match e.remedy() {
        Some(Remedy::InstallModel { .. } | Remedy::ChooseModel | Remedy::InstallModelFile) => {
            ErrorKind::Model
        }
        Some(Remedy::ChoosePrompt | Remedy::FindSession | Remedy::FindCard) => ErrorKind::NotFound,
        Some(Remedy::ChooseMicrophone) => ErrorKind::Microphone,
        None => match e {
            EngineError::Audio(_) => ErrorKind::Microphone,
            EngineError::Model(_)
            | EngineError::UnknownModel(_)
            | EngineError::NotAModel { .. } => ErrorKind::Model,
            EngineError::UnknownCard(_) => ErrorKind::NotFound,
            _ => ErrorKind::Engine,
        },
    }
}

impl From<EngineError> for CmdError {
    fn from(e: EngineError) -> Self {
        CmdError::new(kind_of(&e), app_message(&e))
    }
}

impl From<rehearse_engine::SecretError> for CmdError {
    fn from(e: rehearse_engine::SecretError) -> Self {
        CmdError::new(ErrorKind::Settings, e.to_string())
    }
}

/// A blocking task that panicked or was cancelled.
impl From<tauri::Error> for CmdError {
    fn from(e: tauri::Error) -> Self {
        CmdError::internal(format!("the work stopped unexpectedly ({e}); try again"))
    }
}

/// A lock poisoned by a panic elsewhere.
impl<T> From<std::sync::PoisonError<T>> for CmdError {
    fn from(_: std::sync::PoisonError<T>) -> Self {
        CmdError::internal(
            "the app's state was left broken by an earlier failure; restart Rehearse",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_with_kind_and_message_in_the_apps_words() {
        let e = CmdError::from(EngineError::UnknownCard("q-nope".into()));
        let wire = serde_json::to_value(&e).unwrap();
        assert_eq!(wire["kind"], "not_found");
        let message = wire["message"].as_str().unwrap();
        assert!(
            message.starts_with("no study card with id 'q-nope'"),
            "{message}"
        );
        assert!(
            message.contains("Study screen") && !message.contains("rehearse "),
            "{message}"
        );

        let e = CmdError::from(EngineError::NotDownloadable("custom/x".into()));
        assert_eq!(e.kind, ErrorKind::Model);
        assert!(!e.message.contains("--url"), "{}", e.message);

        let e = CmdError::busy("A session is already recording: stop it first.");
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"kind":"busy","message":"A session is already recording: stop it first."}"#
        );
    }
}
