//! `pmle settings set exam_date`, and what `pmle stats` makes of it, through the real binary.
//! The binary reads the real clock, so the dates here are far from today on purpose.

mod common;

use common::*;

#[test]
fn stats_say_how_to_set_the_date_until_it_is_set() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let o = pmle(h, &["stats"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("exam date: not set"), "{out}");
    assert!(
        out.contains("pmle settings set exam_date YYYY-MM-DD"),
        "{out}"
    );
    let json = stats(h, &[]);
    assert!(json["exam_plan"]["exam_date"].is_null());
    assert!(json["exam_plan"]["plan"].is_null());
    let o = pmle(h, &["settings"], "");
    assert!(
        stdout(&o).contains("exam_date            not set"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_set_date_gives_days_left_and_a_plan_in_text_and_json() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let o = pmle(h, &["settings", "set", "exam_date", "2099-06-30"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("exam_date            2099-06-30"),
        "{}",
        stdout(&o)
    );
    let json = stats(h, &[]);
    let p = &json["exam_plan"];
    assert_eq!(p["exam_date"], "2099-06-30");
    let days = p["days_left"].as_i64().unwrap();
    assert!(days > 365 * 60, "{p}");
    let plan = &p["plan"];
    let sections = plan["sections"].as_array().unwrap();
    assert_eq!(sections.len(), json["sections"].as_array().unwrap().len());
    let new_q = plan["new_questions"].as_u64().unwrap();
    assert_eq!(new_q, 15 * sections.len() as u64);
    assert_eq!(plan["questions_per_day"], 1); // 90 questions over decades
    assert_eq!(plan["card_reviews"], 0);
    assert_eq!(plan["next_mock"]["why"], "first_one");
    assert_eq!(plan["next_mock"]["in_days"], 0);
    let text = stdout(&pmle(h, &["stats"], ""));
    assert!(text.contains("exam date: 2099-06-30"), "{text}");
    assert!(
        text.contains(&format!("{days} days left to study")),
        "{text}"
    );
    assert!(text.contains("Questions: 1 a day"), "{text}");
    assert!(text.contains("Next full mock exam: today"), "{text}");
    // Cleared with reset.
    let o = pmle(h, &["settings", "reset", "exam_date"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stats(h, &[])["exam_plan"]["exam_date"].is_null());
}

#[test]
fn a_bad_or_past_date_is_refused_with_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let o = pmle(h, &["settings", "set", "exam_date", "2001-01-01"], "");
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("is in the past") && e.contains("pmle settings reset exam_date"),
        "{e}"
    );
    let o = pmle(h, &["settings", "set", "exam_date", "31/12/2099"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("YYYY-MM-DD"), "{}", stderr(&o));
    assert!(stats(h, &[])["exam_plan"]["exam_date"].is_null());
}

#[test]
fn the_date_travels_in_the_backup() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    assert!(
        pmle(h, &["settings", "set", "exam_date", "2099-06-30"], "")
            .status
            .success()
    );
    let file = h.join("backup.json");
    let o = pmle(h, &["export", "json", file.to_str().unwrap()], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let other = tempfile::tempdir().unwrap();
    let o = pmle(
        other.path(),
        &["import", "json", file.to_str().unwrap()],
        "",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stats(other.path(), &[])["exam_plan"]["exam_date"],
        "2099-06-30"
    );
}
