//! Accounts against a real PostgreSQL server (`PMLE_TEST_DATABASE_URL`; scripts/test starts
//! one), each test in a schema of its own. Without a server they are skipped with a notice,
//! or fail when `PMLE_TEST_REQUIRE_POSTGRES` is set.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU32, Ordering};

use postgres::{Client, NoTls};
use time::macros::datetime;

use super::*;

const T0: OffsetDateTime = datetime!(2026-12-03 09:00 UTC);
const PASSWORD: &str = "a long enough passphrase";

/// A fresh schema on the test server, dropped with this value.
struct Db {
    base: String,
    url: String,
    schema: String,
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
            "pmle_accounts_{}_{}",
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
        Some(Db { base, url, schema })
    }

    fn accounts(&self) -> Accounts {
        Accounts::new(PgAccounts::open(&self.url).unwrap())
    }

    fn sql(&self) -> Client {
        Client::connect(&self.url, NoTls).unwrap()
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Ok(mut c) = Client::connect(&self.base, NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// A user who has set PASSWORD.
fn active(a: &Accounts, email: &str) -> i64 {
    let link = a.create_user(email, Role::Learner, T0).unwrap();
    a.redeem(&link.token, PASSWORD, T0).unwrap()
}

#[test]
fn another_applications_users_table_is_refused_and_left_alone() {
    let Some(db) = Db::new() else { return };
    db.sql()
        .batch_execute("CREATE TABLE users (name text); INSERT INTO users VALUES ('root')")
        .unwrap();
    let err = PgAccounts::open(&db.url).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err:?}");
    let kept: String = db
        .sql()
        .query_one("SELECT name FROM users", &[])
        .unwrap()
        .get(0);
    assert_eq!(kept, "root");
}

#[test]
fn accounts_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Accounts>();
}

#[test]
fn an_invitation_sets_a_password_once() {
    let Some(db) = Db::new() else { return };
    let a = db.accounts();
    let link = a.create_user("ada@example.org", Role::Coach, T0).unwrap();
    assert_eq!(link.expires_at, T0 + Duration::days(7));
    assert!(
        link.user_id >= 1,
        "user ids start at 1: 0 is the learner without accounts"
    );
    assert_eq!(a.users().unwrap()[0].status, UserStatus::Invited);
    // No password yet: logging in fails like a wrong password.
    assert!(matches!(
        a.login("ada@example.org", PASSWORD, ip("10.0.0.1"), T0),
        Err(AccountError::WrongCredentials)
    ));
    let info = a.link(&link.token, T0).unwrap().unwrap();
    assert_eq!(
        (info.email.as_str(), info.reset),
        ("ada@example.org", false)
    );
    // The policy is checked before the link is used up.
    let e = a.redeem(&link.token, "short", T0).unwrap_err();
    assert!(e.to_string().contains("12 to 128 characters"), "{e}");
    let id = a.redeem(&link.token, PASSWORD, T0).unwrap();
    assert_eq!(id, link.user_id);
    assert!(matches!(
        a.redeem(&link.token, "another long passphrase", T0),
        Err(AccountError::LinkInvalid)
    ));
    assert_eq!(a.link(&link.token, T0).unwrap(), None);
    let login = a
        .login("ada@example.org", PASSWORD, ip("10.0.0.1"), T0)
        .unwrap();
    let who = a.session(&login.token, T0).unwrap().unwrap();
    assert_eq!(
        who,
        SessionUser {
            user_id: id,
            email: "ada@example.org".to_owned(),
            role: Role::Coach,
            csrf_secret: login.csrf_secret,
        }
    );
    assert_eq!(a.users().unwrap()[0].status, UserStatus::Active);
}

#[test]
fn an_expired_invitation_is_refused() {
    let Some(db) = Db::new() else { return };
    let a = db.accounts();
    let link = a.create_user("bo@example.org", Role::Learner, T0).unwrap();
    let late = T0 + INVITATION_LIFETIME;
    assert_eq!(a.link(&link.token, late).unwrap(), None);
    assert!(matches!(
        a.redeem(&link.token, PASSWORD, late),
        Err(AccountError::LinkInvalid)
    ));
    // A second before, it still works.
    a.redeem(&link.token, PASSWORD, late - Duration::seconds(1))
        .unwrap();
    // Tokens that are not ours never match.
    for t in ["", "x", &"A".repeat(43), &link.token[..42]] {
        assert!(matches!(
            a.redeem(t, PASSWORD, T0),
            Err(AccountError::LinkInvalid)
        ));
    }
}

#[test]
fn no_password_or_raw_token_is_stored() {
    let Some(db) = Db::new() else { return };
    let a = db.accounts();
    let link = a.create_user("cy@example.org", Role::Admin, T0).unwrap();
    a.redeem(&link.token, PASSWORD, T0).unwrap();
    let login = a
        .login("cy@example.org", PASSWORD, ip("10.0.0.1"), T0)
        .unwrap();
    let reset = a.reset_password("cy@example.org", T0).unwrap();
    let mut sql = db.sql();
    let hash: Option<String> = sql
        .query_one("SELECT password_hash FROM users", &[])
        .unwrap()
        .get(0);
    assert_eq!(hash, None, "a reset clears the password");
    a.redeem(&reset.token, PASSWORD, T0).unwrap();
    let login2 = a
        .login("cy@example.org", PASSWORD, ip("10.0.0.1"), T0)
        .unwrap();
    let hash: String = sql
        .query_one("SELECT password_hash FROM users", &[])
        .unwrap()
        .get(0);
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    // Every table, every column, as text: no secret in the clear, nor its hex.
    let tables = ["users", "invitations", "sessions", "login_attempts"];
    let mut dump = String::new();
    for t in tables {
        for row in sql
            .query(&format!("SELECT row_to_json({t})::text FROM {t}"), &[])
            .unwrap()
        {
            dump.push_str(&row.get::<_, String>(0));
        }
    }
    assert!(
        dump.contains("cy@example.org"),
        "the dump has the rows: {dump}"
    );
    for secret in [
        PASSWORD,
        &link.token,
        &reset.token,
        &login.token,
        &login2.token,
    ] {
        assert!(!dump.contains(secret), "{secret} is stored: {dump}");
        let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
        assert!(!dump.contains(&hex), "{secret} is stored as hex");
    }
    // The stored token hashes are 32 bytes each.
    let n: i64 = sql
        .query_one(
            "SELECT count(*) FROM invitations WHERE octet_length(token_hash) = 32",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(n, 2);
}

#[test]
fn a_wrong_password_and_an_unknown_email_look_the_same() {
    let Some(db) = Db::new() else { return };
    let a = db.accounts();
    active(&a, "di@example.org");
    let wrong = a
        .login("di@example.org", "not the password", ip("10.0.0.1"), T0)
        .unwrap_err();
    let unknown = a
        .login("nobody@example.org", PASSWORD, ip("10.0.0.1"), T0)
        .unwrap_err();
    let malformed = a.login("nobody", PASSWORD, ip("10.0.0.1"), T0).unwrap_err();
    assert!(matches!(wrong, AccountError::WrongCredentials));
    assert_eq!(wrong.to_string(), unknown.to_string());
    assert_eq!(wrong.to_string(), malformed.to_string());
    assert_eq!(wrong.to_string(), "wrong e-mail address or password");
}

#[test]
fn emails_ignore_case() {
    let Some(db) = Db::new() else { return };
    let a = db.accounts();
    active(&a, "Eve.Smith@Example.org");
    assert!(matches!(
        a.create_user("eve.smith@example.ORG", Role::Learner, T0),
        Err(AccountError::EmailTaken(_))
    ));
    let login = a
        .login("EVE.SMITH@example.org", PASSWORD, ip("10.0.0.1"), T0)
        .unwrap();
    let who = a.session(&login.token, T0).unwrap().unwrap();
    assert_eq!(who.email, "Eve.Smith@Example.org", "shown as first written");
    a.set_disabled("eve.smith@EXAMPLE.org", true).unwrap();
    assert_eq!(a.users().unwrap()[0].status, UserStatus::Disabled);
}

#[test]
fn the_email_limit_trips_after_five_failures_and_lifts_after_the_window() {
    let Some(db) = Db::new() else { return };
    let a = db.accounts();
    active(&a, "fay@example.org");
    // Five failures a minute apart, each from another address.
    for i in 0..LOGIN_FAILURES_PER_EMAIL {
        let t = T0 + Duration::minutes(i);
        let e = a
            .login(
                "fay@example.org",
                "wrong password",
                ip(&format!("10.0.0.{i}")),
                t,
            )
            .unwrap_err();
        assert!(matches!(e, AccountError::WrongCredentials), "{i}: {e}");
    }
    // The sixth is refused before the password is checked, even the right one, and says
    // when to try again: 15 minutes after the first failure.
    let t = T0 + Duration::minutes(5);
    let e = a
        .login("FAY@example.org", PASSWORD, ip("10.9.9.9"), t)
        .unwrap_err();
    match &e {
        AccountError::RateLimited { retry_at, .. } => {
            assert_eq!(*retry_at, T0 + LOGIN_WINDOW);
        }
        other => panic!("{other}"),
    }
    assert_eq!(
        e.to_string(),
        "too many failed log-ins for this e-mail address; try again after 2026-12-03 09:15:00 UTC"
    );
    // Another account is not affected.
    active(&a, "gil@example.org");
    a.login("gil@example.org", PASSWORD, ip("10.9.9.9"), t)
        .unwrap();
    // A second before the first failure leaves the window: still refused.
    let almost = T0 + LOGIN_WINDOW - Duration::seconds(1);
    assert!(matches!(
        a.login("fay@example.org", PASSWORD, ip("10.9.9.9"), almost),
        Err(AccountError::RateLimited { .. })
    ));
    // Refused attempts are not counted, so the limit lifts on time.
    a.login(
        "fay@example.org",
        PASSWORD,
        ip("10.9.9.9"),
        T0 + LOGIN_WINDOW,
    )
    .unwrap();
}

#[test]
fn the_address_limit_trips_after_thirty_failures() {
    let Some(db) = Db::new() else { return };
    let a = db.accounts();
    active(&a, "hal@example.org");
    let from = ip("2001:db8:1:2:3:4:5:6");
    // Thirty failures for as many e-mail addresses (unknown ones count too), from one /64.
    for i in 0..LOGIN_FAILURES_PER_ADDRESS {
        let e = a
            .login(
                &format!("user{i}@example.org"),
                "guess guess guess",
                from,
                T0,
            )
            .unwrap_err();
        assert!(matches!(e, AccountError::WrongCredentials), "{i}: {e}");
    }
    let same_net = ip("2001:db8:1:2:ffff::1");
    let e = a
        .login("hal@example.org", PASSWORD, same_net, T0)
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("too many failed log-ins from your network address; try again after"),
        "{e}"
    );
    // Another network is not affected; the limit lifts after the window.
    a.login("hal@example.org", PASSWORD, ip("2001:db8:1:3::1"), T0)
        .unwrap();
    a.login("hal@example.org", PASSWORD, same_net, T0 + LOGIN_WINDOW)
        .unwrap();
}

#[test]
fn attempts_in_flight_count_against_the_email_but_not_the_address() {
    let Some(db) = Db::new() else { return };
    let a = db.accounts();
    active(&a, "kim@example.org");
    let window = LOGIN_WINDOW.whole_milliseconds() as i64;
    let (now, since) = (ms(T0), ms(T0) - window);
    let begin = |email: &str, from: IpAddr| {
        a.store
            .begin_attempt(
                email,
                &address_key(from),
                now,
                since,
                LOGIN_FAILURES_PER_EMAIL,
                LOGIN_FAILURES_PER_ADDRESS,
            )
            .unwrap()
    };
    // Forty people behind one address press "Log in" at the same moment: their attempts
    // are in flight, not failures of the address, so the next person still gets in.
    let office = ip("192.0.2.7");
    for i in 0..40 {
        begin(&format!("user{i}@example.org"), office);
    }
    a.login("kim@example.org", PASSWORD, office, T0).unwrap();
    // Once decided as failures they do count: a new attempt from there is refused.
    let decided = db
        .sql()
        .execute("UPDATE login_attempts SET checked = true", &[])
        .unwrap();
    assert!(decided >= 40);
    let e = a
        .login("kim@example.org", PASSWORD, office, T0)
        .unwrap_err();
    assert!(matches!(e, AccountError::RateLimited { .. }), "{e}");
    // Parallel guesses at one account: five in flight already block a sixth, from anywhere.
    active(&a, "lee@example.org");
    for k in 0..LOGIN_FAILURES_PER_EMAIL {
        begin("lee@example.org", ip(&format!("198.51.100.{}", k + 1)));
    }
    let e = a
        .login("lee@example.org", PASSWORD, ip("203.0.113.9"), T0)
        .unwrap_err();
    assert!(matches!(e, AccountError::RateLimited { .. }), "{e}");
}

#[test]
fn disabling_ends_sessions_and_log_ins() {
    let Some(db) = Db::new() else { return };
    let a = db.accounts();
    let id = active(&a, "ivy@example.org");
    let s1 = a
        .login("ivy@example.org", PASSWORD, ip("10.0.0.1"), T0)
        .unwrap();
    let s2 = a
        .login("ivy@example.org", PASSWORD, ip("10.0.0.2"), T0)
        .unwrap();
    assert_ne!(s1.token, s2.token);
    assert_ne!(s1.csrf_secret, s2.csrf_secret);
    let u = a.set_disabled("ivy@example.org", true).unwrap();
    assert_eq!((u.id, u.status), (id, UserStatus::Disabled));
    let mut sql = db.sql();
    let n: i64 = sql
        .query_one("SELECT count(*) FROM sessions", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 0, "the rows are gone at once");
    assert_eq!(a.session(&s1.token, T0).unwrap(), None);
    assert_eq!(a.session(&s2.token, T0).unwrap(), None);
    // The right password is told the account is disabled; a wrong one learns nothing.
    assert!(matches!(
        a.login("ivy@example.org", PASSWORD, ip("10.0.0.1"), T0),
        Err(AccountError::Disabled)
    ));
    assert!(matches!(
        a.login("ivy@example.org", "wrong password", ip("10.0.0.1"), T0),
        Err(AccountError::WrongCredentials)
    ));
    let u = a.set_disabled("ivy@example.org", false).unwrap();
    assert_eq!(u.status, UserStatus::Active);
    a.login("ivy@example.org", PASSWORD, ip("10.0.0.3"), T0)
        .unwrap();
    assert!(matches!(
        a.set_disabled("nobody@example.org", true),
        Err(AccountError::NoSuchUser(_))
    ));
}

#[test]
fn a_reset_ends_sessions_and_the_old_password() {
    let Some(db) = Db::new() else { return };
    let a = db.accounts();
    active(&a, "jo@example.org");
    let s = a
        .login("jo@example.org", PASSWORD, ip("10.0.0.1"), T0)
        .unwrap();
    let first = a.reset_password("jo@example.org", T0).unwrap();
    assert_eq!(first.expires_at, T0 + RESET_LIFETIME);
    assert_eq!(a.session(&s.token, T0).unwrap(), None);
    assert!(matches!(
        a.login("jo@example.org", PASSWORD, ip("10.0.0.1"), T0),
        Err(AccountError::WrongCredentials)
    ));
    // A newer link replaces the older one.
    let second = a.reset_password("jo@example.org", T0).unwrap();
    assert!(matches!(
        a.redeem(&first.token, "a brand new passphrase", T0),
        Err(AccountError::LinkInvalid)
    ));
    assert!(a.link(&second.token, T0).unwrap().unwrap().reset);
    a.redeem(&second.token, "a brand new passphrase", T0)
        .unwrap();
    a.login(
        "jo@example.org",
        "a brand new passphrase",
        ip("10.0.0.1"),
        T0,
    )
    .unwrap();
    assert!(matches!(
        a.login("jo@example.org", PASSWORD, ip("10.0.0.1"), T0),
        Err(AccountError::WrongCredentials)
    ));
}

#[test]
fn sessions_end_when_idle_at_their_absolute_limit_or_at_log_out() {
    let Some(db) = Db::new() else { return };
    let a = db.accounts();
    active(&a, "kim@example.org");
    let mut sql = db.sql();
    let last_seen = |sql: &mut Client| -> i64 {
        sql.query_one("SELECT last_seen_at FROM sessions", &[])
            .unwrap()
            .get(0)
    };
    // Idle: just under the limit it lives (and is touched), at the limit it ends.
    let s = a
        .login("kim@example.org", PASSWORD, ip("10.0.0.1"), T0)
        .unwrap();
    // Within a minute, no write.
    a.session(&s.token, T0 + Duration::seconds(59))
        .unwrap()
        .unwrap();
    assert_eq!(last_seen(&mut sql), ms(T0));
    let t1 = T0 + SESSION_IDLE - Duration::seconds(1);
    assert!(a.session(&s.token, t1).unwrap().is_some());
    assert_eq!(last_seen(&mut sql), ms(t1), "activity moves the idle limit");
    assert!(
        a.session(&s.token, t1 + SESSION_IDLE - Duration::seconds(1))
            .unwrap()
            .is_some()
    );
    let t2 = t1 + SESSION_IDLE - Duration::seconds(1);
    assert_eq!(a.session(&s.token, t2 + SESSION_IDLE).unwrap(), None);
    assert_eq!(a.session(&s.token, t2).unwrap(), None, "ended for good");

    // Absolute: active every few hours, it still ends after 7 days.
    let s = a
        .login("kim@example.org", PASSWORD, ip("10.0.0.1"), T0)
        .unwrap();
    let mut t = T0;
    while t + Duration::hours(4) < T0 + SESSION_ABSOLUTE {
        t += Duration::hours(4);
        assert!(a.session(&s.token, t).unwrap().is_some(), "{t}");
    }
    assert_eq!(a.session(&s.token, T0 + SESSION_ABSOLUTE).unwrap(), None);

    // A session that ended unseen is deleted at the next log-in (the one above was deleted
    // when it was looked up).
    let count = |sql: &mut Client| -> i64 {
        sql.query_one("SELECT count(*) FROM sessions", &[])
            .unwrap()
            .get(0)
    };
    assert_eq!(count(&mut sql), 0);
    a.login("kim@example.org", PASSWORD, ip("10.0.0.1"), T0)
        .unwrap();
    let later = T0 + SESSION_IDLE;
    let s = a
        .login("kim@example.org", PASSWORD, ip("10.0.0.1"), later)
        .unwrap();
    assert_eq!(count(&mut sql), 1, "only the new one is left");

    // Log-out.
    assert!(a.logout(&s.token).unwrap());
    assert_eq!(a.session(&s.token, later).unwrap(), None);
    assert!(!a.logout(&s.token).unwrap());
    assert!(!a.logout("not a token").unwrap());
}

#[test]
fn two_redeems_at_once_set_one_password() {
    let Some(db) = Db::new() else { return };
    let link = db
        .accounts()
        .create_user("lu@example.org", Role::Learner, T0)
        .unwrap();
    let results: Vec<bool> = std::thread::scope(|s| {
        let handles: Vec<_> = ["first passphrase!", "second passphrase"]
            .into_iter()
            .map(|pw| {
                let (db, token) = (&db, link.token.clone());
                s.spawn(move || db.accounts().redeem(&token, pw, T0).is_ok())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.iter().filter(|ok| **ok).count(), 1, "{results:?}");
}

#[test]
fn bad_input_is_refused_with_reasons() {
    let Some(db) = Db::new() else { return };
    let a = db.accounts();
    let e = a
        .create_user(
            &format!("{}@example.org", "x".repeat(300)),
            Role::Learner,
            T0,
        )
        .unwrap_err();
    assert!(e.to_string().contains("longer than 254 characters"), "{e}");
    let e = a
        .create_user("mo\u{1b}[2J@example.org", Role::Learner, T0)
        .unwrap_err();
    assert!(e.to_string().contains("control character U+001B"), "{e}");
    assert!(a.users().unwrap().is_empty());
    assert!(matches!(
        a.reset_password("nobody@example.org", T0),
        Err(AccountError::NoSuchUser(_))
    ));
    // The password may not be the e-mail address, in any case.
    let link = a
        .create_user("Mo.Long@example.org", Role::Learner, T0)
        .unwrap();
    let e = a
        .redeem(&link.token, "mo.long@example.org", T0)
        .unwrap_err();
    assert!(e.to_string().contains("your e-mail address"), "{e}");
}
