//! The calculators: the product chooser (the pack's decision tree), the distribution-strategy
//! chooser and the metrics calculator. They change nothing, so the choosers are GET forms
//! whose answers live in the query string; the metrics form is a POST only because a pasted
//! CSV can be large, and it carries the CSRF token like every other POST.

use crate::team::Req;
use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use pmle_app::DecisionStep;
use pmle_labs::metrics::{Report, curves_svg, parse_csv, report};
use pmle_labs::strategy::{Choice, Params, Setup, try_choose};

use super::accessible_svg;
use crate::Shared;
use crate::pages::{app_error, busy, error_page, page};
use crate::security::expired;

/// The decision tree of the product chooser.
const TREE: &str = "product";

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/tools", get(tools))
        .route("/tools/product", get(product))
        .route("/tools/strategy", get(strategy))
        .route("/tools/metrics", get(metrics_form).post(metrics))
}

#[derive(Template)]
#[template(path = "tools.html")]
struct ToolsPage;

pub(crate) async fn tools() -> Response {
    page(&ToolsPage)
}

/// `application/x-www-form-urlencoded` for one key or value.
fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn query_string(answers: &[(String, String)]) -> String {
    answers
        .iter()
        .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// What the product chooser shows: the next question, or the recommendation.
enum ProductStep {
    Question {
        key: String,
        question: String,
        /// (value, label)
        choices: Vec<(String, String)>,
    },
    Result {
        product_name: String,
        why: String,
        runner_up_name: String,
        why_not: String,
        notes: Vec<(String, String)>,
        docs_url: String,
        /// (question, answer label)
        path: Vec<(String, String)>,
    },
}

#[derive(Template)]
#[template(path = "tool_product.html")]
struct ProductPage {
    /// The answers so far, carried as hidden fields.
    answers: Vec<(String, String)>,
    /// The link that takes the last answer back; empty at the first question.
    back: String,
    step: ProductStep,
}

pub(crate) async fn product(Req(s): Req, Query(q): Query<Vec<(String, String)>>) -> Response {
    // The access token (when the server has one) travels in its cookie, not in the answers.
    let mut answers: Vec<(String, String)> = Vec::new();
    for (k, v) in q {
        if k != "token" && !answers.iter().any(|(seen, _)| *seen == k) {
            answers.push((k, v));
        }
    }
    let Ok(app) = s.app.lock() else { return busy() };
    if !app.decision_trees().iter().any(|t| t == TREE) {
        return error_page(
            StatusCode::NOT_FOUND,
            "No product chooser",
            "This content pack has no product decision tree.",
        );
    }
    let step = match app.decide(TREE, &answers) {
        Ok(DecisionStep::Question {
            key,
            question,
            choices,
        }) => ProductStep::Question {
            key,
            question,
            choices: choices.into_iter().map(|c| (c.value, c.label)).collect(),
        },
        Ok(DecisionStep::Result {
            product_name,
            why,
            runner_up_name,
            why_not,
            notes,
            docs_url,
            path,
            ..
        }) => ProductStep::Result {
            product_name,
            why,
            runner_up_name,
            why_not,
            notes: notes
                .into_iter()
                .map(|id| {
                    let title = app
                        .pack()
                        .notes
                        .iter()
                        .find(|n| n.id == id)
                        .map_or_else(|| id.clone(), |n| n.title.clone());
                    (id, title)
                })
                .collect(),
            docs_url,
            path,
        },
        Err(e) => return app_error(&e),
    };
    drop(app);
    let back = if answers.is_empty() {
        String::new()
    } else {
        format!(
            "/tools/product?{}",
            query_string(&answers[..answers.len() - 1])
        )
    };
    page(&ProductPage {
        answers,
        back,
        step,
    })
}

#[derive(Template)]
#[template(path = "tool_strategy.html")]
struct StrategyPage {
    nodes: String,
    devices: String,
    tpu: bool,
    asynchronous: bool,
    params: String,
    /// (value, label) of the variable placements.
    placements: [(&'static str, &'static str); 3],
    message: String,
    choice: Option<Choice>,
}

const PLACEMENTS: [(&str, &str); 3] = [
    ("each-device", "A copy on every device"),
    ("cpu", "Once, on the host CPU"),
    ("parameter-servers", "On parameter servers"),
];

/// The strategy lab's reasons name CLI flags; on the page they name the form's fields.
fn form_words(reason: &str) -> String {
    [
        (
            "--params each-device",
            "variables \"A copy on every device\"",
        ),
        (
            "--params parameter-servers",
            "variables \"On parameter servers\"",
        ),
        ("--params", "variables"),
        (
            "cpu on one machine",
            "\"Once, on the host CPU\" on one machine",
        ),
        ("--nodes", "machines"),
        ("--devices", "devices per machine"),
        ("--tpu", "\"The devices are TPUs\""),
        ("--async", "\"Asynchronous updates\""),
    ]
    .iter()
    .fold(
        format!("This set-up cannot train: {reason}."),
        |text, (flag, field)| text.replace(flag, field),
    )
}

fn count(text: &str, what: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("The number of {what} is a whole number from 1 up.")),
    }
}

pub(crate) async fn strategy(Query(q): Query<HashMap<String, String>>) -> Response {
    let get = |k: &str| q.get(k).map(|v| v.trim().to_owned());
    let mut p = StrategyPage {
        nodes: get("nodes").unwrap_or_else(|| "1".into()),
        devices: get("devices").unwrap_or_else(|| "1".into()),
        tpu: q.contains_key("tpu"),
        asynchronous: q.contains_key("asynchronous"),
        params: get("params").unwrap_or_else(|| "each-device".into()),
        placements: PLACEMENTS,
        message: String::new(),
        choice: None,
    };
    // The first visit shows the form only; the choice comes once it is submitted.
    if !q.contains_key("nodes") {
        return page(&p);
    }
    let params = match p.params.as_str() {
        "each-device" => Ok(Params::EachDevice),
        "cpu" => Ok(Params::Cpu),
        "parameter-servers" => Ok(Params::ParameterServers),
        _ => Err("Choose where the variables live from the list.".to_owned()),
    };
    let setup = count(&p.nodes, "machines").and_then(|nodes| {
        Ok(Setup {
            nodes,
            devices_per_node: count(&p.devices, "devices per machine")?,
            tpu: p.tpu,
            asynchronous: p.asynchronous,
            params: params?,
        })
    });
    match setup.and_then(|setup| try_choose(&setup).map_err(|e| form_words(&e.to_string()))) {
        Ok(choice) => p.choice = Some(choice),
        Err(m) => {
            p.message = m;
            return (StatusCode::BAD_REQUEST, page(&p)).into_response();
        }
    }
    page(&p)
}

/// The metrics report as the page shows it (undefined ratios as "undefined").
struct ReportView {
    rows: usize,
    positives: usize,
    negatives: usize,
    threshold: String,
    tp: u64,
    fp: u64,
    tn: u64,
    fn_: u64,
    /// (name, value)
    figures: Vec<(&'static str, String)>,
    notes: Vec<String>,
    /// threshold, precision, recall, F1, false-positive rate
    sweep: Vec<[String; 5]>,
    chart: String,
}

use pmle_labs::human::{number, opt};

impl ReportView {
    fn new(r: &Report) -> Self {
        let a = &r.at;
        let chart = match curves_svg(r) {
            Ok(svg) => accessible_svg(&svg, "ROC and precision-recall curves"),
            Err(_) => String::new(),
        };
        ReportView {
            rows: r.rows,
            positives: r.positives,
            negatives: r.negatives,
            threshold: number(a.threshold),
            tp: a.confusion.tp,
            fp: a.confusion.fp,
            tn: a.confusion.tn,
            fn_: a.confusion.fn_,
            figures: vec![
                ("Accuracy", number(a.accuracy)),
                ("Precision", opt(a.precision)),
                ("Recall (true-positive rate)", opt(a.recall)),
                ("F1", opt(a.f1)),
                ("Specificity", opt(a.specificity)),
                ("False-positive rate", opt(a.false_positive_rate)),
                ("ROC AUC", opt(r.roc_auc)),
                ("PR AUC (average precision)", opt(r.pr_auc)),
            ],
            notes: r.notes.clone(),
            sweep: r
                .sweep
                .iter()
                .map(|s| {
                    [
                        number(s.threshold),
                        opt(s.precision),
                        opt(s.recall),
                        opt(s.f1),
                        opt(s.false_positive_rate),
                    ]
                })
                .collect(),
            chart,
        }
    }
}

#[derive(Template)]
#[template(path = "tool_metrics.html")]
struct MetricsPage {
    csv: String,
    threshold: String,
    message: String,
    report: Option<ReportView>,
    csrf: String,
}

pub(crate) async fn metrics_form(Req(s): Req) -> Response {
    page(&MetricsPage {
        csv: String::new(),
        threshold: "0.5".into(),
        message: String::new(),
        report: None,
        csrf: s.csrf.to_string(),
    })
}

pub(crate) async fn metrics(Req(s): Req, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Some(refused) = expired(&form, &s, "metrics calculator") {
        return refused;
    }
    let csv = form.get("csv").cloned().unwrap_or_default();
    let threshold = form
        .get("threshold")
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "0.5".into());
    let mut p = MetricsPage {
        csv,
        threshold,
        message: String::new(),
        report: None,
        csrf: s.csrf.to_string(),
    };
    let outcome = match p.threshold.parse::<f64>() {
        Ok(t) if t.is_finite() => parse_csv(&p.csv)
            .and_then(|samples| report(&samples, t))
            .map_err(|e| format!("The data could not be read: {e}.")),
        _ => Err(format!(
            "The threshold {:?} is not a number; write one such as 0.5.",
            p.threshold
        )),
    };
    match outcome {
        Ok(r) => p.report = Some(ReportView::new(&r)),
        Err(m) => {
            p.message = m;
            return (StatusCode::BAD_REQUEST, page(&p)).into_response();
        }
    }
    page(&p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_encoded() {
        let a = vec![
            ("task".to_owned(), "a b&c".to_owned()),
            ("x".to_owned(), "é".to_owned()),
        ];
        assert_eq!(query_string(&a), "task=a%20b%26c&x=%C3%A9");
    }
}
