-- Word timings of a transcript segment: a JSON array of {"t0", "t1", "text"} in seconds from
-- the start of the session (whisper's token timestamps). NULL for segments stored before
-- words were kept and for corrected segments (a correction has no timings of its own).
ALTER TABLE segments ADD COLUMN words TEXT;
