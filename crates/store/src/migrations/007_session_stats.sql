-- Per-session delivery figures Progress charts (pace, filler rate), derived from the
-- session's current transcript and cached so Progress does not read every segment of every
-- session each time. Any change to a session's segments (recording, correction,
-- re-transcription, deletion) drops its row through the triggers below, whoever the writer
-- is; the engine recomputes missing rows when it next needs them.
CREATE TABLE session_stats (
    session_id  TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    pace_wpm    REAL,   -- NULL when the session has no transcript
    filler_rate REAL    -- fillers per 100 words; NULL when the session has no transcript
);
CREATE TRIGGER segments_stats_insert AFTER INSERT ON segments BEGIN
    DELETE FROM session_stats WHERE session_id = new.session_id;
END;
CREATE TRIGGER segments_stats_delete AFTER DELETE ON segments BEGIN
    DELETE FROM session_stats WHERE session_id = old.session_id;
END;
CREATE TRIGGER segments_stats_update AFTER UPDATE ON segments BEGIN
    DELETE FROM session_stats WHERE session_id IN (old.session_id, new.session_id);
END;
