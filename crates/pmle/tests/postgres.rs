//! `pmle serve --database URL`: progress in PostgreSQL. The errors are checked always; the
//! served answer when `PMLE_TEST_DATABASE_URL` names a test server (scripts/test starts one).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use common::{bin, pmle, stderr};
use pmle_store::Store;

#[test]
fn a_bad_database_url_says_how_to_write_one() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(
        home.path(),
        &["serve", "--database", "/tmp/progress.sqlite3"],
        "",
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("postgres://USER:PASSWORD@HOST:PORT/DATABASE"),
        "{err}"
    );
    assert!(err.contains("--db"), "{err}");
    let o = pmle(
        home.path(),
        &["--db", "p.sqlite3", "serve", "--database", "postgres://h/d"],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give only one"), "{}", stderr(&o));
}

#[test]
fn an_unreachable_server_says_what_to_check_without_the_password() {
    let home = tempfile::tempdir().unwrap();
    let url = "postgres://pmle:s3cret@127.0.0.1:1/pmle?connect_timeout=5";
    let o = pmle(home.path(), &["serve", "--database", url], "");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("check that the server is running"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
    // The same through the environment.
    let o = Command::new(bin())
        .args(["serve"])
        .env("PMLE_HOME", home.path())
        .env("PMLE_DATABASE_URL", url)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot connect to the PostgreSQL server"));
}

/// One HTTP/1.1 request; the response's status line and body.
fn http(addr: &str, request: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).expect("the server listens");
    s.write_all(request.as_bytes()).expect("request sent");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("response read");
    let status = out.lines().next().unwrap_or_default().to_owned();
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

/// The value of the first `name="NAME" value="…"` in `html`.
fn field(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\" value=\"")).expect(name);
    let rest = &html[at + name.len() + 15..];
    rest[..rest.find('"').expect("a closing quote")].to_owned()
}

#[test]
fn serve_on_postgres_records_a_practice_answer_there() {
    let Ok(base) = std::env::var("PMLE_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("PMLE_TEST_REQUIRE_POSTGRES").is_none(),
            "PMLE_TEST_REQUIRE_POSTGRES is set but PMLE_TEST_DATABASE_URL is not"
        );
        eprintln!("skipped: set PMLE_TEST_DATABASE_URL to run the PostgreSQL tests");
        return;
    };
    let schema = format!("pmle_cli_{}", std::process::id());
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin())
        .args(["serve", "--addr", "127.0.0.1:0", "--database", &url])
        .env("PMLE_HOME", home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    let get = format!("GET /practice HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let (status, page) = http(&addr, &get);
    assert!(status.contains("200"), "{status}");
    let form = format!(
        "pick=0&question={}&order={}&shown_at={}&focus=&csrf={}",
        field(&page, "question"),
        field(&page, "order").replace(',', "%2C"),
        field(&page, "shown_at"),
        field(&page, "csrf")
    );
    let post = format!(
        "POST /practice/answer HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{form}",
        form.len()
    );
    let (status, _) = http(&addr, &post);
    // The load balancer's readiness probe: the database answers, its schema is current.
    let ready = format!("GET /readyz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let (ready_status, ready_body) = http(&addr, &ready);
    let _ = child.kill();
    let _ = child.wait();
    assert!(status.contains("200"), "{status}");
    assert!(ready_status.contains("200"), "{ready_status} {ready_body}");
    // The schema this build migrates to (every PostgreSQL migration it ships).
    let migrations = pmle_store::PgStore::schema_version();
    assert_eq!(
        ready_body,
        format!("{{\"database\":\"ok\",\"schema\":{migrations}}}\n")
    );
    let store = pmle_store::PgStore::open(&url).unwrap();
    let answers = store.answers().unwrap();
    assert_eq!(answers.len(), 1, "the answer is in PostgreSQL");
    assert_eq!(answers[0].answer.question_id, field(&page, "question"));
    drop(store);
    admin
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
}

#[test]
fn team_mode_needs_postgresql_and_refuses_the_single_learner_flags() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(home.path(), &["serve", "--team"], "");
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("--team needs PostgreSQL"),
        "{}",
        stderr(&o)
    );
    let o = pmle(
        home.path(),
        &[
            "serve",
            "--team",
            "--database",
            "postgres://h/d",
            "--token",
            "3f9a1c0e7b2d4f6a8c0e1b3d5f7a9c2e",
        ],
        "",
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("leave out --token"), "{}", stderr(&o));
    for flag in ["--secure-cookies", "--trust-proxy"] {
        let o = pmle(home.path(), &["serve", flag], "");
        assert_ne!(o.status.code(), Some(0));
        assert!(
            stderr(&o).contains("are for a --team server"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn serve_team_sends_a_visitor_without_a_session_to_login() {
    let Ok(base) = std::env::var("PMLE_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("PMLE_TEST_REQUIRE_POSTGRES").is_none(),
            "PMLE_TEST_REQUIRE_POSTGRES is set but PMLE_TEST_DATABASE_URL is not"
        );
        eprintln!("skipped: set PMLE_TEST_DATABASE_URL to run the PostgreSQL tests");
        return;
    };
    let schema = format!("pmle_cli_team_{}", std::process::id());
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin())
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--team",
            "--database",
            &url,
        ])
        .env("PMLE_HOME", home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    let get = |path: &str| {
        http(
            &addr,
            &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
        )
    };
    let (home_status, _) = get("/");
    let (login_status, login) = get("/login");
    let (ready_status, _) = get("/readyz");
    let _ = child.kill();
    let _ = child.wait();
    admin
        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .unwrap();
    assert!(home_status.contains("303"), "{home_status}");
    assert!(login_status.contains("200"), "{login_status}");
    assert!(login.contains("name=\"password\""), "{login}");
    assert!(ready_status.contains("200"), "{ready_status}");
}
