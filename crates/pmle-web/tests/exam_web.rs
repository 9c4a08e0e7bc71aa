//! The mock exam over HTTP: start, answer, flag, move, resume after a reload, submit,
//! the time running out, the report and its filters; the theme setting; a hostile note.
#![allow(clippy::unwrap_used)]

mod common;

use common::{CSRF, START, app_with, header, request, request_with, serve};
use pmle_app::ManualClock;

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

/// Start a full exam and return the first question's page.
async fn start_exam(addr: std::net::SocketAddr) -> String {
    let (status, _, body) = request(addr, "GET", "/exam", "").await;
    assert_eq!(status, 200);
    assert!(body.contains("Start the exam"), "{body}");
    let (status, head, _) = request(
        addr,
        "POST",
        "/exam/start",
        &format!("csrf={CSRF}&variant=full"),
    )
    .await;
    assert_eq!(status, 303, "{head}");
    assert_eq!(header(&head, "location"), Some("/exam"));
    let (status, _, body) = request(addr, "GET", "/exam", "").await;
    assert_eq!(status, 200);
    body
}

#[tokio::test]
async fn exam_answers_survive_a_reload_and_the_report_filters() {
    let clock = ManualClock::new(START);
    let (addr, _stop) = serve(app_with(None, &clock)).await;
    // A new database: no section has a figure, and the estimate is not measured.
    let (_, _, dash) = request(addr, "GET", "/", "").await;
    assert!(count(&dash, "not measured yet") >= 7, "{dash}");
    assert!(
        dash.contains("Not enough evidence yet: no answers"),
        "{dash}"
    );
    assert!(!dash.contains("prediction-checks"));
    let page = start_exam(addr).await;
    assert!(page.contains("Question 1 of 60"), "{page}");
    assert!(
        page.contains("data-left-ms=\"7200000\""),
        "full time at the start"
    );
    assert_eq!(
        count(&page, "value=\"goto:"),
        60,
        "a navigator cell per question"
    );

    // Answer question 1 with option 0 (the form names `pick` or `pick0`…), flag it, move on.
    let pick = if page.contains("name=\"pick\"") {
        "pick=0"
    } else {
        "pick0=0&pick1=1"
    };
    clock.advance(30_000);
    let (status, _, _) = request(
        addr,
        "POST",
        "/exam/act",
        &format!("csrf={CSRF}&position=0&{pick}&action=flag"),
    )
    .await;
    assert_eq!(status, 303);
    clock.advance(30_000);
    let (status, _, body) = request_with(
        addr,
        "POST",
        "/exam/act",
        "HX-Request: true\r\n",
        &format!("csrf={CSRF}&position=0&{pick}&action=next"),
    )
    .await;
    assert_eq!(status, 200, "htmx gets the page to swap, not a redirect");
    assert!(body.contains("Question 2 of 60"));
    assert!(
        body.contains("aria-label=\"Question 1, answered, flagged\""),
        "{body}"
    );

    // The open page beats every 10 s; a reload (a new GET) shows the same question, the
    // answer and the time used.
    for _ in 0..6 {
        clock.advance(10_000);
        let (status, _, beat) = request(addr, "POST", "/exam/beat", &format!("csrf={CSRF}")).await;
        assert_eq!(status, 200, "{beat}");
    }
    let (_, _, body) = request(addr, "GET", "/exam", "").await;
    assert!(body.contains("Question 2 of 60"));
    assert!(body.contains("1 of 60 answered"));
    assert!(
        body.contains("data-left-ms=\"7080000\""),
        "two minutes used"
    );

    // Going back shows the saved choice checked.
    let (_, _, body) = request_with(
        addr,
        "POST",
        "/exam/act",
        "HX-Request: true\r\n",
        &format!("csrf={CSRF}&position=1&action=prev"),
    )
    .await;
    assert!(body.contains("Question 1 of 60"));
    assert!(body.contains("value=\"0\" checked"), "{body}");

    // Without the CSRF token nothing changes.
    let (status, _, _) = request(addr, "POST", "/exam/act", "position=0&action=next").await;
    assert_eq!(status, 403);

    // Review lists the unanswered and the flagged, then submit.
    let (_, _, review) = request(addr, "GET", "/exam/review", "").await;
    assert!(review.contains("Not answered (59)"), "{review}");
    assert!(review.contains("Flagged (1)"));
    let (status, head, _) = request(addr, "POST", "/exam/submit", &format!("csrf={CSRF}")).await;
    assert_eq!(status, 303);
    let report = header(&head, "location").unwrap().to_owned();
    assert!(report.starts_with("/exam/report/"));

    let (status, _, body) = request(addr, "GET", &report, "").await;
    assert_eq!(status, 200);
    assert!(body.contains("Score by section"));
    assert!(body.contains("Time per question"));
    assert!(!body.contains("submitted when the time ran out"));
    // No answer came before this exam, so no prediction was stored to check.
    assert!(!body.contains("Readiness check"), "{body}");
    let all = request(addr, "GET", &format!("{report}?show=all"), "")
        .await
        .2;
    assert_eq!(count(&all, "<article class=\"review-item"), 60);
    let flagged = request(addr, "GET", &format!("{report}?show=flagged"), "")
        .await
        .2;
    assert_eq!(count(&flagged, "<article class=\"review-item"), 1);
    let wrong = request(addr, "GET", &report, "").await.2;
    assert!(count(&wrong, "<article class=\"review-item") >= 59);

    // The dashboard counts it.
    let (_, _, dash) = request(addr, "GET", "/", "").await;
    assert!(dash.contains("1 mock exam taken, last score"), "{dash}");
    assert!(!dash.contains("prediction-checks"), "{dash}");

    // The exam page offers a new exam and lists this one.
    let (_, _, body) = request(addr, "GET", "/exam", "").await;
    assert!(body.contains("Start the exam"));
    assert!(body.contains(&report));
}

#[tokio::test]
async fn the_report_and_the_dashboard_check_the_prediction_against_the_score() {
    let clock = ManualClock::new(START);
    let mut app = app_with(None, &clock);
    // Ten right practice answers: the estimate (and so the prediction) rests on evidence.
    for _ in 0..10 {
        let next = app.next_practice(None).unwrap().unwrap();
        let shown = app.present(&next.question_id).unwrap();
        let right = app
            .pack()
            .question(&shown.question_id)
            .unwrap()
            .correct_indexes();
        let picked: Vec<usize> = (0..shown.order.len())
            .filter(|&p| right.contains(&shown.order[p]))
            .collect();
        app.answer(&shown, &picked).unwrap();
        clock.advance(60_000);
    }
    let (addr, _stop) = serve(app).await;
    start_exam(addr).await;
    let (status, head, _) = request(addr, "POST", "/exam/submit", &format!("csrf={CSRF}")).await;
    assert_eq!(status, 303);
    let report = header(&head, "location").unwrap().to_owned();
    let (_, _, body) = request(addr, "GET", &report, "").await;
    // Nothing answered scores 0%, far below what ten right answers predict.
    assert!(
        body.contains("Readiness check: predicted")
            && body.contains("scored 0%: below the interval"),
        "{body}"
    );
    let (_, _, dash) = request(addr, "GET", "/", "").await;
    assert!(dash.contains("id=\"prediction-checks\""), "{dash}");
    assert!(dash.contains("below the interval"), "{dash}");
    assert!(dash.contains("moved down and widened"), "{dash}");
}

#[tokio::test]
async fn the_exam_submits_itself_when_time_runs_out() {
    let clock = ManualClock::new(START);
    let (addr, _stop) = serve(app_with(None, &clock)).await;
    // The strict clock: time runs while the server holds the exam, page open or not.
    let (status, _, body) = request(
        addr,
        "POST",
        "/settings",
        &format!("csrf={CSRF}&exam_clock=strict"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        body.contains("<option value=\"strict\" selected>"),
        "{body}"
    );
    let page = start_exam(addr).await;
    let pick = if page.contains("name=\"pick\"") {
        "pick=1"
    } else {
        "pick0=1&pick1=2"
    };
    let (status, _, _) = request(
        addr,
        "POST",
        "/exam/act",
        &format!("csrf={CSRF}&position=0&{pick}&action=next"),
    )
    .await;
    assert_eq!(status, 303);
    clock.advance(2 * 3_600_000);
    // The page, even a GET after the tab was closed, finds the time up and submits.
    let (status, head, _) = request(addr, "GET", "/exam", "").await;
    assert_eq!(status, 303);
    let report = header(&head, "location").unwrap().to_owned();
    let (_, _, body) = request(addr, "GET", &report, "").await;
    assert!(body.contains("submitted when the time ran out"), "{body}");
    assert!(body.contains("1 answered"), "{body}");
}

#[tokio::test]
async fn theme_setting_changes_the_stylesheet() {
    let clock = ManualClock::new(START);
    let (addr, _stop) = serve(app_with(None, &clock)).await;
    let (_, head, css) = request(addr, "GET", "/theme.css", "").await;
    assert!(
        css.trim().is_empty(),
        "the system theme adds nothing: {css}"
    );
    assert_eq!(header(&head, "cache-control"), Some("no-cache"));
    let (status, _, body) = request(
        addr,
        "POST",
        "/settings",
        &format!("csrf={CSRF}&theme=dark"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("Saved."), "{body}");
    assert!(body.contains("<option value=\"dark\" selected>"));
    let (_, _, css) = request(addr, "GET", "/theme.css", "").await;
    assert!(css.contains("color-scheme: dark"), "{css}");
    let (_, _, body) = request(
        addr,
        "POST",
        "/settings",
        &format!("csrf={CSRF}&theme=purple"),
    )
    .await;
    assert!(body.contains("Not saved"), "{body}");
}

#[tokio::test]
async fn a_hostile_note_renders_inert() {
    let clock = ManualClock::new(START);
    let pack =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile");
    let (addr, _stop) = serve(app_with(Some(&pack), &clock)).await;
    let (status, _, body) = request(addr, "GET", "/notes/bigquery-ml", "").await;
    assert_eq!(status, 200);
    assert!(body.contains("A hostile note"), "the note itself is shown");
    let main = &body[body.find("<main").unwrap()..];
    assert!(!main.contains("<script"), "{main}");
    assert!(!main.contains("onerror"), "{main}");
    assert!(!main.contains("javascript:"), "{main}");
    // The only scripts on the page are the two embedded files, allowed by the policy.
    assert_eq!(count(&body, "<script"), 2);
    assert_eq!(count(&body, "<script src=\"/static/"), 2);
}
