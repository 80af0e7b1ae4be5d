//! Sessions interrupted by a crash: found at start, their recordings repaired, listed, and
//! finished (transcribed where needed, then scored) or deleted.
//!
//! How a session counts as "still recording": the process recording it holds an exclusive
//! advisory lock on `audio/<id>.lock` for as long as it records (`std::fs::File::try_lock`,
//! flock on Unix, LockFileEx on Windows). The operating system drops the lock when that
//! process dies, however it dies (kill -9 included), so a session in status "recording" whose
//! lock can be taken belongs to no living process. This is chosen over a stored process id,
//! which a later process can reuse (a live stranger would keep a dead session "recording"),
//! and over a heartbeat, which needs a timeout that is either slow to notice or wrong under
//! load. A session in "recording" with no lock file at all predates locks (or lost its file)
//! and is treated as interrupted too. The lock file names its holder (process id, start
//! time) for whoever looks; the lock, not that text, decides. Two processes may record at
//! once (each its own session, lock and file): neither's start-up recovery touches the
//! other's session while it lives, and a session its recorder finished while recovery looked
//! at it stays finished (the change to "interrupted" applies only to one still "recording").

use crate::interviewer_backend::build_interviewer;
use crate::study::queue_gaps;
use crate::transcribe::{load_stt, transcribe_clip};
use crate::{now_rfc3339, Engine, EngineError, EnginePaths};
use rehearse_core::{Segment, SessionReport, SessionStatus, SessionSummary};
use rehearse_store::Store;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Held by whatever records a session; released (and its file removed) when dropped, or by
/// the operating system when the process dies.
pub(crate) struct RecordingLock {
    file: Option<File>,
    path: PathBuf,
}

impl RecordingLock {
    pub(crate) fn acquire(paths: &EnginePaths, session_id: &str) -> Result<Self, EngineError> {
        let path = lock_path(paths, session_id);
        if let Some(dir) = path.parent() {
            crate::vault::create_private_dir(dir)?;
        }
        let io = |source| EngineError::Io {
            path: path.clone(),
            source,
        };
        let file = crate::vault::private_open_options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        let mut file = file;
        file.try_lock().map_err(|e| match e {
            TryLockError::Error(e) => io(e),
            TryLockError::WouldBlock => EngineError::SessionThread(format!(
                "session {session_id} is already being recorded ({})",
                lock_holder(&path)
            )),
        })?;
        // Whose it is, for a person looking at the folder (best effort: the lock decides).
        let _ = writeln!(
            file,
            "recording session {session_id}: process {}, since {}",
            std::process::id(),
            now_rfc3339()
        );
        Ok(RecordingLock {
            file: Some(file),
            path,
        })
    }
}

impl Drop for RecordingLock {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            let _ = std::fs::remove_file(&self.path);
            let _ = file.unlock();
        }
    }
}

/// What the lock file says of its holder.
fn lock_holder(path: &Path) -> String {
    std::fs::read_to_string(path)
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "by a process that did not say which".into())
}

fn lock_path(paths: &EnginePaths, session_id: &str) -> PathBuf {
    paths.audio_dir().join(format!("{session_id}.lock"))
}

/// Whether a living process records `session_id` now.
fn still_recording(paths: &EnginePaths, session_id: &str) -> bool {
    let path = lock_path(paths, session_id);
    let Ok(file) = OpenOptions::new().write(true).open(&path) else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(TryLockError::WouldBlock) => {
            tracing::debug!(session = session_id, holder = %lock_holder(&path), "session still recording");
            true
        }
        // Cannot tell: leave it alone rather than take a live session from its recorder.
        Err(TryLockError::Error(e)) => {
            tracing::warn!(session = session_id, error = %e, "could not check a session's lock");
            true
        }
    }
}

/// Marks sessions left "recording" by dead processes as interrupted and repairs their
/// recordings; returns their ids. Called at engine start.
pub(crate) fn recover_interrupted(
    paths: &EnginePaths,
    store: &Store,
) -> Result<Vec<String>, EngineError> {
    let mut recovered = Vec::new();
    for (id, audio) in store.sessions_in_status(SessionStatus::Recording)? {
        if still_recording(paths, &id) {
            continue;
        }
        // Only a session still "recording": its recorder may have finished it just now.
        if !store.interrupt_if_recording(&id)? {
            continue;
        }
        let audio = Path::new(&audio);
        let duration = if audio.is_file() {
            match rehearse_audio::repair_wav(audio) {
                Ok(d) => Some(d),
                Err(e) => {
                    tracing::warn!(session = %id, error = %e, "could not repair an interrupted recording");
                    None
                }
            }
        } else {
            None
        };
        store.set_session_status(&id, SessionStatus::Interrupted, duration)?;
        let _ = std::fs::remove_file(lock_path(paths, &id));
        tracing::warn!(session = %id, duration_s = ?duration, "found a session interrupted by a crash");
        recovered.push(id);
    }
    Ok(recovered)
}

impl Engine {
    /// Sessions interrupted by a crash (or a failure), newest first: what was saved of them
    /// can be finished with [`Engine::finish_interrupted`] or deleted.
    pub fn interrupted_sessions(&self) -> Result<Vec<SessionSummary>, EngineError> {
        let mut list = self.sessions()?;
        list.retain(|s| s.status == SessionStatus::Interrupted);
        Ok(list)
    }

    /// Finishes an interrupted session: transcribes the recording past the last stored
    /// segment (all of it when nothing was transcribed), scores the whole transcript and marks
    /// the session done. The interviewer's turns are not replayed.
    pub fn finish_interrupted(&self, session_id: &str) -> Result<SessionReport, EngineError> {
        let mut store = self.store()?;
        if store.session_status(session_id)? != SessionStatus::Interrupted {
            return Err(EngineError::NotInterrupted(session_id.to_string()));
        }
        let report = store.session_report(session_id)?;
        let (prompt, rubric) = self.content().prompt_with_rubric(&report.prompt_id)?;
        let mut segments: Vec<Segment> = report.transcript.segments.clone();
        let audio = PathBuf::from(&report.audio.path);
        let mut duration_s = report.audio.duration_s;
        if audio.is_file() {
            duration_s = rehearse_audio::repair_wav(&audio)?;
            let clip = rehearse_audio::read_wav_16k_mono(&audio)?;
            let done_until = segments.iter().map(|s| s.t1).fold(0.0, f64::max);
            let from = ((done_until * f64::from(rehearse_audio::TARGET_RATE)) as usize)
                .min(clip.samples.len());
            if clip.samples.len() - from > rehearse_audio::TARGET_RATE as usize / 4 {
                let mut stt = load_stt(self)?;
                for mut seg in transcribe_clip(&mut stt, &clip.samples[from..])? {
                    seg.t0 += done_until;
                    seg.t1 += done_until;
                    store.add_segment(session_id, &seg, Some(&self.settings().model_id))?;
                    segments.push(seg);
                }
            }
        }
        let (interviewer, notice) = build_interviewer(self.settings(), prompt, rubric);
        if let Some(n) = notice {
            tracing::warn!("{n}");
        }
        let card = interviewer.score(&segments);
        if let Some(n) = card.notice() {
            tracing::warn!("{n}");
        }
        store.save_scorecard_with_reason(
            session_id,
            &card.value,
            "finished after an interruption",
        )?;
        if let Err(e) = queue_gaps(&mut store, rubric, &prompt.title, session_id) {
            tracing::warn!(error = %e, "could not queue the session's study gaps");
        }
        store.finish_session(session_id, &now_rfc3339(), duration_s, SessionStatus::Done)?;
        crate::retention::after_scoring(self.settings().keep_audio, &store, session_id);
        Ok(store.session_report(session_id)?)
    }
}
