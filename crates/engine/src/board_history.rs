//! The whiteboard of stored sessions: the board as it was at any moment (for Review, in step
//! with the audio), when it changed, and the component library the UI's palette shows.

use crate::{Engine, EngineError};
use rehearse_board::history::{replay_at, BoardDelta, BoardRecorder};
use rehearse_core::{BoardGraph, ComponentInfo};
use rehearse_store::{BoardEventRow, Store};

impl Engine {
    /// The scene JSON (Excalidraw) of a session's board as it was at `t_s` seconds into it;
    /// `None` when nothing had been drawn by then.
    pub fn session_board_at(&self, id: &str, t_s: f64) -> Result<Option<String>, EngineError> {
        let rows = self.board_rows(id)?;
        // NaN reads as "before anything": no board rather than an error.
        let t_s = if t_s.is_nan() { f64::NEG_INFINITY } else { t_s };
        Ok(replay_at(payloads(&rows), t_s)?)
    }

    /// When a session's board changed, in seconds from its start.
    pub fn session_board_times(&self, id: &str) -> Result<Vec<f64>, EngineError> {
        let store = self.store()?;
        store.audio_path(id)?; // an unknown session is an error, not an empty history
        Ok(store.board_event_times(id)?)
    }

    /// The board as it was at the end of a session; `None` when nothing was drawn.
    pub fn session_board_final(&self, id: &str) -> Result<Option<String>, EngineError> {
        self.session_board_at(id, f64::INFINITY)
    }

    /// The board at the end of a session, read as the interviewer reads it.
    pub fn session_board_graph(&self, id: &str) -> Result<Option<BoardGraph>, EngineError> {
        match self.session_board_final(id)? {
            Some(scene) => Ok(Some(rehearse_board::scene_to_graph(&scene)?)),
            None => Ok(None),
        }
    }

    /// Stored bytes of a session's board history (for the size benchmark and diagnostics).
    pub fn session_board_bytes(&self, id: &str) -> Result<u64, EngineError> {
        Ok(self.store()?.board_history_bytes(id)?)
    }

    /// The component library, in the palette's order.
    pub fn board_components(&self) -> Vec<ComponentInfo> {
        rehearse_board::component_catalogue()
    }

    fn board_rows(&self, id: &str) -> Result<Vec<BoardEventRow>, EngineError> {
        let store = self.store()?;
        store.audio_path(id)?;
        Ok(store.board_events(id)?)
    }
}

/// Reads a whiteboard scene (Excalidraw JSON) as the interviewer would: the graph, or why
/// the scene is not a board.
pub fn read_board(scene_json: &str) -> Result<BoardGraph, EngineError> {
    Ok(rehearse_board::scene_to_graph(scene_json)?)
}

fn payloads(rows: &[BoardEventRow]) -> impl Iterator<Item = (f64, &[u8])> {
    rows.iter().map(|r| (r.at, r.payload.as_slice()))
}

/// A session's board while it is recorded: turns each scene from the UI into a stored diff
/// and a graph for the interviewer. A scene that cannot be read changes nothing.
#[derive(Default)]
pub(crate) struct LiveBoard {
    recorder: BoardRecorder,
    /// The last scene was unreadable and the candidate was told; said once per bad streak.
    told_bad: bool,
}

/// What one scene update did.
pub(crate) enum BoardUpdate {
    /// Nothing drawn changed (a selection, a scroll).
    Unchanged,
    Changed(BoardGraph),
    /// The scene could not be read; `Some` message the first time in a row.
    Unreadable(Option<String>),
}

impl LiveBoard {
    /// Records `scene_json` at session time `at` in the store.
    pub(crate) fn update(
        &mut self,
        store: &Store,
        session_id: &str,
        at: f64,
        scene_json: &str,
    ) -> BoardUpdate {
        let parsed = self.recorder.record(scene_json).and_then(|delta| {
            let graph = rehearse_board::scene_to_graph(scene_json)?;
            Ok((delta, graph))
        });
        match parsed {
            Ok((None, _)) => {
                self.told_bad = false;
                BoardUpdate::Unchanged
            }
            Ok((Some(delta), graph)) => {
                self.told_bad = false;
                if let Err(e) = store_delta(store, session_id, at, &delta) {
                    tracing::warn!(error = %e, "could not store a board change");
                }
                BoardUpdate::Changed(graph)
            }
            Err(e) => {
                tracing::warn!(error = %e, "ignored a board update");
                let first = !std::mem::replace(&mut self.told_bad, true);
                BoardUpdate::Unreadable(first.then(|| {
                    format!("The whiteboard could not be read ({e}); the interviewer keeps the last board it read.")
                }))
            }
        }
    }
}

pub(crate) fn store_delta(
    store: &Store,
    session_id: &str,
    at: f64,
    delta: &BoardDelta,
) -> Result<(), EngineError> {
    Ok(store.add_board_event(session_id, at, &delta.encode())?)
}

/// A whole board as one change at `at` (the board given with a recorded answer).
pub(crate) fn store_whole_board(
    store: &Store,
    session_id: &str,
    at: f64,
    scene_json: &str,
) -> Result<(), EngineError> {
    if let Some(delta) = BoardRecorder::new().record(scene_json)? {
        store_delta(store, session_id, at, &delta)?;
    }
    Ok(())
}
