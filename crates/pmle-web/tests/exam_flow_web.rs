//! The web exam's page clock (heartbeats; the strict setting), abandoning an exam with a
//! second confirmation, the navigator's marks and the report's figures.
#![allow(clippy::unwrap_used)]

mod common;

use common::{CSRF, START, app_on, field, header, request, serve};
use pmle_app::{ManualClock, PAGE_GAP_MS};

async fn start(addr: std::net::SocketAddr) -> String {
    let (status, _, _) = request(
        addr,
        "POST",
        "/exam/start",
        &format!("csrf={CSRF}&variant=full"),
    )
    .await;
    assert_eq!(status, 303);
    request(addr, "GET", "/exam", "").await.2
}

fn pick(page: &str) -> &'static str {
    if page.contains("name=\"pick\"") {
        "pick=0"
    } else {
        "pick0=0&pick1=1"
    }
}

async fn beat(addr: std::net::SocketAddr) -> serde_json::Value {
    let (status, head, body) = request(addr, "POST", "/exam/beat", &format!("csrf={CSRF}")).await;
    assert_eq!(status, 200, "{head}{body}");
    assert_eq!(header(&head, "content-type"), Some("application/json"));
    serde_json::from_str(&body).unwrap()
}

const LIMIT: i64 = 2 * 3_600_000;

#[tokio::test]
async fn with_no_page_open_the_clock_stops_and_heartbeats_save_the_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let clock = ManualClock::new(START);
    let (addr, stop) = serve(app_on(&path, &clock)).await;
    let page = start(addr).await;
    assert!(page.contains("data-beat-ms=\"10000\""), "{page}");
    assert!(page.contains("data-beat=\"/exam/beat\""), "{page}");
    // An open page: 40 s of heartbeats all count, and each one is saved.
    for _ in 0..4 {
        clock.advance(10_000);
        beat(addr).await;
    }
    assert_eq!(beat(addr).await["left_ms"], LIMIT - 40_000);
    let saved = app_on(&path, &clock).resume_exam().unwrap().unwrap();
    assert_eq!(saved.record.elapsed_ms, 40_000, "saved by the heartbeats");
    // The tab is closed overnight: no page, no heartbeat. The clock stopped after one gap.
    clock.advance(10 * 3_600_000);
    let page = request(addr, "GET", "/exam", "").await.2;
    assert!(
        page.contains(&format!(
            "data-left-ms=\"{}\"",
            LIMIT - 40_000 - PAGE_GAP_MS
        )),
        "{page}"
    );
    assert!(page.contains("Question 1 of 60"), "not submitted: {page}");
    assert_eq!(
        beat(addr).await["left_ms"],
        LIMIT - 40_000 - PAGE_GAP_MS,
        "a heartbeat after the gap counts the gap once"
    );
    // The server stops and another starts on the same file: nothing saved is lost.
    drop(stop);
    let (addr2, _stop2) = serve(app_on(&path, &clock)).await;
    let page = request(addr2, "GET", "/exam", "").await.2;
    assert!(
        page.contains(&format!(
            "data-left-ms=\"{}\"",
            LIMIT - 40_000 - PAGE_GAP_MS
        )),
        "{page}"
    );
    // A heartbeat without the form's token is refused and saves nothing.
    let (status, _, _) = request(addr2, "POST", "/exam/beat", "csrf=wrong").await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn the_strict_clock_runs_without_a_page_and_a_heartbeat_then_leads_to_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let clock = ManualClock::new(START);
    let (addr, _stop) = serve(app_on(&path, &clock)).await;
    let (status, _, _) = request(
        addr,
        "POST",
        "/settings",
        &format!("csrf={CSRF}&exam_clock=strict"),
    )
    .await;
    assert_eq!(status, 200);
    let start_page = request(addr, "GET", "/exam", "").await.2;
    assert!(start_page.contains("The clock is strict"), "{start_page}");
    start(addr).await;
    clock.advance(3_600_000);
    assert_eq!(beat(addr).await["left_ms"], LIMIT - 3_600_000);
    clock.advance(3_600_000);
    let v = beat(addr).await;
    assert_eq!(v["go"], "/exam/report/1", "time up: {v}");
    let report = request(addr, "GET", "/exam/report/1", "").await.2;
    assert!(
        report.contains("submitted when the time ran out"),
        "{report}"
    );
}

#[tokio::test]
async fn abandoning_asks_first_then_keeps_the_exam_out_of_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let clock = ManualClock::new(START);
    let (addr, _stop) = serve(app_on(&path, &clock)).await;
    let page = start(addr).await;
    let (status, _, _) = request(
        addr,
        "POST",
        "/exam/act",
        &format!("csrf={CSRF}&position=0&{}&action=review", pick(&page)),
    )
    .await;
    assert_eq!(status, 303);
    let review = request(addr, "GET", "/exam/review", "").await.2;
    assert!(review.contains("href=\"/exam/abandon\""), "{review}");
    // The first step only asks.
    let confirm = request(addr, "GET", "/exam/abandon", "").await.2;
    assert!(confirm.contains("Abandon exam 1?"), "{confirm}");
    assert!(confirm.contains("You answered 1 of 60"), "{confirm}");
    assert!(app_on(&path, &clock).resume_exam().unwrap().is_some());
    // A form naming another exam (the page is stale) abandons nothing.
    let (status, head, _) = request(
        addr,
        "POST",
        "/exam/abandon",
        &format!("csrf={CSRF}&exam=7"),
    )
    .await;
    assert_eq!((status, header(&head, "location")), (303, Some("/exam")));
    assert!(app_on(&path, &clock).resume_exam().unwrap().is_some());
    // Without the token, nothing either.
    let (status, _, _) = request(addr, "POST", "/exam/abandon", "csrf=no&exam=1").await;
    assert_eq!(status, 403);
    // The confirmation's button abandons it.
    let (status, head, _) = request(
        addr,
        "POST",
        "/exam/abandon",
        &format!("csrf={CSRF}&exam=1"),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(header(&head, "location"), Some("/exam?abandoned=1"));
    let start_page = request(addr, "GET", "/exam?abandoned=1", "").await.2;
    assert!(start_page.contains("Exam 1 was abandoned"), "{start_page}");
    assert!(start_page.contains("Start the exam"), "{start_page}");
    assert!(!start_page.contains("Report 1"), "not among past exams");
    let cli = app_on(&path, &clock);
    assert!(cli.resume_exam().unwrap().is_none());
    assert!(cli.finished_exams().unwrap().is_empty());
    assert_eq!(cli.stats().unwrap().progress.answers_total, 0);
    let report = request(addr, "GET", "/exam/report/1", "").await.2;
    assert!(report.contains("This exam was abandoned"), "{report}");
    let dash = request(addr, "GET", "/", "").await.2;
    assert!(
        !dash.contains("/exam/report/1"),
        "the dashboard does not list it"
    );
}

#[tokio::test]
async fn an_exam_abandoned_by_the_cli_ends_the_web_page() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let clock = ManualClock::new(START);
    let (addr, _stop) = serve(app_on(&path, &clock)).await;
    let page = start(addr).await;
    let mut cli = app_on(&path, &clock);
    let mut s = cli.resume_exam().unwrap().unwrap();
    cli.abandon_exam(&mut s).unwrap();
    let (status, head, _) = request(
        addr,
        "POST",
        "/exam/act",
        &format!(
            "csrf={CSRF}&exam={}&position=0&{}&action=next",
            field(&page, "exam"),
            pick(&page)
        ),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(header(&head, "location"), Some("/exam?abandoned=1"));
    assert_eq!(cli.stats().unwrap().progress.answers_total, 0);
}

#[tokio::test]
async fn the_navigator_shows_answered_and_flagged_together_and_the_report_averages_answered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let clock = ManualClock::new(START);
    let (addr, _stop) = serve(app_on(&path, &clock)).await;
    let page = start(addr).await;
    assert!(page.contains("answered and flagged"), "the legend names it");
    clock.advance(8_000);
    let (status, _, _) = request(
        addr,
        "POST",
        "/exam/act",
        &format!("csrf={CSRF}&position=0&{}&action=flag", pick(&page)),
    )
    .await;
    assert_eq!(status, 303);
    let page = request(addr, "GET", "/exam", "").await.2;
    assert!(
        page.contains(
            "class=\"cell answered flagged\" aria-label=\"Question 1, answered, flagged\""
        ),
        "{page}"
    );
    clock.advance(2_000);
    let (status, _, _) = request(addr, "POST", "/exam/submit", &format!("csrf={CSRF}")).await;
    assert_eq!(status, 303);
    let report = request(addr, "GET", "/exam/report/1", "").await.2;
    // 8 s on the one answered question (the 2 s before the submit count in the exam's
    // time, not a question's); the 59 unanswered do not dilute it.
    assert!(report.contains("0:00:08 per answered question"), "{report}");
    assert!(report.contains("time used 0:00:10 of 2:00:00"), "{report}");
}
