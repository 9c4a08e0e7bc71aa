-- An unfinished exam the learner gave up on (`pmle exam --abandon`, or "abandon" at the
-- resume prompt or on the web): kept, with the instant it was abandoned, but never scored.
-- An abandoned exam records no answers and stays out of the history, the last score, the
-- readiness evidence and the prediction checks. A row is running while submitted_at and
-- abandoned_at are both NULL; at most one of them is ever set.
ALTER TABLE exams ADD COLUMN abandoned_at INTEGER;
