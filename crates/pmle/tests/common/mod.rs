//! Helpers shared by the integration tests: run the real binary with its own data folder.
#![allow(dead_code, unreachable_pub)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

/// `pmle ARGS` with its own data directory, `stdin` piped in.
pub fn pmle(home: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pmle"))
        .args(args)
        .env("PMLE_HOME", home)
        .env_remove("PMLE_DB")
        .env_remove("PMLE_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pmle runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("pmle finishes")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stats(home: &Path, extra: &[&str]) -> Value {
    let mut args = extra.to_vec();
    args.extend(["stats", "--json"]);
    let o = pmle(home, &args, "");
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("stats --json is JSON")
}

/// Answers that fit any question: a single-select prompt takes "a" and rejects "a,b";
/// a choose-two prompt rejects "a" and takes "a,b".
pub fn answers(n: usize) -> String {
    "a\na,b\n".repeat(n * 2)
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_pmle")
}
