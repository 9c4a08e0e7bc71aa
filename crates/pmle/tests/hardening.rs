//! Hostile input to the real binary: out-of-range counts, impossible combinations, pack
//! files that are devices or FIFOs, terminal escape codes in pack text, an empty pack.
//! Nothing may panic, abort or hang: every run has a watchdog.

// Helpers below are test code too: a failed set-up step should stop the test.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// `pmle ARGS` with its own data directory and empty stdin, killed after 20 s.
fn run(home: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .env("PMLE_HOME", home)
        .env_remove("PMLE_DB")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pmle runs");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let o = child.wait_with_output().expect("output");
            panic!(
                "pmle {args:?} did not finish within 20 s (blocked or read without end); stderr: {}",
                stderr(&o)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn assert_no_crash(o: &Output, args: &[&str]) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    assert!(
        !err.contains("memory allocation"),
        "{args:?} aborted: {err}"
    );
    assert!(
        o.status.code().is_some(),
        "{args:?} was killed by a signal: {err}"
    );
}

fn usage_error(args: &[&str], says: &str) {
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), args);
    assert_no_crash(&o, args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
}

#[test]
fn simulate_with_huge_learner_counts_is_a_usage_error_not_a_crash() {
    usage_error(&["simulate", "--learners", "4294967295"], "1..=1000");
    usage_error(
        &["simulate", "--learners", "18446744073709551615"],
        "1..=1000",
    );
    usage_error(
        &["simulate", "--learners", "99999999999999999999999"],
        "--learners",
    );
    usage_error(&["simulate", "--learners", "0"], "1..=1000");
    usage_error(&["simulate", "--learners", "-1"], "unexpected argument");
    usage_error(&["simulate", "--max-answers", "0"], "1..=100000");
}

#[test]
fn every_count_argument_is_bounded() {
    usage_error(&["practice", "--count", "0"], "1..=1000");
    usage_error(&["practice", "--count", "18446744073709551615"], "1..=1000");
    usage_error(&["cards", "--limit", "0"], "1..=1000");
    usage_error(&["cards", "--limit", "18446744073709551616"], "--limit");
    usage_error(&["search", "--limit", "0", "bigquery"], "1..=100");
    usage_error(&["search", "--limit", "4294967296", "bigquery"], "1..=100");
    usage_error(&["choose", "strategy", "--nodes", "0"], "1..=100000");
    usage_error(&["choose", "strategy", "--devices", "0"], "1..=4096");
    usage_error(&["choose", "strategy", "--nodes", "4294967296"], "--nodes");
    usage_error(
        &["metrics", "x.csv", "--threshold", "NaN"],
        "not a finite number",
    );
}

#[test]
fn search_limit_zero_is_refused_and_the_largest_limit_works() {
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), &["search", "--limit", "100", "bigquery"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn impossible_strategy_combinations_are_refused_with_a_reason() {
    usage_error(
        &["choose", "strategy", "--tpu", "--async"],
        "TPUs train only synchronously",
    );
    usage_error(
        &["choose", "strategy", "--nodes", "1", "--async"],
        "several machines",
    );
    usage_error(
        &[
            "choose",
            "strategy",
            "--nodes",
            "1",
            "--params",
            "parameter-servers",
        ],
        "parameter servers are separate machines",
    );
    // Missing answers are asked for on a terminal; piped, the error names the flags.
    usage_error(&["choose", "strategy"], "needs --nodes N and --devices N");
    usage_error(
        &["choose", "strategy", "--nodes", "2"],
        "needs --devices N (",
    );
    usage_error(
        &["choose", "strategy", "--json"],
        "needs --nodes N and --devices N",
    );
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), &["choose", "strategy", "--tpu"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("TPUStrategy"), "TPUs need no counts");
    let o = run(
        home.path(),
        &[
            "choose",
            "strategy",
            "--nodes",
            "4",
            "--devices",
            "1",
            "--async",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("ParameterServerStrategy"));
}

/// The mini fixture pack, copied to a temporary directory.
fn mini_pack() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &Path, to: &Path| {
        fn go(from: &Path, to: &Path) {
            std::fs::create_dir_all(to).unwrap();
            for e in std::fs::read_dir(from).unwrap() {
                let e = e.unwrap();
                if e.file_type().unwrap().is_dir() {
                    go(&e.path(), &to.join(e.file_name()));
                } else {
                    std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
                }
            }
        }
        go(from, to);
    };
    copy(&fixture("mini"), dir.path());
    dir
}

#[cfg(unix)]
fn refused_by_every_command(pack: &Path, file: &str) {
    let home = tempfile::tempdir().unwrap();
    let p = pack.to_str().unwrap();
    for args in [
        vec!["--pack", p, "check"],
        vec!["--pack", p, "stats"],
        vec!["--pack", p, "search", "bigquery"],
        vec!["--pack", p, "practice", "--count", "1"],
        vec!["--pack", p, "serve", "--addr", "127.0.0.1:0"],
    ] {
        let o = run(home.path(), &args);
        assert_no_crash(&o, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(file) && err.contains("not a regular file"),
            "{args:?}: {err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_pack_file_linked_to_dev_zero_is_refused_by_every_command() {
    let pack = mini_pack();
    std::os::unix::fs::symlink("/dev/zero", pack.path().join("questions/zero.toml")).unwrap();
    refused_by_every_command(pack.path(), "zero.toml");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_pack_does_not_block_any_command() {
    let pack = mini_pack();
    let fifo = pack.path().join("notes/fifo.md");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    refused_by_every_command(pack.path(), "fifo.md");
}

#[cfg(unix)]
#[test]
fn metrics_refuses_dev_zero() {
    let home = tempfile::tempdir().unwrap();
    let o = run(home.path(), &["metrics", "/dev/zero"]);
    assert_no_crash(&o, &["metrics"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
}

#[test]
fn a_pack_with_zero_questions_fails_check() {
    let pack = mini_pack();
    std::fs::remove_file(pack.path().join("questions/q.toml")).unwrap();
    let home = tempfile::tempdir().unwrap();
    let o = run(
        home.path(),
        &["--pack", pack.path().to_str().unwrap(), "check"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("error[no-questions]"), "{}", stdout(&o));
}

#[test]
fn terminal_escape_codes_in_pack_text_never_reach_the_terminal() {
    let pack = mini_pack();
    let note = pack.path().join("notes/bigquery-ml.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(
        &note,
        text.replace(
            "Train and predict",
            "\u{1b}[2J\u{1b}]0;pwned\u{7}Train and predict",
        ),
    )
    .unwrap();
    let q = pack.path().join("questions/q.toml");
    let text = std::fs::read_to_string(&q).unwrap();
    std::fs::write(&q, text.replacen("A retailer", "\\u001b[2JA retailer", 1)).unwrap();
    // A file whose very name holds an escape sequence: the name is printed in reports.
    std::fs::write(pack.path().join("\u{1b}]0;title\u{7}.toml"), "").unwrap();
    let home = tempfile::tempdir().unwrap();
    let p = pack.path().to_str().unwrap();

    let o = run(home.path(), &["--pack", p, "check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("notes/bigquery-ml.md:12:1: error[control-character]"),
        "{out}"
    );
    assert!(
        out.contains("questions/q.toml:10:1: error[control-character]"),
        "{out}"
    );
    for args in [
        vec!["--pack", p, "check"],
        vec!["--pack", p, "check", "--json"],
        vec!["--pack", p, "search", "retailer"],
        vec!["--pack", p, "practice", "--count", "1"],
    ] {
        let o = run(home.path(), &args);
        assert_no_crash(&o, &args);
        for (stream, text) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
            assert!(
                !text.contains(&0x1b) && !text.contains(&0x07),
                "{args:?} {stream} holds a control character: {:?}",
                String::from_utf8_lossy(text)
            );
        }
    }
}

#[test]
fn simulate_fault_flags_are_checked_and_reach_the_simulation() {
    usage_error(&["simulate", "--mock-every", "0"], "1..=100000");
    usage_error(&["simulate", "--recall", "NaN"], "not a finite number");
    let home = tempfile::tempdir().unwrap();
    let short = ["simulate", "--learners", "1", "--max-answers", "60"];
    let args = [&short[..], &["--memorise-share", "1.5"]].concat();
    let o = run(home.path(), &args);
    assert_no_crash(&o, &args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("share of learners who memorise must be between 0 and 1"),
        "{}",
        stderr(&o)
    );
    for (flag, value, shows) in [
        ("--mislabelled-share", "0", "\"mislabelled_items\": 0,"),
        ("--exam-shift-max", "0.25", "\"exam_shift_max\": 0.25,"),
        ("--mock-every", "30", "\"mock_every\": 30,"),
    ] {
        let args = [&short[..], &[flag, value, "--json"]].concat();
        let o = run(home.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains(shows), "{args:?}: {out}");
    }
}
