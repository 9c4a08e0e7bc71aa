//! `pmle simulate --write-responses`, `pmle items` and `pmle calibrate` through the real
//! binary, on a 160-question slice of the flagship pack: the flagged questions are the ones
//! the simulation made faulty, and the written calibration file loads with the pack.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{pmle, stderr, stdout};
use serde_json::Value;

const KEEP: [&str; 6] = [
    "s1-apis.toml",
    "s2-data.toml",
    "s3-ml-metrics.toml",
    "s4-endpoints.toml",
    "s5-kfp.toml",
    "s6-monitoring.toml",
];

/// Copy the flagship pack into `to`, keeping only the question files in `KEEP`.
fn copy_pack(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_pack(&path, &target);
        } else {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_question_file = from.ends_with("questions");
            if !is_question_file || KEEP.contains(&name.as_str()) {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
}

fn json(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn items_flag_the_faulty_questions_and_calibrate_writes_a_file_the_pack_loads() {
    let home = tempfile::tempdir().unwrap();
    let pack = home.path().join("pack");
    copy_pack(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/pmle"),
        &pack,
    );
    let pack = pack.to_str().unwrap();
    let db = home.path().join("pooled.sqlite3");
    let db = db.to_str().unwrap();

    let written = json(&pmle(
        home.path(),
        &[
            "--pack",
            pack,
            "simulate",
            "--write-responses",
            db,
            "--learners",
            "500",
            "--faulty-share",
            "0.1",
            "--json",
        ],
        "",
    ));
    let faulty: BTreeSet<String> = written["written"]["faulty"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(faulty.len(), 16);

    let items = json(&pmle(
        home.path(),
        &["--pack", pack, "--db", db, "items", "--flagged", "--json"],
        "",
    ));
    assert_eq!(items["learners"], 500);
    let flagged: BTreeSet<String> = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(flagged, faulty);

    // A second write into the same database is refused.
    let again = pmle(
        home.path(),
        &[
            "--pack",
            pack,
            "simulate",
            "--write-responses",
            db,
            "--learners",
            "5",
        ],
        "",
    );
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already holds"),
        "{}",
        stderr(&again)
    );

    // Writing needs --pack; with it, the file lands in the pack and the pack still loads.
    let refused = pmle(home.path(), &["--db", db, "calibrate", "--write"], "");
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("--pack DIR"),
        "{}",
        stderr(&refused)
    );
    let cal = json(&pmle(
        home.path(),
        &["--pack", pack, "--db", db, "calibrate", "--write", "--json"],
        "",
    ));
    assert_eq!(cal["calibration"]["fitted"].as_array().unwrap().len(), 160);
    let file = Path::new(pack).join("calibration.toml");
    assert_eq!(cal["written"], file.to_str().unwrap());
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.matches("[question.").count(), 160);
    let check = pmle(home.path(), &["--pack", pack, "check"], "");
    assert!(
        !stdout(&check).contains("calibration-"),
        "{}",
        stdout(&check)
    );
    let stats = pmle(home.path(), &["--pack", pack, "stats", "--json"], "");
    assert!(stats.status.success(), "{}", stderr(&stats));
}
