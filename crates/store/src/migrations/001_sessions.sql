CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,
    prompt_id     TEXT NOT NULL,
    mode          TEXT NOT NULL DEFAULT 'interview',
    started_at    TEXT NOT NULL,
    ended_at      TEXT,
    status        TEXT NOT NULL,
    audio_path    TEXT NOT NULL,
    duration_s    REAL NOT NULL DEFAULT 0,
    model         TEXT
);
CREATE TABLE segments (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    t0          REAL NOT NULL,
    t1          REAL NOT NULL,
    text        TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT 'final',
    model       TEXT
);
CREATE INDEX segments_by_session ON segments(session_id, t0);
CREATE TABLE turns (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    at          REAL NOT NULL,
    role        TEXT NOT NULL,
    text        TEXT NOT NULL,
    targets     TEXT NOT NULL,
    backend     TEXT NOT NULL
);
CREATE INDEX turns_by_session ON turns(session_id, at);
-- A re-score adds a version; nothing is overwritten.
CREATE TABLE scores (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    dimension   TEXT NOT NULL,
    level       INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
    suggestion  TEXT NOT NULL,
    grader      TEXT NOT NULL,
    UNIQUE (session_id, version, dimension)
);
CREATE TABLE evidence (
    id        INTEGER PRIMARY KEY,
    score_id  INTEGER NOT NULL REFERENCES scores(id) ON DELETE CASCADE,
    quote     TEXT NOT NULL,
    t0        REAL NOT NULL
);
