-- Accounts for a team server (issue 19): users, one-time invitation and reset links, log-in
-- sessions, and failed log-ins for rate limiting. PostgreSQL only: an SQLite file serves one
-- learner without accounts. No secret is stored in the clear: invitation and session tokens
-- are stored as their SHA-256 (a token is 256 random bits, so a fast hash is enough), and
-- passwords as argon2id PHC strings. Times are milliseconds since the Unix epoch, as
-- everywhere in pmle.

-- Ids start at 1: user id 0 is the single learner of a database opened without accounts.
CREATE TABLE users (
    id             bigint  GENERATED ALWAYS AS IDENTITY (START WITH 1) PRIMARY KEY,
    email          text    NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    role           text    NOT NULL CHECK (role IN ('learner', 'coach', 'admin')),
    -- NULL until the invitation is redeemed, and again after an admin's reset.
    password_hash  text    CHECK (password_hash IS NULL OR password_hash LIKE '$argon2id$%'),
    disabled       boolean NOT NULL DEFAULT false,
    created_at     bigint  NOT NULL
);
-- E-mail addresses are unique whatever their case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- A one-time link: `invite` sets the first password, `reset` a new one. Redeeming sets
-- used_at; a new link for the same user marks the older unused ones used.
CREATE TABLE invitations (
    token_hash  bytea   PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    user_id     bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     text    NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at  bigint  NOT NULL,
    expires_at  bigint  NOT NULL,
    used_at     bigint
);
CREATE INDEX invitations_by_user ON invitations (user_id);

-- A log-in. The cookie holds the token; the row holds its SHA-256. The CSRF secret is kept
-- as it is: forms echo it, and it is worth nothing without the session cookie. A session
-- ends at expires_at (absolute) or when idle too long after last_seen_at (the limit is
-- pmle's, not the row's), at log-out, on a reset and when the user is disabled.
CREATE TABLE sessions (
    token_hash    bytea   PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    user_id       bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_secret   text    NOT NULL,
    created_at    bigint  NOT NULL,
    last_seen_at  bigint  NOT NULL,
    expires_at    bigint  NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- One row per log-in attempt, written before the password is checked, so that the limits
-- hold across several servers and concurrent attempts; a successful one is marked. Rows
-- older than the window are deleted as new attempts come in. email_key is the address as
-- typed, in lower case (an unknown one counts too); address is the client's IP address, or
-- its /64 network for IPv6.
CREATE TABLE login_attempts (
    id            bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email_key     text    NOT NULL CHECK (char_length(email_key) <= 254),
    address       text    NOT NULL CHECK (char_length(address) <= 64),
    attempted_at  bigint  NOT NULL,
    succeeded     boolean NOT NULL DEFAULT false
);
CREATE INDEX login_attempts_by_email ON login_attempts (email_key, attempted_at);
CREATE INDEX login_attempts_by_address ON login_attempts (address, attempted_at);
CREATE INDEX login_attempts_by_time ON login_attempts (attempted_at);
