//! Accounts for a team server (issue 19): users and roles, one-time invitation and reset
//! links, password log-in with rate limiting, and server-side sessions with a CSRF secret
//! each. PostgreSQL only ([`PgAccounts`]); the policy is here, the rows in `pmle-store`.
//!
//! The numbers, all stated once below: argon2id with m = 19 MiB, t = 2, p = 1 (OWASP);
//! 256-bit tokens, stored as SHA-256; invitation links last 7 days, reset links 24 hours;
//! sessions end after 8 hours idle or 7 days in all, and record activity at most once a
//! minute; log-in is refused after 5 failures for one e-mail address or 30 from one client
//! address (an IPv6 client's /64 network) within 15 minutes, until the oldest of them is 15
//! minutes old. Every operation takes `now`.

use std::net::IpAddr;

use pmle_store::{LinkPurpose, NewLink, NewSession, PgAccounts, StoreError, UserRow};
use time::{Duration, OffsetDateTime};

pub use pmle_store::Role;
pub use secrets::{
    ARGON2_ITERATIONS, ARGON2_MEMORY_KIB, ARGON2_PARALLELISM, MAX_EMAIL_CHARS, MAX_PASSWORD_CHARS,
    MIN_PASSWORD_CHARS, TOKEN_BYTES, TOKEN_CHARS, check_email, check_password, secrets_match,
};

pub(crate) mod secrets;

/// How long an invitation link works.
pub const INVITATION_LIFETIME: Duration = Duration::days(7);
/// How long a reset link works.
pub const RESET_LIFETIME: Duration = Duration::hours(24);
/// A session ends after this long without a request.
pub const SESSION_IDLE: Duration = Duration::hours(8);
/// A session ends this long after log-in, however active.
pub const SESSION_ABSOLUTE: Duration = Duration::days(7);
/// A session's last-seen time is written at most this often.
pub const SESSION_TOUCH_EVERY: Duration = Duration::minutes(1);
/// Failed log-ins counted for rate limiting are those within this window.
pub const LOGIN_WINDOW: Duration = Duration::minutes(15);
/// Failed log-ins allowed for one e-mail address within the window.
pub const LOGIN_FAILURES_PER_EMAIL: i64 = 5;
/// Failed log-ins allowed from one client address within the window.
pub const LOGIN_FAILURES_PER_ADDRESS: i64 = 30;

/// Why an account operation failed; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("not a usable e-mail address: {0}")]
    InvalidEmail(String),
    #[error("there is already a user with the e-mail address {0} (addresses ignore case)")]
    EmailTaken(String),
    #[error("there is no user with the e-mail address {0}; `pmle admin users` lists them")]
    NoSuchUser(String),
    #[error(
        "this link does not work: it was used already, has expired or was replaced by a newer \
         one; ask an admin for a new one (pmle admin reset-password EMAIL)"
    )]
    LinkInvalid,
    #[error("choose another password: {0}")]
    WeakPassword(String),
    #[error("wrong e-mail address or password")]
    WrongCredentials,
    #[error("too many failed log-ins {who}; try again after {}", hhmm(*.retry_at))]
    RateLimited {
        who: &'static str,
        retry_at: OffsetDateTime,
    },
    #[error("this account is disabled; ask an admin to enable it (pmle admin enable EMAIL)")]
    Disabled,
    #[error("cannot read random bytes from the operating system: {0}")]
    Entropy(String),
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn hhmm(t: OffsetDateTime) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    t.format(&f).unwrap_or_else(|_| t.to_string())
}

/// A one-time link's token, shown once: `<base-url>/invite/<token>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub user_id: i64,
    pub email: String,
    pub token: String,
    pub expires_at: OffsetDateTime,
}

/// A user as `pmle admin users` lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub status: UserStatus,
    pub created_at: OffsetDateTime,
}

/// Where a user stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    /// No password yet: an invitation or reset link is outstanding (or expired).
    Invited,
    Active,
    Disabled,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Invited => "invited",
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        }
    }
}

/// What a valid link is for, to show on its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkInfo {
    pub email: String,
    /// True for a reset link, false for an invitation.
    pub reset: bool,
    pub expires_at: OffsetDateTime,
}

/// A new session: the cookie's token (shown once; only its hash is stored) and the CSRF
/// secret forms must echo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLogin {
    pub token: String,
    pub csrf_secret: String,
    pub user_id: i64,
    pub expires_at: OffsetDateTime,
}

/// Whom a request's session cookie belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub user_id: i64,
    pub email: String,
    pub role: Role,
    pub csrf_secret: String,
}

fn ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

fn at(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The key a client address is counted under: the address, or an IPv6 client's /64 (one
/// host usually holds a whole /64).
fn address_key(addr: IpAddr) -> String {
    match addr {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
    }
}

/// Users, links and sessions in a PostgreSQL database.
#[derive(Debug)]
pub struct Accounts {
    store: PgAccounts,
}

impl Accounts {
    pub fn new(store: PgAccounts) -> Accounts {
        Accounts { store }
    }

    fn new_link(
        purpose: LinkPurpose,
        now: OffsetDateTime,
    ) -> Result<(String, NewLink), AccountError> {
        let token = secrets::new_token()?;
        let token_hash = secrets::token_hash(&token)
            .ok_or_else(|| AccountError::Entropy("a token of the wrong shape".to_owned()))?;
        let lifetime = match purpose {
            LinkPurpose::Invite => INVITATION_LIFETIME,
            LinkPurpose::Reset => RESET_LIFETIME,
        };
        let link = NewLink {
            token_hash,
            purpose,
            created_at_ms: ms(now),
            expires_at_ms: ms(now + lifetime),
        };
        Ok((token, link))
    }

    fn user(&self, email: &str) -> Result<UserRow, AccountError> {
        let email = check_email(email)?;
        self.store
            .user_by_email(email)?
            .ok_or_else(|| AccountError::NoSuchUser(email.to_owned()))
    }

    /// Add a user with `role` and no password; their one-time invitation link, valid for
    /// [`INVITATION_LIFETIME`].
    pub fn create_user(
        &self,
        email: &str,
        role: Role,
        now: OffsetDateTime,
    ) -> Result<Link, AccountError> {
        let email = check_email(email)?;
        let (token, link) = Self::new_link(LinkPurpose::Invite, now)?;
        let user_id = self
            .store
            .create_user(email, role, &link)?
            .ok_or_else(|| AccountError::EmailTaken(email.to_owned()))?;
        Ok(Link {
            user_id,
            email: email.to_owned(),
            token,
            expires_at: at(link.expires_at_ms),
        })
    }

    /// A new one-time link for the user to set a new password, valid for
    /// [`RESET_LIFETIME`]. Their password stops working and their sessions end now; older
    /// links stop working.
    pub fn reset_password(&self, email: &str, now: OffsetDateTime) -> Result<Link, AccountError> {
        let user = self.user(email)?;
        let (token, link) = Self::new_link(LinkPurpose::Reset, now)?;
        if !self.store.reset(user.id, &link)? {
            return Err(AccountError::NoSuchUser(user.email));
        }
        Ok(Link {
            user_id: user.id,
            email: user.email,
            token,
            expires_at: at(link.expires_at_ms),
        })
    }

    /// What a link is for, if it works at `now` (for its page, before a password is typed).
    pub fn link(&self, token: &str, now: OffsetDateTime) -> Result<Option<LinkInfo>, AccountError> {
        let Some(hash) = secrets::token_hash(token) else {
            return Ok(None);
        };
        Ok(self.store.link(hash)?.and_then(|l| {
            (l.used_at_ms.is_none() && l.expires_at_ms > ms(now) && !l.user_disabled).then(|| {
                LinkInfo {
                    email: l.email,
                    reset: l.purpose == LinkPurpose::Reset,
                    expires_at: at(l.expires_at_ms),
                }
            })
        }))
    }

    /// Set the password with a one-time link; it works once, before it expires, for a user
    /// who is not disabled. Ends any session the user had. The user's id.
    pub fn redeem(
        &self,
        token: &str,
        password: &str,
        now: OffsetDateTime,
    ) -> Result<i64, AccountError> {
        let info = self.link(token, now)?.ok_or(AccountError::LinkInvalid)?;
        check_password(password, &info.email)?;
        let hash = secrets::hash_password(password)?;
        let token_hash = secrets::token_hash(token).ok_or(AccountError::LinkInvalid)?;
        // The store checks again in the transaction that uses the link: of two redeems at
        // once, one wins.
        self.store
            .redeem(token_hash, &hash, ms(now))?
            .ok_or(AccountError::LinkInvalid)
    }

    /// Log in: a new session for the user whose e-mail and password these are. Refused
    /// with [`AccountError::RateLimited`] (before the password is checked) after
    /// [`LOGIN_FAILURES_PER_EMAIL`] failures for the e-mail or [`LOGIN_FAILURES_PER_ADDRESS`]
    /// from the client address within [`LOGIN_WINDOW`]. A wrong password, an unknown
    /// e-mail and a user with no password yet all give [`AccountError::WrongCredentials`]
    /// after the same work; a disabled user learns so only with the right password.
    pub fn login(
        &self,
        email: &str,
        password: &str,
        client: IpAddr,
        now: OffsetDateTime,
    ) -> Result<NewLogin, AccountError> {
        // Not an address at all: no account can match, and nothing is counted or hashed.
        let email = check_email(email).map_err(|_| AccountError::WrongCredentials)?;
        let now_ms = ms(now);
        let window = LOGIN_WINDOW.whole_milliseconds() as i64;
        let counts = self.store.begin_attempt(
            &email.to_ascii_lowercase(),
            &address_key(client),
            now_ms,
            now_ms - window,
            LOGIN_FAILURES_PER_EMAIL,
            LOGIN_FAILURES_PER_ADDRESS,
        )?;
        let limited = [
            (
                counts.email_failures >= LOGIN_FAILURES_PER_EMAIL,
                counts.email_nth_newest_ms,
                "for this e-mail address",
            ),
            (
                counts.address_failures >= LOGIN_FAILURES_PER_ADDRESS,
                counts.address_nth_newest_ms,
                "from your network address",
            ),
        ]
        .into_iter()
        .filter(|(over, _, _)| *over)
        .map(|(_, nth, who)| (nth.unwrap_or(now_ms) + window, who))
        .max_by_key(|(retry, _)| *retry);
        if let Some((retry_ms, who)) = limited {
            // A refused attempt is not counted: the limit lifts on time, whatever is tried.
            self.store.forget_attempt(counts.id)?;
            // Rounded up to the second, so that the time shown is never too early.
            let retry_at = at((retry_ms + 999).div_euclid(1000) * 1000);
            return Err(AccountError::RateLimited { who, retry_at });
        }
        let user = self.store.user_by_email(email)?;
        let hash = user.as_ref().and_then(|u| u.password_hash.as_deref());
        let refusal = match &user {
            _ if !secrets::verify_password(password, hash) => Some(AccountError::WrongCredentials),
            None => Some(AccountError::WrongCredentials),
            Some(u) if u.disabled => Some(AccountError::Disabled),
            Some(_) => None,
        };
        if let Some(refusal) = refusal {
            // Decided: from now on it counts against the address as well.
            self.store.attempt_failed(counts.id)?;
            return Err(refusal);
        }
        let Some(user) = user else {
            return Err(AccountError::WrongCredentials);
        };
        self.store.attempt_succeeded(counts.id)?;
        let token = secrets::new_token()?;
        let csrf_secret = secrets::new_token()?;
        let token_hash = secrets::token_hash(&token)
            .ok_or_else(|| AccountError::Entropy("a token of the wrong shape".to_owned()))?;
        let expires_at = now + SESSION_ABSOLUTE;
        self.store.create_session(
            &NewSession {
                token_hash,
                user_id: user.id,
                csrf_secret: csrf_secret.clone(),
                created_at_ms: now_ms,
                expires_at_ms: ms(expires_at),
            },
            now_ms - SESSION_IDLE.whole_milliseconds() as i64,
        )?;
        Ok(NewLogin {
            token,
            csrf_secret,
            user_id: user.id,
            expires_at,
        })
    }

    /// Whom the session with this token belongs to at `now`; `None` for an unknown, ended
    /// or expired session (an expired one is deleted) or a disabled user. Records activity
    /// at most once per [`SESSION_TOUCH_EVERY`].
    pub fn session(
        &self,
        token: &str,
        now: OffsetDateTime,
    ) -> Result<Option<SessionUser>, AccountError> {
        let Some(hash) = secrets::token_hash(token) else {
            return Ok(None);
        };
        let Some(s) = self.store.session(hash)? else {
            return Ok(None);
        };
        let now_ms = ms(now);
        let idle_ends = s.last_seen_at_ms + SESSION_IDLE.whole_milliseconds() as i64;
        if s.user.disabled || now_ms >= s.expires_at_ms || now_ms >= idle_ends {
            self.store.delete_session(hash)?;
            return Ok(None);
        }
        if now_ms - s.last_seen_at_ms >= SESSION_TOUCH_EVERY.whole_milliseconds() as i64 {
            self.store.touch_session(hash, now_ms)?;
        }
        Ok(Some(SessionUser {
            user_id: s.user.id,
            email: s.user.email,
            role: s.user.role,
            csrf_secret: s.csrf_secret,
        }))
    }

    /// End the session with this token; false if there was none.
    pub fn logout(&self, token: &str) -> Result<bool, AccountError> {
        match secrets::token_hash(token) {
            Some(hash) => Ok(self.store.delete_session(hash)?),
            None => Ok(false),
        }
    }

    /// Disable a user (they cannot log in, and their sessions end now) or enable them
    /// again; the user as they are now.
    pub fn set_disabled(&self, email: &str, disabled: bool) -> Result<UserInfo, AccountError> {
        let mut user = self.user(email)?;
        if !self.store.set_disabled(user.id, disabled)? {
            return Err(AccountError::NoSuchUser(user.email));
        }
        user.disabled = disabled;
        Ok(info(user))
    }

    /// Every user, oldest first.
    pub fn users(&self) -> Result<Vec<UserInfo>, AccountError> {
        Ok(self.store.users()?.into_iter().map(info).collect())
    }
}

fn info(u: UserRow) -> UserInfo {
    let status = if u.disabled {
        UserStatus::Disabled
    } else if u.password_hash.is_none() {
        UserStatus::Invited
    } else {
        UserStatus::Active
    };
    UserInfo {
        id: u.id,
        email: u.email,
        role: u.role,
        status,
        created_at: at(u.created_at_ms),
    }
}

#[cfg(test)]
mod tests;
