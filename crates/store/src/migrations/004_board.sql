-- Board history: one row per change of the whiteboard, at its session time. The payload is
-- a diff against the board before it (rehearse-board's history format: deflated JSON), so a
-- 45-minute session's board stays small; the graph is derived from the replayed scene, never
-- stored twice.
CREATE TABLE board_events (
    id          INTEGER PRIMARY KEY,   -- order of recording
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    at          REAL NOT NULL,         -- seconds from the start of the session
    payload     BLOB NOT NULL
);
CREATE INDEX board_events_by_session ON board_events(session_id, at, id);
