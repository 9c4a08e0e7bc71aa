-- Tenancy (issue 19): one database holds many learners. Every table a learner owns gets a
-- `user_id`, first in its keys and indexes, and every query of PgStore is scoped by it.
-- What was there before this migration belongs to learner 0: a database migrated from
-- 0002 keeps its one learner's history as user 0 (what `PgStore::open` serves).
--
-- The column is added with DEFAULT 0 (existing rows become user 0's, without rewriting the
-- table), then the default is dropped: a write that forgets the user fails instead of
-- landing in learner 0's history.
--
-- No foreign key to a users table yet: that table arrives with accounts (another branch);
-- its migration should add `REFERENCES users (id)` to these columns, after creating user 0
-- or moving user 0's rows to a real account.
--
-- Ids (answers, reviews, exams, notes, reports) stay global identities, so exam ids are
-- unique across learners; an exam's items and prediction reference (user_id, exam_id), so
-- they cannot hang under another learner's exam.

-- The writer lock and change token become per learner: `scope` was already "whose rows",
-- now it is the user id. A learner's row is created by their first write.
ALTER TABLE pmle_changes RENAME COLUMN scope TO user_id;

ALTER TABLE answers ADD COLUMN user_id bigint NOT NULL DEFAULT 0;
ALTER TABLE answers ALTER COLUMN user_id DROP DEFAULT;
DROP INDEX answers_by_question;
DROP INDEX answers_by_time;
CREATE INDEX answers_by_question ON answers (user_id, question_id, answered_at);
CREATE INDEX answers_by_time ON answers (user_id, answered_at);

ALTER TABLE schedule ADD COLUMN user_id bigint NOT NULL DEFAULT 0;
ALTER TABLE schedule ALTER COLUMN user_id DROP DEFAULT;
ALTER TABLE schedule DROP CONSTRAINT schedule_pkey;
ALTER TABLE schedule ADD PRIMARY KEY (user_id, item_kind, item_id);
DROP INDEX schedule_by_due;
CREATE INDEX schedule_by_due ON schedule (user_id, due_at);

ALTER TABLE reviews ADD COLUMN user_id bigint NOT NULL DEFAULT 0;
ALTER TABLE reviews ALTER COLUMN user_id DROP DEFAULT;
DROP INDEX reviews_by_item;
CREATE INDEX reviews_by_item ON reviews (user_id, item_kind, item_id, reviewed_at);

ALTER TABLE exams ADD COLUMN user_id bigint NOT NULL DEFAULT 0;
ALTER TABLE exams ALTER COLUMN user_id DROP DEFAULT;
-- (user_id, id) is unique because id is; the constraint is what the items' and the
-- prediction's foreign keys point at, and the index every lookup of an exam by id uses.
ALTER TABLE exams ADD CONSTRAINT exams_user_id_id_key UNIQUE (user_id, id);
DROP INDEX exams_running;
CREATE INDEX exams_running ON exams (user_id, started_at)
    WHERE submitted_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX exams_by_start ON exams (user_id, started_at);

ALTER TABLE exam_items ADD COLUMN user_id bigint NOT NULL DEFAULT 0;
ALTER TABLE exam_items ALTER COLUMN user_id DROP DEFAULT;
ALTER TABLE exam_items DROP CONSTRAINT exam_items_exam_id_fkey;
ALTER TABLE exam_items DROP CONSTRAINT exam_items_pkey;
ALTER TABLE exam_items ADD PRIMARY KEY (user_id, exam_id, position);
ALTER TABLE exam_items ADD CONSTRAINT exam_items_exam_fkey
    FOREIGN KEY (user_id, exam_id) REFERENCES exams (user_id, id);

ALTER TABLE exam_predictions ADD COLUMN user_id bigint NOT NULL DEFAULT 0;
ALTER TABLE exam_predictions ALTER COLUMN user_id DROP DEFAULT;
ALTER TABLE exam_predictions DROP CONSTRAINT exam_predictions_exam_id_fkey;
ALTER TABLE exam_predictions DROP CONSTRAINT exam_predictions_pkey;
ALTER TABLE exam_predictions ADD PRIMARY KEY (user_id, exam_id);
ALTER TABLE exam_predictions ADD CONSTRAINT exam_predictions_exam_fkey
    FOREIGN KEY (user_id, exam_id) REFERENCES exams (user_id, id);

ALTER TABLE settings ADD COLUMN user_id bigint NOT NULL DEFAULT 0;
ALTER TABLE settings ALTER COLUMN user_id DROP DEFAULT;
ALTER TABLE settings DROP CONSTRAINT settings_pkey;
ALTER TABLE settings ADD PRIMARY KEY (user_id, key);

ALTER TABLE question_marks ADD COLUMN user_id bigint NOT NULL DEFAULT 0;
ALTER TABLE question_marks ALTER COLUMN user_id DROP DEFAULT;
ALTER TABLE question_marks DROP CONSTRAINT question_marks_pkey;
ALTER TABLE question_marks ADD PRIMARY KEY (user_id, question_id, mark);

ALTER TABLE question_notes ADD COLUMN user_id bigint NOT NULL DEFAULT 0;
ALTER TABLE question_notes ALTER COLUMN user_id DROP DEFAULT;
DROP INDEX question_notes_by_question;
CREATE INDEX question_notes_by_question ON question_notes (user_id, question_id, updated_at);

ALTER TABLE question_reports ADD COLUMN user_id bigint NOT NULL DEFAULT 0;
ALTER TABLE question_reports ALTER COLUMN user_id DROP DEFAULT;
DROP INDEX question_reports_by_question;
CREATE INDEX question_reports_by_question ON question_reports (user_id, question_id);
