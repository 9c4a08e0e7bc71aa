//! Cohorts on PostgreSQL (migration 0005): cohorts, their members and their join links.
//! This layer stores and fetches; it decides no policy (who may do what, how long a link
//! lasts): `pmle_app::cohort_access` does. It never sees a raw join token, only its
//! SHA-256. Times are milliseconds since the Unix epoch; the shared exam date travels as
//! `YYYY-MM-DD` text (the `postgres` crate is built without a date type).
//!
//! Like account writes, cohort writes do not bump any learner's change token: they change
//! no study data.

use postgres::{Client, Row, Transaction};

use crate::StoreError;
use crate::postgres::{PgPool, PgStore, Role};

/// A row of `cohorts`, with its coach's e-mail and its member count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortRow {
    pub id: i64,
    pub name: String,
    pub coach_id: i64,
    pub coach_email: String,
    /// `YYYY-MM-DD`.
    pub shared_exam_date: Option<String>,
    pub show_standing: bool,
    pub created_at_ms: i64,
    pub members: i64,
}

/// A member of a cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub user_id: i64,
    pub email: String,
    pub joined_at_ms: i64,
}

/// A join link with its cohort, as found by its token's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortInviteRow {
    pub cohort_id: i64,
    pub cohort_name: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
}

/// What joining with a link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinOutcome {
    /// The user is now a member (`false`: they already were).
    Joined { cohort_id: i64, new: bool },
    /// No link with this hash works at that time: unknown, expired or revoked.
    LinkInvalid,
}

/// Cohorts in a PostgreSQL database, over a pool's connections.
#[derive(Debug, Clone)]
pub struct PgCohorts {
    store: PgStore,
}

fn write<R>(
    client: &mut Client,
    f: impl FnOnce(&mut Transaction<'_>) -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    let mut tx = client.build_transaction().read_only(false).start()?;
    let out = f(&mut tx)?;
    tx.commit()?;
    Ok(out)
}

const COHORT_SELECT: &str = "SELECT c.id, c.name, c.coach_id, u.email, \
     to_char(c.shared_exam_date, 'YYYY-MM-DD'), c.show_standing, c.created_at, \
     (SELECT count(*) FROM cohort_members m WHERE m.cohort_id = c.id) \
     FROM cohorts c JOIN users u ON u.id = c.coach_id";

fn cohort(r: &Row) -> CohortRow {
    CohortRow {
        id: r.get(0),
        name: r.get(1),
        coach_id: r.get(2),
        coach_email: r.get(3),
        shared_exam_date: r.get(4),
        show_standing: r.get(5),
        created_at_ms: r.get(6),
        members: r.get(7),
    }
}

impl PgCohorts {
    /// Cohorts over `pool`'s connections (the pool runs pending migrations when opened).
    pub fn new(pool: &PgPool) -> PgCohorts {
        PgCohorts {
            store: pool.store_for(0),
        }
    }

    /// The pool the cohorts' queries go to (and members' study data is read from).
    pub fn pool(&self) -> &PgPool {
        self.store.pool()
    }

    /// The user's id and role, if there is such a user and they are not disabled.
    pub fn user_role(&self, user_id: i64) -> Result<Option<Role>, StoreError> {
        self.store.run(move |c| {
            let Some(r) = c.query_opt(
                "SELECT role FROM users WHERE id = $1 AND NOT disabled",
                &[&user_id],
            )?
            else {
                return Ok(None);
            };
            let role: &str = r.get(0);
            Role::parse(role)
                .map(Some)
                .ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))
        })
    }

    /// A new cohort; its id.
    pub fn create(&self, name: &str, coach_id: i64, now_ms: i64) -> Result<i64, StoreError> {
        let name = name.to_owned();
        self.store.run(move |c| {
            write(c, |tx| {
                Ok(tx
                    .query_one(
                        "INSERT INTO cohorts (name, coach_id, created_at) VALUES ($1, $2, $3) \
                         RETURNING id",
                        &[&name, &coach_id, &now_ms],
                    )?
                    .get(0))
            })
        })
    }

    /// The cohort with this id.
    pub fn cohort(&self, id: i64) -> Result<Option<CohortRow>, StoreError> {
        self.store.run(move |c| {
            Ok(
                c.query_opt(&format!("{COHORT_SELECT} WHERE c.id = $1"), &[&id])?
                    .as_ref()
                    .map(cohort),
            )
        })
    }

    /// Every cohort, oldest first.
    pub fn all(&self) -> Result<Vec<CohortRow>, StoreError> {
        self.store.run(|c| {
            Ok(c.query(&format!("{COHORT_SELECT} ORDER BY c.id"), &[])?
                .iter()
                .map(cohort)
                .collect())
        })
    }

    /// The cohorts this user coaches, oldest first.
    pub fn coached_by(&self, coach_id: i64) -> Result<Vec<CohortRow>, StoreError> {
        self.store.run(move |c| {
            Ok(c.query(
                &format!("{COHORT_SELECT} WHERE c.coach_id = $1 ORDER BY c.id"),
                &[&coach_id],
            )?
            .iter()
            .map(cohort)
            .collect())
        })
    }

    /// The cohorts this user is a member of, oldest first.
    pub fn joined_by(&self, user_id: i64) -> Result<Vec<CohortRow>, StoreError> {
        self.store.run(move |c| {
            Ok(c.query(
                &format!(
                    "{COHORT_SELECT} WHERE EXISTS (SELECT 1 FROM cohort_members m \
                     WHERE m.cohort_id = c.id AND m.user_id = $1) ORDER BY c.id"
                ),
                &[&user_id],
            )?
            .iter()
            .map(cohort)
            .collect())
        })
    }

    /// Set (`Some("YYYY-MM-DD")`) or clear the shared exam date; false if no such cohort.
    pub fn set_exam_date(&self, id: i64, date: Option<&str>) -> Result<bool, StoreError> {
        let date = date.map(str::to_owned);
        self.store.run(move |c| {
            write(c, |tx| {
                Ok(tx.execute(
                    "UPDATE cohorts SET shared_exam_date = $2::text::date WHERE id = $1",
                    &[&id, &date],
                )? > 0)
            })
        })
    }

    /// Turn members' anonymised standing on or off; false if no such cohort.
    pub fn set_show_standing(&self, id: i64, show: bool) -> Result<bool, StoreError> {
        self.store.run(move |c| {
            write(c, |tx| {
                Ok(tx.execute(
                    "UPDATE cohorts SET show_standing = $2 WHERE id = $1",
                    &[&id, &show],
                )? > 0)
            })
        })
    }

    /// Store a join link's hash for the cohort.
    pub fn create_invite(
        &self,
        cohort_id: i64,
        token_hash: [u8; 32],
        created_at_ms: i64,
        expires_at_ms: i64,
    ) -> Result<(), StoreError> {
        self.store.run(move |c| {
            write(c, |tx| {
                tx.execute(
                    "INSERT INTO cohort_invites (token_hash, cohort_id, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4)",
                    &[&&token_hash[..], &cohort_id, &created_at_ms, &expires_at_ms],
                )?;
                Ok(())
            })
        })
    }

    /// The link whose token hashes to `token_hash`, expired, revoked or not.
    pub fn invite(&self, token_hash: [u8; 32]) -> Result<Option<CohortInviteRow>, StoreError> {
        self.store.run(move |c| {
            Ok(c.query_opt(
                "SELECT i.cohort_id, c.name, i.created_at, i.expires_at, i.revoked_at \
                 FROM cohort_invites i JOIN cohorts c ON c.id = i.cohort_id \
                 WHERE i.token_hash = $1",
                &[&&token_hash[..]],
            )?
            .map(|r| CohortInviteRow {
                cohort_id: r.get(0),
                cohort_name: r.get(1),
                created_at_ms: r.get(2),
                expires_at_ms: r.get(3),
                revoked_at_ms: r.get(4),
            }))
        })
    }

    /// Revoke every link of the cohort still working at `now_ms`; how many.
    pub fn revoke_invites(&self, cohort_id: i64, now_ms: i64) -> Result<u64, StoreError> {
        self.store.run(move |c| {
            write(c, |tx| {
                Ok(tx.execute(
                    "UPDATE cohort_invites SET revoked_at = $2 \
                     WHERE cohort_id = $1 AND revoked_at IS NULL AND expires_at > $2",
                    &[&cohort_id, &now_ms],
                )?)
            })
        })
    }

    /// Join with a link, checked and used in one statement's transaction: a link revoked
    /// or expiring at the same moment is not honoured.
    pub fn join(
        &self,
        token_hash: [u8; 32],
        user_id: i64,
        now_ms: i64,
    ) -> Result<JoinOutcome, StoreError> {
        self.store.run(move |c| {
            write(c, |tx| {
                let Some(r) = tx.query_opt(
                    "SELECT cohort_id FROM cohort_invites WHERE token_hash = $1 \
                     AND revoked_at IS NULL AND expires_at > $2 FOR SHARE",
                    &[&&token_hash[..], &now_ms],
                )?
                else {
                    return Ok(JoinOutcome::LinkInvalid);
                };
                let cohort_id: i64 = r.get(0);
                let n = tx.execute(
                    "INSERT INTO cohort_members (cohort_id, user_id, joined_at) \
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    &[&cohort_id, &user_id, &now_ms],
                )?;
                Ok(JoinOutcome::Joined {
                    cohort_id,
                    new: n > 0,
                })
            })
        })
    }

    /// Remove a member; false if they were not one.
    pub fn remove_member(&self, cohort_id: i64, user_id: i64) -> Result<bool, StoreError> {
        self.store.run(move |c| {
            write(c, |tx| {
                Ok(tx.execute(
                    "DELETE FROM cohort_members WHERE cohort_id = $1 AND user_id = $2",
                    &[&cohort_id, &user_id],
                )? > 0)
            })
        })
    }

    /// Whether the user is a member of the cohort.
    pub fn is_member(&self, cohort_id: i64, user_id: i64) -> Result<bool, StoreError> {
        self.store.run(move |c| {
            Ok(c.query_one(
                "SELECT EXISTS (SELECT 1 FROM cohort_members WHERE cohort_id = $1 \
                 AND user_id = $2)",
                &[&cohort_id, &user_id],
            )?
            .get(0))
        })
    }

    /// The cohort's members in the order they joined (then by id).
    pub fn members(&self, cohort_id: i64) -> Result<Vec<MemberRow>, StoreError> {
        self.store.run(move |c| {
            Ok(c.query(
                "SELECT m.user_id, u.email, m.joined_at FROM cohort_members m \
                 JOIN users u ON u.id = m.user_id WHERE m.cohort_id = $1 \
                 ORDER BY m.joined_at, m.user_id",
                &[&cohort_id],
            )?
            .iter()
            .map(|r| MemberRow {
                user_id: r.get(0),
                email: r.get(1),
                joined_at_ms: r.get(2),
            })
            .collect())
        })
    }
}
