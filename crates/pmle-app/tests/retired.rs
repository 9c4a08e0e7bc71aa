//! Retired questions: never drawn for practice or exams, but the answers given to them stay in
//! the learner's history and figures.
#![allow(clippy::unwrap_used)]

use pmle_app::{App, ExamVariant, ManualClock, load_pack};
use pmle_content::model::Date;
use pmle_store::SqliteStore;

const START: i64 = 1_795_000_000_000;
const DAY: i64 = 86_400_000;

/// The embedded pack with the questions `retire` names marked retired.
fn app(clock: &ManualClock, retire: &dyn Fn(&str) -> bool) -> App {
    let mut pack = load_pack(
        None,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    for q in &mut pack.questions {
        q.retired = retire(&q.id);
    }
    App::new(
        pack,
        Box::new(SqliteStore::open_in_memory().unwrap()),
        Box::new(clock.clone()),
        7,
        ":memory:",
    )
}

#[test]
fn a_retired_question_is_never_drawn_but_its_answers_still_count() {
    let clock = ManualClock::new(START);
    // Retire one question, then answer it wrong: without the rule it would be the first
    // "due for review" pick once its review date passes.
    let gone = "s1-api-vision-ocr-001";
    let mut app = app(&clock, &|id| id == gone);
    assert!(app.pack().question(gone).unwrap().retired);
    let shown = app.present(gone).unwrap();
    let key = app.pack().question(gone).unwrap().correct_indexes()[0];
    let wrong = (0..shown.order.len())
        .find(|&p| shown.order[p] != key)
        .unwrap();
    let fb = app.answer(&shown, &[wrong]).unwrap();
    assert!(!fb.correct);
    clock.advance(30 * DAY);

    // Practice, overall and in its section, over many picks.
    for section in [None, Some("s1")] {
        for _ in 0..40 {
            let next = app.next_practice(section).unwrap().unwrap();
            assert_ne!(next.question_id, gone, "practice drew a retired question");
            let shown = app.present(&next.question_id).unwrap();
            app.answer(&shown, &[0]).unwrap();
            clock.advance(60_000);
        }
    }
    // Exams: full, by section, and the retry of wrong answers.
    for seed in 0..5 {
        for variant in [ExamVariant::Full, ExamVariant::Section("s1".into())] {
            let plan = app.plan_exam(&variant, seed).unwrap();
            assert!(plan.questions.iter().all(|q| q.id != gone), "exam drew it");
        }
        if let Ok(plan) = app.plan_exam(&ExamVariant::Retry, seed) {
            assert!(plan.questions.iter().all(|q| q.id != gone), "retry drew it");
        }
    }

    // History keeps it: it can still be shown, and its answer counts.
    assert_eq!(app.present(gone).unwrap().question_id, gone);
    let stats = app.stats().unwrap();
    assert_eq!(stats.progress.answers_total, 81);
    let s1 = stats.sections.iter().find(|s| s.id == "s1").unwrap();
    assert!(s1.answers >= 1);
    // Notes no longer point learners at it.
    for n in &app.pack().notes {
        let (questions, _) = app.note_links(&n.id);
        assert!(
            questions.iter().all(|(id, _)| id != gone),
            "note {} links it",
            n.id
        );
    }
    // Nor does an Anki export of the questions carry it.
    let stem_start: String = app
        .pack()
        .question(gone)
        .unwrap()
        .stem
        .chars()
        .take(40)
        .collect();
    let deck = app.anki_notes(true);
    assert!(!deck.is_empty());
    assert!(
        deck.iter().all(|n| !n.front.contains(stem_start.trim())),
        "exported to Anki"
    );
    // … but it is not counted as content a learner can still practise.
    let live = app.pack().questions.iter().filter(|q| !q.retired).count();
    assert_eq!(stats.content.questions, live);
    assert_eq!(live + 1, app.pack().questions.len());
}
