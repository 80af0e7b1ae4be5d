//! Retention: the keep-audio setting (the recording is deleted once the session is scored)
//! and deleting sessions older than N days. Everything stays on this machine either way.

use crate::{remove_if_exists, Engine, EngineError};
use rehearse_core::PruneResult;
use rehearse_store::Store;
use std::path::Path;

/// Deletes the session's recording when the settings say not to keep audio; the transcript
/// and scores stay and the session notes the audio was discarded. Failures are logged: the
/// session itself is already safely stored.
pub(crate) fn after_scoring(keep_audio: bool, store: &Store, session_id: &str) {
    if keep_audio {
        return;
    }
    let result = (|| -> Result<(), EngineError> {
        let audio = store.audio_path(session_id)?;
        remove_if_exists(Path::new(&audio))?;
        store.mark_audio_discarded(session_id)?;
        Ok(())
    })();
    match result {
        Ok(()) => tracing::info!(session = session_id, "recording discarded after scoring"),
        Err(e) => {
            tracing::warn!(session = session_id, error = %e, "could not discard the recording")
        }
    }
}

impl Engine {
    /// Deletes sessions (rows and recordings) that started more than `days` days ago.
    pub fn prune_sessions_older_than(&self, days: u32) -> Result<PruneResult, EngineError> {
        let cutoff = chrono::Utc::now() - chrono::Duration::days(i64::from(days));
        let cutoff = cutoff.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let ids = self.store()?.sessions_started_before(&cutoff)?;
        for id in &ids {
            self.delete_session(id)?;
        }
        if !ids.is_empty() {
            tracing::info!(count = ids.len(), days, "deleted old sessions");
        }
        Ok(PruneResult { deleted: ids })
    }

    /// Applies the `delete_after_days` setting (nothing when unset). Run at start.
    pub fn apply_retention(&self) -> Result<PruneResult, EngineError> {
        match self.settings().delete_after_days {
            Some(days) => self.prune_sessions_older_than(days),
            None => Ok(PruneResult {
                deleted: Vec::new(),
            }),
        }
    }
}
