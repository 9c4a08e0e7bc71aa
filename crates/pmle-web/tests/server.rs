//! The real server on 127.0.0.1:0, spoken to over a plain TCP connection.
#![allow(clippy::unwrap_used)]

mod common;

use common::{CSRF, TOKEN, app, field, header, request, request_with, serve_with_token, start};

#[tokio::test]
async fn dashboard_practice_answer_notes_search() {
    let (addr, stop) = start().await;
    let (status, head, body) = request(addr, "GET", "/", "").await;
    assert_eq!(status, 200);
    assert!(
        head.to_lowercase()
            .contains("content-security-policy: default-src 'self'; script-src 'self'")
    );
    assert!(body.contains("Mastery by section") && body.contains("Google publishes no pass mark"));
    assert_eq!(
        body.matches("<script").count(),
        body.matches("<script src=\"/static/").count(),
        "no inline script, only the embedded files"
    );
    assert!(body.contains("What to do next") && body.contains("Activity and score"));

    // The focus chooser lists every section and keeps the one asked for, by number or id.
    let (status, _, focused) = request(addr, "GET", "/practice?section=4", "").await;
    assert_eq!(status, 200);
    assert_eq!(focused.matches("<option value=\"s").count(), 6);
    assert!(
        focused.contains("<option value=\"s4\" selected>"),
        "{focused}"
    );
    assert!(focused.contains("name=\"focus\" value=\"s4\""));
    assert!(focused.contains("Serving and scaling models · difficulty"));

    let (status, _, page) = request(addr, "GET", "/practice", "").await;
    assert_eq!(status, 200);
    assert!(page.contains("<option value=\"\">All sections, adaptive</option>"));
    assert!(!page.contains(" selected>"));
    let form = format!(
        "question={}&order={}&shown_at={}&csrf={CSRF}&pick=0&pick0=0&pick1=1",
        field(&page, "question"),
        field(&page, "order"),
        field(&page, "shown_at")
    );
    // Single select sends `pick`; multiple sends pick0, pick1 … — send only what fits.
    let multiple = page.contains("type=\"checkbox\"");
    let form = if multiple {
        form.replace("&pick=0", "")
    } else {
        form.replace("&pick0=0&pick1=1", "")
    };
    let (status, _, fb) =
        request(addr, "POST", "/practice/answer", &form.replace(',', "%2C")).await;
    assert_eq!(status, 200, "{fb}");
    assert!(fb.contains("The answer is") && fb.contains("(your choice)"));
    // The feedback repeats the question it explains.
    let stem_start = page.split("<div class=\"stem\">").nth(1).unwrap();
    let first_line = stem_start.split('\n').find(|l| l.len() > 20).unwrap();
    assert!(
        fb.contains(first_line),
        "the stem is on the feedback page: {first_line}"
    );

    // Without the CSRF token nothing is recorded.
    let bad = form.replace(CSRF, "forged");
    let (status, _, _) = request(addr, "POST", "/practice/answer", &bad.replace(',', "%2C")).await;
    assert_eq!(status, 403);
    let (_, _, dash) = request(addr, "GET", "/", "").await;
    assert!(
        dash.contains("1 answer so far"),
        "exactly one answer recorded"
    );

    let (status, _, note) = request(addr, "GET", "/notes/distributed-training", "").await;
    assert_eq!(status, 200);
    assert!(note.contains("On this page") && note.contains("MirroredStrategy"));
    // The table of contents sits under the title and opening, above the first section.
    let at = |needle: &str| note.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("<h1") < at("On this page"));
    assert!(at("On this page") < at("<h2 id=\"data-parallelism-versus-model-parallelism\""));
    // A note links to the questions on its topics and to the products it names.
    assert!(note.contains("Practise this topic"), "{note}");
    assert!(note.contains("href=\"/catalog#"));
    let at = note.find("/practice?question=").unwrap() + "/practice?question=".len();
    let qid = note[at..].split('"').next().unwrap().to_owned();
    let (status, _, asked) = request(addr, "GET", &format!("/practice?question={qid}"), "").await;
    assert_eq!(status, 200);
    assert_eq!(
        field(&asked, "question"),
        qid,
        "the linked question is the one asked"
    );
    let (status, _, hits) = request(addr, "GET", "/search?q=AutoML+Tables", "").await;
    assert_eq!(status, 200);
    let first = hits.find("Agent Platform AutoML").unwrap();
    assert!(
        first < hits.find("AutoML Tables (legacy)").unwrap(),
        "current product first"
    );
    let link = hits[..first].rfind("href=\"").unwrap();
    assert!(
        hits[link..].starts_with("href=\"/catalog#"),
        "a product hit leads to its catalog entry"
    );
    let (status, _, missing) = request(addr, "GET", "/no-such-page", "").await;
    assert_eq!(status, 404);
    assert!(missing.contains("Not found") && !missing.contains("panicked"));
    stop.send(()).unwrap();
}

#[tokio::test]
async fn big_bodies_are_refused_and_non_loopback_needs_a_token() {
    let (addr, stop) = start().await;
    let (status, head, body) =
        request(addr, "POST", "/practice/answer", &"x".repeat(200_000)).await;
    assert_eq!(status, 413);
    assert!(
        header(&head, "content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(body.contains("64 KiB"), "a friendly page: {body}");
    // axum's own rejections become the same friendly page.
    let (status, _, body) = request(addr, "GET", "/exam/report/not-a-number", "").await;
    assert_eq!(status, 400);
    assert!(
        body.contains("That did not work") && body.contains("<main"),
        "{body}"
    );
    let (status, _, body) = request(addr, "DELETE", "/settings", "").await;
    assert_eq!(status, 405);
    assert!(body.contains("follow a link"), "{body}");
    stop.send(()).unwrap();
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let err = pmle_web::serve(app(), listener, async {}, CSRF.to_owned(), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("--token"));
}

#[tokio::test]
async fn each_page_marks_its_own_place_in_the_navigation_without_javascript() {
    let (addr, stop) = start().await;
    let pages = [
        ("/", "/"),
        ("/practice", "/practice"),
        ("/exam", "/exam"),
        ("/cards", "/cards"),
        ("/notes", "/notes"),
        ("/catalog", "/catalog"),
        ("/labs", "/labs"),
        ("/tools", "/tools"),
        ("/tools/metrics", "/tools"),
        ("/export", "/export"),
        ("/settings", "/settings"),
    ];
    for (path, nav) in pages {
        let (status, _, body) = request(addr, "GET", path, "").await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(body.matches("aria-current=\"page\"").count(), 1, "{path}");
        assert!(
            body.contains(&format!("<a href=\"{nav}\" aria-current=\"page\">")),
            "{path} marks {nav}"
        );
    }
    let (_, _, search) = request(addr, "GET", "/search?q=bigquery", "").await;
    assert!(
        !search.contains("aria-current"),
        "search is not in the navigation"
    );
    stop.send(()).unwrap();
}

#[tokio::test]
async fn catalog_flashcards_and_settings() {
    let (addr, stop) = start().await;
    let (status, _, cat) = request(addr, "GET", "/catalog", "").await;
    assert_eq!(status, 200);
    assert!(cat.contains("AutoML Tables (legacy)") && cat.contains("badge retired"));
    assert!(cat.contains("Managed Service for Apache Airflow") && cat.contains("Cloud Composer"));

    let (_, _, front) = request(addr, "GET", "/cards", "").await;
    assert!(front.contains("20 new today") && front.contains("Show the answer"));
    let (_, _, back) = request(addr, "GET", "/cards?reveal=1", "").await;
    assert!(back.contains("name=\"rating\" value=\"3\""));
    let card = field(&back, "card");
    let (status, head, _) = request(
        addr,
        "POST",
        "/cards/rate",
        &format!("card={card}&rating=3&csrf={CSRF}"),
    )
    .await;
    assert_eq!(status, 303, "{head}");
    let (_, _, after) = request(addr, "GET", "/cards", "").await;
    assert!(
        after.contains("19 new today"),
        "the rated card left the new queue"
    );
    let (status, _, _) = request(
        addr,
        "POST",
        "/cards/rate",
        &format!("card={card}&rating=3&csrf=forged"),
    )
    .await;
    assert_eq!(status, 403);
    // Rated Good, the card is in its second learning step (10 minutes).
    assert!(after.contains("1 in learning steps"), "{after}");
    // Again on a new card: it comes back in a minute, within this session.
    let (_, _, back) = request(addr, "GET", "/cards?reveal=1", "").await;
    assert!(
        back.contains("Again <span class=\"muted\">(next in 1 min)"),
        "{back}"
    );
    let again = field(&back, "card");
    let (status, head, _) = request(
        addr,
        "POST",
        "/cards/rate",
        &format!("card={again}&rating=1&csrf={CSRF}"),
    )
    .await;
    assert_eq!(status, 303, "{head}");
    let (_, _, after) = request(addr, "GET", "/cards", "").await;
    assert!(after.contains("2 in learning steps"), "{after}");
    // With no new cards left for today, the card rated Again is shown early: same session.
    let (_, _, saved) = request(
        addr,
        "POST",
        "/settings",
        &format!("csrf={CSRF}&new_cards_per_day=0"),
    )
    .await;
    assert!(
        saved.contains("Saved.") && saved.contains("value=\"1m 10m\""),
        "{saved}"
    );
    let (_, _, early) = request(addr, "GET", "/cards?reveal=1", "").await;
    assert!(early.contains("shown early"), "{early}");
    assert_eq!(
        field(&early, "card"),
        again,
        "the card due soonest comes back first"
    );
    let (_, _, bad) = request(
        addr,
        "POST",
        "/settings",
        &format!("csrf={CSRF}&learning_steps=10"),
    )
    .await;
    assert!(
        bad.contains("Not saved") && bad.contains("has no unit"),
        "{bad}"
    );

    let (_, _, bad) = request(
        addr,
        "POST",
        "/settings",
        &format!("csrf={CSRF}&desired_retention=1.7"),
    )
    .await;
    assert!(bad.contains("Not saved") && bad.contains("between 0.70 and 0.99"));
    let (_, _, good) = request(
        addr,
        "POST",
        "/settings",
        &format!("csrf={CSRF}&desired_retention=0.85&exam_minutes=90"),
    )
    .await;
    assert!(
        good.contains("Saved.") && good.contains("value=\"0.85\"") && good.contains("value=\"90\"")
    );
    stop.send(()).unwrap();
}

#[tokio::test]
async fn a_token_server_lets_in_only_the_printed_url_and_its_cookie() {
    let (addr, _stop) = serve_with_token(app(), Some(TOKEN)).await;
    let (status, head, body) = request(addr, "GET", "/", "").await;
    assert_eq!(status, 401);
    assert!(body.contains("needs its token") && body.contains("Open the address it printed"));
    assert!(header(&head, "content-type").is_some_and(|t| t.starts_with("text/html")));
    assert!(header(&head, "content-security-policy").is_some(), "{head}");
    assert!(
        header(&head, "set-cookie").is_none(),
        "no token cookie before the token"
    );
    let (status, head, _) = request(addr, "GET", "/?token=wrong", "").await;
    assert_eq!(status, 401, "{head}");
    let (status, head, _) = request(addr, "GET", &format!("/?token={TOKEN}"), "").await;
    assert_eq!(status, 200);
    let cookie = header(&head, "set-cookie").unwrap();
    assert!(cookie.starts_with(&format!("pmle_token={TOKEN};")) && cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Strict"));
    let (status, _, _) = request_with(
        addr,
        "GET",
        "/exam",
        &format!("Cookie: pmle_token={TOKEN}\r\n"),
        "",
    )
    .await;
    assert_eq!(
        status, 200,
        "the cookie carries the token after the first visit"
    );
    let (status, _, _) =
        request_with(addr, "GET", "/exam", "Cookie: pmle_token=guess\r\n", "").await;
    assert_eq!(status, 401);
}
