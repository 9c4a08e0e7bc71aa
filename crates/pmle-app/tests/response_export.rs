//! The anonymised response export and `calibrate --responses`: no identifier or exact time
//! leaves the database, small cohorts are refused without a file, two exports cannot be
//! joined, a file reproduces the database's fit, and hostile rows are counted, not trusted.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pmle_app::responses_file::{ResponsesFile, TIME_ROUNDING_S, parse_responses};
use pmle_app::{App, ManualClock, ResponseSimConfig};
use pmle_content::PackSource;
use pmle_content::model::{Date, Pack};
use pmle_store::{Mode, NewAnswer, SqliteStore};

const TODAY: Date = Date {
    year: 2100,
    month: 1,
    day: 1,
};
const NOW_MS: i64 = 1_795_000_000_000;

/// The embedded pack with only some question files (160 questions).
fn small_pack() -> Pack {
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
    pmle_content::load(&source, TODAY).unwrap()
}

fn app(pack: Pack) -> App {
    App::new(
        pack,
        Box::new(SqliteStore::open_in_memory().unwrap()),
        Box::new(ManualClock::new(NOW_MS)),
        1,
        "the test database",
    )
}

/// Session ids that must never leave the database: the own learner's sessions and pooled
/// learners keyed by e-mail address or user id.
const SESSIONS: [&str; 6] = [
    "web-5f3a9c77d2",
    "learner-alice@example.com",
    "learner-bob.smith@example.org",
    "learner-user-42",
    "learner-7",
    "learner-carol",
];

/// An app whose database holds `learners` of [`SESSIONS`]: each answers 12 questions at
/// irregular times (the first 4 twice), the own learner in two sessions.
fn hand_made(learners: usize) -> (App, Vec<NewAnswer>) {
    let mut app = app(small_pack());
    let questions: Vec<(String, String, usize, Vec<usize>)> = app
        .pack()
        .questions
        .iter()
        .filter(|q| !q.retired)
        .take(12)
        .map(|q| {
            let key: Vec<usize> = q
                .options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.correct)
                .map(|(i, _)| i)
                .collect();
            (q.id.clone(), q.section.clone(), q.options.len(), key)
        })
        .collect();
    let mut answers = Vec::new();
    let mut t = NOW_MS - 40 * 86_400_000 + 12_345;
    for (l, session) in SESSIONS.iter().take(learners).enumerate() {
        for round in 0..2 {
            for (k, (id, section, n, key)) in questions.iter().enumerate() {
                if round == 1 && k >= 4 {
                    break;
                }
                t += 7_777_777 + (l * 13 + k) as i64;
                let chosen = if (l + k) % 3 == 0 {
                    vec![(key[0] + 1) % n]
                } else {
                    key.clone()
                };
                let session = if l == 0 && round == 1 {
                    "web-second-session".to_owned()
                } else {
                    (*session).to_owned()
                };
                answers.push(NewAnswer {
                    question_id: id.clone(),
                    section_id: section.clone(),
                    mode: if k % 2 == 0 {
                        Mode::Practice
                    } else {
                        Mode::Exam
                    },
                    session_id: Some(session),
                    shown_order: (0..*n).collect(),
                    correct: chosen == *key,
                    chosen,
                    answered_at_ms: t,
                    duration_ms: Some(4_321 + (l * 1000 + k) as i64),
                });
            }
        }
    }
    let mut backup = app.export_backup().unwrap();
    backup.answers = answers.clone();
    app.import_backup(&serde_json::to_string(&backup).unwrap())
        .unwrap();
    (app, answers)
}

fn export_text(app: &App, seed: u8) -> (String, ResponsesFile) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("responses.json");
    app.export_responses_file(&path, 5, [seed; 32]).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let file = parse_responses("responses.json", text.as_bytes()).unwrap();
    (text, file)
}

#[test]
fn the_export_holds_no_identifier_and_no_exact_time() {
    let (app, answers) = hand_made(6);
    let (text, file) = export_text(&app, 1);
    // First attempts only: 6 learners × 12 questions (the own learner's second session
    // repeats questions it answered in the first, so it is still one learner).
    assert_eq!(file.learners, 6);
    assert_eq!(file.responses.len(), 72);
    assert!(file.responses.iter().all(|r| r.attempt == 1));
    for session in SESSIONS.iter().chain(&["web-second-session"]) {
        assert!(!text.contains(session), "{session} leaked");
    }
    for word in [
        "alice", "bob", "carol", "user-42", "learner-", "session", "example",
    ] {
        assert!(!text.contains(word), "{word} leaked");
    }
    assert!(!text.contains('@'), "an e-mail-like string leaked");
    for a in &answers {
        for exact in [a.answered_at_ms, a.answered_at_ms / 1000] {
            assert!(!text.contains(&exact.to_string()), "time {exact} leaked");
        }
    }
    assert_eq!(file.time_rounding_s, TIME_ROUNDING_S);
    for r in &file.responses {
        assert_eq!(r.answered_at % TIME_ROUNDING_S, 0, "{r:?}");
        assert!(matches!(r.time_taken_s, Some(4..=10)), "{r:?}");
        assert_eq!(r.learner.len(), 16);
        assert!(r.learner.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    // Per row nothing but these fields.
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    for row in value["responses"].as_array().unwrap() {
        let keys: BTreeSet<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "learner",
                "question",
                "chosen",
                "correct",
                "answered_at",
                "time_taken_s",
                "attempt"
            ])
        );
    }
    // The row order follows the random keys, not the time of answering.
    let order: Vec<(&str, &str)> = file
        .responses
        .iter()
        .map(|r| (r.learner.as_str(), r.question.as_str()))
        .collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted);
    let keys: BTreeSet<&str> = file.responses.iter().map(|r| r.learner.as_str()).collect();
    assert_eq!(keys.len(), 6);
}

#[test]
fn a_cohort_below_the_threshold_is_refused_and_leaves_no_file() {
    let (app, _) = hand_made(4);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("responses.json");
    let err = app
        .export_responses_file(&path, 5, [1; 32])
        .unwrap_err()
        .to_string();
    assert!(err.contains("4 learners"), "{err}");
    assert!(err.contains("at least 5 (--min-cohort)"), "{err}");
    assert!(err.contains("Nothing was written"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // An existing file is left as it was.
    std::fs::write(&path, "old").unwrap();
    assert!(app.export_responses_file(&path, 5, [1; 32]).is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A lower threshold, chosen on purpose, lets it through.
    let written = app.export_responses_file(&path, 4, [1; 32]).unwrap();
    assert_eq!((written.learners, written.responses), (4, 48));
    // A database with one learner only is refused at the default.
    let (alone, _) = hand_made(1);
    let err = alone.export_responses(5, [1; 32]).unwrap_err().to_string();
    assert!(err.contains("1 learner,"), "{err}");
}

#[test]
fn two_exports_cannot_be_joined_by_their_keys() {
    let (app, _) = hand_made(6);
    let (_, a) = export_text(&app, 1);
    let (_, b) = export_text(&app, 2);
    let keys = |f: &ResponsesFile| -> BTreeSet<String> {
        f.responses.iter().map(|r| r.learner.clone()).collect()
    };
    assert_eq!(keys(&a).len(), 6);
    assert!(keys(&a).is_disjoint(&keys(&b)));
    // The same randomness gives the same file: the keys come from the seed alone.
    assert_eq!(export_text(&app, 1).0, export_text(&app, 1).0);
}

/// 300 synthetic learners answering 80 of the 160 questions each (about 150 first attempts
/// per question, 10% faulty), exported to files in `dir`.
fn simulated(dir: &Path) -> (App, PathBuf, PathBuf) {
    let mut app = app(small_pack());
    let cfg = ResponseSimConfig {
        learners: 300,
        answers_per_learner: 80,
        faulty_share: 0.1,
        ..ResponseSimConfig::default()
    };
    app.write_simulated_responses(&cfg).unwrap();
    let a = dir.join("a.json");
    let b = dir.join("b.json");
    app.export_responses_file(&a, 5, [1; 32]).unwrap();
    app.export_responses_file(&b, 5, [2; 32]).unwrap();
    (app, a, b)
}

#[test]
fn a_file_reproduces_the_database_fit_and_two_files_double_the_responses() {
    let dir = tempfile::tempdir().unwrap();
    let (app, a, b) = simulated(dir.path());

    let from_db = app.calibrate_items(50).unwrap();
    let pooled = app.merge_response_files(std::slice::from_ref(&a)).unwrap();
    let report = pooled.files.clone().unwrap();
    assert_eq!(report.set_aside(), 0);
    assert_eq!(report.correct_disagrees_with_key, 0);
    let from_file = app.calibrate_items_of(pooled, 50).unwrap();
    assert_eq!(from_file.learners, 300);
    assert_eq!(from_file.first_attempts, from_db.first_attempts);
    assert!(!from_db.fitted.is_empty());
    let ids = |run: &pmle_app::CalibrationRun| -> Vec<String> {
        run.fitted.iter().map(|f| f.id.clone()).collect()
    };
    assert_eq!(ids(&from_file), ids(&from_db));
    // The same answers in another learner order: equal up to floating-point summation.
    for (f, d) in from_file.fitted.iter().zip(&from_db.fitted) {
        assert!((f.difficulty - d.difficulty).abs() < 1e-6, "{f:?} {d:?}");
        assert!((f.se - d.se).abs() < 1e-6, "{f:?} {d:?}");
        assert_eq!(f.responses, d.responses);
    }

    // The item analysis flags the same questions from the file.
    let flagged = |a: &pmle_app::ItemAnalysis| -> BTreeSet<String> {
        a.items
            .iter()
            .filter(|r| !r.stats.flags.is_empty())
            .map(|r| r.id.clone())
            .collect()
    };
    let items_db = app.item_analysis().unwrap();
    let items_file = app
        .item_analysis_of(app.merge_response_files(std::slice::from_ref(&a)).unwrap())
        .unwrap();
    assert_eq!(flagged(&items_file), flagged(&items_db));
    assert_eq!(items_file.first_attempts, items_db.first_attempts);

    // Two exports of the same database merge as twice the learners and responses.
    let both = app.merge_response_files(&[a.clone(), b]).unwrap();
    assert_eq!(both.learners, 600);
    let doubled = app.calibrate_items_of(both, 50).unwrap();
    assert_eq!(doubled.first_attempts, 2 * from_db.first_attempts);
    assert_eq!(ids(&doubled), ids(&from_db));
    for (f, d) in doubled.fitted.iter().zip(&from_db.fitted) {
        assert_eq!(f.responses, 2 * d.responses);
        assert!(
            f.se < d.se,
            "twice the answers narrow the error: {f:?} {d:?}"
        );
    }
    // The same file twice is two cohorts too: keys are kept apart per file.
    let twice = app.merge_response_files(&[a.clone(), a]).unwrap();
    assert_eq!(twice.learners, 600);
}

#[test]
fn hostile_rows_are_counted_and_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = hand_made(6);
    let (_, mut file) = export_text(&app, 1);
    let good = file.responses.len();
    let template = file.responses[0].clone();
    let q = app
        .pack()
        .questions
        .iter()
        .find(|q| q.id == template.question)
        .unwrap();
    let n = q.options.len() as u32;
    let mut push = |f: &dyn Fn(&mut pmle_app::responses_file::ResponseRow)| {
        let mut r = template.clone();
        r.learner = "ffffffffffffffff".into();
        f(&mut r);
        file.responses.push(r);
    };
    push(&|r| r.question = "no-such-question".into());
    push(&|r| r.question = "<script>alert(1)</script>".into());
    push(&|r| r.question = "x".repeat(1_000_000));
    push(&|r| r.chosen = vec![n]);
    push(&|r| r.chosen = vec![u32::MAX]);
    push(&|r| r.chosen = vec![0, 0]);
    push(&|r| r.answered_at += 1);
    push(&|r| r.attempt = 0);
    push(&|r| r.attempt = 2);
    let own = template.learner.clone();
    push(&|r| {
        r.learner = own.clone();
        r.correct = !r.correct;
    });
    let path = dir.path().join("hostile.json");
    std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
    let pooled = app.merge_response_files(&[path]).unwrap();
    let report = pooled.files.unwrap();
    assert_eq!(report.unknown_questions, 3);
    // Named, but a megabyte-long id only by its first 60 characters.
    assert_eq!(
        report.unknown_examples,
        vec![
            "<script>alert(1)</script>".to_owned(),
            "no-such-question".to_owned(),
            format!("{}…", "x".repeat(60)),
        ]
    );
    assert_eq!(report.invalid_options, 3);
    assert_eq!(report.malformed, 2);
    assert_eq!(report.later_attempts, 1);
    // The flipped row is a second first attempt of the same key and question.
    assert_eq!(report.duplicate_first_attempts, 1);
    assert_eq!(report.correct_disagrees_with_key, 1);
    assert_eq!(report.kept, good + 2);
    assert_eq!(pooled.learners, 7);
}

#[test]
fn foreign_files_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = hand_made(6);
    let refuse = |name: &str, bytes: &[u8]| -> String {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = app.merge_response_files(&[path]).unwrap_err().to_string();
        assert!(err.contains(name), "the error names the file: {err}");
        err
    };
    let backup = serde_json::to_vec(&app.export_backup().unwrap()).unwrap();
    assert!(refuse("backup.json", &backup).contains("pmle backup"));
    let (text, mut file) = export_text(&app, 1);
    let err = refuse("cut.json", &text.as_bytes()[..text.len() / 2]);
    assert!(err.contains("ends too early"), "{err}");
    assert!(refuse("text.txt", b"learner,question\n").contains("not valid JSON"));
    file.pack_id = "another-pack".into();
    let err = refuse("other.json", &serde_json::to_vec(&file).unwrap());
    assert!(
        err.contains("another-pack") && err.contains("--pack DIR"),
        "{err}"
    );
    file.pack_id = app.pack().meta.id.clone();
    file.version = 2;
    let err = refuse("newer.json", &serde_json::to_vec(&file).unwrap());
    assert!(err.contains("update pmle"), "{err}");
    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(pmle_app::responses_file::MAX_RESPONSES_BYTES + 1)
        .unwrap();
    let err = app.merge_response_files(&[huge]).unwrap_err().to_string();
    assert!(err.contains("more than a responses file may be"), "{err}");
    assert!(app.merge_response_files(&[]).is_err());
}
