//! Cohorts against a real PostgreSQL server (`PMLE_TEST_DATABASE_URL`; scripts/test starts
//! one), each test in a schema of its own. Without a server they are skipped with a notice,
//! or fail when `PMLE_TEST_REQUIRE_POSTGRES` is set.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use pmle_store::{Mode, NewAnswer, PgPool, Store};
use postgres::{Client, NoTls};
use time::macros::{date, datetime};

use super::*;
use crate::accounts::Accounts;

const T0: OffsetDateTime = datetime!(2026-12-03 09:00 UTC);

fn pack() -> Arc<Pack> {
    static PACK: OnceLock<Arc<Pack>> = OnceLock::new();
    Arc::clone(PACK.get_or_init(|| {
        Arc::new(
            crate::load_pack(
                None,
                pmle_content::model::Date {
                    year: 2026,
                    month: 12,
                    day: 3,
                },
            )
            .unwrap(),
        )
    }))
}

/// A fresh schema on the test server, dropped with this value, and its users.
struct Db {
    base: String,
    schema: String,
    pool: PgPool,
    cohorts: Cohorts,
}

impl Db {
    fn new() -> Option<Db> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let base = match std::env::var("PMLE_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => url,
            _ => {
                assert!(
                    std::env::var_os("PMLE_TEST_REQUIRE_POSTGRES").is_none(),
                    "PMLE_TEST_REQUIRE_POSTGRES is set but PMLE_TEST_DATABASE_URL is not"
                );
                eprintln!("skipped: set PMLE_TEST_DATABASE_URL to run the PostgreSQL tests");
                return None;
            }
        };
        let schema = format!(
            "pmle_cohorts_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        Client::connect(&base, NoTls)
            .expect("the test server")
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
        let pool = PgPool::open(&url, 2).unwrap();
        let cohorts = Cohorts::new(PgCohorts::new(&pool), pack());
        Some(Db {
            base,
            schema,
            pool,
            cohorts,
        })
    }

    fn user(&self, email: &str, role: Role) -> Actor {
        let accounts = Accounts::new(PgAccounts::from_store(self.pool.store_for(0)));
        let link = accounts.create_user(email, role, T0).unwrap();
        Actor {
            user_id: link.user_id,
            role,
        }
    }

    /// `n` answers by `who` to the pack's first questions, right when `i % 3 != 0`.
    fn answer(&self, who: Actor, n: usize, offset: usize) {
        let mut store = self.pool.store_for(who.user_id);
        let pack = pack();
        for (i, q) in pack.questions.iter().skip(offset).take(n).enumerate() {
            let correct = i % 3 != 0;
            store
                .record_answer(&NewAnswer {
                    question_id: q.id.clone(),
                    section_id: q.section.clone(),
                    mode: Mode::Practice,
                    session_id: None,
                    shown_order: vec![0, 1, 2, 3],
                    chosen: vec![if correct { 0 } else { 1 }],
                    correct,
                    answered_at_ms: ms(T0) - 3_600_000 + i as i64 * 1000,
                    duration_ms: Some(30_000),
                })
                .unwrap();
        }
    }

    fn summary(&self, who: Actor) -> serde_json::Value {
        let app = App::new(
            pack(),
            Box::new(self.pool.store_for(who.user_id)),
            Box::new(FixedClock(T0)),
            0,
            "test",
        );
        serde_json::to_value(app.member_summary(ms(T0)).unwrap()).unwrap()
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&self.base, NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

#[allow(clippy::needless_pass_by_value)] // called with the result itself, for brevity
fn forbidden<T: std::fmt::Debug>(r: Result<T, CohortError>) {
    assert!(
        matches!(r, Err(CohortError::Forbidden { .. })),
        "expected a refusal, got {r:?}"
    );
}

#[test]
fn a_coach_cannot_read_change_or_invite_to_another_coachs_cohort_and_an_admin_can() {
    let Some(db) = Db::new() else { return };
    let c = &db.cohorts;
    let ann = db.user("ann@example.org", Role::Coach);
    let bob = db.user("bob@example.org", Role::Coach);
    let admin = db.user("root@example.org", Role::Admin);
    let a = c.create(ann, "Ann's group", ann.user_id, T0).unwrap();
    let b = c.create(bob, "Bob's group", bob.user_id, T0).unwrap();

    // Bob against Ann's cohort: every read and write refused, nothing changed.
    forbidden(c.cohort(bob, a));
    forbidden(c.members(bob, a));
    forbidden(c.dashboard(bob, a, T0));
    forbidden(c.set_exam_date(bob, a, Some(date!(2027 - 01 - 15))));
    forbidden(c.set_show_standing(bob, a, true));
    forbidden(c.create_join_link(bob, a, T0));
    forbidden(c.revoke_join_links(bob, a, T0));
    forbidden(c.remove_member(bob, a, ann.user_id));
    assert!(matches!(
        c.create(bob, "Not mine", ann.user_id, T0),
        Err(CohortError::OtherCoach)
    ));
    let names: Vec<String> = c.list(bob).unwrap().into_iter().map(|i| i.name).collect();
    assert_eq!(names, ["Bob's group"]);
    let seen = c.cohort(ann, a).unwrap();
    assert_eq!(seen.shared_exam_date, None);
    assert!(!seen.show_standing);

    // The admin reads and changes both.
    assert_eq!(c.list(admin).unwrap().len(), 2);
    c.set_exam_date(admin, a, Some(date!(2027 - 01 - 15)))
        .unwrap();
    c.set_show_standing(admin, b, true).unwrap();
    c.create_join_link(admin, b, T0).unwrap();
    assert_eq!(
        c.cohort(ann, a).unwrap().shared_exam_date.as_deref(),
        Some("2027-01-15")
    );
    assert!(c.cohort(bob, b).unwrap().show_standing);
    assert_eq!(
        c.dashboard(admin, a, T0).unwrap().days_to_shared_exam,
        Some(43)
    );
    // And clears the date again.
    c.set_exam_date(ann, a, None).unwrap();
    assert_eq!(c.cohort(admin, a).unwrap().shared_exam_date, None);
    // An admin names a coach; not a learner or an admin.
    let lea = db.user("lea@example.org", Role::Learner);
    assert!(c.create(admin, "For Bob", bob.user_id, T0).is_ok());
    assert!(matches!(
        c.create(admin, "For Lea", lea.user_id, T0),
        Err(CohortError::NotACoach(_))
    ));
    assert!(matches!(
        c.create(lea, "Mine", lea.user_id, T0),
        Err(CohortError::CannotCreate)
    ));
    assert!(matches!(
        c.create(ann, "", ann.user_id, T0),
        Err(CohortError::InvalidName)
    ));
    assert!(matches!(
        c.create(ann, &"x".repeat(101), ann.user_id, T0),
        Err(CohortError::InvalidName)
    ));
    assert!(matches!(
        c.dashboard(admin, 9999, T0),
        Err(CohortError::NoSuchCohort(9999))
    ));
}

#[test]
fn a_learner_sees_only_their_cohorts_names_and_their_own_standing_when_enabled() {
    let Some(db) = Db::new() else { return };
    let c = &db.cohorts;
    let ann = db.user("ann@example.org", Role::Coach);
    let lea = db.user("lea@example.org", Role::Learner);
    let max = db.user("max@example.org", Role::Learner);
    let a = c.create(ann, "Joined", ann.user_id, T0).unwrap();
    let other = c.create(ann, "Not joined", ann.user_id, T0).unwrap();
    c.set_exam_date(ann, a, Some(date!(2027 - 01 - 15)))
        .unwrap();
    let link = c.create_join_link(ann, a, T0).unwrap();
    c.join(lea, &link.token, T0).unwrap();
    c.join(max, &link.token, T0).unwrap();

    let list = c.list(lea).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "Joined");
    assert_eq!(
        (
            &list[0].coach_email,
            &list[0].members,
            &list[0].shared_exam_date
        ),
        (&None, &None, &None),
        "a learner's list carries names only"
    );
    forbidden(c.dashboard(lea, a, T0));
    forbidden(c.members(lea, a));
    forbidden(c.cohort(lea, a));
    forbidden(c.set_show_standing(lea, a, true));
    forbidden(c.create_join_link(lea, a, T0));

    // Standing: off by default; on, it reaches the standing rules (two members are too few
    // to rank anyone, so the answer is a refusal that names no one).
    assert!(matches!(
        c.my_standing(lea, a, T0),
        Err(CohortError::StandingOff)
    ));
    c.set_show_standing(ann, a, true).unwrap();
    match c.my_standing(lea, a, T0) {
        Err(CohortError::Standing(e)) => {
            let text = e.to_string();
            assert!(!text.contains("max@"), "{text}");
        }
        other => panic!("expected the standing rules' answer, got {other:?}"),
    }
    // Not a member of the other cohort, even with standings on there.
    c.set_show_standing(ann, other, true).unwrap();
    assert!(matches!(
        c.my_standing(lea, other, T0),
        Err(CohortError::NotAMember { .. })
    ));
    // Only members have a standing: not the coach.
    assert!(matches!(
        c.my_standing(ann, a, T0),
        Err(CohortError::NotAMember { .. })
    ));
}

#[test]
fn a_learner_ranked_among_five_gets_their_own_standing_only() {
    let Some(db) = Db::new() else { return };
    let c = &db.cohorts;
    let ann = db.user("ann@example.org", Role::Coach);
    let a = c.create(ann, "Five", ann.user_id, T0).unwrap();
    c.set_show_standing(ann, a, true).unwrap();
    let link = c.create_join_link(ann, a, T0).unwrap();
    let n = pack().questions.len();
    let mut learners = Vec::new();
    for i in 0..5 {
        let who = db.user(&format!("l{i}@example.org"), Role::Learner);
        c.join(who, &link.token, T0).unwrap();
        // Every question once, a different share right for each learner.
        db.answer(who, n, 0);
        learners.push(who);
    }
    let dash = c.dashboard(ann, a, T0).unwrap();
    for (i, who) in learners.iter().enumerate() {
        let mine = c.my_standing(*who, a, T0).unwrap();
        assert_eq!(mine, dash.standing_for(i).unwrap());
        assert!(!mine.sentence.contains('@'), "{}", mine.sentence);
    }
}

#[test]
fn join_links_are_multi_use_until_they_expire_or_are_revoked() {
    let Some(db) = Db::new() else { return };
    let c = &db.cohorts;
    let ann = db.user("ann@example.org", Role::Coach);
    let l1 = db.user("l1@example.org", Role::Learner);
    let l2 = db.user("l2@example.org", Role::Learner);
    let l3 = db.user("l3@example.org", Role::Learner);
    let a = c.create(ann, "Group", ann.user_id, T0).unwrap();
    let link = c.create_join_link(ann, a, T0).unwrap();
    assert_eq!(link.expires_at, T0 + JOIN_LINK_LIFETIME);
    assert_eq!(c.join_link(&link.token, T0).unwrap(), "Group");
    let last = T0 + JOIN_LINK_LIFETIME - Duration::milliseconds(1);
    let j = c.join(l1, &link.token, last).unwrap();
    assert_eq!((j.cohort_id, j.new), (a, true));
    assert!(!c.join(l1, &link.token, T0).unwrap().new, "joining twice");
    assert!(matches!(
        c.join(l2, &link.token, T0 + JOIN_LINK_LIFETIME),
        Err(CohortError::LinkInvalid)
    ));
    assert!(matches!(
        c.join(ann, &link.token, T0),
        Err(CohortError::OnlyLearnersJoin(Role::Coach))
    ));
    assert!(matches!(
        c.join(l2, "not-a-token", T0),
        Err(CohortError::LinkInvalid)
    ));

    let second = c.create_join_link(ann, a, T0).unwrap();
    c.join(l2, &second.token, T0).unwrap();
    assert_eq!(c.revoke_join_links(ann, a, T0).unwrap(), 2);
    assert!(matches!(
        c.join(l3, &second.token, T0),
        Err(CohortError::LinkInvalid)
    ));
    assert!(c.join_link(&second.token, T0).is_err());
    let emails: Vec<String> = c
        .members(ann, a)
        .unwrap()
        .into_iter()
        .map(|m| m.email)
        .collect();
    // In the order they joined: l1 at the link's last millisecond, l2 before.
    assert_eq!(emails, ["l2@example.org", "l1@example.org"]);
}

#[test]
fn the_dashboard_holds_each_members_own_summary_and_drops_a_removed_member() {
    let Some(db) = Db::new() else { return };
    let c = &db.cohorts;
    let ann = db.user("ann@example.org", Role::Coach);
    let l1 = db.user("l1@example.org", Role::Learner);
    let l2 = db.user("l2@example.org", Role::Learner);
    let outsider = db.user("out@example.org", Role::Learner);
    db.answer(l1, 40, 0);
    db.answer(l2, 12, 50);
    db.answer(outsider, 30, 0);
    let a = c.create(ann, "Group", ann.user_id, T0).unwrap();
    let link = c.create_join_link(ann, a, T0).unwrap();
    c.join(l1, &link.token, T0).unwrap();
    c.join(l2, &link.token, T0 + Duration::seconds(1)).unwrap();

    let dash = c.dashboard(ann, a, T0).unwrap();
    let names: Vec<&str> = dash.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["l1@example.org", "l2@example.org"]);
    let s1 = serde_json::to_value(&dash.members[0].summary).unwrap();
    let s2 = serde_json::to_value(&dash.members[1].summary).unwrap();
    assert_eq!(s1, db.summary(l1));
    assert_eq!(s2, db.summary(l2));
    assert_ne!(s1, s2, "two different histories");
    assert_eq!(dash.members[0].summary.answers_total, 40);
    assert_eq!(dash.members[1].summary.answers_total, 12);

    c.remove_member(ann, a, l1.user_id).unwrap();
    assert!(matches!(
        c.remove_member(ann, a, l1.user_id),
        Err(CohortError::NotAMember { .. })
    ));
    let dash = c.dashboard(ann, a, T0).unwrap();
    assert_eq!(dash.members.len(), 1);
    assert_eq!(dash.members[0].name, "l2@example.org");
    assert!(!dash.to_csv().contains("l1@example.org"));
    // Their own data stays theirs.
    assert_eq!(db.summary(l1)["answers_total"], 40);
    assert!(c.list(l1).unwrap().is_empty());
}
