-- The maintainers' triage of a question report: SQLite's migration 0007
-- (crates/pmle-store/migrations/0007_report_outcomes.sql) on PostgreSQL, with the same
-- meaning. NULL `outcome`: not triaged yet; `fixed_in` is the pmle release (MAJOR.MINOR.PATCH)
-- whose embedded pack carries the fix, present exactly when the outcome is `fixed`.
--
-- `status` stays, kept in step: resolved for accepted or fixed, dismissed for rejected.
-- Rows triaged before this migration: resolved becomes accepted, dismissed becomes
-- rejected, with an unknown (NULL) triage time.
--
-- Numbered 0006 on its branch because 0005 (cohorts) is taken on another; renumbered at
-- merge if needed.
ALTER TABLE question_reports
    ADD COLUMN outcome    text   CHECK (outcome IS NULL OR outcome IN ('accepted', 'rejected', 'fixed')),
    ADD COLUMN fixed_in   text   CHECK (fixed_in IS NULL OR char_length(fixed_in) BETWEEN 5 AND 32),
    ADD COLUMN note       text   CHECK (note IS NULL OR char_length(note) <= 500),
    ADD COLUMN triaged_at bigint;
UPDATE question_reports SET outcome = 'accepted' WHERE status = 'resolved';
UPDATE question_reports SET outcome = 'rejected' WHERE status = 'dismissed';
ALTER TABLE question_reports
    ADD CONSTRAINT question_reports_fixed_in CHECK ((outcome IS NOT DISTINCT FROM 'fixed') = (fixed_in IS NOT NULL));
