//! Item analysis and calibration end to end: synthetic learners written through the store,
//! `item_analysis` flagging exactly the questions the simulation made faulty, and a
//! calibration file the pack loader accepts.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use pmle_app::{App, ManualClock, ResponseSimConfig};
use pmle_content::model::{Date, Pack};
use pmle_content::{PackSource, SourceFile};
use pmle_store::SqliteStore;

const TODAY: Date = Date {
    year: 2100,
    month: 1,
    day: 1,
};

/// The embedded pack with only some question files (160 questions), so a few
/// hundred learners can answer every question in a debug test.
fn small_source(extra: Option<SourceFile>) -> PackSource {
    let keep = [
        "questions/s1-apis.toml",
        "questions/s2-data.toml",
        "questions/s3-ml-metrics.toml",
        "questions/s4-endpoints.toml",
        "questions/s5-kfp.toml",
        "questions/s6-monitoring.toml",
    ];
    let mut source = PackSource::embedded();
    source
        .files
        .retain(|f| !f.path.starts_with("questions/") || keep.contains(&f.path.as_str()));
    source.files.extend(extra);
    source
}

fn app(pack: Pack) -> App {
    App::new(
        pack,
        Box::new(SqliteStore::open_in_memory().unwrap()),
        Box::new(ManualClock::new(1_795_000_000_000)),
        1,
        ":memory:",
    )
}

#[test]
fn the_flagged_questions_are_the_faulty_ones_and_the_calibration_loads() {
    let pack = pmle_content::load(&small_source(None), TODAY).unwrap();
    let live = pack.questions.iter().filter(|q| !q.retired).count();
    assert!(live > 100, "{live}");
    let mut app = app(pack);
    let cfg = ResponseSimConfig {
        learners: 500,
        answers_per_learner: live,
        ..ResponseSimConfig::default()
    };
    let written = app.write_simulated_responses(&cfg).unwrap();
    assert_eq!(written.learners, 500);
    // Every learner answered every live question once, and a tenth of them again.
    assert_eq!(written.first_attempts, 500 * live);
    assert_eq!(
        written.answers,
        500 * live + 500 * (live as f64 * 0.1).round() as usize
    );

    let analysis = app.item_analysis().unwrap();
    assert_eq!(analysis.learners, 500);
    assert_eq!(analysis.first_attempts, 500 * live);
    assert!(analysis.items.iter().all(|r| r.stats.n == 500));
    let flagged: BTreeSet<&str> = analysis
        .items
        .iter()
        .filter(|r| !r.stats.flags.is_empty())
        .map(|r| r.id.as_str())
        .collect();
    let faulty: BTreeSet<&str> = written.faulty.iter().map(|f| f.id.as_str()).collect();
    assert!(!faulty.is_empty());
    let extra: Vec<String> = analysis
        .items
        .iter()
        .filter(|r| !faulty.contains(r.id.as_str()) && !r.stats.flags.is_empty())
        .map(|r| {
            format!(
                "{} ({} options, p {:?}, r {:?}, {:?})",
                r.id,
                r.stats.options.len(),
                r.stats.p_value,
                r.stats.discrimination,
                r.stats.flags
            )
        })
        .collect();
    assert_eq!(flagged, faulty, "flagged but sound: {extra:#?}");
    // Most attention first: every flagged question before every clean one.
    let first_clean = analysis
        .items
        .iter()
        .position(|r| r.attention == 0)
        .unwrap();
    assert_eq!(first_clean, faulty.len());
    // Each row says where the question is.
    assert!(
        analysis
            .items
            .iter()
            .all(|r| r.file.starts_with("questions/") && r.line > 0)
    );

    let run = app.calibrate_items(50).unwrap();
    assert!(run.converged);
    assert_eq!(run.fitted.len(), live);
    assert_eq!(run.below_minimum, 0);
    let with_file = small_source(Some(SourceFile {
        path: "calibration.toml".into(),
        text: run.toml.clone(),
    }));
    let calibrated = pmle_content::load(&with_file, TODAY).unwrap();
    let c = calibrated.calibration.unwrap();
    assert_eq!(c.questions.len(), live);
    // 500 answers each outweigh the label, except where the answers say little: a key
    // almost nobody picks or a question almost everybody gets right sits where the
    // guessing floor or the ceiling flattens the likelihood.
    for f in &run.fitted {
        assert!(
            f.data_weight > 0.7 || faulty.contains(f.id.as_str()),
            "{f:?}"
        );
    }
}

#[test]
fn synthetic_learners_are_never_written_into_a_database_with_answers() {
    let pack = pmle_content::load(&small_source(None), TODAY).unwrap();
    let mut app = app(pack);
    let id = app.pack().questions[0].id.clone();
    let shown = app.present(&id).unwrap();
    app.answer(&shown, &[0]).unwrap();
    let err = app
        .write_simulated_responses(&ResponseSimConfig::default())
        .unwrap_err();
    assert!(err.to_string().contains("already holds 1 answers"), "{err}");
}

#[test]
fn one_learner_alone_raises_no_flag_and_fits_nothing() {
    let pack = pmle_content::load(&small_source(None), TODAY).unwrap();
    let mut app = app(pack);
    let ids: Vec<String> = app
        .pack()
        .questions
        .iter()
        .take(40)
        .map(|q| q.id.clone())
        .collect();
    for id in &ids {
        for _ in 0..2 {
            let shown = app.present(id).unwrap();
            app.answer(&shown, &[0]).unwrap();
        }
    }
    let analysis = app.item_analysis().unwrap();
    assert_eq!(analysis.learners, 1);
    assert_eq!(analysis.first_attempts, 40);
    assert!(
        analysis
            .items
            .iter()
            .all(|r| r.stats.n == 1 && r.stats.flags.is_empty())
    );
    let run = app.calibrate_items(50).unwrap();
    assert!(run.fitted.is_empty());
    assert!(!run.toml.contains("[question."));
    assert!(app.calibrate_items(0).is_err());
}

/// A question reported through the report-a-question feature carries its open reports and
/// the "reported" flag in the item analysis, even before anyone answered it; a question
/// answered but not reported has no report flag.
#[test]
fn open_reports_flag_their_question_in_the_item_analysis() {
    let pack = pmle_content::load(&small_source(None), TODAY).unwrap();
    let mut app = app(pack);
    let answered = app.pack().questions[0].id.clone();
    let reported = app.pack().questions[1].id.clone();
    let shown = app.present(&answered).unwrap();
    app.answer(&shown, &[0]).unwrap();
    app.report_question(&reported, "wrong-key", Some("B is right since 2026"))
        .unwrap();
    app.report_question(&reported, "outdated", None).unwrap();
    let analysis = app.item_analysis().unwrap();
    let row = |id: &str| analysis.items.iter().find(|r| r.id == id);
    let r = row(&reported).expect("a reported question is listed without answers");
    assert_eq!(r.stats.reports, Some(2));
    assert!(r.stats.flags.contains(&pmle_app::Flag::Reported));
    assert_eq!(
        analysis.items[0].id, reported,
        "reports need attention first"
    );
    let a = row(&answered).expect("the answered question is listed");
    assert_eq!(a.stats.reports, Some(0));
    assert!(!a.stats.flags.contains(&pmle_app::Flag::Reported));
}
