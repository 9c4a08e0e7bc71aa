//! Two servers on one database, as behind a load balancer: a mock exam started on one,
//! answered and flagged on both in turn, and finished on the second after the first is
//! gone, loses no answer, no flag and no second, and shows the time a single server would.
//! On SQLite always; on PostgreSQL when `PMLE_TEST_DATABASE_URL` names a test server.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;

use common::{CSRF, START, field, request, serve};
use pmle_app::{App, ExamReport, ManualClock, load_pack};
use pmle_content::model::Date;

/// The answer the script gives: the first option, or the first two of a multiple choice.
fn pick(page: &str) -> &'static str {
    if page.contains("name=\"pick\"") {
        "pick=0"
    } else {
        "pick0=0&pick1=1"
    }
}

/// Post the exam form as `page` shows it, with `extra`.
async fn act(addr: SocketAddr, page: &str, extra: &str) -> u16 {
    let body = format!(
        "csrf={CSRF}&exam={}&position={}&version={}&{extra}",
        field(page, "exam"),
        field(page, "position"),
        field(page, "version")
    );
    request(addr, "POST", "/exam/act", &body).await.0
}

/// The countdown's figure on a page.
fn left_ms(page: &str) -> i64 {
    let at = page.find("data-left-ms=\"").expect("a countdown") + 14;
    page[at..].split('"').next().unwrap().parse().unwrap()
}

/// Questions the script answers, and how many of them go to server A before it stops.
const ANSWERED: usize = 9;
const A_STOPS_AFTER: usize = 6;

/// What one run showed: the time left on the review page before the submit, the report.
struct Run {
    left_ms: i64,
    report: ExamReport,
    /// Seconds the clock moved while an exam page was open.
    used_ms: i64,
}

/// Start an exam on `servers[0]`, then for each question: show it on one server, flag it on
/// that one (every third question), answer it and move on from the other; the servers take
/// turns. After question `A_STOPS_AFTER`, `stop_a` stops the first server and the rest is
/// done on the second. Then a heartbeat, the review page and the submit, on the second.
/// With the same address twice, this is what a single server does.
async fn script(
    servers: [SocketAddr; 2],
    mut stop_a: Option<tokio::sync::oneshot::Sender<()>>,
    clock: &ManualClock,
    app: &App,
) -> Run {
    let mut used = 0;
    let mut tick = |ms: i64| {
        clock.advance(ms);
        used += ms;
    };
    let (status, _, _) = request(
        servers[0],
        "POST",
        "/exam/start",
        &format!("csrf={CSRF}&variant=full"),
    )
    .await;
    assert_eq!(status, 303);
    for q in 0..ANSWERED {
        let (here, there) = if q >= A_STOPS_AFTER {
            if let Some(stop) = stop_a.take() {
                stop.send(()).unwrap();
            }
            (servers[1], servers[1])
        } else {
            (servers[q % 2], servers[(q + 1) % 2])
        };
        tick(4_000 + 1_000 * q as i64);
        let page = request(here, "GET", "/exam", "").await.2;
        assert!(
            page.contains(&format!("Question {} of", q + 1)),
            "question {} is shown wherever the page is asked: {page}",
            q + 1
        );
        if q % 3 == 0 {
            assert_eq!(
                act(here, &page, "keep=1&action=flag&flagged=false").await,
                303
            );
            tick(3_000);
        }
        let page = request(there, "GET", "/exam", "").await.2;
        tick(2_000);
        assert_eq!(
            act(there, &page, &format!("{}&action=next", pick(&page))).await,
            303
        );
    }
    let last = servers[1];
    tick(6_000);
    let id = app.stored_exam().unwrap().expect("still running").id();
    let beat = request(
        last,
        "POST",
        "/exam/beat",
        &format!("csrf={CSRF}&exam={id}"),
    )
    .await;
    assert_eq!(beat.0, 200, "{beat:?}");
    tick(5_000);
    let review = request(last, "GET", "/exam/review", "").await.2;
    let left = left_ms(&review);
    let (status, _, _) = request(
        last,
        "POST",
        "/exam/submit",
        &format!("csrf={CSRF}&exam={id}"),
    )
    .await;
    assert_eq!(status, 303);
    Run {
        left_ms: left,
        report: app.exam_report(id).unwrap(),
        used_ms: used,
    }
}

/// The run's answers, flags and times, question by question.
fn items(r: &ExamReport) -> Vec<(bool, bool, i64, Vec<bool>)> {
    r.items
        .iter()
        .map(|i| {
            (
                i.answered,
                i.flagged,
                i.time_ms,
                i.options.iter().map(|o| o.chosen).collect(),
            )
        })
        .collect()
}

/// The same script on two servers over `open()`'s stores and on one, compared.
async fn two_servers_lose_nothing(open: impl Fn(&ManualClock) -> App) {
    let clock = ManualClock::new(START);
    let (a, stop_a) = serve(open(&clock)).await;
    let (b, _stop_b) = serve(open(&clock)).await;
    let watcher = open(&clock);
    let two = script([a, b], Some(stop_a), &clock, &watcher).await;
    // Server A is gone: nothing answers there.
    assert!(
        tokio::net::TcpStream::connect(a).await.is_err(),
        "A stopped"
    );

    let r = &two.report;
    assert_eq!(r.answered, ANSWERED, "every answer, from either server");
    let flagged: Vec<usize> = r
        .items
        .iter()
        .filter(|i| i.flagged)
        .map(|i| i.position)
        .collect();
    assert_eq!(flagged, vec![0, 3, 6], "every flag, from either server");
    for item in &r.items[..ANSWERED] {
        assert!(item.options[0].chosen, "question {}", item.position + 1);
    }
    // Every gap was shorter than the page clock's cap, so every second counts, once.
    assert_eq!(r.elapsed_ms, two.used_ms);
    assert_eq!(two.left_ms, r.time_limit_ms - two.used_ms);

    // A single server, the same script: the same figures.
    let clock = ManualClock::new(START);
    let (one, _stop) = serve(open(&clock)).await;
    let watcher = open(&clock);
    let single = script([one, one], None, &clock, &watcher).await;
    assert_eq!(
        single.left_ms, two.left_ms,
        "the time left a single server shows"
    );
    assert_eq!(single.report.elapsed_ms, r.elapsed_ms);
    assert_eq!(items(&single.report), items(r));
}

fn embedded_pack() -> pmle_content::model::Pack {
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

#[tokio::test]
async fn two_servers_on_one_sqlite_file_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Each run gets a fresh file; a counter names it.
    let n = std::sync::atomic::AtomicUsize::new(0);
    let runs = std::sync::Mutex::new(Vec::<std::path::PathBuf>::new());
    two_servers_lose_nothing(|clock| {
        let mut runs = runs.lock().unwrap();
        // Three apps per run (two servers, one watcher): a new file every third open.
        if n.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .is_multiple_of(3)
        {
            let file = dir.path().join(format!("p{}.sqlite3", runs.len()));
            runs.push(file);
        }
        let path = runs.last().unwrap();
        App::new(
            embedded_pack(),
            Box::new(pmle_store::SqliteStore::open(path).unwrap()),
            Box::new(clock.clone()),
            3,
            "file",
        )
    })
    .await;
}

/// A fresh schema on the PostgreSQL test server, dropped with this value.
struct Schema {
    base: String,
    name: String,
}

impl Schema {
    fn new(base: &str, name: String) -> Schema {
        admin(
            base,
            format!("DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"),
        )
        .unwrap();
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
        let _ = admin(
            &self.base,
            format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
        );
    }
}

/// Run `sql` on the test server, on a thread of its own: the synchronous client starts a
/// runtime, which cannot run inside the test's.
fn admin(base: &str, sql: String) -> Result<(), postgres::Error> {
    let base = base.to_owned();
    std::thread::spawn(move || {
        postgres::Client::connect(&base, postgres::NoTls)?.batch_execute(&sql)
    })
    .join()
    .unwrap()
}

#[tokio::test]
async fn two_servers_on_one_postgresql_database_lose_nothing() {
    let Ok(base) = std::env::var("PMLE_TEST_DATABASE_URL") else {
        assert!(
            std::env::var_os("PMLE_TEST_REQUIRE_POSTGRES").is_none(),
            "PMLE_TEST_REQUIRE_POSTGRES is set but PMLE_TEST_DATABASE_URL is not"
        );
        eprintln!("skipped: set PMLE_TEST_DATABASE_URL to run the PostgreSQL tests");
        return;
    };
    let n = std::sync::atomic::AtomicUsize::new(0);
    let schemas = std::sync::Mutex::new(Vec::<Schema>::new());
    two_servers_lose_nothing(|clock| {
        let mut schemas = schemas.lock().unwrap();
        if n.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .is_multiple_of(3)
        {
            let name = format!("pmle_web_two_{}_{}", std::process::id(), schemas.len());
            let schema = Schema::new(&base, name);
            schemas.push(schema);
        }
        let url = schemas.last().unwrap().url();
        App::new(
            embedded_pack(),
            Box::new(pmle_store::PgStore::open(&url).unwrap()),
            Box::new(clock.clone()),
            3,
            "postgres",
        )
    })
    .await;
}
