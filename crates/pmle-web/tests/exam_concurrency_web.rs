//! The web exam beside the CLI on one database file: the server re-reads the exam on every
//! request, so an answer the CLI saved survives the server's next action and counts in the
//! report; a page overtaken by the CLI cannot write its older answer back; an exam the CLI
//! submitted is shown as submitted.
#![allow(clippy::unwrap_used)]

mod common;

use common::{CSRF, START, app_on, field, header, request, serve};
use pmle_app::{ExamEvent, ManualClock};

/// The form fields that pick the first shown option(s) of the page's question.
fn pick(page: &str) -> &'static str {
    if page.contains("name=\"pick\"") {
        "pick=0"
    } else {
        "pick0=0&pick1=1"
    }
}

/// Post the exam form as the page shows it (its exam, position and answer version), with
/// `extra`.
async fn act(addr: std::net::SocketAddr, page: &str, extra: &str) -> (u16, String, String) {
    let version = if page.contains("name=\"version\"") {
        format!("&version={}", field(page, "version"))
    } else {
        String::new() // a page drawn before forms carried the version
    };
    let body = format!(
        "csrf={CSRF}&exam={}&position={}{version}&{extra}",
        field(page, "exam"),
        field(page, "position")
    );
    request(addr, "POST", "/exam/act", &body).await
}

#[tokio::test]
async fn a_cli_exam_answer_survives_the_web_servers_next_action() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let clock = ManualClock::new(START);
    let (addr, _stop) = serve(app_on(&path, &clock)).await;
    let (status, _, _) = request(
        addr,
        "POST",
        "/exam/start",
        &format!("csrf={CSRF}&variant=full"),
    )
    .await;
    assert_eq!(status, 303);

    // The web answers question 1 and moves to question 2.
    let page = request(addr, "GET", "/exam", "").await.2;
    assert!(page.contains("Question 1 of 60"), "{page}");
    let (status, _, _) = act(addr, &page, &format!("{}&action=next", pick(&page))).await;
    assert_eq!(status, 303);
    let page2 = request(addr, "GET", "/exam", "").await.2;
    assert!(page2.contains("Question 2 of 60"), "{page2}");

    // The CLI, on its own connection, answers question 3; `pmle exam` reports it saved.
    let mut cli = app_on(&path, &clock);
    let mut s = cli.resume_exam().unwrap().unwrap();
    clock.advance(20_000);
    assert!(matches!(
        cli.exam_answer(&mut s, 2, &[0]).unwrap(),
        ExamEvent::Saved
    ));

    // The web answers question 2 and moves on to question 3.
    clock.advance(20_000);
    let (status, _, _) = act(addr, &page2, &format!("{}&action=next", pick(&page2))).await;
    assert_eq!(status, 303);
    let page3 = request(addr, "GET", "/exam", "").await.2;
    assert!(page3.contains("Question 3 of 60"), "{page3}");
    assert!(
        page3.contains("3 of 60 answered"),
        "the CLI's answer survives: {page3}"
    );
    assert!(
        page3.contains("aria-label=\"Question 3, answered\""),
        "and the web shows it: {page3}"
    );

    // Submitted from the web, the report counts the CLI's answer.
    let (status, head, _) = request(addr, "POST", "/exam/submit", &format!("csrf={CSRF}")).await;
    assert_eq!(status, 303);
    let report = header(&head, "location").unwrap().to_owned();
    let body = request(addr, "GET", &report, "").await.2;
    assert!(body.contains("3 answered"), "{body}");
}

#[tokio::test]
async fn a_stale_web_page_cannot_write_back_over_a_cli_answer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let clock = ManualClock::new(START);
    let (addr, _stop) = serve(app_on(&path, &clock)).await;
    request(
        addr,
        "POST",
        "/exam/start",
        &format!("csrf={CSRF}&variant=full"),
    )
    .await;
    // The web page shows question 1 unanswered, open in a tab.
    let page = request(addr, "GET", "/exam", "").await.2;
    assert_eq!(field(&page, "version"), "0");
    // The CLI answers question 1 with the second option.
    let mut cli = app_on(&path, &clock);
    let mut s = cli.resume_exam().unwrap().unwrap();
    assert!(matches!(
        cli.exam_answer(&mut s, 0, &[1]).unwrap(),
        ExamEvent::Saved
    ));
    // The tab's form still carries "no answer" and is sent with "Next": refused, with a notice,
    // and the page shows the CLI's answer.
    let (status, _, body) = act(addr, &page, "action=next").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("role=\"alert\""), "{body}");
    assert!(body.contains("your choice was not saved"), "{body}");
    assert!(
        body.contains("Question 1 of 60"),
        "it stays on the question: {body}"
    );
    assert!(body.contains("value=\"1\" checked"), "{body}");
    let saved = cli.resume_exam().unwrap().unwrap();
    assert_eq!(saved.answered(), 1, "the CLI's answer stands");
    assert_eq!(cli.exam_item(&saved, 0).unwrap().chosen, vec![1]);
    // From the redrawn page (which shows the saved answer) the learner may change it.
    let (status, _, _) = act(addr, &body, "pick=0&pick0=0&action=save").await;
    assert_eq!(status, 303);
    let saved = cli.resume_exam().unwrap().unwrap();
    assert_eq!(cli.exam_item(&saved, 0).unwrap().chosen, vec![0]);
}

#[tokio::test]
async fn an_exam_the_cli_submitted_is_shown_as_submitted_on_the_web() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.sqlite3");
    let clock = ManualClock::new(START);
    let (addr, _stop) = serve(app_on(&path, &clock)).await;
    request(
        addr,
        "POST",
        "/exam/start",
        &format!("csrf={CSRF}&variant=full"),
    )
    .await;
    let page = request(addr, "GET", "/exam", "").await.2;
    let mut cli = app_on(&path, &clock);
    let mut s = cli.resume_exam().unwrap().unwrap();
    cli.exam_answer(&mut s, 1, &[0]).unwrap();
    let report = cli.submit_exam(&mut s, false).unwrap();
    // The tab answers question 1: nothing is recorded into the finished exam, and the
    // browser is sent to its report, which says what happened.
    let (status, head, _) = act(addr, &page, &format!("{}&action=next", pick(&page))).await;
    assert_eq!(status, 303);
    let to = header(&head, "location").unwrap().to_owned();
    assert_eq!(
        to,
        format!("/exam/report/{}?submitted=elsewhere", report.exam_id)
    );
    let body = request(addr, "GET", &to, "").await.2;
    assert!(body.contains("submitted in another window"), "{body}");
    assert!(body.contains("1 answered"), "{body}");
    assert_eq!(cli.exam_report(report.exam_id).unwrap().answered, 1);
    assert_eq!(cli.stats().unwrap().progress.answers_total, 1);
}
