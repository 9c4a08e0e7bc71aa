//! The product chooser over the embedded pack: every branch ends at a current product, asks
//! as many questions as the decision needs, and names what is deprecated or shut down.
#![allow(clippy::unwrap_used)]

mod common;

use pmle_app::{App, DecisionStep, ManualClock};

fn app() -> App {
    common::app(&ManualClock::new(1_795_000_000_000), 1)
}

fn answers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// (product, runner-up, why, why-not, number of questions asked) at the end of `pairs`.
fn result(app: &App, pairs: &[(&str, &str)]) -> (String, String, String, String, usize) {
    match app.decide("product", &answers(pairs)).unwrap() {
        DecisionStep::Result {
            product,
            runner_up,
            why,
            why_not,
            path,
            ..
        } => (product, runner_up, why, why_not, path.len()),
        DecisionStep::Question { key, .. } => panic!("{pairs:?} still asks `{key}`"),
    }
}

/// The key of the question still pending after `pairs`.
fn pending(app: &App, pairs: &[(&str, &str)]) -> String {
    match app.decide("product", &answers(pairs)).unwrap() {
        DecisionStep::Question { key, .. } => key,
        DecisionStep::Result { product, .. } => panic!("{pairs:?} decided {product} too early"),
    }
}

#[test]
fn custom_text_classification_goes_to_gemini_or_custom_training_never_automl_text() {
    let app = app();
    let base = [
        ("task", "perceive"),
        ("modality", "text"),
        ("text_domain", "general"),
        ("text_need", "own-labels"),
    ];
    // Four answers are not enough: what the company has decides between three products.
    assert_eq!(pending(&app, &base), "text_custom");

    let mut few = base.to_vec();
    few.push(("text_custom", "few"));
    let (product, _, why, why_not, asked) = result(&app, &few);
    assert_eq!((product.as_str(), asked), ("gemini-models", 5));
    assert!(why.contains("prompt"), "{why}");
    assert!(why_not.contains("AutoML Text") && why_not.contains("deprecated"));

    let mut tuned = base.to_vec();
    tuned.push(("text_custom", "labelled"));
    let (product, runner_up, why, why_not, _) = result(&app, &tuned);
    assert_eq!(product, "gemini-models");
    assert_eq!(runner_up, "agent-platform-managed-training");
    assert!(why.contains("Supervised tuning") && why.contains("AutoML Text, which is deprecated"));
    assert!(why_not.contains("no confidence score"), "{why_not}");

    let mut scores = base.to_vec();
    scores.push(("text_custom", "scores"));
    let (product, runner_up, ..) = result(&app, &scores);
    assert_eq!(
        (product.as_str(), runner_up.as_str()),
        ("agent-platform-managed-training", "gemini-models")
    );

    // Standard analysis still goes to the pre-trained API.
    let mut standard = base[..3].to_vec();
    standard.push(("text_need", "standard"));
    assert_eq!(result(&app, &standard).0, "natural-language-api");
}

#[test]
fn clinical_text_names_the_healthcare_api_as_shut_down_and_a_current_answer() {
    let app = app();
    let base = [
        ("task", "perceive"),
        ("modality", "text"),
        ("text_domain", "clinical"),
    ];
    assert_eq!(pending(&app, &base), "clinical_need");
    let mut standard = base.to_vec();
    standard.push(("clinical_need", "standard"));
    let (product, _, why, why_not, _) = result(&app, &standard);
    assert_eq!(product, "gemini-models");
    assert!(
        why.contains("Healthcare Natural Language API") && why.contains("shut down on 2026-05-27"),
        "{why}"
    );
    assert!(why_not.contains("no longer accepts requests"), "{why_not}");
    // The catalog agrees that the dedicated API is retired.
    let (_, status) = app
        .pack()
        .products
        .iter()
        .find(|p| p.id == "healthcare-natural-language-api")
        .map(|p| (p.id.clone(), p.status))
        .unwrap();
    assert_eq!(format!("{status:?}"), "Retired");

    let mut own = base.to_vec();
    own.push(("clinical_need", "own-labels"));
    let (product, runner_up, why, ..) = result(&app, &own);
    assert_eq!(
        (product.as_str(), runner_up.as_str()),
        ("gemini-models", "agent-platform-managed-training")
    );
    assert!(why.contains("Supervised tuning"), "{why}");
}

/// Answers, the product they lead to, and words its reason must contain.
type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a [&'a str]);

/// Every still-applicable branch of the older flow chart, with the answers that reach it.
#[test]
fn every_branch_of_the_older_flow_chart_reaches_a_current_product() {
    let app = app();
    let cases: &[Case<'_>] = &[
        (
            &[("task", "predict"), ("team", "sql"), ("bq_models", "yes")],
            "bigquery-ml",
            &[],
        ),
        (
            &[
                ("task", "predict"),
                ("team", "sql"),
                ("bq_models", "no"),
                ("framework", "prebuilt"),
            ],
            "agent-platform-managed-training",
            &[],
        ),
        (
            &[("task", "predict"), ("team", "managed")],
            "agent-platform-automl",
            &[],
        ),
        (
            &[
                ("task", "perceive"),
                ("modality", "image"),
                ("image_need", "standard"),
            ],
            "vision-api",
            &[],
        ),
        (
            &[
                ("task", "perceive"),
                ("modality", "image"),
                ("image_need", "own-labels"),
                ("image_deploy", "cloud"),
            ],
            "agent-platform-automl",
            &["endpoint"],
        ),
        (
            &[
                ("task", "perceive"),
                ("modality", "image"),
                ("image_need", "own-labels"),
                ("image_deploy", "edge"),
            ],
            "agent-platform-automl",
            &["TF Lite", "Core ML", "TensorFlow.js"],
        ),
        (
            &[
                ("task", "perceive"),
                ("modality", "translate"),
                ("translate_need", "general"),
            ],
            "cloud-translation",
            &["glossaries"],
        ),
        (
            &[
                ("task", "perceive"),
                ("modality", "translate"),
                ("translate_need", "domain"),
            ],
            "cloud-translation",
            &["AutoML Translation", "adaptive translation"],
        ),
        (
            &[
                ("task", "perceive"),
                ("modality", "video"),
                ("video_need", "standard"),
            ],
            "gemini-models",
            &[],
        ),
        (
            &[
                ("task", "perceive"),
                ("modality", "video"),
                ("video_need", "own-labels"),
            ],
            "agent-platform-managed-training",
            &["no longer lists video"],
        ),
        (
            &[("task", "perceive"), ("modality", "speech")],
            "speech-to-text",
            &[],
        ),
        (
            &[("task", "perceive"), ("modality", "document")],
            "document-ai",
            &[],
        ),
        (&[("task", "orchestrate"), ("steps", "ml-tfx")], "tfx", &[]),
    ];
    for (pairs, want, says) in cases {
        let (product, _, why, ..) = result(&app, pairs);
        assert_eq!(&product, want, "{pairs:?}");
        for s in *says {
            assert!(why.contains(s), "{pairs:?}: {why}");
        }
        let status = app
            .pack()
            .products
            .iter()
            .find(|p| p.id == product)
            .map(|p| format!("{:?}", p.status))
            .unwrap();
        assert_eq!(
            status, "Active",
            "{pairs:?} recommends {product}, which is {status}"
        );
    }
    // Deprecations are named where older material would send you.
    let (.., why_not, _) = result(
        &app,
        &[
            ("task", "perceive"),
            ("modality", "video"),
            ("video_need", "standard"),
        ],
    );
    assert!(
        why_not.contains("Video Intelligence API is deprecated"),
        "{why_not}"
    );
    let (.., why_not, _) = result(
        &app,
        &[
            ("task", "perceive"),
            ("modality", "translate"),
            ("translate_need", "domain"),
        ],
    );
    assert!(
        why_not.contains("AutoML Translation API is deprecated"),
        "{why_not}"
    );
    let (.., why_not, _) = result(
        &app,
        &[
            ("task", "perceive"),
            ("modality", "video"),
            ("video_need", "own-labels"),
        ],
    );
    assert!(why_not.contains("AutoML Video Intelligence") && why_not.contains("retired"));
}

/// No perception answer is decided after two questions: the kind of input comes first, then
/// what is needed from it.
#[test]
fn perception_asks_about_the_need_after_the_input() {
    let app = app();
    for modality in ["image", "text", "translate", "video"] {
        let key = pending(&app, &[("task", "perceive"), ("modality", modality)]);
        assert!(key != "modality" && key != "task", "{modality}: {key}");
    }
    assert_eq!(
        pending(&app, &[("task", "predict"), ("team", "sql")]),
        "bq_models"
    );
}
