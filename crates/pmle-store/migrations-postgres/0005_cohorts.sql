-- Cohorts for a team server (issue 19): a coach's group of learners, its members, and the
-- links that let learners join. PostgreSQL only. Times are milliseconds since the Unix epoch.

-- A cohort belongs to one coach. Deleting a user who still coaches a cohort is refused
-- (hand the cohort over or delete it first). The shared exam date is a calendar day;
-- a member's own exam date, when they set one, wins over it on the dashboard.
CREATE TABLE cohorts (
    id                bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              text    NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    coach_id          bigint  NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    shared_exam_date  date,
    -- Whether members may see their own anonymised standing in the cohort.
    show_standing     boolean NOT NULL DEFAULT false,
    created_at        bigint  NOT NULL
);
CREATE INDEX cohorts_by_coach ON cohorts (coach_id);

-- Membership. A learner may be in several cohorts (a company's cohort and a study group,
-- say); each cohort sees only its own membership. Leaving or being removed deletes the row;
-- the learner's study data is theirs and stays.
CREATE TABLE cohort_members (
    cohort_id  bigint  NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    user_id    bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at  bigint  NOT NULL,
    PRIMARY KEY (cohort_id, user_id)
);
CREATE INDEX cohort_members_by_user ON cohort_members (user_id);

-- A join link. It is multi-use (a coach shares one link with a whole group) until it
-- expires or the coach revokes it. Only the SHA-256 of its 256-bit token is stored.
CREATE TABLE cohort_invites (
    token_hash  bytea   PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    cohort_id   bigint  NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    created_at  bigint  NOT NULL,
    expires_at  bigint  NOT NULL,
    revoked_at  bigint
);
CREATE INDEX cohort_invites_by_cohort ON cohort_invites (cohort_id);
