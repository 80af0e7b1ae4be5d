-- A dimension's checklist as graded: a JSON array of {"name", "met", "evidence"} in the
-- rubric's order (rehearse_core::CheckResult). NULL for scores stored before checklists.
ALTER TABLE scores ADD COLUMN checks TEXT;
