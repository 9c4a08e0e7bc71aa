//! Every lab runs from the command line with JSON and SVG output, is deterministic, and
//! points at questions and notes that exist in the embedded pack.

mod common;

use std::collections::HashSet;

use common::*;
use pmle_content::PackSource;
use pmle_content::model::Date;
use serde_json::Value;

#[test]
fn every_lab_runs_deterministically_and_links_to_real_content() {
    let home = tempfile::tempdir().unwrap();
    let pack = pmle_content::load(
        &PackSource::embedded(),
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    let questions: HashSet<&str> = pack.questions.iter().map(|q| q.id.as_str()).collect();
    let notes: HashSet<&str> = pack.notes.iter().map(|n| n.id.as_str()).collect();
    let o = pmle(home.path(), &["lab", "list", "--json"], "");
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!ids.is_empty());
    for id in &ids {
        let svg = home.path().join(format!("{id}.svg"));
        let run = |seed: &str| {
            let o = pmle(
                home.path(),
                &[
                    "lab",
                    "run",
                    id,
                    "--seed",
                    seed,
                    "--json",
                    "--svg",
                    svg.to_str().unwrap(),
                ],
                "",
            );
            assert!(o.status.success(), "{id}: {}", stderr(&o));
            let mut v: Value = serde_json::from_slice(&o.stdout).unwrap();
            v["millis"] = Value::Null;
            v
        };
        let a = run("7");
        assert_eq!(a, run("7"), "{id} is not deterministic for a seed");
        assert!(!a["headline"].as_str().unwrap().is_empty());
        assert!(
            std::fs::read_to_string(&svg).unwrap().starts_with("<svg"),
            "{id}: no SVG"
        );
        for q in a["questions"].as_array().unwrap() {
            assert!(
                questions.contains(q.as_str().unwrap()),
                "{id} links to unknown question {q}"
            );
        }
        for n in a["notes"].as_array().unwrap() {
            assert!(
                notes.contains(n.as_str().unwrap()),
                "{id} links to unknown note {n}"
            );
        }
    }
    let o = pmle(home.path(), &["lab", "run", "no-such-lab"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("pmle lab list"));
}
