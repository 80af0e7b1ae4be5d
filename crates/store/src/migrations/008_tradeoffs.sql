-- Trade-off decisions graded one by one, per score version (a re-score adds its own rows).
-- Quotes are verbatim transcript text; `missing` is a JSON array of part names
-- ("alternative", "reason", "number", "otherwise").
CREATE TABLE tradeoffs (
    id            INTEGER PRIMARY KEY,
    session_id    TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    ord           INTEGER NOT NULL,
    choice        TEXT NOT NULL,
    alternative   TEXT,
    reason        TEXT,
    reason_t0     REAL,
    number        TEXT,
    otherwise     TEXT,
    otherwise_t0  REAL,
    quote         TEXT NOT NULL,
    t0            REAL NOT NULL,
    level         INTEGER NOT NULL CHECK (level BETWEEN 0 AND 4),
    missing       TEXT NOT NULL,
    suggestion    TEXT NOT NULL,
    UNIQUE (session_id, version, ord)
);
