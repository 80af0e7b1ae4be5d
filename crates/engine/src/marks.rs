//! Moments marked during a session (see [`crate::LiveSession::mark`]).

use crate::{Engine, EngineError};

impl Engine {
    /// A session's marks, in seconds from its start, earliest first.
    pub fn session_marks(&self, session_id: &str) -> Result<Vec<f64>, EngineError> {
        Ok(self.store()?.marks(session_id)?)
    }
}
