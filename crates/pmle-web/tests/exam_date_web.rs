//! The exam-date form on the settings page and the dashboard's days left and plan.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use pmle_app::ManualClock;

const DAY: i64 = 86_400_000;

#[tokio::test]
async fn the_settings_form_sets_checks_and_clears_the_exam_date() {
    // START is 2026-11-18 11:06 UTC.
    let clock = ManualClock::new(START);
    let (addr, _stop) = serve(app_with(None, &clock)).await;
    let (_, _, page) = request(addr, "GET", "/settings", "").await;
    assert!(page.contains("action=\"/settings/exam-date\"") && page.contains("type=\"date\""));
    let (_, _, dash) = request(addr, "GET", "/", "").await;
    assert!(dash.contains("No exam date set"), "{dash}");
    assert!(!dash.contains("id=\"days-left\""));

    // Without this server's CSRF token: refused, nothing saved.
    let (status, _, _) = request(
        addr,
        "POST",
        "/settings/exam-date",
        "exam_date=2026-12-18&action=save&csrf=forged",
    )
    .await;
    assert_eq!(status, 403);

    // A past date: the message says what to do; nothing saved.
    let (status, _, body) = request(
        addr,
        "POST",
        "/settings/exam-date",
        &format!("exam_date=2026-11-01&action=save&csrf={CSRF}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Exam date not saved") && body.contains("is in the past"),
        "{body}"
    );
    let (_, _, dash) = request(addr, "GET", "/", "").await;
    assert!(dash.contains("No exam date set"));

    let (_, _, body) = request(
        addr,
        "POST",
        "/settings/exam-date",
        &format!("exam_date=2026-12-18&action=save&csrf={CSRF}"),
    )
    .await;
    assert!(body.contains("Exam date saved: 2026-12-18"), "{body}");
    assert!(
        body.contains("value=\"2026-12-18\""),
        "the form shows the saved date"
    );
    let (_, _, dash) = request(addr, "GET", "/", "").await;
    assert!(
        dash.contains("<p class=\"big\" id=\"days-left\">30 days left: exam on 2026-12-18</p>"),
        "{dash}"
    );
    assert!(dash.contains("Questions: 3 a day over 30 days"), "{dash}");
    assert!(dash.contains("Next full mock exam: today"), "{dash}");

    // The dashboard follows the clock (its cache is per minute).
    clock.advance(DAY);
    let (_, _, dash) = request(addr, "GET", "/", "").await;
    assert!(dash.contains("29 days left"), "{dash}");

    let (_, _, body) = request(
        addr,
        "POST",
        "/settings/exam-date",
        &format!("exam_date=2026-12-18&action=clear&csrf={CSRF}"),
    )
    .await;
    assert!(body.contains("Exam date cleared."), "{body}");
    let (_, _, dash) = request(addr, "GET", "/", "").await;
    assert!(dash.contains("No exam date set"));
}

#[tokio::test]
async fn the_main_settings_form_leaves_the_exam_date_alone() {
    let clock = ManualClock::new(START);
    let mut app = app_with(None, &clock);
    app.set_setting("exam_date", "2027-01-05").unwrap();
    let (addr, _stop) = serve(app).await;
    let (_, _, body) = request(
        addr,
        "POST",
        "/settings",
        &format!("csrf={CSRF}&theme=dark"),
    )
    .await;
    assert!(body.contains("Saved."), "{body}");
    assert!(body.contains("value=\"2027-01-05\""), "{body}");
}
