-- What the learner keeps about single questions (issue 18): bookmarks and practice flags,
-- private notes, and reports of a faulty question for the pack's maintainers.
--
-- A mark is a bookmark or a flag set in practice; unsetting it deletes the row.
CREATE TABLE question_marks (
    question_id TEXT NOT NULL,
    mark TEXT NOT NULL CHECK (mark IN ('bookmark', 'flag')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (question_id, mark)
);

-- A private note. Setting a note replaces this database's rows for the question; an import
-- adds the backup's note beside them unless the same (question, time, text) is there, so a
-- merge never loses a note: the newest row is the note shown.
CREATE TABLE question_notes (
    id INTEGER PRIMARY KEY,
    question_id TEXT NOT NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    updated_at INTEGER NOT NULL
);
CREATE INDEX question_notes_by_question ON question_notes (question_id, updated_at);

-- A report of a faulty question. `status` is for triage later: open until a maintainer
-- (or the learner) marks it resolved or dismissed.
CREATE TABLE question_reports (
    id INTEGER PRIMARY KEY,
    question_id TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('wrong-key', 'unclear', 'outdated', 'typo')),
    text TEXT CHECK (text IS NULL OR length(text) <= 1000),
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed'))
);
CREATE INDEX question_reports_by_question ON question_reports (question_id);
