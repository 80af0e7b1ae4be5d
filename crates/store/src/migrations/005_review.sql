-- Review: corrected segments keep what whisper heard; each score version says when and why
-- it was made; sessions say whether their audio was discarded; full-text search over
-- transcripts.
ALTER TABLE segments ADD COLUMN original_text TEXT;   -- NULL unless corrected
ALTER TABLE sessions ADD COLUMN audio_discarded_at TEXT; -- RFC 3339; NULL while the audio is kept
CREATE TABLE score_versions (
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,         -- RFC 3339, UTC
    reason      TEXT NOT NULL,
    PRIMARY KEY (session_id, version)
);
-- Versions scored before this migration: dated by the session's end (or start).
INSERT INTO score_versions (session_id, version, created_at, reason)
SELECT DISTINCT sc.session_id, sc.version, COALESCE(s.ended_at, s.started_at), 'scored'
FROM scores sc JOIN sessions s ON s.id = sc.session_id;
CREATE INDEX sessions_by_prompt ON sessions(prompt_id, started_at);
CREATE INDEX scores_by_session ON scores(session_id, version);
-- The transcript index: external content over segments (no second copy of the text), kept
-- in step by the triggers below, so every writer of segments keeps it right.
CREATE VIRTUAL TABLE transcript_fts USING fts5(
    text,
    content = 'segments',
    content_rowid = 'id',
    tokenize = 'porter unicode61'
);
CREATE TRIGGER segments_fts_insert AFTER INSERT ON segments BEGIN
    INSERT INTO transcript_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER segments_fts_delete AFTER DELETE ON segments BEGIN
    INSERT INTO transcript_fts (transcript_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER segments_fts_update AFTER UPDATE OF text ON segments BEGIN
    INSERT INTO transcript_fts (transcript_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO transcript_fts (rowid, text) VALUES (new.id, new.text);
END;
-- Segments stored before this migration.
INSERT INTO transcript_fts (transcript_fts) VALUES ('rebuild');
