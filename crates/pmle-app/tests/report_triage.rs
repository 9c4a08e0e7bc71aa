//! Issue 20 point 6: reports triage. A maintainer decides a report (accepted, rejected,
//! fixed in a release); the reporter sees it in the review centre and beside the question;
//! item analysis counts only reports that still count against their question; the backup
//! carries the decision; on a team server every account's reports are grouped by question.
#![allow(clippy::unwrap_used)]

mod common;

use common::app;
use pmle_app::{
    App, BUILD_VERSION, Flag, ManualClock, ReportOutcome, ReportScope, ReviewFilter, TriageChoice,
    reports_text,
};
use serde_json::Value;

const START: i64 = 1_795_000_000_000; // November 2026

fn live_ids(app: &App, n: usize) -> Vec<String> {
    app.pack()
        .questions
        .iter()
        .filter(|q| !q.retired && q.kind.choose() == 1)
        .take(n)
        .map(|q| q.id.clone())
        .collect()
}

/// The next release after this one, e.g. 0.1.0 → 0.2.0.
fn next_release() -> String {
    let mut p = BUILD_VERSION.split('.').map(|x| x.parse::<u32>().unwrap());
    let (major, minor) = (p.next().unwrap(), p.next().unwrap());
    format!("{major}.{}.0", minor + 1)
}

fn reported_flag(a: &App, id: &str) -> (Option<u32>, bool) {
    let analysis = a.item_analysis().unwrap();
    let row = analysis.items.iter().find(|r| r.id == id);
    row.map_or((None, false), |r| {
        (r.stats.reports, r.stats.flags.contains(&Flag::Reported))
    })
}

#[test]
fn a_triaged_report_shows_its_outcome_to_the_reporter() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock, 1);
    let ids = live_ids(&a, 2);
    let wrong = a
        .report_question(&ids[0], "wrong-key", Some("B is right"))
        .unwrap();
    let typo = a.report_question(&ids[0], "typo", None).unwrap();
    a.report_question(&ids[1], "unclear", None).unwrap();

    // The maintainer's list: grouped by question, the untriaged wrong-key report first.
    let groups = a.report_groups(ReportScope::Own).unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].question_id, ids[0]);
    assert_eq!(groups[0].untriaged_wrong_key, 1);
    assert_eq!(groups[0].reports.len(), 2);
    assert_eq!(groups[0].by_reason.get("typo"), Some(&1));
    assert!(groups[0].line > 0 && groups[0].file.ends_with(".toml"));
    assert_eq!(reported_flag(&a, &ids[0]), (Some(2), true));

    clock.advance(60_000);
    let v = next_release();
    let r = a
        .triage_report(
            ReportScope::Own,
            wrong.id,
            &TriageChoice::FixedIn(format!(" {v} ")),
            Some("  key corrected  "),
        )
        .unwrap();
    let t = r.triage.unwrap();
    assert_eq!(t.outcome, ReportOutcome::FixedIn(v.clone()));
    assert_eq!(t.note.as_deref(), Some("key corrected"));
    assert_eq!(t.triaged_at_ms, Some(START + 60_000));
    a.triage_report(ReportScope::Own, typo.id, &TriageChoice::Reject, None)
        .unwrap();

    // The reporter: the review centre's reported list and the question's marks.
    let listed = a.review(ReviewFilter::Reported).unwrap();
    let entry = listed.iter().find(|e| e.question_id == ids[0]).unwrap();
    let text = reports_text(&entry.marks);
    assert!(
        text.contains(&format!("wrong-key (fixed in version {v}"))
            && text.contains("update pmle to get it")
            && text.contains("key corrected")
            && text.contains("typo (rejected"),
        "{text}"
    );
    let marks = a.question_marks(&ids[1]).unwrap();
    assert_eq!(reports_text(&marks), "unclear (open)");

    // Item analysis: fixed in a release newer than this one still counts (the fix is not
    // in this pack), the rejected one does not.
    assert_eq!(reported_flag(&a, &ids[0]), (Some(1), true));
    a.triage_report(
        ReportScope::Own,
        wrong.id,
        &TriageChoice::FixedIn(BUILD_VERSION.into()),
        None,
    )
    .unwrap();
    assert_eq!(
        reported_flag(&a, &ids[0]),
        (None, false),
        "fixed in this build and rejected: no longer reported (nor listed, unanswered)"
    );
    a.triage_report(ReportScope::Own, wrong.id, &TriageChoice::Accept, None)
        .unwrap();
    assert_eq!(
        reported_flag(&a, &ids[0]),
        (Some(1), true),
        "accepted: still faulty"
    );
    // Once triaged, the group sorts after the untriaged one.
    let groups = a.report_groups(ReportScope::Own).unwrap();
    assert_eq!(groups[0].question_id, ids[1]);
}

#[test]
fn hostile_triage_input_is_refused_with_what_to_do() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock, 1);
    let id = live_ids(&a, 1).remove(0);
    let r = a.report_question(&id, "typo", None).unwrap();
    let refused = |a: &mut App, report: i64, choice: TriageChoice, note: Option<&str>| {
        a.triage_report(ReportScope::Own, report, &choice, note)
            .unwrap_err()
            .to_string()
    };
    let e = refused(&mut a, r.id + 99, TriageChoice::Accept, None);
    assert!(e.contains("no report") && e.contains("pmle reports"), "{e}");
    for bad in [
        "v1",
        "1.2",
        "1.2.3.4",
        "01.2.3",
        "1.2.3-rc1",
        "",
        "1.2.3\u{1b}[2J",
    ] {
        let e = refused(&mut a, r.id, TriageChoice::FixedIn(bad.into()), None);
        assert!(e.contains("MAJOR.MINOR.PATCH"), "{bad:?}: {e}");
        assert!(!e.contains('\u{1b}'), "no control character echoed: {e:?}");
    }
    let e = refused(&mut a, r.id, TriageChoice::Reject, Some(&"n".repeat(501)));
    assert!(e.contains("501 characters") && e.contains("500"), "{e}");
    let e = refused(&mut a, r.id, TriageChoice::Reject, Some("a\u{1b}[31mred"));
    assert!(e.contains("control character"), "{e}");
    assert!(
        a.question_reports().unwrap()[0].triage.is_none(),
        "nothing was written"
    );
    // Line breaks are text; 500 characters are allowed.
    a.triage_report(
        ReportScope::Own,
        r.id,
        &TriageChoice::Reject,
        Some(&format!("line one\n{}", "é".repeat(491))),
    )
    .unwrap();
}

#[test]
fn the_backup_carries_the_triage_and_an_older_backup_keeps_its_status() {
    let clock = ManualClock::new(START);
    let mut a = app(&clock, 1);
    let ids = live_ids(&a, 2);
    let r = a.report_question(&ids[0], "wrong-key", None).unwrap();
    a.report_question(&ids[1], "typo", None).unwrap();
    a.triage_report(
        ReportScope::Own,
        r.id,
        &TriageChoice::FixedIn("0.9.1".into()),
        Some("thanks"),
    )
    .unwrap();
    let backup = a.export_backup().unwrap();
    let text = serde_json::to_string(&backup).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema_version"], 5);
    assert_eq!(
        v["reports"][0]["triage"],
        serde_json::json!({"outcome": "fixed", "fixed_in": "0.9.1", "note": "thanks",
                           "triaged_at_ms": START})
    );
    assert_eq!(v["reports"][0]["status"], "resolved");
    assert!(v["reports"][1].get("triage").is_none(), "untriaged: no key");

    // Round trip, and a repeated import changes nothing.
    let mut b = app(&clock, 2);
    b.import_backup(&text).unwrap();
    b.import_backup(&text).unwrap();
    let mut again = b.export_backup().unwrap();
    again.exported_at_ms = backup.exported_at_ms;
    assert_eq!(again.reports, backup.reports);

    // A schema 4 file (no triage, a status only): dismissed reads as rejected, resolved as
    // accepted; a bad triage in a file is refused before anything is written.
    let mut old = v.clone();
    old["schema_version"] = 4.into();
    for r in old["reports"].as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("triage");
    }
    old["reports"][0]["status"] = "dismissed".into();
    old["reports"][1]["status"] = "resolved".into();
    let mut c = app(&clock, 3);
    c.import_backup(&old.to_string()).unwrap();
    let got = c.question_reports().unwrap();
    assert_eq!(
        got[0].triage.as_ref().map(|t| t.outcome.clone()),
        Some(ReportOutcome::Rejected)
    );
    assert_eq!(
        got[1].triage.as_ref().map(|t| t.outcome.clone()),
        Some(ReportOutcome::Accepted)
    );
    assert_eq!(got[1].triage.as_ref().unwrap().triaged_at_ms, None);

    let mut bad = v;
    bad["reports"][0]["triage"]["fixed_in"] = "next week".into();
    let mut d = app(&clock, 4);
    let e = d.import_backup(&bad.to_string()).unwrap_err().to_string();
    assert!(e.contains("MAJOR.MINOR.PATCH"), "{e}");
    assert!(d.question_reports().unwrap().is_empty());
}

mod postgres {
    use super::*;
    use pmle_app::load_pack;
    use pmle_content::model::Date;
    use pmle_store::PgPool;

    struct Schema {
        admin: ::postgres::Client,
        name: String,
        url: String,
    }

    impl Drop for Schema {
        fn drop(&mut self) {
            let _ = self
                .admin
                .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }

    fn schema(tag: &str) -> Option<Schema> {
        let Ok(base) = std::env::var("PMLE_TEST_DATABASE_URL") else {
            assert!(
                std::env::var_os("PMLE_TEST_REQUIRE_POSTGRES").is_none(),
                "PMLE_TEST_REQUIRE_POSTGRES is set but PMLE_TEST_DATABASE_URL is not"
            );
            eprintln!("skipped: set PMLE_TEST_DATABASE_URL to run the PostgreSQL tests");
            return None;
        };
        let name = format!("pmle_app_{tag}_{}", std::process::id());
        let mut admin = ::postgres::Client::connect(&base, ::postgres::NoTls).unwrap();
        admin
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            ))
            .unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{name}");
        Some(Schema { admin, name, url })
    }

    fn app_for(pool: &PgPool, user: i64, clock: &ManualClock) -> App {
        let today = Date {
            year: 2100,
            month: 1,
            day: 1,
        };
        App::new(
            load_pack(None, today).unwrap(),
            Box::new(pool.store_for(user)),
            Box::new(clock.clone()),
            user as u64,
            "postgres",
        )
    }

    #[test]
    fn two_learners_reports_group_under_one_question_and_each_sees_only_their_own() {
        let Some(pg) = schema("triage") else { return };
        let pool = PgPool::open(&pg.url, 2).unwrap();
        let clock = ManualClock::new(START);
        let (mut one, mut two) = (app_for(&pool, 1, &clock), app_for(&pool, 2, &clock));
        let mut maintainer = app_for(&pool, 0, &clock);
        let id = live_ids(&one, 1).remove(0);
        let r1 = one
            .report_question(&id, "wrong-key", Some("C is right"))
            .unwrap();
        clock.advance(1_000);
        let r2 = two.report_question(&id, "unclear", None).unwrap();

        // The learner's own view: only their report.
        assert_eq!(
            one.report_groups(ReportScope::Own).unwrap()[0]
                .reports
                .len(),
            1
        );
        let groups = maintainer.report_groups(ReportScope::Team(&pool)).unwrap();
        assert_eq!(groups.len(), 1, "{groups:?}");
        let g = &groups[0];
        assert_eq!(g.question_id, id);
        let who: Vec<(i64, Option<i64>)> = g.reports.iter().map(|r| (r.id, r.user_id)).collect();
        assert_eq!(who, vec![(r1.id, Some(1)), (r2.id, Some(2))]);
        assert_eq!((g.untriaged, g.untriaged_wrong_key), (2, 1));
        // Item analysis over the team counts both learners' reports.
        let pooled = maintainer.database_responses().unwrap();
        let analysis = maintainer.item_analysis_of_team(pooled, &pool).unwrap();
        let row = analysis.items.iter().find(|r| r.id == id).unwrap();
        assert_eq!(row.stats.reports, Some(2));

        clock.advance(1_000);
        let done = maintainer
            .triage_report(
                ReportScope::Team(&pool),
                r1.id,
                &TriageChoice::Reject,
                Some("A is right: see the docs"),
            )
            .unwrap();
        assert_eq!(done.user_id, Some(1));
        let mine = one.question_marks(&id).unwrap();
        assert!(
            reports_text(&mine).contains("rejected")
                && reports_text(&mine).contains("see the docs"),
            "{mine:?}"
        );
        let theirs = two.question_marks(&id).unwrap();
        assert_eq!(theirs.your_reports.len(), 1);
        assert!(theirs.your_reports[0].triage.is_none(), "{theirs:?}");
        // A learner's own scope cannot reach another learner's report.
        let e = two
            .triage_report(ReportScope::Own, r1.id, &TriageChoice::Accept, None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no report"), "{e}");
        let pooled = maintainer.database_responses().unwrap();
        let analysis = maintainer.item_analysis_of_team(pooled, &pool).unwrap();
        let row = analysis.items.iter().find(|r| r.id == id).unwrap();
        assert_eq!(
            row.stats.reports,
            Some(1),
            "the rejected one no longer counts"
        );
    }
}
