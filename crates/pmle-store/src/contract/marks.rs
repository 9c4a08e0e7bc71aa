//! The contract of bookmarks, practice flags, private notes and question reports, and of
//! their place in the backup (schema 4; a report's triage: schema 5).

use super::Backend;
use crate::{MarkKind, NewReport, ReportOutcome, ReportReason, ReportStatus, ReportTriage};

fn report() -> NewReport {
    NewReport {
        question_id: "q3".into(),
        reason: ReportReason::WrongKey,
        text: Some("B is right".into()),
        created_at_ms: 30,
        status: ReportStatus::Open,
        triage: None,
    }
}

pub(crate) fn marks_notes_and_reports_are_stored_and_merge_without_loss(b: &dyn Backend) {
    let mut a = b.open();
    assert!(a.set_mark("q1", MarkKind::Bookmark, true, 10).unwrap());
    assert!(
        !a.set_mark("q1", MarkKind::Bookmark, true, 11).unwrap(),
        "already set"
    );
    assert!(a.set_mark("q2", MarkKind::Flag, true, 12).unwrap());
    assert!(a.set_mark("q2", MarkKind::Flag, false, 13).unwrap());
    assert!(!a.set_mark("q2", MarkKind::Flag, false, 14).unwrap());
    let marks = a.marks().unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(
        (
            marks[0].question_id.as_str(),
            marks[0].mark,
            marks[0].created_at_ms
        ),
        ("q1", MarkKind::Bookmark, 10),
        "setting a set mark again keeps its first time"
    );
    assert!(!a.set_note("q1", Some("first"), 20).unwrap());
    assert!(a.set_note("q1", Some("second"), 21).unwrap());
    let notes = a.notes().unwrap();
    assert_eq!(notes.len(), 1, "setting replaces: {notes:?}");
    assert_eq!(notes[0].text, "second");
    let report = report();
    let id = a.add_report(&report).unwrap();
    assert_eq!(a.reports().unwrap()[0].id, id);
    assert_eq!(a.reports().unwrap()[0].report, report);
    // The database refuses what the app would refuse too.
    let long = "x".repeat(crate::MAX_NOTE_CHARS + 1);
    assert!(a.set_note("q1", Some(&long), 22).is_err());
    assert_eq!(
        a.notes().unwrap()[0].text,
        "second",
        "a refused note changes nothing"
    );

    let backup = a.export_backup().unwrap();
    assert_eq!(backup.schema_version, 5);
    assert_eq!(backup.marks.len(), 1);
    assert_eq!(backup.notes.len(), 1);
    assert_eq!(backup.reports, vec![report.clone()]);

    // Another database with its own, newer note on q1 and another report.
    let db_b = b.another();
    let mut other = db_b.open();
    other.set_note("q1", Some("mine"), 40).unwrap();
    other
        .add_report(&NewReport {
            reason: ReportReason::Typo,
            text: None,
            ..report
        })
        .unwrap();
    let sum = other.import_backup(&backup).unwrap();
    assert_eq!(sum.marks_notes_reports_added, 3);
    let notes = other.notes().unwrap();
    let texts: Vec<&str> = notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, vec!["second", "mine"], "both kept, the newest last");
    assert_eq!(other.reports().unwrap().len(), 2);
    assert_eq!(other.marks().unwrap().len(), 1);
    // Idempotent.
    let again = other.import_backup(&backup).unwrap();
    assert_eq!(again.marks_notes_reports_added, 0);
    assert_eq!(other.notes().unwrap().len(), 2);
    assert_eq!(other.reports().unwrap().len(), 2);

    // A schema 3 file has none of them and still imports.
    let mut v = serde_json::to_value(&backup).unwrap();
    v["schema_version"] = 3.into();
    for k in ["marks", "notes", "reports"] {
        v.as_object_mut().unwrap().remove(k);
    }
    let old: crate::Backup = serde_json::from_value(v).unwrap();
    let db_c = b.another();
    let mut c = db_c.open();
    c.import_backup(&old).unwrap();
    assert!(c.marks().unwrap().is_empty() && c.reports().unwrap().is_empty());
}

pub(crate) fn note_and_report_lengths_are_counted_in_characters(b: &dyn Backend) {
    let mut s = b.open();
    // Two bytes a character in UTF-8: a byte count would refuse these.
    let note = "é".repeat(crate::MAX_NOTE_CHARS);
    s.set_note("q1", Some(&note), 1).unwrap();
    assert_eq!(s.notes().unwrap()[0].text, note);
    let text = "é".repeat(crate::MAX_REPORT_CHARS);
    s.add_report(&NewReport {
        text: Some(text.clone()),
        ..report()
    })
    .unwrap();
    assert_eq!(s.reports().unwrap()[0].report.text, Some(text));
    // One more, or an empty note, is refused and leaves nothing behind.
    let too_long = NewReport {
        text: Some("x".repeat(crate::MAX_REPORT_CHARS + 1)),
        created_at_ms: 31,
        ..report()
    };
    assert!(s.add_report(&too_long).is_err());
    assert!(s.set_note("q2", Some(""), 2).is_err());
    assert_eq!(s.reports().unwrap().len(), 1);
    assert_eq!(s.notes().unwrap().len(), 1);
}

pub(crate) fn marks_notes_and_reports_read_in_a_stable_order(b: &dyn Backend) {
    let mut s = b.open();
    // Byte order of ids ("B" < "a"), and marks within a question by kind.
    for (q, m, at) in [
        ("a", MarkKind::Flag, 1),
        ("B", MarkKind::Flag, 2),
        ("a", MarkKind::Bookmark, 3),
    ] {
        s.set_mark(q, m, true, at).unwrap();
    }
    let marks: Vec<(String, MarkKind)> = s
        .marks()
        .unwrap()
        .into_iter()
        .map(|m| (m.question_id, m.mark))
        .collect();
    assert_eq!(
        marks,
        vec![
            ("B".into(), MarkKind::Flag),
            ("a".into(), MarkKind::Bookmark),
            ("a".into(), MarkKind::Flag),
        ]
    );
    // Reports oldest first, whatever order they were stored in; ids grow.
    let later = s
        .add_report(&NewReport {
            created_at_ms: 50,
            ..report()
        })
        .unwrap();
    let earlier = s
        .add_report(&NewReport {
            created_at_ms: 5,
            question_id: "q0".into(),
            ..report()
        })
        .unwrap();
    assert!(earlier > later);
    let ids: Vec<i64> = s.reports().unwrap().iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![earlier, later]);
    // A status from before triage outcomes (a backup of schema 4) keeps its meaning:
    // dismissed is rejected, at an unknown time.
    let dismissed = NewReport {
        status: ReportStatus::Dismissed,
        created_at_ms: 60,
        ..report()
    };
    s.add_report(&dismissed).unwrap();
    let stored = &s.reports().unwrap()[2].report;
    assert_eq!(stored.status, ReportStatus::Dismissed);
    assert_eq!(
        stored.triage,
        Some(ReportTriage {
            outcome: ReportOutcome::Rejected,
            note: None,
            triaged_at_ms: None,
        })
    );
}

fn fixed(version: &str, note: Option<&str>, at: i64) -> ReportTriage {
    ReportTriage {
        outcome: ReportOutcome::FixedIn(version.into()),
        note: note.map(str::to_owned),
        triaged_at_ms: Some(at),
    }
}

pub(crate) fn a_report_is_triaged_and_the_triage_travels_in_the_backup(b: &dyn Backend) {
    let mut s = b.open();
    let id = s.add_report(&report()).unwrap();
    let other = s
        .add_report(&NewReport {
            created_at_ms: 31,
            ..report()
        })
        .unwrap();
    assert_eq!(s.reports().unwrap()[0].report.triage, None, "open at first");
    s.set_report_outcome(id, &ReportOutcome::Accepted, None, 100)
        .unwrap();
    s.set_report_outcome(
        id,
        &ReportOutcome::FixedIn("0.2.0".into()),
        Some("key corrected"),
        200,
    )
    .unwrap();
    let rows = s.reports().unwrap();
    assert_eq!(
        rows[0].report.triage,
        Some(fixed("0.2.0", Some("key corrected"), 200)),
        "a later triage replaces the earlier one"
    );
    assert_eq!(rows[0].report.status, ReportStatus::Resolved);
    assert_eq!(rows[1].report.triage, None, "only that report");
    // Refused: an unknown id, a bad version, an overlong note; nothing changes.
    assert!(matches!(
        s.set_report_outcome(id + other + 1000, &ReportOutcome::Rejected, None, 300),
        Err(crate::StoreError::NoReport(_))
    ));
    for (outcome, note) in [
        (ReportOutcome::FixedIn("v2".into()), None),
        (ReportOutcome::FixedIn("0.2.0; DROP TABLE x".into()), None),
        (ReportOutcome::Rejected, Some("x".repeat(501))),
        (ReportOutcome::Rejected, Some("bell\u{7}".into())),
    ] {
        let got = s.set_report_outcome(other, &outcome, note.as_deref(), 300);
        assert!(
            matches!(got, Err(crate::StoreError::BadTriage(_))),
            "{outcome:?} {note:?}: {got:?}"
        );
    }
    assert_eq!(s.reports().unwrap()[1].report.triage, None);
    // 500 characters, counted as characters, is allowed.
    s.set_report_outcome(other, &ReportOutcome::Rejected, Some(&"é".repeat(500)), 300)
        .unwrap();

    // The backup carries the triage; importing it elsewhere restores it exactly.
    let backup = s.export_backup().unwrap();
    assert_eq!(
        backup.reports[0].triage,
        Some(fixed("0.2.0", Some("key corrected"), 200))
    );
    let cb = b.another();
    let mut c = cb.open();
    c.import_backup(&backup).unwrap();
    assert_eq!(
        c.export_backup().unwrap().reports,
        backup.reports,
        "round trip"
    );

    // Merging copies that disagree: the triaged copy wins over the untriaged one, the
    // later triage over an earlier one, and a repeated merge changes nothing.
    let db = b.another();
    let mut d = db.open();
    d.add_report(&report()).unwrap(); // the same report, untriaged here
    d.import_backup(&backup).unwrap();
    let rows = d.reports().unwrap();
    assert_eq!(rows.len(), 2, "no duplicate: {rows:?}");
    assert_eq!(
        rows[0].report.triage,
        Some(fixed("0.2.0", Some("key corrected"), 200))
    );
    let mut older = backup.clone();
    older.reports[0].triage = Some(ReportTriage {
        outcome: ReportOutcome::Rejected,
        note: None,
        triaged_at_ms: Some(150),
    });
    older.reports[0].status = ReportStatus::Dismissed;
    d.import_backup(&older).unwrap();
    assert_eq!(
        d.reports().unwrap()[0].report.triage,
        Some(fixed("0.2.0", Some("key corrected"), 200)),
        "an earlier triage does not replace a later one"
    );
    let mut untriaged = backup.clone();
    untriaged.reports[0].triage = None;
    untriaged.reports[0].status = ReportStatus::Open;
    d.import_backup(&untriaged).unwrap();
    assert_eq!(
        d.reports().unwrap()[0].report.triage,
        Some(fixed("0.2.0", Some("key corrected"), 200)),
        "an untriaged copy never undoes a triage"
    );
    let mut newer = backup;
    newer.reports[0].triage = Some(fixed("0.3.0", None, 400));
    d.import_backup(&newer).unwrap();
    let after = d.export_backup().unwrap();
    assert_eq!(after.reports[0].triage, Some(fixed("0.3.0", None, 400)));
    assert_eq!(after.reports.len(), 2);
    d.import_backup(&newer).unwrap();
    assert_eq!(
        d.export_backup().unwrap().reports,
        after.reports,
        "idempotent"
    );
}
