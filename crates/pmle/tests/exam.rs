//! Mock exams and flashcards through the real binary, including a real `kill -9` mid-exam.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

fn plan(home: &std::path::Path, args: &[&str]) -> Value {
    let mut full = vec!["exam", "--plan", "--json"];
    full.extend_from_slice(args);
    let o = pmle(home, &full, "");
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("plan is JSON")
}

#[test]
fn plan_is_reproducible_weighted_and_without_repeats() {
    let home = tempfile::tempdir().unwrap();
    let a = plan(home.path(), &["--seed", "42"]);
    let b = plan(home.path(), &["--seed", "42"]);
    let c = plan(home.path(), &["--seed", "43"]);
    assert_eq!(a, b, "same seed, same history: same exam");
    assert_ne!(a["questions"], c["questions"]);
    assert_eq!(a["seed"], 42);
    assert_eq!(a["minutes"], 120);
    let qs = a["questions"].as_array().unwrap();
    assert_eq!(qs.len(), 60);
    let mut ids: Vec<&str> = qs.iter().map(|q| q["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 60, "no question twice");
    // June 2026 weights 13/16/21/20/18/13 over 60 questions, largest remainder.
    let count = |s: &str| qs.iter().filter(|q| q["section"] == s).count();
    let got: Vec<usize> = ["s1", "s2", "s3", "s4", "s5", "s6"]
        .iter()
        .map(|s| count(s))
        .collect();
    assert_eq!(got, vec![8, 9, 12, 12, 11, 8]);
}

#[test]
fn section_exam_draws_only_that_section() {
    let home = tempfile::tempdir().unwrap();
    let p = plan(home.path(), &["--seed", "1", "--section", "5"]);
    let qs = p["questions"].as_array().unwrap();
    assert_eq!(qs.len(), 60);
    assert!(qs.iter().all(|q| q["section"] == "s5"));
}

#[test]
fn small_pack_exam_says_what_is_missing() {
    let home = tempfile::tempdir().unwrap();
    let pack = fixture("mini");
    let p = plan(
        home.path(),
        &["--pack", pack.to_str().unwrap(), "--seed", "1"],
    );
    // Three seats by weight 40/60 → 1 + 2, but s2 has one question: the exam is shorter
    // and says so rather than repeating a question.
    assert_eq!(p["questions"].as_array().unwrap().len(), 2);
    let note = p["shortfalls"][0].as_str().unwrap();
    assert!(note.contains("has 1 question(s) for the 2"), "{note}");
}

#[test]
fn retry_without_mistakes_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(home.path(), &["exam", "--retry", "--plan"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no wrong answers to retry"),
        "{}",
        stderr(&o)
    );
}

/// Reads a child's stdout on a thread so the test can wait for prompts.
struct Screen(Arc<Mutex<String>>);

impl Screen {
    fn wait_for(&self, needle: &str, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.0.lock().unwrap().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

#[test]
fn killed_mid_exam_loses_no_answer_and_resumes() {
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin())
        .args(["exam", "--seed", "11"])
        .env("PMLE_HOME", home.path())
        .env_remove("PMLE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let text = Arc::new(Mutex::new(String::new()));
    let reader = {
        let text = Arc::clone(&text);
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let mut t = text.lock().unwrap();
                t.push_str(&line);
                t.push('\n');
            }
        })
    };
    let screen = Screen(text);
    let mut stdin = child.stdin.take().unwrap();
    // Answer questions 1–3, and flag question 4. Each prompt appears only after the
    // previous action was saved.
    for next in 2..=4 {
        for attempt in ["a\n", "a,b\n"] {
            stdin.write_all(attempt.as_bytes()).unwrap();
            stdin.flush().unwrap();
            if screen.wait_for(&format!("Question {next}/60"), Duration::from_secs(10)) {
                break;
            }
        }
        assert!(
            screen
                .0
                .lock()
                .unwrap()
                .contains(&format!("Question {next}/60")),
            "never reached question {next}"
        );
    }
    stdin.write_all(b"f\n").unwrap();
    stdin.flush().unwrap();
    assert!(screen.wait_for("⚑ flagged", Duration::from_secs(10)));
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    reader.join().unwrap();

    let s = stats(home.path(), &[]);
    let u = &s["exams"]["unfinished"];
    assert_eq!(u["answered"], 3, "{s}");
    assert_eq!(u["flagged"], 1);
    assert_eq!(u["questions"], 60);
    let left = u["seconds_left"].as_i64().unwrap();
    assert!((7000..=7200).contains(&left), "time left {left}");

    // Resume: the same exam, the same answers, and it can be submitted.
    let o = pmle(home.path(), &["exam"], "y\nl\ns\ny\n");
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.contains("unfinished exam 1 (3 of 60 answered"), "{out}");
    assert!(out.contains("answered 3/60"), "{out}");
    assert!(out.contains("Exam 1 (full)"), "{out}");
    let s = stats(home.path(), &[]);
    assert!(s["exams"]["unfinished"].is_null());
    assert_eq!(s["exams"]["finished"], 1);
    assert_eq!(
        s["progress"]["answers_total"], 3,
        "exam answers count as answers"
    );
}

#[test]
fn exam_report_lists_sections_and_reviews() {
    let home = tempfile::tempdir().unwrap();
    let pack = fixture("mini");
    let p = pack.to_str().unwrap();
    let o = pmle(
        home.path(),
        &["--pack", p, "exam", "--seed", "2"],
        &format!("{}s\ny\n", answers(3)),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = pmle(
        home.path(),
        &["--pack", p, "exam", "--report", "--json"],
        "",
    );
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["total"], 2);
    assert_eq!(r["answered"], 2);
    let sections = r["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 2);
    for item in r["items"].as_array().unwrap() {
        for opt in item["options"].as_array().unwrap() {
            assert!(!opt["explanation"].as_str().unwrap().is_empty());
        }
    }
    let o = pmle(
        home.path(),
        &["--pack", p, "exam", "--report", "--review", "all"],
        "",
    );
    assert_eq!(stdout(&o).matches("── ").count(), 2, "{}", stdout(&o));
}

#[test]
fn a_card_rated_again_comes_back_in_the_same_session() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(
        home.path(),
        &["settings", "set", "new_cards_per_day", "1"],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // One new card: Again (1 minute), then it is shown again at once (nothing else is
    // left, so the learning card is shown early), Good (10 minutes), shown again, Good:
    // graduated, and the session ends.
    let o = pmle(home.path(), &["cards"], "\n1\n\n3\n\n3\n");
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.contains("1 Again (1m)"), "{out}");
    assert_eq!(out.matches("── Card").count(), 3, "{out}");
    assert_eq!(out.matches("learning, shown early").count(), 2, "{out}");
    assert!(out.contains("next review in 1m"), "{out}");
    assert!(out.contains("next review in 10m"), "{out}");
    assert!(out.contains("Reviewed 3 card(s)"), "{out}");
    // A bad setting is refused with the form to use.
    let o = pmle(
        home.path(),
        &["settings", "set", "learning_steps", "10"],
        "",
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("e.g. \"1m 10m\""), "{}", stderr(&o));
}

#[test]
fn cards_are_scheduled_and_missed_questions_join_the_schedule() {
    let home = tempfile::tempdir().unwrap();
    let before = stats(home.path(), &[]);
    assert_eq!(before["cards"]["new_today"], 20);
    // Reveal and rate two cards: Good, then Again.
    let o = pmle(home.path(), &["cards", "--limit", "2"], "\n3\n\n1\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Reviewed 2 card(s)"), "{}", stdout(&o));
    let after = stats(home.path(), &[]);
    assert_eq!(after["cards"]["new_today"], 18);
    assert_eq!(after["cards"]["fsrs_parameters"], "default");
    // A wrong practice answer puts the question on the schedule.
    let pack = fixture("mini");
    let p = pack.to_str().unwrap();
    let o = pmle(
        home.path(),
        &[
            "--pack",
            p,
            "practice",
            "--section",
            "s1",
            "--count",
            "1",
            "--seed",
            "5",
        ],
        "d\n",
    );
    assert!(o.status.success());
    let s = stats(home.path(), &["--pack", p]);
    let wrong = s["progress"]["answers_total"].as_u64().unwrap()
        - s["progress"]["answers_correct"].as_u64().unwrap();
    assert_eq!(s["cards"]["scheduled_questions"].as_u64().unwrap(), wrong);
    let o = pmle(home.path(), &["cards", "--optimize"], "");
    assert!(
        stdout(&o).contains("default FSRS parameters stay in use"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn settings_change_the_exam() {
    let home = tempfile::tempdir().unwrap();
    let o = pmle(
        home.path(),
        &["settings", "set", "exam_questions", "50"],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = pmle(
        home.path(),
        &["settings", "set", "desired_retention", "1.5"],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("between 0.70 and 0.99"));
    let p = plan(home.path(), &["--seed", "1"]);
    assert_eq!(p["questions"].as_array().unwrap().len(), 50);
    let s = stats(home.path(), &[]);
    assert!(
        s["readiness"]["verdict"]
            .as_str()
            .unwrap()
            .contains("Google publishes no pass mark")
    );
    assert_eq!(s["readiness"]["target"], 0.7);
}

/// Two `pmle exam` processes on one exam (as with `pmle serve` beside the CLI): an answer
/// one saved is not erased by the other's next action, the other shows it, and the submit
/// counts it.
#[test]
fn a_saved_exam_answer_survives_another_cli_on_the_same_exam() {
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin())
        .args(["exam", "--seed", "11"])
        .env("PMLE_HOME", home.path())
        .env_remove("PMLE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let text = Arc::new(Mutex::new(String::new()));
    let reader = {
        let text = Arc::clone(&text);
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let mut t = text.lock().unwrap();
                t.push_str(&line);
                t.push('\n');
            }
        })
    };
    let screen = Screen(text);
    let mut stdin = child.stdin.take().unwrap();
    let answer = |stdin: &mut std::process::ChildStdin, next: usize| {
        for attempt in ["a\n", "a,b\n"] {
            stdin.write_all(attempt.as_bytes()).unwrap();
            stdin.flush().unwrap();
            if screen.wait_for(&format!("Question {next}/60"), Duration::from_secs(10)) {
                return;
            }
        }
        panic!("never reached question {next}");
    };
    // The first CLI answers question 1 and waits at question 2.
    answer(&mut stdin, 2);
    // A second CLI resumes the same exam, answers question 3 (one or two letters), leaves.
    let o = pmle(home.path(), &["exam"], "y\ng 3\na\ng 3\na,b\nq\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("(1 of 60 answered"), "{}", stdout(&o));
    // The first CLI, still holding its session, answers question 2 and moves to question 3,
    // which it shows with the second CLI's answer.
    answer(&mut stdin, 3);
    stdin.write_all(b"l\ns\ny\n").unwrap();
    drop(stdin);
    child.wait().unwrap();
    reader.join().unwrap();
    let out = screen.0.lock().unwrap().clone();
    let q3 = &out[out.rfind("Question 3/60").unwrap()..];
    assert!(q3.contains('●'), "question 3 shows the saved answer: {q3}");
    assert!(out.contains("answered 3/60"), "{out}");
    let s = stats(home.path(), &[]);
    assert_eq!(s["exams"]["finished"], 1);
    assert_eq!(
        s["progress"]["answers_total"], 3,
        "the submit counts all three: {s}"
    );
}
