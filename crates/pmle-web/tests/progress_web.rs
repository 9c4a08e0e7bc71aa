//! `/progress` over HTTP: the mock-exam history chart and tables on the fixture history
//! (tests/fixtures/progress, seen on the day it was written), and a new database.
#![allow(clippy::unwrap_used)]

mod common;

use common::{app_with, request, serve, start};
use pmle_app::ManualClock;

/// The fixture's `exported_at_ms`: its "now".
const FIXTURE_NOW: i64 = 1_796_000_000_000;

#[tokio::test]
async fn a_new_database_says_how_to_start_a_history() {
    let (addr, _stop) = start().await;
    let (status, _, body) = request(addr, "GET", "/progress", "").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("take a mock exam to start your history"),
        "{body}"
    );
    assert!(
        !body.contains("aria-labelledby=\"hc-t hc-d\""),
        "no chart without an exam"
    );
    assert!(!body.contains("id=\"history-table\""));
    assert_eq!(
        body.matches("too little evidence (0 questions)").count(),
        12
    );
    let (status, _, _) = request(addr, "GET", "/progress?days=45", "").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_fixture_history_is_charted_and_tabled_without_inline_script_or_style() {
    let clock = ManualClock::new(FIXTURE_NOW);
    let mut app = app_with(None, &clock);
    app.import_backup(include_str!("../../../tests/fixtures/progress/backup.json"))
        .unwrap();
    let (addr, _stop) = serve(app).await;
    let (status, _, body) = request(addr, "GET", "/progress", "").await;
    assert_eq!(status, 200);
    // CSP: no inline script and no style attribute anywhere on the page.
    assert_eq!(
        body.matches("<script").count(),
        body.matches("<script src=\"/static/").count()
    );
    assert!(!body.contains(" style="), "{body}");
    let svg = body
        .split("<svg class=\"wide-chart\" role=\"img\" aria-labelledby=\"hc-t hc-d\"")
        .nth(1)
        .expect("the history chart")
        .split("</svg>")
        .next()
        .unwrap();
    assert!(svg.contains("<title id=\"hc-t\">Mock exam scores against their predictions</title>"));
    assert!(
        svg.contains("5 mock exams from 2026-09-21 to 2026-11-27"),
        "{svg}"
    );
    assert_eq!(svg.matches("<circle").count(), 5);
    assert_eq!(svg.matches("class=\"dot below\"").count(), 1);
    assert_eq!(svg.matches("class=\"band\"").count(), 5);
    assert!(svg.contains("your target 70%") && svg.contains("not a pass mark"));
    // The table equivalent, the abandoned exam 6 left out.
    assert!(body.contains("<a href=\"/exam/report/5\">5</a>"));
    assert!(!body.contains("/exam/report/6"));
    assert_eq!(body.matches("<td class=\"bad\">below</td>").count(), 1);
    assert!(body.contains("66% (56%–76%)"));
    // The dashboard and the navigation link here.
    let (_, _, dash) = request(addr, "GET", "/", "").await;
    assert!(dash.contains("<a href=\"/progress\" id=\"progress-link\">"));
    assert!(dash.contains("<a href=\"/progress\">Progress</a>"));
    // 90 days: nothing was measured before the first answer, 85 days ago.
    let (status, _, body90) = request(addr, "GET", "/progress?days=90", "").await;
    assert_eq!(status, 200);
    assert!(body90.contains("Section mastery, last 90 days"));
    assert_eq!(
        body90
            .matches("<td class=\"nw\">too little evidence (0 questions)</td>")
            .count(),
        6
    );
}
