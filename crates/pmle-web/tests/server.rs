//! The real server on 127.0.0.1:0, spoken to over a plain TCP connection.
#![allow(clippy::unwrap_used)]

use pmle_app::{App, ManualClock, load_pack};
use pmle_content::model::Date;
use pmle_store::SqliteStore;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CSRF: &str = "test-secret-0123456789";

fn app() -> App {
    let pack = load_pack(
        None,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    App::new(
        pack,
        Box::new(SqliteStore::open_in_memory().unwrap()),
        Box::new(ManualClock::new(1_795_000_000_000)),
        3,
        ":memory:",
    )
}

async fn start() -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(pmle_web::serve(
        app(),
        listener,
        async move {
            rx.await.ok();
        },
        CSRF.to_owned(),
        None,
    ));
    (addr, tx)
}

/// (status, headers, body) of one HTTP/1.1 request.
async fn request(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, String, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.to_owned(), body.to_owned())
}

fn field(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15;
    html[at..].split('"').next().unwrap().to_owned()
}

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

    let (status, _, page) = request(addr, "GET", "/practice", "").await;
    assert_eq!(status, 200);
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

    // Without the CSRF token nothing is recorded.
    let bad = form.replace(CSRF, "forged");
    let (status, _, _) = request(addr, "POST", "/practice/answer", &bad.replace(',', "%2C")).await;
    assert_eq!(status, 403);
    let (_, _, dash) = request(addr, "GET", "/", "").await;
    assert!(
        dash.contains("1 answers so far"),
        "exactly one answer recorded"
    );

    let (status, _, note) = request(addr, "GET", "/notes/distributed-training", "").await;
    assert_eq!(status, 200);
    assert!(note.contains("On this page") && note.contains("MirroredStrategy"));
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
    let (status, _, _) = request(addr, "POST", "/practice/answer", &"x".repeat(200_000)).await;
    assert_eq!(status, 413);
    stop.send(()).unwrap();
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let err = pmle_web::serve(app(), listener, async {}, CSRF.to_owned(), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("--token"));
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
