//! The terminal UI on a real terminal: the `pmle` binary runs inside a detached tmux session
//! (80×24, its own tmux server socket and its own PMLE_HOME), keys are sent with
//! `tmux send-keys` and the screen is read with `tmux capture-pane`. Piped, bare `pmle`
//! keeps printing the status.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{bin, pmle, stats, stdout};

/// A tmux server of our own, killed when the test ends (pass or fail).
struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "pmle"]).stdout)
            .into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "pmle"];
        args.extend(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    /// Wait until the screen shows one of `texts`; return the screen.
    fn wait_for(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("one of {texts:?}"), |s| {
            texts.iter().any(|t| s.contains(t))
        })
    }

    /// Wait until `done` holds for the whole screen; return the screen. A capture can land
    /// while the terminal is still painting a frame (top rows new, footer old), so a test
    /// that needs two parts of one frame waits for both rather than asserting on the first.
    fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if done(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}; the screen was:\n{s}"
            );
            sleep(Duration::from_millis(100));
        }
    }

    fn alive(&self) -> bool {
        self.run(&["has-session", "-t", "pmle"]).status.success()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn require_tmux() {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "tmux is not installed: install it (apt-get install -y tmux) to run the terminal-UI smoke test"
    );
}

fn start(home: &Path) -> Tmux {
    start_with(home, &[])
}

/// `pmle ARGS` in a detached 80×24 tmux session (no ARGS: the terminal UI).
fn start_with(home: &Path, args: &[&str]) -> Tmux {
    let tmux = Tmux {
        socket: home.join("tmux.sock"),
    };
    let home_var = format!("PMLE_HOME={}", home.display());
    let started = tmux.run(
        &[
            "new-session",
            "-d",
            "-s",
            "pmle",
            "-x",
            "80",
            "-y",
            "24",
            "env",
            "-u",
            "PMLE_DB",
            home_var.as_str(),
            "TERM=xterm-256color",
            bin(),
        ]
        .into_iter()
        .chain(args.iter().copied())
        .collect::<Vec<_>>(),
    );
    assert!(
        started.status.success(),
        "tmux new-session failed: {}",
        String::from_utf8_lossy(&started.stderr)
    );
    tmux
}

#[test]
fn practice_one_question_with_the_keyboard_then_quit() {
    require_tmux();
    let home = tempfile::tempdir().expect("temp dir");
    let tmux = start(home.path());
    tmux.wait_until("the home screen", |s| {
        s.contains("Menu") && s.contains("Readiness") && s.contains("Practice")
    });

    tmux.keys(&["p"]);
    let s = tmux.wait_until("a whole question screen", |s| {
        s.contains("Why this one") && s.contains("Enter answer")
    });
    let n = (2..=4)
        .find(|n| s.contains(&format!("choose {n}")))
        .unwrap_or(1);
    for letter in ["a", "b", "c", "d"].iter().take(n) {
        tmux.keys(&[letter]);
    }
    tmux.keys(&["Enter"]);
    tmux.wait_until("the verdict and the feedback footer", |s| {
        (s.contains("Correct.") || s.contains("Not quite"))
            && s.contains("Enter/n next  b bookmark")
    });

    tmux.keys(&["q"]);
    tmux.wait_for(&["Answers: 1"]);
    tmux.keys(&["q"]);
    let start = Instant::now();
    while tmux.alive() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "pmle did not quit on q; the screen was:\n{}",
            tmux.screen()
        );
        sleep(Duration::from_millis(100));
    }

    let json = stats(home.path(), &[]);
    assert_eq!(json["progress"]["answers_total"], 1, "{json}");
}

#[test]
fn piped_bare_pmle_prints_the_status() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = pmle(home.path(), &[], "");
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("next: `pmle practice`"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no terminal escapes when piped: {text:?}"
    );
}

/// At a terminal, a line at the "keep it" prompt that is no command is asked again: `b`
/// (meant as "bookmark") never answers the next question unseen.
#[test]
fn at_a_terminal_the_keep_prompt_asks_again_for_an_unknown_line() {
    require_tmux();
    let home = tempfile::tempdir().expect("temp dir");
    let tmux = start_with(home.path(), &["practice", "--count", "2", "--seed", "1"]);
    let s = tmux.wait_for(&["Your answer", "Choose two"]);
    tmux.keys(&[if s.contains("Choose two") { "a,b" } else { "a" }, "Enter"]);
    tmux.wait_for(&["Keep it: bookmark"]);
    tmux.keys(&["b", "Enter"]);
    tmux.wait_for(&["type bookmark, flag, note TEXT"]);
    tmux.keys(&["bookmark", "Enter"]);
    tmux.wait_for(&["Bookmarked "]);
    assert_eq!(
        stats(home.path(), &[])["progress"]["answers_total"],
        1,
        "the stray `b` answered nothing"
    );
    tmux.keys(&["Enter"]);
    // The second question (its header may have scrolled off the 24 lines).
    tmux.wait_until("the second question's prompt", |s| {
        (s.contains("Your answer") || s.contains("Choose two")) && !s.contains("Bookmarked ")
    });
    tmux.keys(&["q", "Enter"]);
    let o = pmle(home.path(), &["review", "--bookmarked", "--json"], "");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("review --json");
    assert_eq!(v["count"], 1, "{}", stdout(&o));
}
