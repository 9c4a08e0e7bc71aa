//! Accounts on PostgreSQL (migration 0004): users, one-time links, sessions and log-in
//! attempts. This layer stores and fetches; it never sees a password or a raw token, only
//! their hashes, and it decides no policy (lengths of time, limits): `pmle_app::accounts`
//! does. Times are milliseconds since the Unix epoch.
//!
//! Account writes do not bump the learner's change token (`pmle_changes`): they change no
//! study data, and a session's last-seen time moves on every page.

use postgres::{Client, GenericClient, Row, Transaction};

use crate::StoreError;
use crate::postgres::PgStore;

/// What a user may do on a team server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Learner,
    Coach,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Learner, Role::Coach, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::Coach => "coach",
            Role::Admin => "admin",
        }
    }

    /// The role named `s` exactly (lower case), if any.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// The first password of a new user.
    Invite,
    /// A new password after an admin's reset.
    Reset,
}

impl LinkPurpose {
    fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invite => "invite",
            LinkPurpose::Reset => "reset",
        }
    }
}

/// A row of `users`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub role: Role,
    /// The argon2id PHC string; `None` until a link is redeemed.
    pub password_hash: Option<String>,
    pub disabled: bool,
    pub created_at_ms: i64,
}

/// A new one-time link: the SHA-256 of its token and its lifetime.
#[derive(Debug, Clone, Copy)]
pub struct NewLink {
    pub token_hash: [u8; 32],
    pub purpose: LinkPurpose,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
}

/// A one-time link with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    pub user_id: i64,
    pub email: String,
    pub purpose: LinkPurpose,
    pub expires_at_ms: i64,
    pub used_at_ms: Option<i64>,
    pub user_disabled: bool,
}

/// A new session: the SHA-256 of its token, its CSRF secret and its lifetime.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: [u8; 32],
    pub user_id: i64,
    pub csrf_secret: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
}

/// A session with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub user: UserRow,
    pub csrf_secret: String,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    pub expires_at_ms: i64,
}

/// Failed log-ins in the window, counted when an attempt begins (its own row excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptCounts {
    /// The attempt's row, to mark it succeeded or forget it.
    pub id: i64,
    pub email_failures: i64,
    pub address_failures: i64,
    /// When the `email_limit`-th newest failure for the e-mail happened (`None` when there
    /// are fewer): the window after it, the attempts are under the limit again.
    pub email_nth_newest_ms: Option<i64>,
    /// The same for the address and `address_limit`.
    pub address_nth_newest_ms: Option<i64>,
}

/// Accounts in a PostgreSQL database (its own connection, on its own thread).
#[derive(Debug)]
pub struct PgAccounts {
    store: PgStore,
}

/// Run `f` in a read-write transaction (sessions default to read-only) without touching
/// the learner's change token.
fn write<R>(
    client: &mut Client,
    f: impl FnOnce(&mut Transaction<'_>) -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    let mut tx = client.build_transaction().read_only(false).start()?;
    let out = f(&mut tx)?;
    tx.commit()?;
    Ok(out)
}

const USER_COLUMNS: &str = "u.id, u.email, u.role, u.password_hash, u.disabled, u.created_at";

/// A `users` row from the first six columns of `r` (in `USER_COLUMNS` order).
fn user(r: &Row) -> Result<UserRow, StoreError> {
    let role: &str = r.get(2);
    Ok(UserRow {
        id: r.get(0),
        email: r.get(1),
        role: Role::parse(role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        password_hash: r.get(3),
        disabled: r.get(4),
        created_at_ms: r.get(5),
    })
}

fn insert_link(tx: &mut Transaction<'_>, user_id: i64, link: &NewLink) -> Result<(), StoreError> {
    // An older link still unused stops working: only the newest one is valid.
    tx.execute(
        "UPDATE invitations SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
        &[&user_id, &link.created_at_ms],
    )?;
    tx.execute(
        "INSERT INTO invitations (token_hash, user_id, purpose, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &&link.token_hash[..],
            &user_id,
            &link.purpose.as_str(),
            &link.created_at_ms,
            &link.expires_at_ms,
        ],
    )?;
    Ok(())
}

/// The `nth` newest failure (1-based) of the attempts matching `column = key` since
/// `since_ms`, other than attempt `own`.
/// The failures under `key` in the window (besides the attempt `own`), and the time of the
/// `nth` newest. `in_flight`: whether attempts still being checked count as failures (the
/// e-mail's limit: parallel guesses at one account) or only decided ones (the address's
/// limit: many people behind one address log in at once).
fn nth_newest(
    c: &mut impl GenericClient,
    column: &str,
    key: &str,
    since_ms: i64,
    own: i64,
    nth: i64,
    in_flight: bool,
) -> Result<(i64, Option<i64>), StoreError> {
    let decided = if in_flight { "" } else { " AND checked" };
    let count: i64 = c
        .query_one(
            &format!(
                "SELECT count(*) FROM login_attempts WHERE {column} = $1 AND NOT succeeded \
                 AND attempted_at > $2 AND id <> $3{decided}"
            ),
            &[&key, &since_ms, &own],
        )?
        .get(0);
    let at = c
        .query_opt(
            &format!(
                "SELECT attempted_at FROM login_attempts WHERE {column} = $1 AND NOT succeeded \
                 AND attempted_at > $2 AND id <> $3{decided} \
                 ORDER BY attempted_at DESC, id DESC OFFSET $4 LIMIT 1"
            ),
            &[&key, &since_ms, &own, &(nth.max(1) - 1)],
        )?
        .map(|r| r.get(0));
    Ok((count, at))
}

impl PgAccounts {
    /// Connect to the database at `url` and bring its schema up to date (as [`PgStore::open`]).
    pub fn open(url: &str) -> Result<PgAccounts, StoreError> {
        Ok(PgAccounts {
            store: PgStore::open(url)?,
        })
    }

    /// Accounts over an open store's database (the store's connection is theirs now).
    pub fn from_store(store: PgStore) -> PgAccounts {
        PgAccounts { store }
    }

    /// The database's address without its password.
    pub fn url(&self) -> &str {
        self.store.url()
    }

    /// Add a user with no password and their invitation link; `None` if a user with this
    /// e-mail (in any case) exists.
    pub fn create_user(
        &self,
        email: &str,
        role: Role,
        link: &NewLink,
    ) -> Result<Option<i64>, StoreError> {
        let (email, link) = (email.to_owned(), *link);
        self.store.run(move |c| {
            write(c, |tx| {
                let Some(row) = tx.query_opt(
                    "INSERT INTO users (email, role, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT ((lower(email))) DO NOTHING RETURNING id",
                    &[&email, &role.as_str(), &link.created_at_ms],
                )?
                else {
                    return Ok(None);
                };
                let id: i64 = row.get(0);
                insert_link(tx, id, &link)?;
                Ok(Some(id))
            })
        })
    }

    /// The user with this e-mail, compared without case.
    pub fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError> {
        let email = email.to_owned();
        self.store.run(move |c| {
            c.query_opt(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE lower(u.email) = lower($1)"),
                &[&email],
            )?
            .as_ref()
            .map(user)
            .transpose()
        })
    }

    /// Every user, oldest first.
    pub fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        self.store.run(|c| {
            c.query(
                &format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.id"),
                &[],
            )?
            .iter()
            .map(user)
            .collect()
        })
    }

    /// A reset: the user's password is cleared, their sessions end, and `link` replaces any
    /// unused one. False if there is no such user.
    pub fn reset(&self, user_id: i64, link: &NewLink) -> Result<bool, StoreError> {
        let link = *link;
        self.store.run(move |c| {
            write(c, |tx| {
                let n = tx.execute(
                    "UPDATE users SET password_hash = NULL WHERE id = $1",
                    &[&user_id],
                )?;
                if n == 0 {
                    return Ok(false);
                }
                tx.execute("DELETE FROM sessions WHERE user_id = $1", &[&user_id])?;
                insert_link(tx, user_id, &link)?;
                Ok(true)
            })
        })
    }

    /// The link whose token hashes to `token_hash`, used or not, expired or not.
    pub fn link(&self, token_hash: [u8; 32]) -> Result<Option<LinkRow>, StoreError> {
        self.store.run(move |c| {
            let Some(r) = c.query_opt(
                "SELECT i.user_id, u.email, i.purpose, i.expires_at, i.used_at, u.disabled \
                 FROM invitations i JOIN users u ON u.id = i.user_id WHERE i.token_hash = $1",
                &[&&token_hash[..]],
            )?
            else {
                return Ok(None);
            };
            let purpose = match r.get::<_, &str>(2) {
                "invite" => LinkPurpose::Invite,
                "reset" => LinkPurpose::Reset,
                other => return Err(StoreError::Corrupt(format!("link purpose {other:?}"))),
            };
            Ok(Some(LinkRow {
                user_id: r.get(0),
                email: r.get(1),
                purpose,
                expires_at_ms: r.get(3),
                used_at_ms: r.get(4),
                user_disabled: r.get(5),
            }))
        })
    }

    /// Use the link once: if it is unused, unexpired at `now_ms` and its user is enabled,
    /// mark it used, set the password hash and end the user's sessions, all in one
    /// transaction; the user's id. `None` otherwise (two redeems at once: one wins).
    pub fn redeem(
        &self,
        token_hash: [u8; 32],
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Option<i64>, StoreError> {
        let password_hash = password_hash.to_owned();
        self.store.run(move |c| {
            write(c, |tx| {
                let Some(r) = tx.query_opt(
                    "UPDATE invitations i SET used_at = $2 FROM users u \
                     WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 \
                       AND u.id = i.user_id AND NOT u.disabled \
                     RETURNING i.user_id",
                    &[&&token_hash[..], &now_ms],
                )?
                else {
                    return Ok(None);
                };
                let id: i64 = r.get(0);
                tx.execute(
                    "UPDATE users SET password_hash = $2 WHERE id = $1",
                    &[&id, &password_hash],
                )?;
                tx.execute("DELETE FROM sessions WHERE user_id = $1", &[&id])?;
                Ok(Some(id))
            })
        })
    }

    /// Disable (ending every session) or enable a user; false if there is no such user.
    pub fn set_disabled(&self, user_id: i64, disabled: bool) -> Result<bool, StoreError> {
        self.store.run(move |c| {
            write(c, |tx| {
                let n = tx.execute(
                    "UPDATE users SET disabled = $2 WHERE id = $1",
                    &[&user_id, &disabled],
                )?;
                if disabled {
                    tx.execute("DELETE FROM sessions WHERE user_id = $1", &[&user_id])?;
                }
                Ok(n > 0)
            })
        })
    }

    /// Record a log-in attempt (a failure until [`Self::attempt_succeeded`]) and count the
    /// failures since `since_ms` by the same e-mail and by the same address, after
    /// deleting attempts older than that. The row is committed before counting, so
    /// attempts racing on several servers count each other.
    pub fn begin_attempt(
        &self,
        email_key: &str,
        address: &str,
        now_ms: i64,
        since_ms: i64,
        email_limit: i64,
        address_limit: i64,
    ) -> Result<AttemptCounts, StoreError> {
        let (email_key, address) = (email_key.to_owned(), address.to_owned());
        self.store.run(move |c| {
            let id = write(c, |tx| {
                tx.execute(
                    "DELETE FROM login_attempts WHERE attempted_at <= $1",
                    &[&since_ms],
                )?;
                Ok(tx
                    .query_one(
                        "INSERT INTO login_attempts (email_key, address, attempted_at, checked) \
                         VALUES ($1, $2, $3, false) RETURNING id",
                        &[&email_key, &address, &now_ms],
                    )?
                    .get::<_, i64>(0))
            })?;
            let (email_failures, email_nth_newest_ms) =
                nth_newest(c, "email_key", &email_key, since_ms, id, email_limit, true)?;
            let (address_failures, address_nth_newest_ms) =
                nth_newest(c, "address", &address, since_ms, id, address_limit, false)?;
            Ok(AttemptCounts {
                id,
                email_failures,
                address_failures,
                email_nth_newest_ms,
                address_nth_newest_ms,
            })
        })
    }

    /// The attempt succeeded: it no longer counts as a failure.
    pub fn attempt_succeeded(&self, id: i64) -> Result<(), StoreError> {
        self.store.run(move |c| {
            write(c, |tx| {
                tx.execute(
                    "UPDATE login_attempts SET succeeded = true, checked = true WHERE id = $1",
                    &[&id],
                )?;
                Ok(())
            })
        })
    }

    /// The attempt's password was checked and it failed: it now counts against the address
    /// too (while in flight it counted against the e-mail only).
    pub fn attempt_failed(&self, id: i64) -> Result<(), StoreError> {
        self.store.run(move |c| {
            write(c, |tx| {
                tx.execute(
                    "UPDATE login_attempts SET checked = true WHERE id = $1",
                    &[&id],
                )?;
                Ok(())
            })
        })
    }

    /// Forget an attempt that was refused before its password was checked.
    pub fn forget_attempt(&self, id: i64) -> Result<(), StoreError> {
        self.store.run(move |c| {
            write(c, |tx| {
                tx.execute("DELETE FROM login_attempts WHERE id = $1", &[&id])?;
                Ok(())
            })
        })
    }

    /// Store a new session, and delete the sessions (anyone's) that ended unseen: past their
    /// `expires_at`, or last seen at or before `idle_before_ms`.
    pub fn create_session(&self, s: &NewSession, idle_before_ms: i64) -> Result<(), StoreError> {
        let s = s.clone();
        self.store.run(move |c| {
            write(c, |tx| {
                tx.execute(
                    "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2",
                    &[&s.created_at_ms, &idle_before_ms],
                )?;
                tx.execute(
                    "INSERT INTO sessions (token_hash, user_id, csrf_secret, created_at, \
                     last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)",
                    &[
                        &&s.token_hash[..],
                        &s.user_id,
                        &s.csrf_secret,
                        &s.created_at_ms,
                        &s.expires_at_ms,
                    ],
                )?;
                Ok(())
            })
        })
    }

    /// The session whose token hashes to `token_hash`, with its user, expired or not.
    pub fn session(&self, token_hash: [u8; 32]) -> Result<Option<SessionRow>, StoreError> {
        self.store.run(move |c| {
            let Some(r) = c.query_opt(
                &format!(
                    "SELECT {USER_COLUMNS}, s.csrf_secret, s.created_at, s.last_seen_at, \
                     s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id \
                     WHERE s.token_hash = $1"
                ),
                &[&&token_hash[..]],
            )?
            else {
                return Ok(None);
            };
            Ok(Some(SessionRow {
                user: user(&r)?,
                csrf_secret: r.get(6),
                created_at_ms: r.get(7),
                last_seen_at_ms: r.get(8),
                expires_at_ms: r.get(9),
            }))
        })
    }

    /// Move a session's last-seen time forward to `now_ms`.
    pub fn touch_session(&self, token_hash: [u8; 32], now_ms: i64) -> Result<(), StoreError> {
        self.store.run(move |c| {
            write(c, |tx| {
                tx.execute(
                    "UPDATE sessions SET last_seen_at = greatest(last_seen_at, $2) \
                     WHERE token_hash = $1",
                    &[&&token_hash[..], &now_ms],
                )?;
                Ok(())
            })
        })
    }

    /// End a session; false if there was none.
    pub fn delete_session(&self, token_hash: [u8; 32]) -> Result<bool, StoreError> {
        self.store.run(move |c| {
            write(c, |tx| {
                Ok(tx.execute(
                    "DELETE FROM sessions WHERE token_hash = $1",
                    &[&&token_hash[..]],
                )? > 0)
            })
        })
    }

    /// How many sessions the user has (ended ones are deleted; expired ones may linger
    /// until they are looked up).
    pub fn session_count(&self, user_id: i64) -> Result<i64, StoreError> {
        self.store.run(move |c| {
            Ok(c.query_one(
                "SELECT count(*) FROM sessions WHERE user_id = $1",
                &[&user_id],
            )?
            .get(0))
        })
    }
}
