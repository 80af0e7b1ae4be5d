-- Spaced repetition (FSRS) state per study card; cards themselves live in content/.
CREATE TABLE card_state (
    card_id      TEXT PRIMARY KEY,
    stability    REAL NOT NULL,
    difficulty   REAL NOT NULL,
    due          TEXT NOT NULL,        -- RFC 3339, UTC
    last_review  TEXT NOT NULL,        -- RFC 3339, UTC
    reps         INTEGER NOT NULL,
    lapses       INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('learning', 'review', 'relearning'))
);
CREATE INDEX card_state_by_due ON card_state(due);
-- Every review, appended; never rewritten.
CREATE TABLE review_log (
    id              INTEGER PRIMARY KEY,
    card_id         TEXT NOT NULL,
    grade           INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
    reviewed_at     TEXT NOT NULL,     -- RFC 3339, UTC
    elapsed_days    REAL NOT NULL,     -- since the previous review (0 for the first)
    scheduled_days  REAL NOT NULL,     -- the interval chosen at this review
    state_before    TEXT NOT NULL
);
CREATE INDEX review_log_by_card ON review_log(card_id, reviewed_at);
-- Small facts about derived data, e.g. which content version the search index holds.
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
-- Full-text index over the embedded content (cards, glossary, prompts), rebuilt when the
-- content version changes.
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED,
    doc_id UNINDEXED,
    title,
    body,
    tokenize = 'porter unicode61'
);
