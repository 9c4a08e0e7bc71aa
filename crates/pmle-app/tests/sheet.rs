//! The printable summary's model: every section with its parts, weak topics only where the
//! learner's own answers give evidence, and nothing learners cannot place.
#![allow(clippy::unwrap_used)]

mod common;

use pmle_app::{App, MIN_TOPIC_ANSWERS, ManualClock};

const START: i64 = 1_795_000_000_000;

/// Answer the first `n` live questions whose first topic is `topic`, right or wrong.
fn answer_topic(app: &mut App, clock: &ManualClock, topic: &str, n: usize, right: bool) {
    let ids: Vec<String> = app
        .pack()
        .questions
        .iter()
        .filter(|q| !q.retired && q.topics.first().is_some_and(|t| t == topic))
        .take(n)
        .map(|q| q.id.clone())
        .collect();
    assert_eq!(ids.len(), n, "the pack has {n} questions on {topic}");
    for id in ids {
        let shown = app.present(&id).unwrap();
        let q = app.pack().question(&id).unwrap();
        let key = q.correct_indexes();
        let picked: Vec<usize> = (0..shown.order.len())
            .filter(|&p| key.contains(&shown.order[p]) == right)
            .take(q.kind.choose() as usize)
            .collect();
        assert_eq!(app.answer(&shown, &picked).unwrap().correct, right);
        clock.advance(60_000);
    }
}

#[test]
fn every_section_has_its_parts_and_says_it_has_no_evidence_yet() {
    let clock = ManualClock::new(START);
    let app = common::app(&clock, 1);
    let sheet = app.study_sheet().unwrap();
    let ids: Vec<&str> = sheet.sections.iter().map(|s| s.id.as_str()).collect();
    let pack_ids: Vec<&str> = app.pack().sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, pack_ids);
    assert_eq!(sheet.answered, 0);
    for s in &sheet.sections {
        assert!(!s.decisions.is_empty(), "{} has key decisions", s.id);
        assert!(s.weak.weak.is_empty() && s.weak.measured == 0);
        assert!(
            s.weak.verdict.starts_with("No evidence yet"),
            "{}",
            s.weak.verdict
        );
    }
    // Renames: each catalog entry with a former name appears once, in some section.
    let renamed: Vec<&str> = sheet
        .sections
        .iter()
        .flat_map(|s| s.renames.iter().map(|r| r.product.as_str()))
        .collect();
    for p in app
        .pack()
        .products
        .iter()
        .filter(|p| !p.former_names.is_empty())
    {
        assert_eq!(
            renamed.iter().filter(|x| **x == p.id).count(),
            1,
            "{} is listed once",
            p.id
        );
    }
    let ai_platform = sheet
        .sections
        .iter()
        .flat_map(|s| &s.renames)
        .find(|r| r.product == "ai-platform-training-legacy")
        .unwrap();
    assert_eq!(ai_platform.status, "retired");
    assert_eq!(ai_platform.status_date.as_deref(), Some("2025-01-31"));
    // Formulas: the metrics are there, in section 3 with their notes.
    let s3 = sheet.sections.iter().find(|s| s.id == "s3").unwrap();
    let names: Vec<&str> = s3.formulas.iter().map(|f| f.name.as_str()).collect();
    for want in ["Precision", "Recall", "F1", "RMSE", "Global batch"] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    let precision = s3.formulas.iter().find(|f| f.name == "Precision").unwrap();
    assert!(precision.markdown.contains("TP / (TP + FP)"));
    // Key decisions include the metric choice table.
    assert!(
        s3.decisions
            .iter()
            .any(|b| b.heading == "Which metric, given the cost of errors"
                && b.markdown.contains("| recall"))
    );
}

#[test]
fn weak_topics_come_from_the_learners_own_answers_with_their_evidence() {
    let clock = ManualClock::new(START);
    let mut app = common::app(&clock, 1);
    // Metrics: all wrong, enough to be measured. Regularization: all right. Accelerators:
    // wrong, but too few answers to judge.
    answer_topic(&mut app, &clock, "metrics", 6, false);
    answer_topic(&mut app, &clock, "regularization", 6, true);
    answer_topic(
        &mut app,
        &clock,
        "accelerators",
        MIN_TOPIC_ANSWERS - 1,
        false,
    );
    let sheet = app.study_sheet().unwrap();
    assert_eq!(sheet.answered, 12 + MIN_TOPIC_ANSWERS - 1);
    let s3 = sheet.sections.iter().find(|s| s.id == "s3").unwrap();
    assert_eq!(s3.weak.answered, 12 + MIN_TOPIC_ANSWERS - 1);
    assert_eq!(
        s3.weak.measured, 2,
        "metrics and regularization are measured"
    );
    let weak: Vec<&str> = s3.weak.weak.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        weak,
        ["metrics"],
        "only the topic answered wrong, not the unmeasured one"
    );
    let m = &s3.weak.weak[0];
    assert_eq!(m.answered, 6);
    assert!(m.low <= m.mastery && m.mastery <= m.high && m.high < sheet.target);
    // Six right answers are not proof of strength: the estimate may sit below the target, but
    // then only as "cannot tell yet", never as weak.
    for t in &s3.weak.unsure {
        assert_eq!(t.id, "regularization");
        assert!(t.mastery < sheet.target && t.high >= sheet.target);
    }
    assert!(
        s3.weak.verdict.starts_with(
            "1 of 2 measured topics are below your 70% target even at the top of its 80% interval."
        ) && s3
            .weak
            .verdict
            .contains("have fewer than 3 answered questions and are not judged"),
        "{}",
        s3.weak.verdict
    );
    // Other sections still have no evidence.
    let s1 = sheet.sections.iter().find(|s| s.id == "s1").unwrap();
    assert!(s1.weak.verdict.starts_with("No evidence yet"));
}

#[test]
fn a_few_answers_are_called_too_little_evidence() {
    let clock = ManualClock::new(START);
    let mut app = common::app(&clock, 1);
    answer_topic(&mut app, &clock, "metrics", 2, false);
    let sheet = app.study_sheet().unwrap();
    let s3 = sheet.sections.iter().find(|s| s.id == "s3").unwrap();
    assert!(s3.weak.weak.is_empty());
    assert_eq!(
        s3.weak.verdict,
        "Too little evidence to name weak topics: 2 questions answered here, and no topic yet \
         has the 3 answered questions an estimate needs."
    );
}

/// Nothing in the summary says "seed" for where the content came from.
#[test]
fn the_summary_never_mentions_the_seed() {
    let clock = ManualClock::new(START);
    let app = common::app(&clock, 1);
    let json = serde_json::to_string(&app.study_sheet().unwrap())
        .unwrap()
        .to_lowercase();
    for word in ["seed", "seed-guide", "seed_heading"] {
        assert!(
            !json.contains(&format!("{word} ")) && !json.contains(&format!("{word}'s")),
            "the summary says {word:?}"
        );
    }
}
