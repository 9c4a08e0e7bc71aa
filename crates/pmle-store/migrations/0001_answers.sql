-- Every answer the learner gives, in practice or in an exam.
-- Option indexes refer to the question's authoring order in the pack.
CREATE TABLE answers (
    id           INTEGER PRIMARY KEY,
    question_id  TEXT    NOT NULL,
    section_id   TEXT    NOT NULL,
    mode         TEXT    NOT NULL CHECK (mode IN ('practice', 'exam')),
    session_id   TEXT,
    shown_order  TEXT    NOT NULL, -- JSON array: authoring indexes in the order shown
    chosen       TEXT    NOT NULL, -- JSON array: authoring indexes the learner picked
    correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answered_at  INTEGER NOT NULL, -- Unix time, milliseconds
    duration_ms  INTEGER
);
CREATE INDEX answers_by_question ON answers (question_id, answered_at);
CREATE INDEX answers_by_time ON answers (answered_at);

-- Small facts about this database (which pmle created it, settings later).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
