-- The readiness prediction for a mock exam's score, stored when the exam starts, so that
-- the learner's record can check the estimate against the score (docs/engine.md §5).
-- Scores are shares, 0–1; low and high bound the 80% interval.
CREATE TABLE exam_predictions (
    exam_id    INTEGER PRIMARY KEY REFERENCES exams (id),
    predicted  REAL    NOT NULL CHECK (predicted BETWEEN 0 AND 1),
    low        REAL    NOT NULL CHECK (low BETWEEN 0 AND 1),
    high       REAL    NOT NULL CHECK (high BETWEEN 0 AND 1),
    made_at    INTEGER NOT NULL
);
