-- Optimistic concurrency for a running exam, which several front ends (CLI, TUI, web) may
-- work on at once. exams.version grows with every write to the exam or its items, so a
-- submit can tell it scored exactly what is saved; exam_items.version grows with every
-- change of the question's answer, so a front end that shows an older answer cannot write
-- it back over a newer one. exams.updated_at is the instant up to which elapsed_ms counts.
ALTER TABLE exams ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE exam_items ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
