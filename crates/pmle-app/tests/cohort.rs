//! The cohort dashboard from real learners: each member is an `App` on its own in-memory
//! store, driven through practice answers, a mock exam, a flashcard review and settings,
//! and summarised at one instant.
#![allow(clippy::unwrap_used)]

mod common;

use pmle_app::{
    App, CohortDashboard, CohortRules, ExamVariant, ManualClock, MemberSummary, Rating,
    StandingError,
};

/// 2026-11-18 (UTC).
const START: i64 = 1_795_000_000_000;
const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

/// Answer each question of `ids` once, right or wrong, a minute apart.
fn answer(app: &mut App, clock: &ManualClock, ids: &[String], right: impl Fn(usize) -> bool) {
    for (i, id) in ids.iter().enumerate() {
        let shown = app.present(id).unwrap();
        let q = app.pack().question(id).unwrap();
        let key = q.correct_indexes();
        let want = right(i);
        let picked: Vec<usize> = (0..shown.order.len())
            .filter(|&p| key.contains(&shown.order[p]) == want)
            .take(q.kind.choose() as usize)
            .collect();
        assert_eq!(app.answer(&shown, &picked).unwrap().correct, want);
        clock.advance(60_000);
    }
}

/// Live question ids whose first topic is `topic`.
fn on_topic(app: &App, topic: &str) -> Vec<String> {
    app.pack()
        .questions
        .iter()
        .filter(|q| !q.retired && q.topics.first().is_some_and(|t| t == topic))
        .map(|q| q.id.clone())
        .collect()
}

/// Live question ids of section `section` whose first topic is not `topic`.
fn off_topic(app: &App, section: &str, topic: &str) -> Vec<String> {
    app.pack()
        .questions
        .iter()
        .filter(|q| !q.retired && q.section == section)
        .filter(|q| q.topics.first().is_some_and(|t| t != topic))
        .map(|q| q.id.clone())
        .collect()
}

/// The topic with the most live questions, and its section.
fn big_topic(app: &App) -> (String, String) {
    let t = app
        .pack()
        .topics
        .iter()
        .max_by_key(|t| on_topic(app, &t.id).len())
        .unwrap();
    assert!(on_topic(app, &t.id).len() >= 8, "{} has 8 questions", t.id);
    (t.id.clone(), t.section.clone())
}

#[test]
fn a_members_summary_is_what_their_own_dashboard_shows() {
    let clock = ManualClock::new(START);
    let mut app = common::app(&clock, 1);
    let empty = app.member_summary(START).unwrap();
    assert_eq!(empty.readiness.status, "not_enough_evidence");
    assert_eq!(
        (
            empty.readiness.mean,
            empty.readiness.low,
            empty.readiness.high
        ),
        (None, None, None),
        "no answer: the model gives no figure, and the summary carries none"
    );
    assert!(empty.sections.iter().all(|s| s.mastery.is_none()));
    assert!(empty.topics.is_empty());
    assert_eq!((empty.last_activity_ms, empty.answers_total), (None, 0));

    let (topic, section) = big_topic(&app);
    // Ten days before the summary: 4 right; then a flashcard review; then 4 wrong, a
    // section exam and an exam date.
    let ids = on_topic(&app, &topic);
    answer(&mut app, &clock, &ids[..4], |_| true);
    clock.advance(DAY);
    let card = app.pack().cards[0].id.clone();
    app.rate_card(&card, Rating::Good).unwrap();
    let review_at = START + 4 * 60_000 + DAY;
    clock.advance(7 * DAY);
    answer(&mut app, &clock, &ids[4..8], |_| false);
    let plan = app.plan_exam(&ExamVariant::Section(section), 7).unwrap();
    let mut s = app.start_exam(&plan).unwrap();
    let first = app.exam_item(&s, 0).unwrap();
    let q = app.pack().question(&first.question_id).unwrap();
    let key_pos: Vec<usize> = first
        .options
        .iter()
        .enumerate()
        .filter(|(_, o)| q.options.iter().any(|x| x.correct && x.text == o.text))
        .map(|(p, _)| p)
        .collect();
    app.exam_answer(&mut s, 0, &key_pos).unwrap();
    clock.advance(60_000);
    let report = app.submit_exam(&mut s, false).unwrap();
    let submitted_at = START + 8 * DAY + 9 * 60_000;
    app.set_setting("exam_date", "2026-12-20").unwrap();
    clock.advance(2 * DAY);
    let now = submitted_at + 2 * DAY;
    assert_eq!(app.now_unix_ms(), now);

    let m = app.member_summary(now).unwrap();
    let stats = app.stats().unwrap();
    // Readiness, sections and the mock exam: the learner's own figures.
    assert_eq!(m.readiness.status, stats.readiness.status);
    assert_eq!(m.readiness.mean, stats.readiness.mean);
    assert_eq!(
        (m.readiness.low, m.readiness.high),
        (stats.readiness.low, stats.readiness.high)
    );
    assert!(m.readiness.mean.is_some());
    for (a, b) in m.sections.iter().zip(&stats.sections) {
        assert_eq!(
            (&a.id, a.mastery, a.low, a.high),
            (&b.id, b.mastery, b.mastery_low, b.mastery_high)
        );
        assert_eq!(a.questions_answered, b.first_answers);
    }
    assert_eq!(m.mock_exams.len(), 1);
    assert!((m.mock_exams[0].score - report.score).abs() < 1e-12);
    assert_eq!(m.mock_exams[0].correct, 1);
    assert_eq!(m.mock_exams[0].submitted_at_ms, submitted_at);
    assert_eq!(m.mock_exams[0].date, "2026-11-26");
    // This week: the 4 wrong answers and the exam's one answer, not the 4 of ten days ago.
    assert_eq!((m.answers_last_7_days, m.answers_total), (5, 9));
    assert_eq!(m.last_answer_ms, Some(submitted_at));
    assert_eq!(m.last_activity_ms, Some(submitted_at));
    // The 2026-12-20 exam from 2026-11-28.
    assert_eq!(m.exam_date.as_deref(), Some("2026-12-20"));
    assert_eq!(m.days_to_exam, Some(22));
    assert_eq!(stats.exam_plan.days_left, Some(22));
    // The topic: 8 distinct questions, its figure the model's.
    let t = m.topics.iter().find(|t| t.id == topic).unwrap();
    assert_eq!(t.questions_answered, 8);
    let model = app.mastery().unwrap();
    let ti = app
        .pack()
        .topics
        .iter()
        .position(|x| x.id == topic)
        .unwrap();
    assert_eq!(
        (t.mastery, t.low, t.high),
        (
            model.topics[ti].p,
            model.topics[ti].low,
            model.topics[ti].high
        )
    );
    assert!(t.exam_share > 0.0 && t.exam_share < 21.0);

    // Summarised before the exam: the review is the last activity, nothing in the week
    // before it but the review's day is not an answer.
    let earlier = app.member_summary(review_at + HOUR).unwrap();
    assert_eq!(earlier.last_activity_ms, Some(review_at));
    assert_eq!(earlier.last_answer_ms, Some(START + 3 * 60_000));
    assert_eq!(earlier.answers_last_7_days, 4);

    // At a later instant, the same figures the app shows once its clock gets there.
    let later = now + 20 * DAY;
    let ahead = app.member_summary(later).unwrap();
    clock.advance(20 * DAY);
    let then = app.stats().unwrap();
    assert_eq!(ahead.readiness.mean, then.readiness.mean);
    assert_eq!(ahead.readiness.high, then.readiness.high);
    assert_ne!(
        ahead.readiness.high, m.readiness.high,
        "evidence fades with time"
    );
    assert_eq!(ahead.answers_last_7_days, 0);
    assert_eq!(ahead.days_to_exam, Some(2));
}

/// Six members at `now`: Ada and Bo weak on the big topic, Cy and Fay strong on it (Fay ten
/// days ago), Di with two answers, Ed who never started.
fn six_members() -> (Vec<(String, MemberSummary)>, i64, String, String) {
    let now = START + 10 * DAY;
    let recent = ManualClock::new(now - 2 * HOUR);
    let mut apps: Vec<(String, App)> = Vec::new();
    let new = |apps: &mut Vec<(String, App)>, name: &str, seed: u64, clock: &ManualClock| {
        apps.push((name.to_owned(), common::app(clock, seed)));
        apps.len() - 1
    };
    let ada = new(&mut apps, "Ada", 1, &recent);
    let (topic, section) = big_topic(&apps[ada].1);
    let t = on_topic(&apps[ada].1, &topic);
    let other = off_topic(&apps[ada].1, &section, &topic);
    answer(&mut apps[ada].1, &recent, &t[..4], |_| false);
    answer(&mut apps[ada].1, &recent, &other[..4], |_| true);
    apps[ada].1.set_setting("exam_date", "2026-12-01").unwrap();
    let bo = new(&mut apps, "Bo", 2, &recent);
    answer(&mut apps[bo].1, &recent, &t[2..6], |_| false);
    answer(&mut apps[bo].1, &recent, &other[..2], |_| true);
    let cy = new(&mut apps, "Cy", 3, &recent);
    answer(&mut apps[cy].1, &recent, &t[..6], |_| true);
    let di = new(&mut apps, "=SUM(A1)", 4, &recent);
    answer(&mut apps[di].1, &recent, &t[..2], |_| false);
    new(&mut apps, "Ed, \"the quiet one\"", 5, &recent);
    let old = ManualClock::new(START);
    let fay = new(&mut apps, "Fay", 6, &old);
    answer(&mut apps[fay].1, &old, &t[..6], |_| true);
    let members = apps
        .iter()
        .map(|(n, a)| (n.clone(), a.member_summary(now).unwrap()))
        .collect();
    (members, now, topic, section)
}

#[test]
fn the_dashboard_reads_the_cohort_from_real_members() {
    let (members, now, topic, section) = six_members();
    let shared = time::macros::date!(2026 - 12 - 20);
    let d = CohortDashboard::build(&members, Some(shared), now, CohortRules::default());
    assert_eq!(d.as_of, "2026-11-28");
    assert_eq!(d.days_to_shared_exam, Some(22));
    let names: Vec<&str> = d.members.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names[..2], ["Ada", "Bo"]);
    // Ada's own date wins; the others take the cohort's.
    assert_eq!(d.members[0].exam_date.as_deref(), Some("2026-12-01"));
    assert_eq!(d.members[0].days_to_exam, Some(3));
    assert_eq!(d.members[1].exam_date_source.as_deref(), Some("cohort"));
    assert_eq!(d.members[1].days_to_exam, Some(22));

    // Heat map of the topic's section: Ada 8, Bo 6, Cy 6, Fay 6 distinct questions count;
    // Di's 2 do not, nor Ed's none.
    let heat = d.heat_map.iter().find(|h| h.id == section).unwrap();
    assert_eq!((heat.members, heat.measured), (6, 4));
    let cell = |i: usize| {
        members[i]
            .1
            .sections
            .iter()
            .find(|s| s.id == section)
            .unwrap()
            .clone()
    };
    let (ada, bo, cy, fay) = (cell(0), cell(1), cell(2), cell(5));
    assert!(
        cy.mastery.unwrap() > ada.mastery.unwrap() && cy.mastery.unwrap() > bo.mastery.unwrap()
    );
    let values = [ada.mastery, bo.mastery, cy.mastery, fay.mastery].map(Option::unwrap);
    let below = values.iter().filter(|&&p| p < 0.7).count();
    assert_eq!(heat.below, below);
    assert!(
        heat.below >= 1 && heat.below <= 3,
        "Bo is below, Cy is not: {values:?}"
    );
    assert!((heat.mean.unwrap() - values.iter().sum::<f64>() / 4.0).abs() < 1e-12);
    let mut sorted = values;
    sorted.sort_by(f64::total_cmp);
    assert!((heat.median.unwrap() - (sorted[1] + sorted[2]) / 2.0).abs() < 1e-12);
    // Sections nobody practised: no figure.
    let untouched = d.heat_map.iter().find(|h| h.id != section).unwrap();
    assert_eq!((untouched.measured, untouched.mean), (0, None));

    // The big topic is the cohort's weakest: 4 measured (Di's 2 questions do not count),
    // Ada and Bo below the line, Cy and Fay not.
    let weak = d.weakest_topics.iter().find(|w| w.id == topic).unwrap();
    assert_eq!((weak.measured, weak.below), (4, 2), "{weak:?}");
    assert!(weak.clearly_below <= 2);
    assert_eq!(d.weakest_topics[0].id, topic);

    // Quiet: Fay (ten days). Never started: Ed. Di studied two hours ago.
    let quiet: Vec<(&str, i64)> = d
        .quiet
        .iter()
        .map(|q| (q.name.as_str(), q.days_since))
        .collect();
    assert_eq!(quiet, [("Fay", 9)]);
    assert_eq!(d.never_started, ["Ed, \"the quiet one\""]);
    assert!(!d.members[3].quiet);

    // No one has the evidence for a standing.
    assert_eq!(d.standing_eligible, 0);
    assert!(matches!(
        d.standing_for(2),
        Err(StandingError::NotEnoughEvidence { needed: 15, .. })
    ));

    insta::assert_snapshot!("cohort_dashboard_csv", d.to_csv());
}

/// `n` members who answered the first 15 (or `short` in the last section) live questions of
/// every section, member `k` right on question `i` when `i % 5 <= k`.
fn ranked_members(n: usize, short: Option<usize>) -> Vec<(String, MemberSummary)> {
    let now = START + DAY;
    (0..n)
        .map(|k| {
            let clock = ManualClock::new(START);
            let mut app = common::app(&clock, k as u64);
            let sections: Vec<String> = app.pack().sections.iter().map(|s| s.id.clone()).collect();
            for (si, s) in sections.iter().enumerate() {
                let take = match short {
                    Some(m) if si + 1 == sections.len() => m,
                    _ => 15,
                };
                let ids: Vec<String> = app
                    .pack()
                    .questions
                    .iter()
                    .filter(|q| !q.retired && &q.section == s)
                    .take(take)
                    .map(|q| q.id.clone())
                    .collect();
                answer(&mut app, &clock, &ids, |i| i % 5 <= k % 5);
            }
            (format!("member {k}"), app.member_summary(now).unwrap())
        })
        .collect()
}

#[test]
fn a_standing_needs_five_ranked_members_and_gives_no_names() {
    let now = START + DAY;
    let mut members = ranked_members(4, None);
    members.extend(
        ranked_members(1, Some(14))
            .into_iter()
            .map(|(_, s)| ("thin".to_owned(), s)),
    );
    let d = CohortDashboard::build(&members, None, now, CohortRules::default());
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
    let sections = members[0].1.sections.len() as u32;
    assert_eq!(
        d.standing_for(4),
        Err(StandingError::NotEnoughEvidence {
            needed: 15,
            section: sections,
            answers: 14
        })
    );
    // A fifth member with the evidence (the strongest): every ranked member gets a band.
    let mut five = ranked_members(5, None);
    five.push(members.pop().unwrap());
    let d = CohortDashboard::build(&five, None, now, CohortRules::default());
    assert_eq!(d.standing_eligible, 5);
    let means: Vec<f64> = five[..5]
        .iter()
        .map(|(_, s)| s.readiness.mean.unwrap())
        .collect();
    assert!(
        means.windows(2).all(|w| w[0] < w[1]),
        "more right, higher: {means:?}"
    );
    let top = d.standing_for(4).unwrap();
    assert_eq!((top.eligible, top.quarter, top.percentile), (5, 1, 100));
    let bottom = d.standing_for(0).unwrap();
    assert_eq!((bottom.quarter, bottom.percentile), (4, 0));
    for i in 0..5 {
        let s = d.standing_for(i).unwrap();
        assert!(!s.sentence.contains("member "), "{}", s.sentence);
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("member "), "{json}");
    }
    assert!(
        d.standing_for(5).is_err(),
        "the thin member is still not ranked"
    );
}
