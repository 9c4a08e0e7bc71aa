//! Cohorts on a team server (issue 19, "Cohorts and coaches"): who may create, change, join
//! and read a cohort, and its dashboard built from each member's own history. PostgreSQL
//! only ([`PgCohorts`]); the figures are [`crate::CohortDashboard`]'s (docs/engine.md §10).
//!
//! Authorisation lives in one function, [`allowed`]: a coach sees and changes only the
//! cohorts they coach; an admin sees and changes every cohort; a learner sees only the
//! names of the cohorts they are a member of and, when the coach turned it on, their own
//! anonymised standing — never another member's name or figure. Every refusal is a
//! [`CohortError`]. The caller's role comes from their session ([`Actor::from`]), read
//! from the database on every request; operators at the command line act as
//! [`Actor::operator`].
//!
//! Join links are multi-use (a coach shares one link with a whole group) and last
//! [`JOIN_LINK_LIFETIME`] unless revoked; only the SHA-256 of their 256-bit token is
//! stored. Every operation takes `now`.

use std::sync::Arc;

use pmle_content::Pack;
use pmle_store::{CohortRow, JoinOutcome, PgAccounts, PgCohorts, Role, StoreError};
use time::{Date, Duration, OffsetDateTime};

use crate::accounts::{SessionUser, secrets};
use crate::{App, AppError, CohortDashboard, CohortRules, FixedClock, Standing, StandingError};

#[cfg(test)]
mod tests;

/// How long a join link works unless revoked.
pub const JOIN_LINK_LIFETIME: Duration = Duration::days(14);
/// Cohort names are 1–100 characters (after trimming).
pub const MAX_NAME_CHARS: usize = 100;

/// Who is asking: a logged-in user's id and role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
}

impl Actor {
    /// An operator at the command line, with the database's address in hand: an admin's
    /// rights, and no user of their own (id 0 has no `users` row).
    pub fn operator() -> Actor {
        Actor {
            user_id: 0,
            role: Role::Admin,
        }
    }
}

impl From<&SessionUser> for Actor {
    fn from(s: &SessionUser) -> Actor {
        Actor {
            user_id: s.user_id,
            role: s.role,
        }
    }
}

/// What is asked of a cohort, for [`allowed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The dashboard, the member list, the coach's details.
    Read,
    /// Rename-free changes: exam date, standing switch, join links, removing members.
    Change,
    /// The cohort's name in one's own list.
    SeeName,
    /// One's own anonymised standing.
    OwnStanding,
}

impl Access {
    fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Change => "change",
            Access::SeeName => "see",
            Access::OwnStanding => "see a standing in",
        }
    }
}

/// Why a cohort operation failed; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum CohortError {
    #[error("there is no cohort {0}; `pmle cohort list` shows them")]
    NoSuchCohort(i64),
    #[error(
        "you may not {} cohort {cohort_id}: only its coach and admins may",
        action.as_str()
    )]
    Forbidden { cohort_id: i64, action: Access },
    #[error("only coaches and admins create cohorts")]
    CannotCreate,
    #[error("a coach creates cohorts only for themselves; an admin can name another coach")]
    OtherCoach,
    #[error("{0} is not a coach: a cohort's coach needs the coach role")]
    NotACoach(String),
    #[error("there is no enabled user {0}")]
    NoSuchUser(String),
    #[error("a cohort's name is 1 to {MAX_NAME_CHARS} characters, without control characters")]
    InvalidName,
    #[error("only learners join cohorts (this account is a {0})")]
    OnlyLearnersJoin(Role),
    #[error(
        "this join link does not work: it has expired or was revoked; ask your coach for a \
         new one"
    )]
    LinkInvalid,
    #[error("user {user_id} is not a member of cohort {cohort_id}")]
    NotAMember { cohort_id: i64, user_id: i64 },
    #[error("the coach of this cohort has not turned on standings")]
    StandingOff,
    #[error(transparent)]
    Standing(#[from] StandingError),
    #[error("cannot read random bytes from the operating system: {0}")]
    Entropy(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    App(#[from] AppError),
}

/// The one authorisation rule: whether `actor` may do `action` to `cohort`, given whether
/// they are one of its members.
pub fn allowed(actor: Actor, cohort: &CohortRow, member: bool, action: Access) -> bool {
    match (actor.role, action) {
        (_, Access::OwnStanding) => member && cohort.show_standing,
        (Role::Admin, _) => true,
        (Role::Coach, _) => cohort.coach_id == actor.user_id,
        (Role::Learner, Access::SeeName) => member,
        (Role::Learner, Access::Read | Access::Change) => false,
    }
}

/// A cohort in a list. A learner's list carries names only: the other fields are `None`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CohortInfo {
    pub id: i64,
    pub name: String,
    /// Whether its members may see their own standing.
    pub show_standing: bool,
    pub coach_email: Option<String>,
    /// `YYYY-MM-DD`.
    pub shared_exam_date: Option<String>,
    pub members: Option<i64>,
}

/// A cohort member, for its coach and admins.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub joined_at_ms: i64,
}

/// A join link's token, shown once: `<base-url>/join/<token>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinLink {
    pub cohort_id: i64,
    pub token: String,
    pub expires_at: OffsetDateTime,
}

/// The cohort a link joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub cohort_id: i64,
    pub name: String,
    /// False when the learner was a member already.
    pub new: bool,
}

fn ms(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

fn at(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn parse_date(s: &str) -> Result<Date, CohortError> {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &f).map_err(|e| StoreError::Corrupt(format!("exam date {s:?}: {e}")).into())
}

/// Cohorts in a PostgreSQL database, and the pack their dashboards are computed over.
pub struct Cohorts {
    store: PgCohorts,
    pack: Arc<Pack>,
}

impl Cohorts {
    /// `pack` is shared by every member's [`App`] the dashboard builds.
    pub fn new(store: PgCohorts, pack: Arc<Pack>) -> Cohorts {
        Cohorts { store, pack }
    }

    /// The cohort and whether `actor` is a member, if `actor` may do `action` to it.
    fn check(&self, actor: Actor, id: i64, action: Access) -> Result<CohortRow, CohortError> {
        let cohort = self
            .store
            .cohort(id)?
            .ok_or(CohortError::NoSuchCohort(id))?;
        let member = actor.role == Role::Learner && self.store.is_member(id, actor.user_id)?;
        if allowed(actor, &cohort, member, action) {
            return Ok(cohort);
        }
        Err(match action {
            Access::OwnStanding if member => CohortError::StandingOff,
            Access::OwnStanding => CohortError::NotAMember {
                cohort_id: id,
                user_id: actor.user_id,
            },
            _ => CohortError::Forbidden {
                cohort_id: id,
                action,
            },
        })
    }

    /// The id of the enabled user with this e-mail (for the command line's `--coach`).
    pub fn user_id(&self, email: &str) -> Result<i64, CohortError> {
        let accounts = PgAccounts::from_store(self.store.pool().store_for(0));
        accounts
            .user_by_email(email)?
            .filter(|u| !u.disabled)
            .map(|u| u.id)
            .ok_or_else(|| CohortError::NoSuchUser(email.to_owned()))
    }

    /// A new cohort coached by `coach_id`; its id. A coach creates only their own; an
    /// admin names any coach.
    pub fn create(
        &self,
        actor: Actor,
        name: &str,
        coach_id: i64,
        now: OffsetDateTime,
    ) -> Result<i64, CohortError> {
        match actor.role {
            Role::Learner => return Err(CohortError::CannotCreate),
            Role::Coach if coach_id != actor.user_id => return Err(CohortError::OtherCoach),
            _ => {}
        }
        let name = name.trim();
        let chars = name.chars().count();
        if chars == 0 || chars > MAX_NAME_CHARS || name.chars().any(char::is_control) {
            return Err(CohortError::InvalidName);
        }
        match self.store.user_role(coach_id)? {
            Some(Role::Coach) => {}
            Some(_) => return Err(CohortError::NotACoach(format!("user {coach_id}"))),
            None => return Err(CohortError::NoSuchUser(format!("user {coach_id}"))),
        }
        Ok(self.store.create(name, coach_id, ms(now))?)
    }

    /// The cohorts `actor` may see: an admin all, a coach theirs, a learner the names of
    /// those they are a member of.
    pub fn list(&self, actor: Actor) -> Result<Vec<CohortInfo>, CohortError> {
        let rows = match actor.role {
            Role::Admin => self.store.all()?,
            Role::Coach => self.store.coached_by(actor.user_id)?,
            Role::Learner => self.store.joined_by(actor.user_id)?,
        };
        Ok(rows
            .into_iter()
            .map(|c| {
                let full = allowed(actor, &c, false, Access::Read);
                CohortInfo {
                    id: c.id,
                    name: c.name,
                    show_standing: c.show_standing,
                    coach_email: full.then_some(c.coach_email),
                    shared_exam_date: if full { c.shared_exam_date } else { None },
                    members: full.then_some(c.members),
                }
            })
            .collect())
    }

    /// One cohort's details, for its coach and admins.
    pub fn cohort(&self, actor: Actor, id: i64) -> Result<CohortInfo, CohortError> {
        let c = self.check(actor, id, Access::Read)?;
        Ok(CohortInfo {
            id: c.id,
            name: c.name,
            show_standing: c.show_standing,
            coach_email: Some(c.coach_email),
            shared_exam_date: c.shared_exam_date,
            members: Some(c.members),
        })
    }

    /// The members, in the order they joined, for the coach and admins.
    pub fn members(&self, actor: Actor, id: i64) -> Result<Vec<Member>, CohortError> {
        self.check(actor, id, Access::Read)?;
        Ok(self
            .store
            .members(id)?
            .into_iter()
            .map(|m| Member {
                user_id: m.user_id,
                email: m.email,
                joined_at_ms: m.joined_at_ms,
            })
            .collect())
    }

    /// Set or clear (`None`) the cohort's shared exam date.
    pub fn set_exam_date(
        &self,
        actor: Actor,
        id: i64,
        date: Option<Date>,
    ) -> Result<(), CohortError> {
        self.check(actor, id, Access::Change)?;
        self.store.set_exam_date(id, date.map(iso).as_deref())?;
        Ok(())
    }

    /// Let members see their own anonymised standing, or stop it.
    pub fn set_show_standing(&self, actor: Actor, id: i64, show: bool) -> Result<(), CohortError> {
        self.check(actor, id, Access::Change)?;
        self.store.set_show_standing(id, show)?;
        Ok(())
    }

    /// A new multi-use join link, valid for [`JOIN_LINK_LIFETIME`].
    pub fn create_join_link(
        &self,
        actor: Actor,
        id: i64,
        now: OffsetDateTime,
    ) -> Result<JoinLink, CohortError> {
        self.check(actor, id, Access::Change)?;
        let token = secrets::new_token().map_err(|e| CohortError::Entropy(e.to_string()))?;
        let hash = secrets::token_hash(&token)
            .ok_or_else(|| CohortError::Entropy("a token of the wrong shape".to_owned()))?;
        let expires_at = now + JOIN_LINK_LIFETIME;
        self.store
            .create_invite(id, hash, ms(now), ms(expires_at))?;
        Ok(JoinLink {
            cohort_id: id,
            token,
            expires_at: at(ms(expires_at)),
        })
    }

    /// Revoke every working join link of the cohort; how many.
    pub fn revoke_join_links(
        &self,
        actor: Actor,
        id: i64,
        now: OffsetDateTime,
    ) -> Result<u64, CohortError> {
        self.check(actor, id, Access::Change)?;
        Ok(self.store.revoke_invites(id, ms(now))?)
    }

    /// The name of the cohort a link joins, if it works at `now` (for its page).
    pub fn join_link(&self, token: &str, now: OffsetDateTime) -> Result<String, CohortError> {
        let hash = secrets::token_hash(token).ok_or(CohortError::LinkInvalid)?;
        match self.store.invite(hash)? {
            Some(i) if i.revoked_at_ms.is_none() && i.expires_at_ms > ms(now) => Ok(i.cohort_name),
            _ => Err(CohortError::LinkInvalid),
        }
    }

    /// A learner joins the cohort of a working link (again: no change).
    pub fn join(
        &self,
        actor: Actor,
        token: &str,
        now: OffsetDateTime,
    ) -> Result<Joined, CohortError> {
        if actor.role != Role::Learner {
            return Err(CohortError::OnlyLearnersJoin(actor.role));
        }
        let hash = secrets::token_hash(token).ok_or(CohortError::LinkInvalid)?;
        match self.store.join(hash, actor.user_id, ms(now))? {
            JoinOutcome::LinkInvalid => Err(CohortError::LinkInvalid),
            JoinOutcome::Joined { cohort_id, new } => {
                let name = self
                    .store
                    .cohort(cohort_id)?
                    .map(|c| c.name)
                    .unwrap_or_default();
                Ok(Joined {
                    cohort_id,
                    name,
                    new,
                })
            }
        }
    }

    /// Remove a member; their study data stays theirs, and leaves the dashboard.
    pub fn remove_member(&self, actor: Actor, id: i64, user_id: i64) -> Result<(), CohortError> {
        self.check(actor, id, Access::Change)?;
        if !self.store.remove_member(id, user_id)? {
            return Err(CohortError::NotAMember {
                cohort_id: id,
                user_id,
            });
        }
        Ok(())
    }

    /// The dashboard at `now`, for the coach and admins: each member's own summary (their
    /// [`App`] over their own rows), named by e-mail, with the cohort's shared exam date.
    pub fn dashboard(
        &self,
        actor: Actor,
        id: i64,
        now: OffsetDateTime,
    ) -> Result<CohortDashboard, CohortError> {
        let cohort = self.check(actor, id, Access::Read)?;
        Ok(self.build(&cohort, now)?.0)
    }

    fn build(
        &self,
        cohort: &CohortRow,
        now: OffsetDateTime,
    ) -> Result<(CohortDashboard, Vec<i64>), CohortError> {
        let now_ms = ms(now);
        let members = self.store.members(cohort.id)?;
        let mut rows = Vec::with_capacity(members.len());
        for m in &members {
            let app = App::new(
                Arc::clone(&self.pack),
                Box::new(self.store.pool().store_for(m.user_id)),
                Box::new(FixedClock(now)),
                0,
                self.store.pool().url(),
            );
            rows.push((m.email.clone(), app.member_summary(now_ms)?));
        }
        let shared = cohort
            .shared_exam_date
            .as_deref()
            .map(parse_date)
            .transpose()?;
        let ids = members.iter().map(|m| m.user_id).collect();
        Ok((
            CohortDashboard::build(&rows, shared, now_ms, CohortRules::default()),
            ids,
        ))
    }

    /// A learner's own anonymised standing in a cohort of theirs, when its coach turned
    /// standings on. Nothing else of the dashboard leaves this function.
    pub fn my_standing(
        &self,
        actor: Actor,
        id: i64,
        now: OffsetDateTime,
    ) -> Result<Standing, CohortError> {
        let cohort = self.check(actor, id, Access::OwnStanding)?;
        let (dashboard, ids) = self.build(&cohort, now)?;
        let index =
            ids.iter()
                .position(|&u| u == actor.user_id)
                .ok_or(CohortError::NotAMember {
                    cohort_id: id,
                    user_id: actor.user_id,
                })?;
        Ok(dashboard.standing_for(index)?)
    }
}
