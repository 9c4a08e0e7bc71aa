//! Team mode (`pmle serve --team`) on PostgreSQL: log-in and its cookie, invitations, the
//! rate limit, logout, refusal without a session, CSRF bound to the session, and the
//! isolation of two learners over every route of the router. Each test has a schema of its
//! own on the server `PMLE_TEST_DATABASE_URL` names; without it they are skipped (and fail
//! when `PMLE_TEST_REQUIRE_POSTGRES` is set, as in scripts/test).
#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use common::{CSRF, START, field, header, request, request_with, serve_with_options};
use pmle_app::accounts::Accounts;
use pmle_app::{App, ManualClock, load_pack};
use pmle_content::model::{Date, Pack};
use pmle_store::{PgAccounts, PgPool};

const PASSWORD: &str = "correct horse battery staple";
const Q: &str = "s4-features-concepts-006";

fn base_url() -> Option<String> {
    match std::env::var("PMLE_TEST_DATABASE_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            assert!(
                std::env::var_os("PMLE_TEST_REQUIRE_POSTGRES").is_none(),
                "PMLE_TEST_REQUIRE_POSTGRES is set but PMLE_TEST_DATABASE_URL is not"
            );
            eprintln!("skipped: set PMLE_TEST_DATABASE_URL to run the PostgreSQL tests");
            None
        }
    }
}

/// A fresh schema on the PostgreSQL test server, dropped with this value.
struct Schema {
    base: String,
    name: String,
}

impl Schema {
    fn new(base: &str, test: &str) -> Schema {
        let name = format!("pmle_web_team_{test}_{}", std::process::id());
        admin(
            base,
            format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"),
        );
        Schema {
            base: base.to_owned(),
            name,
        }
    }

    fn url(&self) -> String {
        let sep = if self.base.contains('?') { '&' } else { '?' };
        format!("{}{sep}options=-csearch_path%3D{}", self.base, self.name)
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        admin(
            &self.base,
            format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
        );
    }
}

/// Run `sql` on a thread of its own: the synchronous client starts a runtime.
fn admin(base: &str, sql: String) {
    let base = base.to_owned();
    let _ = std::thread::spawn(move || {
        postgres::Client::connect(&base, postgres::NoTls)?.batch_execute(&sql)
    })
    .join()
    .unwrap();
}

fn pack() -> Pack {
    load_pack(
        None,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap()
}

/// A running team server on `schema`, and its accounts (to create users).
struct Server {
    addr: SocketAddr,
    accounts: Arc<Accounts>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

async fn team_server(schema: &Schema, secure_cookies: bool) -> Server {
    let url = schema.url();
    let pool = PgPool::open(&url, 2).unwrap();
    let pack = pack();
    let clock = ManualClock::new(START);
    let server_app = App::new(
        pack.clone(),
        Box::new(pool.store_for(0)),
        Box::new(clock.clone()),
        3,
        "postgres",
    );
    let accounts = Arc::new(Accounts::new(PgAccounts::from_store(pool.store_for(0))));
    let app_for: pmle_web::AppFactory = Arc::new(move |user_id| {
        App::new(
            pack.clone(),
            Box::new(pool.store_for(user_id)),
            Box::new(clock.clone()),
            3,
            "postgres",
        )
    });
    let mut options = pmle_web::Options::new(CSRF.to_owned(), None);
    options.team = Some(pmle_web::Team {
        accounts: accounts.clone(),
        app_for,
        secure_cookies,
        trust_proxy: false,
        clock: Arc::new(ManualClock::new(START)),
    });
    let (addr, stop, _task) = serve_with_options(server_app, options).await;
    Server {
        addr,
        accounts,
        _stop: stop,
    }
}

/// The server's clock stands still at `START`: accounts, links and sessions are judged by it.
fn now() -> time::OffsetDateTime {
    pmle_app::Clock::now(&ManualClock::new(START))
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A user with `email` whose password is set (without the web pages).
fn user(server: &Server, email: &str) {
    let link = server
        .accounts
        .create_user(email, pmle_app::accounts::Role::Learner, now())
        .unwrap();
    server
        .accounts
        .redeem(&link.token, PASSWORD, now())
        .unwrap();
}

async fn login(addr: SocketAddr, email: &str, password: &str) -> (u16, String, String) {
    request(
        addr,
        "POST",
        "/login",
        &format!(
            "csrf={CSRF}&email={}&password={}",
            enc(email),
            enc(password)
        ),
    )
    .await
}

/// Log in; the `Cookie:` header line of the session.
async fn session(addr: SocketAddr, email: &str) -> String {
    let (status, head, body) = login(addr, email, PASSWORD).await;
    assert_eq!(status, 303, "{body}");
    let set = header(&head, "set-cookie").unwrap();
    format!("Cookie: {}\r\n", set.split(';').next().unwrap())
}

async fn get(addr: SocketAddr, path: &str, cookie: &str) -> (u16, String, String) {
    request_with(addr, "GET", path, cookie, "").await
}

async fn post(addr: SocketAddr, path: &str, cookie: &str, body: &str) -> (u16, String, String) {
    request_with(addr, "POST", path, cookie, body).await
}

/// The CSRF token of this session's forms.
async fn csrf_of(addr: SocketAddr, cookie: &str) -> String {
    let (status, _, page) = get(addr, "/settings", cookie).await;
    assert_eq!(status, 200, "{page}");
    field(&page, "csrf")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_strict_cookie_and_refuses_wrong_passwords_alike() {
    let Some(base) = base_url() else { return };
    let schema = Schema::new(&base, "login");
    let server = team_server(&schema, false).await;
    let addr = server.addr;
    user(&server, "ann@example.test");

    // A wrong password and an unknown e-mail get the same refusal, and no cookie.
    let (status, head, wrong) = login(addr, "ann@example.test", "not the password at all").await;
    assert_eq!(status, 401);
    assert!(header(&head, "set-cookie").is_none(), "{head}");
    assert!(
        wrong.contains("wrong e-mail address or password"),
        "{wrong}"
    );
    let (status, head, unknown) = login(addr, "nobody@example.test", PASSWORD).await;
    assert_eq!(status, 401);
    assert!(header(&head, "set-cookie").is_none(), "{head}");
    assert!(unknown.contains("wrong e-mail address or password"));
    // A log-in form without the server's CSRF token is refused before any password check.
    let (status, head, _) = request(
        addr,
        "POST",
        "/login",
        &format!(
            "csrf=forged&email=ann%40example.test&password={}",
            enc(PASSWORD)
        ),
    )
    .await;
    assert_eq!(status, 403);
    assert!(header(&head, "set-cookie").is_none());

    let (status, head, _) = login(addr, "ann@example.test", PASSWORD).await;
    assert_eq!(status, 303);
    assert_eq!(header(&head, "location"), Some("/"));
    let set = header(&head, "set-cookie").unwrap();
    let (pair, attributes) = set.split_once(';').unwrap();
    let token = pair.strip_prefix("pmle_session=").unwrap();
    assert!(token.len() >= 32, "{set}");
    let attributes: Vec<&str> = attributes.split(';').map(str::trim).collect();
    for a in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(attributes.contains(&a), "{set} lacks {a}");
    }
    assert!(!attributes.contains(&"Secure"), "no TLS, no Secure: {set}");
    let cookie = format!("Cookie: {pair}\r\n");
    let (status, head, dash) = get(addr, "/", &cookie).await;
    assert_eq!(status, 200, "{dash}");
    assert_eq!(
        header(&head, "cache-control"),
        Some("private, no-cache"),
        "{head}"
    );
    assert!(
        !dash.contains(token),
        "the session token is never in a page"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_tls_the_cookie_is_secure_and_host_prefixed() {
    let Some(base) = base_url() else { return };
    let schema = Schema::new(&base, "secure");
    let server = team_server(&schema, true).await;
    user(&server, "ann@example.test");
    let (status, head, _) = login(server.addr, "ann@example.test", PASSWORD).await;
    assert_eq!(status, 303);
    let set = header(&head, "set-cookie").unwrap();
    assert!(set.starts_with("__Host-pmle_session="), "{set}");
    let attributes: Vec<&str> = set.split(';').skip(1).map(str::trim).collect();
    for a in ["HttpOnly", "SameSite=Strict", "Path=/", "Secure"] {
        assert!(attributes.contains(&a), "{set} lacks {a}");
    }
    let pair = set.split(';').next().unwrap();
    let (status, _, _) = get(server.addr, "/", &format!("Cookie: {pair}\r\n")).await;
    assert_eq!(status, 200);
    // The same token under the name without the prefix is not this server's cookie.
    let plain = pair.replace("__Host-", "");
    let (status, head, _) = get(server.addr, "/", &format!("Cookie: {plain}\r\n")).await;
    assert_eq!(status, 303);
    assert_eq!(header(&head, "location"), Some("/login"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failures_bring_the_rate_limit_message_even_for_the_right_password() {
    let Some(base) = base_url() else { return };
    let schema = Schema::new(&base, "limit");
    let server = team_server(&schema, false).await;
    user(&server, "ann@example.test");
    for _ in 0..5 {
        let (status, _, _) = login(server.addr, "ann@example.test", "wrong password here").await;
        assert_eq!(status, 401);
    }
    let (status, head, body) = login(server.addr, "ann@example.test", PASSWORD).await;
    assert_eq!(status, 429, "{body}");
    assert!(header(&head, "set-cookie").is_none());
    assert!(
        body.contains("too many failed log-ins for this e-mail address; try again after"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_sets_the_password_once_and_logout_ends_the_session() {
    let Some(base) = base_url() else { return };
    let schema = Schema::new(&base, "invite");
    let server = team_server(&schema, false).await;
    let addr = server.addr;
    let link = server
        .accounts
        .create_user("bea@example.test", pmle_app::accounts::Role::Coach, now())
        .unwrap();
    let path = format!("/invite/{}", link.token);
    let (status, _, page) = request(addr, "GET", &path, "").await;
    assert_eq!(status, 200);
    assert!(page.contains("bea@example.test"), "{page}");
    // Too short: the accounts rule, and the link still works.
    let (status, _, page) =
        request(addr, "POST", &path, &format!("csrf={CSRF}&password=short")).await;
    assert_eq!(status, 400);
    assert!(page.contains("choose another password"), "{page}");
    let (status, head, _) = request(
        addr,
        "POST",
        &path,
        &format!("csrf={CSRF}&password={}", enc(PASSWORD)),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        header(&head, "location"),
        Some("/login"),
        "the token leaves the URL"
    );
    // Once only.
    let (status, _, _) = request(addr, "GET", &path, "").await;
    assert_eq!(status, 410);
    let (status, _, _) = request(
        addr,
        "POST",
        &path,
        &format!("csrf={CSRF}&password={}", enc("another good password")),
    )
    .await;
    assert_eq!(status, 410);
    let (status, _, _) = login(addr, "bea@example.test", "another good password").await;
    assert_eq!(status, 401, "the second password was not set");

    let cookie = session(addr, "bea@example.test").await;
    let csrf = csrf_of(addr, &cookie).await;
    let (_, _, settings) = get(addr, "/settings", &cookie).await;
    assert!(
        settings.contains("Logged in as bea@example.test")
            && settings.contains("action=\"/logout\""),
        "{settings}"
    );
    // Logout needs the session's CSRF token.
    let (status, _, _) = post(addr, "/logout", &cookie, "csrf=forged").await;
    assert_eq!(status, 403);
    let (status, _, _) = get(addr, "/", &cookie).await;
    assert_eq!(status, 200, "a refused logout leaves the session");
    let (status, head, _) = post(addr, "/logout", &cookie, &format!("csrf={csrf}")).await;
    assert_eq!(status, 303);
    assert_eq!(header(&head, "location"), Some("/login"));
    assert!(header(&head, "set-cookie").unwrap().contains("Max-Age=0"));
    // The old cookie no longer works.
    let (status, head, _) = get(addr, "/", &cookie).await;
    assert_eq!(status, 303);
    assert_eq!(header(&head, "location"), Some("/login"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_session_pages_go_to_login_and_the_rest_is_refused() {
    let Some(base) = base_url() else { return };
    let schema = Schema::new(&base, "anon");
    let server = team_server(&schema, false).await;
    let addr = server.addr;
    for page in ["/", "/practice", "/settings", "/exam", "/notes", "/review"] {
        let (status, head, _) = request(addr, "GET", page, "").await;
        assert_eq!(status, 303, "{page}");
        assert_eq!(header(&head, "location"), Some("/login"), "{page}");
    }
    for path in [
        "/export/backup.json",
        "/export/reports.json",
        "/export/pmle.apkg",
        "/export",
    ] {
        let (status, _, _) = request(addr, "GET", path, "").await;
        assert_eq!(status, 401, "{path}");
    }
    let (status, _, _) = request_with(addr, "GET", "/practice", "HX-Request: true\r\n", "").await;
    assert_eq!(status, 401, "an htmx partial");
    let (status, _, _) = request_with(addr, "GET", "/", "Accept: application/json\r\n", "").await;
    assert_eq!(status, 401, "JSON");
    let (status, _, _) = request(
        addr,
        "POST",
        "/settings",
        &format!("csrf={CSRF}&theme=dark"),
    )
    .await;
    assert_eq!(status, 401, "a form, even with the server's token");
    // A forged or unknown cookie is no session.
    let (status, _, _) = get(
        addr,
        "/",
        "Cookie: pmle_session=abcdefabcdefabcdefabcdefabcdefab\r\n",
    )
    .await;
    assert_eq!(status, 303);
    for open in ["/login", "/healthz", "/static/app.css", "/theme.css"] {
        let (status, _, _) = request(addr, "GET", open, "").await;
        assert_eq!(status, 200, "{open}");
    }
    let (status, _, _) = request(addr, "GET", "/readyz", "").await;
    assert_eq!(status, 200);
}

/// Answer `Q` on the practice page as the session `cookie`.
async fn practise(addr: SocketAddr, cookie: &str, csrf: &str) {
    let (status, _, page) = get(addr, &format!("/practice?question={Q}"), cookie).await;
    assert_eq!(status, 200, "{page}");
    let mut form = format!(
        "question={}&order={}&shown_at={}&csrf={csrf}",
        field(&page, "question"),
        field(&page, "order").replace(',', "%2C"),
        field(&page, "shown_at")
    );
    if page.contains("type=\"checkbox\"") {
        form.push_str("&pick0=0&pick1=1");
    } else {
        form.push_str("&pick=0");
    }
    let (status, _, fb) = post(addr, "/practice/answer", cookie, &form).await;
    assert_eq!(status, 200, "{fb}");
}

/// What of A's must never reach B.
struct Secrets {
    note: &'static str,
    report: &'static str,
    exam_forms: Vec<String>,
}

impl Secrets {
    fn check(&self, what: &str, body: &str) {
        for s in [self.note, self.report]
            .into_iter()
            .map(str::to_owned)
            .chain(self.exam_forms.iter().cloned())
        {
            assert!(!body.contains(&s), "B's {what} shows A's {s:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_learners_see_and_change_only_their_own_data_on_every_route() {
    let Some(base) = base_url() else { return };
    let schema = Schema::new(&base, "isolation");
    let server = team_server(&schema, false).await;
    let addr = server.addr;
    user(&server, "a@example.test");
    user(&server, "b@example.test");
    let a = session(addr, "a@example.test").await;
    let b = session(addr, "b@example.test").await;
    let a_csrf = csrf_of(addr, &a).await;
    let b_csrf = csrf_of(addr, &b).await;
    assert_ne!(a_csrf, b_csrf, "each session has its own CSRF secret");

    // A practises, bookmarks, writes a note, reports, changes a setting.
    practise(addr, &a, &a_csrf).await;
    let note = "zebra-private-note-of-learner-a-7731";
    let report = "quokka-report-text-of-learner-a-4412";
    for (path, form) in [
        (
            "/review/mark",
            format!("question={Q}&kind=bookmark&on=1&next=/practice"),
        ),
        (
            "/review/note",
            format!("question={Q}&text={note}&next=/practice"),
        ),
        (
            "/review/report",
            format!("question={Q}&reason=unclear&text={report}&next=/practice"),
        ),
    ] {
        let (status, _, body) = post(addr, path, &a, &format!("csrf={a_csrf}&{form}")).await;
        assert_eq!(status, 303, "{path}: {body}");
    }
    let (status, _, _) = post(addr, "/settings", &a, &format!("csrf={a_csrf}&theme=dark")).await;
    assert_eq!(status, 200);
    // A finishes one mock exam (a report) and starts another (running).
    let (status, _, _) = post(
        addr,
        "/exam/start",
        &a,
        &format!("csrf={a_csrf}&variant=full"),
    )
    .await;
    assert_eq!(status, 303);
    let (status, head, _) = post(addr, "/exam/submit", &a, &format!("csrf={a_csrf}")).await;
    assert_eq!(status, 303);
    let a_report = header(&head, "location").unwrap().to_owned();
    assert!(a_report.starts_with("/exam/report/"), "{a_report}");
    let a_done: i64 = a_report["/exam/report/".len()..].parse().unwrap();
    let (status, _, _) = post(
        addr,
        "/exam/start",
        &a,
        &format!("csrf={a_csrf}&variant=full"),
    )
    .await;
    assert_eq!(status, 303);
    let (_, _, a_exam_page) = get(addr, "/exam", &a).await;
    let a_exam: i64 = field(&a_exam_page, "exam").parse().unwrap();
    let a_version = field(&a_exam_page, "version");
    // A sees all of it.
    let (_, _, a_review) = get(addr, &format!("/review/q/{Q}"), &a).await;
    assert!(a_review.contains(note), "A's own note shows: {a_review}");
    let (_, _, a_backup) = get(addr, "/export/backup.json", &a).await;
    assert!(a_backup.contains(note), "A's backup has the note");
    let (status, _, _) = get(addr, &a_report, &a).await;
    assert_eq!(status, 200);

    let secrets = Secrets {
        note,
        report,
        exam_forms: vec![
            format!("name=\"exam\" value=\"{a_exam}\""),
            format!("/exam/report/{a_done}\""),
        ],
    };
    // A's CSRF token is refused in B's session.
    let (status, _, _) = post(addr, "/settings", &b, &format!("csrf={a_csrf}&theme=light")).await;
    assert_eq!(status, 403);

    // B walks every route: GET and POST, plain and as htmx, with A's ids in the paths and
    // forms. /logout last, as it ends B's session.
    let mut routes: Vec<&str> = pmle_web::ROUTES.to_vec();
    routes.sort_by_key(|r| *r == "/logout");
    let a_form = format!(
        "csrf={b_csrf}&exam={a_exam}&position=0&version={a_version}&question={Q}&kind=bookmark&on=0\
         &text=b-overwrites&reason=typo&next=/&pick=0&theme=light&variant=full&rating=good&id={Q}"
    );
    let mut walked = 0;
    for route in &routes {
        let path = route
            .replace("/exam/report/{id}", &a_report)
            .replace("/review/q/{id}", &format!("/review/q/{Q}"))
            .replace("/notes/{id}", "/notes/distributed-training")
            .replace("/cards/{id}", &format!("/cards/{}", pack().cards[0].id))
            .replace("/labs/{id}", "/labs/threshold")
            .replace("{token}", "not-a-link-token");
        assert!(!path.contains('{'), "no id for {route}");
        for hx in ["", "HX-Request: true\r\n"] {
            let extra = format!("{b}{hx}");
            let (status, _, body) = request_with(addr, "GET", &path, &extra, "").await;
            assert!(status < 500, "GET {path}: {status} {body}");
            secrets.check(&format!("GET {path}"), &body);
            if *route == "/logout" && hx.is_empty() {
                continue;
            }
            let (status, head, body) = request_with(addr, "POST", &path, &extra, &a_form).await;
            assert!(status < 500, "POST {path}: {status} {body}");
            secrets.check(&format!("POST {path}"), &body);
            secrets.check(&format!("POST {path} (head)"), &head);
            walked += 1;
        }
    }
    assert_eq!(walked, routes.len() * 2 - 1);

    // B's report page of A's exam does not exist for B.
    let b2 = session(addr, "b@example.test").await;
    let (status, _, body) = get(addr, &a_report, &b2).await;
    assert_ne!(status, 200, "{body}");
    // Nothing of A's changed.
    let (_, _, a_exam_after) = get(addr, "/exam", &a).await;
    assert_eq!(
        field(&a_exam_after, "exam"),
        a_exam.to_string(),
        "A's exam runs on"
    );
    assert_eq!(
        field(&a_exam_after, "version"),
        a_version,
        "B's forms did not move it"
    );
    let (_, _, a_marked) = get(addr, "/review?filter=bookmarked", &a).await;
    assert!(a_marked.contains(Q), "A's bookmark stays");
    let (_, _, a_review) = get(addr, &format!("/review/q/{Q}"), &a).await;
    assert!(a_review.contains(note) && !a_review.contains("b-overwrites"));
    let (_, _, a_theme) = get(addr, "/theme.css", &a).await;
    assert!(
        a_theme.contains("color-scheme: dark"),
        "A's theme stays: {a_theme}"
    );
    // And B's own data are B's: B's note went to B only.
    let (_, _, b_review) = get(addr, &format!("/review/q/{Q}"), &b2).await;
    assert!(!b_review.contains(note), "{b_review}");
    let (_, _, b_backup) = get(addr, "/export/backup.json", &b2).await;
    secrets.check("backup", &b_backup);
}

#[tokio::test]
async fn without_team_mode_there_is_no_login_and_the_server_csrf_works() {
    let (addr, _stop) = common::start().await;
    let (status, _, _) = request(addr, "GET", "/login", "").await;
    assert_eq!(status, 404);
    let (status, _, _) = request(addr, "POST", "/logout", &format!("csrf={CSRF}")).await;
    assert_eq!(status, 404);
    let (status, head, _) = request(addr, "GET", "/", "").await;
    assert_eq!(status, 200);
    assert!(header(&head, "set-cookie").is_none());
    let (_, _, page) = request(addr, "GET", "/settings", "").await;
    assert_eq!(field(&page, "csrf"), CSRF);
    let (status, _, _) = request(
        addr,
        "POST",
        "/settings",
        &format!("csrf={CSRF}&theme=dark"),
    )
    .await;
    assert_eq!(status, 200);
}
