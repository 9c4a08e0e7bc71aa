-- The maintainers' triage of a question report (issue 20 point 6): accepted, rejected, or
-- fixed in a pmle release (`fixed_in`, MAJOR.MINOR.PATCH), an optional note for the
-- reporter and when it was decided. NULL `outcome`: not triaged yet.
--
-- `status` (0006) stays, kept in step: resolved for accepted or fixed, dismissed for
-- rejected. Rows triaged before this migration keep their meaning: resolved becomes
-- accepted (the version of a fix was never recorded), dismissed becomes rejected; their
-- triage time is unknown (NULL).
ALTER TABLE question_reports ADD COLUMN outcome TEXT
    CHECK (outcome IS NULL OR outcome IN ('accepted', 'rejected', 'fixed'));
ALTER TABLE question_reports ADD COLUMN fixed_in TEXT
    CHECK (fixed_in IS NULL OR length(fixed_in) BETWEEN 5 AND 32);
ALTER TABLE question_reports ADD COLUMN note TEXT
    CHECK (note IS NULL OR length(note) <= 500);
ALTER TABLE question_reports ADD COLUMN triaged_at INTEGER;
UPDATE question_reports SET outcome = 'accepted' WHERE status = 'resolved';
UPDATE question_reports SET outcome = 'rejected' WHERE status = 'dismissed';
