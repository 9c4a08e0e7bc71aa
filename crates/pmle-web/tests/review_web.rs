//! Issue 18 on the web: bookmark, flag, note and report after an answer (plain POST forms
//! with the CSRF token), the review centre and practice filtered from it.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;

const Q: &str = "s4-features-concepts-006";

/// Answer `id` on the practice page reached by `path`; returns the feedback page.
async fn answer(addr: std::net::SocketAddr, path: &str) -> String {
    let (status, _, page) = request(addr, "GET", path, "").await;
    assert_eq!(status, 200, "{page}");
    let mut form = format!(
        "question={}&order={}&shown_at={}&csrf={CSRF}",
        field(&page, "question"),
        field(&page, "order").replace(',', "%2C"),
        field(&page, "shown_at")
    );
    for k in [
        "missed",
        "bookmarked",
        "flagged",
        "unseen",
        "asked",
        "filter",
    ] {
        if page.contains(&format!("name=\"{k}\" value=\"")) {
            form.push_str(&format!("&{k}={}", field(&page, k).replace(',', "%2C")));
        }
    }
    if page.contains("type=\"checkbox\"") {
        form.push_str("&pick0=0&pick1=1");
    } else {
        form.push_str("&pick=0");
    }
    let (status, _, fb) = request(addr, "POST", "/practice/answer", &form).await;
    assert_eq!(status, 200, "{fb}");
    fb
}

#[tokio::test]
async fn keep_a_question_after_answering_and_find_it_in_the_review_centre() {
    let (addr, _stop) = serve(app()).await;
    let fb = answer(addr, &format!("/practice?question={Q}")).await;
    assert!(fb.contains("Keep this question"), "{fb}");
    assert!(fb.contains("action=\"/review/mark\"") && fb.contains("action=\"/review/report\""));
    assert!(
        fb.contains("<option value=\"wrong-key\">"),
        "the reason select"
    );
    let first_right = fb.contains("<h1>Correct</h1>");

    // Forged token: refused, nothing saved.
    let forged = format!("csrf=forged&question={Q}&kind=bookmark&on=1&next=/practice");
    let (status, _, _) = request(addr, "POST", "/review/mark", &forged).await;
    assert_eq!(status, 403);
    let (_, _, list) = request(addr, "GET", "/review?filter=bookmarked", "").await;
    assert!(!list.contains(Q), "{list}");

    let (status, head, _) = request(
        addr,
        "POST",
        "/review/mark",
        &format!("csrf={CSRF}&question={Q}&kind=bookmark&on=1&next=/practice"),
    )
    .await;
    assert_eq!(status, 303);
    let to = header(&head, "location").unwrap().to_owned();
    assert!(
        to.starts_with(&format!("/review/q/{Q}?done=bookmark")),
        "{to}"
    );
    let (_, _, qpage) = request(addr, "GET", &to, "").await;
    assert!(
        qpage.contains("Bookmarked.") && qpage.contains("Remove bookmark"),
        "{qpage}"
    );

    let (status, _, _) = request(
        addr,
        "POST",
        "/review/report",
        &format!("csrf={CSRF}&question={Q}&reason=unclear&text=two+readings&next=/practice"),
    )
    .await;
    assert_eq!(status, 303);
    let (status, _, bad) = request(
        addr,
        "POST",
        "/review/report",
        &format!("csrf={CSRF}&question={Q}&reason=boring&next=/practice"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        bad.contains("wrong-key, unclear, outdated or typo"),
        "{bad}"
    );
    let (status, _, _) = request(
        addr,
        "POST",
        "/review/note",
        &format!("csrf={CSRF}&question={Q}&text=see+the+migration+note&next=/practice"),
    )
    .await;
    assert_eq!(status, 303);
    // An outside address for `next` is never followed.
    let (_, head, _) = request(
        addr,
        "POST",
        "/review/mark",
        &format!("csrf={CSRF}&question={Q}&kind=flag&on=1&next=https://evil.example/"),
    )
    .await;
    assert!(
        header(&head, "location")
            .unwrap()
            .ends_with("next=/practice")
    );

    let (status, head, file) = request(addr, "GET", "/export/reports.json", "").await;
    assert_eq!(status, 200);
    assert!(
        header(&head, "content-disposition")
            .unwrap()
            .contains("pmle-question-reports.json")
    );
    let file: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert_eq!(file["reports"][0]["question_id"], Q);
    assert_eq!(file["reports"][0]["reason"], "unclear");
    assert_eq!(file["reports"][0]["text"], "two readings");

    for f in ["bookmarked", "reported", "flagged", "all"] {
        let (_, _, list) = request(addr, "GET", &format!("/review?filter={f}"), "").await;
        assert!(list.contains(Q), "{f}: {list}");
        assert!(
            list.contains(&format!("href=\"/practice?filter={f}\"")),
            "{f}"
        );
    }
    let (_, _, list) = request(addr, "GET", "/review?filter=all", "").await;
    assert!(list.contains("Note: see the migration note"), "{list}");
    assert!(list.contains("reported: unclear"), "{list}");
    let (_, _, wrong) = request(addr, "GET", "/review?filter=wrong", "").await;
    assert_eq!(wrong.contains(Q), !first_right, "{wrong}");

    // Practise the bookmarked ones: only Q, then the session says all were asked.
    let fb = answer(addr, "/practice?filter=bookmarked").await;
    let next = fb
        .split("id=\"next-question\"")
        .next()
        .unwrap()
        .rsplit("href=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(next, format!("/practice?bookmarked=1&#38;asked={Q}"));
    let (status, _, done) = request(addr, "GET", &next.replace("&#38;", "&"), "").await;
    assert_eq!(status, 200);
    assert!(
        done.contains("Every question that matches these filters was asked"),
        "{done}"
    );
}

#[tokio::test]
async fn practice_filters_that_leave_nothing_say_which_to_loosen() {
    let (addr, _stop) = serve(app()).await;
    let (status, _, page) = request(addr, "GET", "/practice?flagged=1&difficulty=3", "").await;
    assert_eq!(status, 400);
    assert!(page.contains("no question matches --flagged"), "{page}");
    let (status, _, page) = request(addr, "GET", "/practice?unseen=1&difficulty=3", "").await;
    assert_eq!(status, 200);
    assert!(page.contains("difficulty 3"), "{page}");
    assert!(
        page.contains("name=\"unseen\" value=\"1\""),
        "the filter travels with the answer"
    );
}
