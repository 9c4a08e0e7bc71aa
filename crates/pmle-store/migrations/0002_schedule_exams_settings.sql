-- Spaced-repetition state of every scheduled item: flashcards, and questions once missed.
CREATE TABLE schedule (
    item_kind       TEXT    NOT NULL CHECK (item_kind IN ('card', 'question')),
    item_id         TEXT    NOT NULL,
    stability       REAL    NOT NULL,
    difficulty      REAL    NOT NULL,
    last_review_at  INTEGER NOT NULL, -- Unix ms
    due_at          INTEGER NOT NULL, -- Unix ms
    reps            INTEGER NOT NULL,
    lapses          INTEGER NOT NULL,
    PRIMARY KEY (item_kind, item_id)
);
CREATE INDEX schedule_by_due ON schedule (due_at);

-- The full review log (FSRS optimizer input); the state after each review.
CREATE TABLE reviews (
    id           INTEGER PRIMARY KEY,
    item_kind    TEXT    NOT NULL CHECK (item_kind IN ('card', 'question')),
    item_id      TEXT    NOT NULL,
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    reviewed_at  INTEGER NOT NULL,
    stability    REAL    NOT NULL,
    difficulty   REAL    NOT NULL,
    due_at       INTEGER NOT NULL
);
CREATE INDEX reviews_by_item ON reviews (item_kind, item_id, reviewed_at);

-- Mock exams. Time is counted while pmle is running: elapsed_ms is saved with every event,
-- so a resumed exam has the time that was left when it stopped.
CREATE TABLE exams (
    id              INTEGER PRIMARY KEY,
    seed            INTEGER NOT NULL,
    variant         TEXT    NOT NULL CHECK (variant IN ('full', 'section', 'retry')),
    section_id      TEXT,
    time_limit_ms   INTEGER NOT NULL,
    elapsed_ms      INTEGER NOT NULL DEFAULT 0,
    current         INTEGER NOT NULL DEFAULT 0,
    started_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    submitted_at    INTEGER,
    auto_submitted  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE exam_items (
    exam_id      INTEGER NOT NULL REFERENCES exams (id),
    position     INTEGER NOT NULL,
    question_id  TEXT    NOT NULL,
    section_id   TEXT    NOT NULL,
    shown_order  TEXT    NOT NULL, -- JSON: authoring indexes in the order shown
    chosen       TEXT,             -- JSON: authoring indexes picked; NULL while unanswered
    flagged      INTEGER NOT NULL DEFAULT 0,
    time_ms      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (exam_id, position)
);

-- User settings as JSON values (retention, exam length, readiness target, FSRS parameters).
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
