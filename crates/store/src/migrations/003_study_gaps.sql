-- Study gaps found by practice sessions. A rubric dimension scored 0 or 1 queues the cards
-- that teach it; each follow-up on such a dimension becomes a gap card. Queued cards come
-- first in study until they are reviewed (cleared_at set), then follow FSRS like any card.
CREATE TABLE study_queue (
    id          INTEGER PRIMARY KEY,   -- queue order
    card_id     TEXT NOT NULL,         -- a content card or a gap card
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    dimension   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    queued_at   TEXT NOT NULL,         -- RFC 3339, UTC
    cleared_at  TEXT,                  -- the review that cleared it; NULL while queued
    UNIQUE (session_id, card_id)
);
CREATE INDEX study_queue_pending ON study_queue(card_id) WHERE cleared_at IS NULL;
-- A follow-up the candidate could not answer, as a question card of its own.
CREATE TABLE gap_cards (
    id          TEXT PRIMARY KEY,      -- gap-<session>-<n>
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    n           INTEGER NOT NULL,      -- the follow-up's place among the session's turns, from 1
    dimension   TEXT NOT NULL,
    front       TEXT NOT NULL,         -- the follow-up
    back        TEXT NOT NULL,         -- the dimension's suggestion and the prompt
    created_at  TEXT NOT NULL,         -- RFC 3339, UTC
    UNIQUE (session_id, n)
);
