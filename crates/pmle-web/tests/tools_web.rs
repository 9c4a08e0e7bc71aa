//! Labs, calculators and the backup download, through the real server on 127.0.0.1:0.
#![allow(clippy::unwrap_used)]

mod common;

use common::{CSRF, app, field, request, start};
use pmle_app::DecisionStep;

/// As askama escapes text.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Form encoding for a value.
fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn labs_list_and_run() {
    let (addr, stop) = start().await;
    let labs = pmle_labs::labs::all();
    assert_eq!(labs.len(), 12);
    let (status, _, list) = request(addr, "GET", "/labs", "").await;
    assert_eq!(status, 200);
    assert_eq!(list.matches("<a href=\"/labs/").count(), 12, "{list}");
    for l in &labs {
        let i = l.info();
        assert!(
            list.contains(&format!("<a href=\"/labs/{}\">{}</a>", i.id, html(i.title))),
            "{} missing",
            i.id
        );
    }

    let id = "l1-vs-l2";
    let lab = pmle_labs::lab::find(id).unwrap();
    let expected = lab.run(1).unwrap();
    let (status, head, page) = request(addr, "GET", &format!("/labs/{id}"), "").await;
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("content-security-policy"));
    assert!(page.contains(&html(&expected.headline)), "headline: {page}");
    assert_eq!(page.matches("<svg").count(), expected.charts.len());
    assert!(!expected.charts.is_empty());
    assert!(page.contains("<figure class=\"chart\">") && page.contains("<figcaption>"));
    for c in &expected.charts {
        assert!(
            page.contains(&format!("<title>{}", html(&c.title))),
            "chart {} has no title",
            c.title
        );
    }
    assert!(page.contains("role=\"img\"") && page.contains("width=\"100%\""));
    for n in expected.notes {
        assert!(
            page.contains(&format!("<a href=\"/notes/{n}\">")),
            "note {n}"
        );
    }
    assert!(page.contains("name=\"seed\"") && page.contains("value=\"1\""));
    // The CSP forbids inline script and style: scripts only by `src`, no style attributes.
    assert!(
        page.match_indices("<script")
            .all(|(at, _)| page[at..].starts_with("<script src=")),
        "inline script"
    );
    assert!(!page.contains(" style=") && !page.contains("<style"));

    // Another seed is another run.
    let other = lab.run(7).unwrap();
    let (status, _, seeded) = request(addr, "GET", &format!("/labs/{id}?seed=7"), "").await;
    assert_eq!(status, 200);
    assert!(seeded.contains(&html(&other.headline)) && seeded.contains("value=\"7\""));
    let (status, _, bad) = request(addr, "GET", &format!("/labs/{id}?seed=abc"), "").await;
    assert_eq!(status, 400);
    assert!(bad.contains("whole number"));

    // Figure names read as people write them: "precision at 0.5", not "precision at 0 5".
    let (status, _, threshold) = request(addr, "GET", "/labs/threshold", "").await;
    assert_eq!(status, 200);
    assert!(threshold.contains("precision at 0.5") && !threshold.contains("at 0 5"));

    let (status, _, missing) = request(addr, "GET", "/labs/no-such-lab", "").await;
    assert_eq!(status, 404);
    assert!(missing.contains("No such lab") && !missing.contains("panicked"));
    stop.send(()).unwrap();
}

#[tokio::test]
async fn product_chooser_walks_to_a_recommendation() {
    let (addr, stop) = start().await;
    let (status, _, index) = request(addr, "GET", "/tools", "").await;
    assert_eq!(status, 200);
    for link in ["/tools/product", "/tools/strategy", "/tools/metrics"] {
        assert!(index.contains(&format!("href=\"{link}\"")), "{link}");
    }

    // Always take the first choice, as a person clicking through would.
    let mut answers: Vec<(String, String)> = Vec::new();
    let mut last = String::new();
    for _ in 0..20 {
        let query: Vec<String> = answers
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        let (status, _, page) = request(
            addr,
            "GET",
            &format!("/tools/product?{}", query.join("&")),
            "",
        )
        .await;
        assert_eq!(status, 200, "{page}");
        if page.contains("Recommendation: ") {
            last = page;
            break;
        }
        assert!(page.contains("<legend>") && page.contains("method=\"get\""));
        for (k, v) in &answers {
            assert!(
                page.contains(&format!(
                    "type=\"hidden\" name=\"{}\" value=\"{}\"",
                    html(k),
                    html(v)
                )),
                "answer {k} is carried"
            );
        }
        let at = page.find("type=\"radio\"").unwrap();
        let radio = &page[at..];
        let name_at = radio.find("name=\"").unwrap() + 6;
        let key = radio[name_at..].split('"').next().unwrap().to_owned();
        let value = field(radio, &key);
        answers.push((key, value));
    }
    assert!(!last.is_empty(), "no recommendation after 20 answers");
    let DecisionStep::Result {
        product_name,
        runner_up_name,
        path,
        ..
    } = app().decide("product", &answers).unwrap()
    else {
        panic!("the library does not agree that the walk is over");
    };
    assert!(last.contains(&format!("Recommendation: {}", html(&product_name))));
    assert!(last.contains(&html(&runner_up_name)));
    assert!(last.contains("Change the last answer") && last.contains("href=\"/tools/product\""));
    assert_eq!(path.len(), answers.len());
    for (_, label) in &path {
        assert!(last.contains(&html(label)), "path shows {label}");
    }

    let first_key = answers[0].0.clone();
    let (status, _, bad) =
        request(addr, "GET", &format!("/tools/product?{first_key}=zzz"), "").await;
    assert_eq!(status, 400);
    assert!(bad.contains("is not an answer here"), "{bad}");
    stop.send(()).unwrap();
}

#[tokio::test]
async fn strategy_chooser_shows_the_choice() {
    let (addr, stop) = start().await;
    let (status, _, form) = request(addr, "GET", "/tools/strategy", "").await;
    assert_eq!(status, 200);
    assert!(form.contains("<label for=\"nodes\">") && !form.contains("<h2 id=\"choice\">"));

    let (status, _, page) = request(
        addr,
        "GET",
        "/tools/strategy?nodes=4&devices=2&params=each-device",
        "",
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("<h2 id=\"choice\">MultiWorkerMirroredStrategy</h2>"));
    assert!(page.contains("synchronous training across several machines"));
    assert!(page.contains("value=\"4\"") && page.contains("Reduction Server"));

    let (_, _, tpu) = request(
        addr,
        "GET",
        "/tools/strategy?nodes=1&devices=8&tpu=1&params=each-device",
        "",
    )
    .await;
    assert!(tpu.contains("<h2 id=\"choice\">TPUStrategy</h2>") && tpu.contains("checked"));

    let (_, _, ps) = request(
        addr,
        "GET",
        "/tools/strategy?nodes=3&devices=1&asynchronous=1&params=parameter-servers",
        "",
    )
    .await;
    assert!(ps.contains("ParameterServerStrategy") && ps.contains("asynchronous"));

    // An impossible set-up is refused with its reason in the form's words, not a choice.
    let (status, _, odd) = request(
        addr,
        "GET",
        "/tools/strategy?nodes=1&devices=8&tpu=1&asynchronous=1&params=each-device",
        "",
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        odd.contains("cannot train") && odd.contains("synchronously"),
        "{odd}"
    );
    assert!(
        !odd.contains("--") && !odd.contains("id=\"choice\""),
        "{odd}"
    );

    let (status, _, bad) = request(addr, "GET", "/tools/strategy?nodes=0&devices=1", "").await;
    assert_eq!(status, 400);
    assert!(bad.contains("whole number from 1 up") && !bad.contains("id=\"choice\""));
    stop.send(()).unwrap();
}

#[tokio::test]
async fn metrics_calculator_needs_csrf_and_names_bad_lines() {
    let (addr, stop) = start().await;
    let (status, _, form) = request(addr, "GET", "/tools/metrics", "").await;
    assert_eq!(status, 200);
    let csrf = field(&form, "csrf");
    assert_eq!(csrf, CSRF);
    assert!(form.contains("<label for=\"csv\">") && form.contains("<label for=\"threshold\">"));

    let csv = "label,score\n1,0.9\n0,0.8\n1,0.7\n0,0.3\n1,0.35\n0,0.1\n";
    let expected =
        pmle_labs::metrics::report(&pmle_labs::metrics::parse_csv(csv).unwrap(), 0.5).unwrap();
    let body = format!("csv={}&threshold=0.5", enc(csv));

    let (status, _, refused) = request(addr, "POST", "/tools/metrics", &body).await;
    assert_eq!(status, 403);
    assert!(!refused.contains("ROC AUC"));
    let (status, _, forged) = request(
        addr,
        "POST",
        "/tools/metrics",
        &format!("{body}&csrf=forged"),
    )
    .await;
    assert_eq!(status, 403);
    assert!(!forged.contains("ROC AUC"));

    let (status, _, page) = request(
        addr,
        "POST",
        "/tools/metrics",
        &format!("{body}&csrf={csrf}"),
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let auc = pmle_labs::human::number(expected.roc_auc.unwrap());
    assert!(
        page.contains(&format!("<th scope=\"row\">ROC AUC</th><td>{auc}</td>")),
        "ROC AUC {auc}: {page}"
    );
    let c = expected.at.confusion;
    assert!(page.contains(&format!("TP {}", c.tp)) && page.contains(&format!("FP {}", c.fp)));
    assert!(page.contains("6 rows: 3 positive, 3 negative"));
    assert!(page.contains("<svg") && page.contains("<title>ROC curve (AUC"));
    assert!(page.contains(&html("1,0.9")), "the data stays in the form");
    // The whole documented sweep, the same rows as JSON.
    let sweep = page.split("Threshold sweep").nth(1).unwrap();
    let sweep = sweep.split("</table>").next().unwrap();
    assert_eq!(
        sweep.matches("<th scope=\"row\">").count(),
        expected.sweep.len()
    );
    assert_eq!(expected.sweep.len(), 11);

    let bad = format!(
        "csv={}&threshold=0.5&csrf={csrf}",
        enc("1,0.9\n0,0.2\n2,0.5\n")
    );
    let (status, _, err) = request(addr, "POST", "/tools/metrics", &bad).await;
    assert_eq!(status, 400);
    assert!(
        err.contains("line 3") && err.contains("must be 0 or 1"),
        "{err}"
    );
    assert!(!err.contains("<svg"));
    let (status, _, err) = request(
        addr,
        "POST",
        "/tools/metrics",
        &format!("csv={}&threshold=high&csrf={csrf}", enc(csv)),
    )
    .await;
    assert_eq!(status, 400);
    assert!(err.contains("threshold") && err.contains("not a number"));
    stop.send(()).unwrap();
}

#[tokio::test]
async fn export_downloads_the_json_backup() {
    let (addr, stop) = start().await;
    let (status, _, page) = request(addr, "GET", "/export", "").await;
    assert_eq!(status, 200);
    assert!(page.contains("href=\"/export/backup.json\"") && page.contains("pmle import json"));

    let (status, head, body) = request(addr, "GET", "/export/backup.json", "").await;
    assert_eq!(status, 200);
    let head = head.to_lowercase();
    assert!(
        head.contains("content-disposition: attachment; filename=\"pmle-backup.json\""),
        "{head}"
    );
    assert!(head.contains("content-type: application/json"), "{head}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let expected = app().export_backup().unwrap();
    assert_eq!(v["format"], expected.format.as_str());
    assert_eq!(v["pack_id"], expected.pack_id.as_str());
    assert!(v["answers"].as_array().unwrap().is_empty());
    stop.send(()).unwrap();
}

#[tokio::test]
async fn export_hands_over_anki_files() {
    let (addr, stop) = start().await;
    let (status, head, body) = request(addr, "GET", "/export", "").await;
    assert_eq!(status, 200);
    assert!(head.contains("200") && body.contains("/export/pmle.apkg"));
    let (status, head, apkg) = request(addr, "GET", "/export/pmle.apkg", "").await;
    assert_eq!(status, 200);
    assert!(head.contains("filename=\"pmle.apkg\""), "{head}");
    assert!(!apkg.is_empty());
    let (status, _, cards) = request(addr, "GET", "/export/pmle-anki.txt", "").await;
    assert_eq!(status, 200);
    assert!(
        cards.starts_with("#separator:"),
        "{}",
        &cards[..80.min(cards.len())]
    );
    let (_, _, with_questions) =
        request(addr, "GET", "/export/pmle-anki.txt?questions=1", "").await;
    let rows = |t: &str| t.lines().filter(|l| !l.starts_with('#')).count();
    let expected = app().anki_notes(false).len();
    assert_eq!(rows(&cards), expected, "one row per flashcard");
    assert!(rows(&with_questions) > rows(&cards), "questions added");
    stop.send(()).unwrap();
}
