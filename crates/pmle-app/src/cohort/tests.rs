//! The cohort rules on hand-made summaries (the integration tests in tests/cohort.rs drive
//! real apps): the heat map's counts, the weakest-topic rule, the standing's refusal and
//! bands, and the CSV's quoting.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use super::*;
use crate::stats::{CalibrationStats, ReadinessStats};

const NOW: i64 = 1_796_000_000_000;

fn readiness(fig: Option<(f64, f64, f64)>) -> ReadinessStats {
    ReadinessStats {
        mean: fig.map(|f| f.0),
        low: fig.map(|f| f.1),
        high: fig.map(|f| f.2),
        target: 0.7,
        p_pass: fig.map(|_| 0.5),
        p_pass_capped: false,
        coverage: 1.0,
        status: "not_ready".to_owned(),
        verdict: String::new(),
        weakest_section: None,
        missing: Vec::new(),
        full_mock_taken: false,
        exam_gap_sd: 0.9,
        calibration: CalibrationStats {
            shift: 0.0,
            extra_sd: 0.0,
            checks: 0,
        },
        mock_exams: Vec::new(),
    }
}

/// A member with `answered` questions in each of two sections, section masteries `m`
/// (interval ±0.1), readiness `r` (interval ±0.08) and topic `t1` at `t`.
fn member(answered: u32, m: f64, r: Option<f64>, topic: Option<(u32, f64)>) -> MemberSummary {
    let section = |n: u32| MemberSection {
        id: format!("s{n}"),
        number: n,
        title: format!("Section {n}"),
        weight: 50.0,
        questions_answered: answered,
        mastery: (answered > 0).then_some(m),
        low: (answered > 0).then_some(m - 0.1),
        high: (answered > 0).then_some(m + 0.1),
    };
    MemberSummary {
        as_of_ms: NOW,
        readiness: readiness(r.map(|r| (r, r - 0.08, r + 0.08))),
        questions_answered: 2 * answered as usize,
        sections: vec![section(1), section(2)],
        topics: topic
            .map(|(n, p)| MemberTopic {
                id: "t1".to_owned(),
                title: "Topic one".to_owned(),
                section_number: 1,
                exam_share: 10.0,
                questions_answered: n,
                mastery: p,
                low: p - 0.1,
                high: p + 0.1,
            })
            .into_iter()
            .collect(),
        answers_last_7_days: 0,
        answers_total: 2 * u64::from(answered),
        mock_exams: Vec::new(),
        exam_date: None,
        days_to_exam: None,
        last_activity_ms: (answered > 0).then_some(NOW - 3_600_000),
        last_answer_ms: (answered > 0).then_some(NOW - 3_600_000),
    }
}

fn named(ms: Vec<MemberSummary>) -> Vec<(String, MemberSummary)> {
    ms.into_iter()
        .enumerate()
        .map(|(i, m)| (format!("member {i}"), m))
        .collect()
}

fn build(ms: Vec<MemberSummary>) -> CohortDashboard {
    CohortDashboard::build(&named(ms), None, NOW, CohortRules::default())
}

#[test]
fn the_heat_map_counts_only_members_with_enough_evidence() {
    let d = build(vec![
        member(5, 0.50, None, None),
        member(6, 0.80, None, None),
        member(9, 0.65, None, None),
        // Four questions: below the rule of five, left out even though it is the lowest.
        member(4, 0.10, None, None),
        member(0, 0.0, None, None),
    ]);
    let s1 = &d.heat_map[0];
    assert_eq!((s1.members, s1.measured), (5, 3));
    assert!((s1.mean.unwrap() - (0.50 + 0.80 + 0.65) / 3.0).abs() < 1e-12);
    assert_eq!(s1.median, Some(0.65));
    // Below 70%: 0.50 and 0.65; clearly below (upper bound under 70%): only 0.50 (0.60).
    assert_eq!((s1.below, s1.clearly_below), (2, 1));
    // An even count takes the middle two.
    let d = build(vec![member(5, 0.4, None, None), member(5, 0.6, None, None)]);
    assert!((d.heat_map[1].median.unwrap() - 0.5).abs() < 1e-12);
    // Nobody measured: no figure at all, not 0.
    let d = build(vec![member(2, 0.4, None, None)]);
    assert_eq!((d.heat_map[0].mean, d.heat_map[0].median), (None, None));
}

#[test]
fn a_topic_is_named_weak_only_with_enough_measured_members() {
    // Two members below the line with 3 questions each, one with only 2 questions:
    // two measured members are fewer than the 3 the rule needs.
    let two = build(vec![
        member(5, 0.5, None, Some((3, 0.3))),
        member(5, 0.5, None, Some((3, 0.4))),
        member(5, 0.5, None, Some((2, 0.2))),
    ]);
    assert!(two.weakest_topics.is_empty(), "{:?}", two.weakest_topics);
    let three = build(vec![
        member(5, 0.5, None, Some((3, 0.3))),
        member(5, 0.5, None, Some((3, 0.4))),
        member(5, 0.5, None, Some((4, 0.9))),
    ]);
    let t = &three.weakest_topics[0];
    assert_eq!((t.measured, t.below, t.clearly_below), (3, 2, 2));
    assert!((t.score - 2.0 / 3.0 * 10.0).abs() < 1e-12);
    assert!((t.mean - (0.3 + 0.4 + 0.9) / 3.0).abs() < 1e-12);
    // Everyone above the line: not a weak topic.
    let fine = build(vec![
        member(5, 0.5, None, Some((3, 0.8))),
        member(5, 0.5, None, Some((3, 0.9))),
        member(5, 0.5, None, Some((3, 0.75))),
    ]);
    assert!(fine.weakest_topics.is_empty());
}

#[test]
fn weakest_topics_rank_by_share_below_times_exam_share() {
    let mut ms = Vec::new();
    for p in [0.3, 0.4, 0.9] {
        // t1: 2 of 3 below, exam share 10 → 6.67.
        let mut m = member(5, 0.5, None, Some((3, p)));
        // t2: 3 of 3 below, exam share 5 → 5.
        let mut t2 = m.topics[0].clone();
        t2.id = "t2".to_owned();
        t2.exam_share = 5.0;
        t2.mastery = 0.2;
        t2.high = 0.3;
        m.topics.push(t2);
        ms.push(m);
    }
    let d = build(ms);
    let ids: Vec<&str> = d.weakest_topics.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["t1", "t2"]);
}

#[test]
fn quiet_members_and_never_started_ones_are_listed_apart() {
    let mut quiet = member(5, 0.5, None, None);
    quiet.last_activity_ms = Some(NOW - 7 * 86_400_000);
    let mut nearly = member(5, 0.5, None, None);
    nearly.last_activity_ms = Some(NOW - 7 * 86_400_000 + 1);
    let mut quieter = member(5, 0.5, None, None);
    quieter.last_activity_ms = Some(NOW - 20 * 86_400_000);
    let never = member(0, 0.0, None, None);
    let d = build(vec![quiet, nearly, never, quieter]);
    let names: Vec<(&str, i64)> = d
        .quiet
        .iter()
        .map(|q| (q.name.as_str(), q.days_since))
        .collect();
    assert_eq!(names, [("member 3", 20), ("member 0", 7)]);
    assert_eq!(d.never_started, ["member 2"]);
    assert!(!d.members[2].quiet && !d.members[1].quiet);
}

#[test]
fn days_to_the_exam_use_the_members_own_date_before_the_cohorts() {
    let mut own = member(5, 0.5, None, None);
    own.exam_date = Some("2026-12-01".to_owned());
    own.days_to_exam = Some(3);
    let d = CohortDashboard::build(
        &named(vec![own, member(5, 0.5, None, None)]),
        Some(time::macros::date!(2027 - 01 - 31)),
        NOW,
        CohortRules::default(),
    );
    // NOW is 2026-11-30 (UTC): 62 days to 2027-01-31.
    assert_eq!(d.as_of, "2026-11-30");
    assert_eq!(d.days_to_shared_exam, Some(62));
    assert_eq!(d.shared_exam_date.as_deref(), Some("2027-01-31"));
    assert_eq!(d.members[0].exam_date_source.as_deref(), Some("own"));
    assert_eq!(d.members[0].days_to_exam, Some(3));
    assert_eq!(d.members[1].exam_date_source.as_deref(), Some("cohort"));
    assert_eq!(d.members[1].days_to_exam, Some(62));
}

#[test]
fn a_standing_is_refused_under_five_ranked_members_and_banded_from_five() {
    let ranked = |r: f64| member(15, 0.6, Some(r), None);
    // Four ranked members and one without enough evidence: refused for everyone.
    let mut ms: Vec<MemberSummary> = [0.5, 0.6, 0.7, 0.8].into_iter().map(ranked).collect();
    ms.push(member(14, 0.6, Some(0.9), None));
    let d = build(ms.clone());
    assert_eq!(d.standing_eligible, 4);
    for i in 0..4 {
        assert_eq!(
            d.standing_for(i),
            Err(StandingError::TooFewMembers {
                eligible: 4,
                needed: 5
            })
        );
    }
    assert_eq!(
        d.standing_for(4),
        Err(StandingError::NotEnoughEvidence {
            needed: 15,
            section: 1,
            answers: 14
        })
    );
    assert_eq!(d.standing_for(9), Err(StandingError::NoSuchMember(9)));
    // A fifth ranked member: now every ranked member gets a band.
    ms.push(ranked(0.9));
    let d = build(ms);
    assert_eq!(d.standing_eligible, 5);
    let top = d.standing_for(5).unwrap();
    assert_eq!((top.quarter, top.percentile, top.eligible), (1, 100, 5));
    // ±0.08 intervals: 0.9's (0.82–0.98) is wholly above those of 0.5, 0.6 and 0.7 (highs
    // 0.58, 0.68, 0.78) but overlaps 0.8's (0.72–0.88).
    assert_eq!((top.clearly_above, top.clearly_below), (0, 3));
    let bottom = d.standing_for(0).unwrap();
    assert_eq!((bottom.quarter, bottom.percentile), (4, 0));
    assert_eq!(bottom.band, "bottom quarter");
    let middle = d.standing_for(2).unwrap();
    assert_eq!((middle.quarter, middle.percentile), (2, 50));
    // No name and no other member's figure in what a learner sees.
    for s in [&top, &bottom, &middle] {
        assert!(!s.sentence.contains("member "), "{}", s.sentence);
        assert!(!s.sentence.contains("0.5") && !s.sentence.contains("50%)"));
    }
}

#[test]
fn the_csv_neutralises_formulas_and_quotes_as_rfc_4180_asks() {
    assert_eq!(
        neutralise_formula("=HYPERLINK(\"x\")"),
        "'=HYPERLINK(\"x\")"
    );
    for bad in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
        assert!(neutralise_formula(bad).starts_with('\''), "{bad:?}");
    }
    assert_eq!(neutralise_formula("Ada"), "Ada");
    assert_eq!(neutralise_formula("a=b"), "a=b");
    assert_eq!(csv_cell("plain"), "plain");
    assert_eq!(csv_cell("a,b"), "\"a,b\"");
    assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
    let mut m = member(5, 0.5, Some(0.6), None);
    m.days_to_exam = Some(-3);
    m.exam_date = Some("2026-11-27".to_owned());
    let d = CohortDashboard::build(
        &[
            ("=cmd|' /C calc'!A0".to_owned(), m.clone()),
            ("Smith, \"Jo\"".to_owned(), m),
        ],
        None,
        NOW,
        CohortRules::default(),
    );
    let csv = d.to_csv();
    let rows = parse_csv(&csv);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][..FIXED_COLUMNS.len()], FIXED_COLUMNS);
    assert_eq!(rows[0].len(), FIXED_COLUMNS.len() + 2 * 4);
    assert_eq!(rows[1][0], "'=cmd|' /C calc'!A0");
    assert_eq!(rows[2][0], "Smith, \"Jo\"");
    // pmle's own negative number is a number, not neutralised.
    let days = FIXED_COLUMNS
        .iter()
        .position(|c| *c == "days_to_exam")
        .unwrap();
    assert_eq!(rows[1][days], "-3");
    assert!(csv.ends_with("\r\n"));
}

/// A plain RFC 4180 reader, written apart from the writer, to read back what it wrote.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quote");
    assert!(
        field.is_empty() && row.is_empty(),
        "no CRLF after the last row"
    );
    rows
}

proptest! {
    /// Any names, however hostile, come back from the CSV as written (after the apostrophe
    /// for a formula), one row each, the header's width.
    #[test]
    fn names_round_trip_through_the_csv(names in prop::collection::vec(any::<String>(), 1..6)) {
        let m = member(5, 0.5, Some(0.6), None);
        let members: Vec<(String, MemberSummary)> =
            names.iter().map(|n| (n.clone(), m.clone())).collect();
        let d = CohortDashboard::build(&members, None, NOW, CohortRules::default());
        let rows = parse_csv(&d.to_csv());
        prop_assert_eq!(rows.len(), names.len() + 1);
        for (row, name) in rows[1..].iter().zip(&names) {
            prop_assert_eq!(row.len(), rows[0].len());
            prop_assert_eq!(&row[0], &neutralise_formula(name).into_owned());
            prop_assert!(!row[0].starts_with(['=', '+', '-', '@', '\t', '\r']));
        }
    }
}

#[test]
fn the_rules_in_words_name_their_thresholds() {
    let rules = CohortRules {
        section_min_questions: 6,
        quiet_days: 9,
        standing_min_members: 7,
        ..CohortRules::default()
    };
    let text = rules.sentences().join(" ");
    for part in [
        "answered 6 different questions",
        "the 70% line",
        "in 9 days",
        "when 7 or more members have 15 first-time answers",
        "Google publishes no pass mark",
    ] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
}
