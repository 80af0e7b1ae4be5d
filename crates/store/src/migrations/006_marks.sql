-- Moments the candidate marked during a session (a key press), to find them again in review.
CREATE TABLE marks (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    at          REAL NOT NULL,        -- seconds from the start of the session
    created_at  TEXT NOT NULL         -- RFC 3339, UTC
);
CREATE INDEX marks_by_session ON marks(session_id, at);
