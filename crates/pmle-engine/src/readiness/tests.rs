use super::*;
use crate::mastery::{Belief, Mastery, MasteryConfig, MasteryModel, estimate};

fn m(p: f64, var: f64, evidence: f64) -> Mastery {
    let mean = logit(p);
    Mastery {
        belief: Belief {
            mean,
            var,
            evidence,
        },
        p,
        low: p,
        high: p,
    }
}

const O: Belief = Belief {
    mean: 0.0,
    var: 0.0,
    evidence: 0.0,
};

/// Sections with no shared overall uncertainty.
fn model(sections: &[Mastery]) -> MasteryModel {
    MasteryModel {
        overall: O,
        sections: sections.to_vec(),
        topics: Vec::new(),
    }
}

const W: [f64; 6] = [13.0, 16.0, 21.0, 20.0, 18.0, 13.0];

fn full_evidence() -> Evidence {
    Evidence {
        first_answers: vec![30; 6],
        mocks: vec![MockTaken {
            full: true,
            questions: 60,
            unseen_share: 0.9,
            ..mock()
        }],
        calibration: Calibration::default(),
    }
}

/// A fresh full mock exam of 60 questions, all new, scored 80%.
fn mock() -> MockTaken {
    MockTaken {
        full: true,
        questions: 60,
        unseen_share: 1.0,
        score: 0.8,
        age_days: 1.0,
        answers_since: 20,
    }
}

fn cfg() -> ReadinessConfig {
    ReadinessConfig::default()
}

#[test]
fn strong_learner_with_the_evidence_is_likely_ready() {
    let s = vec![m(0.92, 0.05, 30.0); 6];
    let r = predict(&model(&s), &W, 60, 0.7, &full_evidence(), &cfg(), 1);
    assert!(r.low <= r.mean && r.mean <= r.high);
    assert!(r.missing.is_empty(), "{:?}", r.missing);
    assert_eq!(r.verdict, Verdict::LikelyReady);
    assert!(r.p_pass > 0.9 && r.p_pass <= 0.99, "{}", r.p_pass);
}

#[test]
fn strong_learner_without_a_mock_exam_is_told_to_take_one() {
    let s = vec![m(0.92, 0.05, 30.0); 6];
    let mut e = full_evidence();
    e.mocks.clear();
    let r = predict(&model(&s), &W, 60, 0.7, &e, &cfg(), 1);
    assert_eq!(r.verdict, Verdict::NotEnoughEvidence);
    assert_eq!(r.missing, vec![Missing::FullMockExam]);
}

#[test]
fn a_mock_on_seen_questions_or_a_short_one_does_not_count() {
    let s = vec![m(0.92, 0.05, 30.0); 6];
    for mock in [
        MockTaken {
            full: true,
            questions: 60,
            unseen_share: 0.5,
            ..mock()
        },
        MockTaken {
            full: true,
            questions: 20,
            unseen_share: 1.0,
            ..mock()
        },
        MockTaken {
            full: false,
            questions: 60,
            unseen_share: 1.0,
            ..mock()
        },
    ] {
        let mut e = full_evidence();
        e.mocks = vec![mock];
        let r = predict(&model(&s), &W, 60, 0.7, &e, &cfg(), 1);
        assert_eq!(r.missing, vec![Missing::FullMockExam], "{mock:?}");
        assert_ne!(r.verdict, Verdict::LikelyReady);
    }
}

#[test]
fn a_mock_exam_goes_stale_with_time_or_further_answers() {
    let s = vec![m(0.92, 0.05, 30.0); 6];
    for stale in [
        MockTaken {
            age_days: 31.0,
            ..mock()
        },
        MockTaken {
            answers_since: 301,
            ..mock()
        },
    ] {
        let mut e = full_evidence();
        e.mocks = vec![stale];
        let r = predict(&model(&s), &W, 60, 0.7, &e, &cfg(), 1);
        assert_eq!(r.missing, vec![Missing::FullMockExam], "{stale:?}");
        assert_eq!(r.verdict, Verdict::NotEnoughEvidence);
        assert!(r.p_pass <= 0.9, "capped again: {r:?}");
    }
    // Still fresh at the limits.
    let mut e = full_evidence();
    e.mocks = vec![MockTaken {
        age_days: 30.0,
        answers_since: 300,
        ..mock()
    }];
    let r = predict(&model(&s), &W, 60, 0.7, &e, &cfg(), 1);
    assert_eq!(r.verdict, Verdict::LikelyReady);
}

#[test]
fn the_latest_qualifying_mock_must_reach_the_target() {
    let s = vec![m(0.92, 0.05, 30.0); 6];
    let mut e = full_evidence();
    // An older mock scored well; the latest qualifying one (a later one on seen questions
    // does not qualify and is passed over) scored 64%.
    e.mocks = vec![
        MockTaken {
            score: 0.9,
            answers_since: 200,
            ..mock()
        },
        MockTaken {
            score: 0.64,
            answers_since: 100,
            ..mock()
        },
        MockTaken {
            unseen_share: 0.2,
            score: 0.95,
            answers_since: 0,
            ..mock()
        },
    ];
    let r = predict(&model(&s), &W, 60, 0.7, &e, &cfg(), 1);
    assert_eq!(r.missing, vec![Missing::MockBelowTarget { percent: 64 }]);
    assert_eq!(
        r.verdict,
        Verdict::Borderline,
        "the estimate clears the target: {r:?}"
    );
    // Reaching the target on that mock is enough.
    e.mocks[1].score = 0.7;
    let r = predict(&model(&s), &W, 60, 0.7, &e, &cfg(), 1);
    assert_eq!(r.verdict, Verdict::LikelyReady);
}

#[test]
fn a_thin_section_is_named() {
    let s = vec![m(0.92, 0.05, 30.0); 6];
    let mut e = full_evidence();
    e.first_answers[3] = 6;
    let r = predict(&model(&s), &W, 60, 0.7, &e, &cfg(), 1);
    assert_eq!(
        r.missing,
        vec![Missing::SectionAnswers {
            section: 3,
            answers: 6,
            needed: 15
        }]
    );
    assert_eq!(r.verdict, Verdict::NotEnoughEvidence);
}

#[test]
fn the_exam_gap_widens_the_interval_and_a_mock_shrinks_it_only_partly() {
    let s = vec![m(0.8, 0.02, 60.0); 6];
    let none = ReadinessConfig {
        bank_gap_sd: 0.0,
        conditions_gap_sd: 0.0,
        conditions_gap_sd_after_mock: 0.0,
        ..cfg()
    };
    let mut practice_only = full_evidence();
    practice_only.mocks.clear();
    let without_gap = predict(&model(&s), &W, 60, 0.7, &practice_only, &none, 3);
    let before = predict(&model(&s), &W, 60, 0.7, &practice_only, &cfg(), 3);
    let after = predict(&model(&s), &W, 60, 0.7, &full_evidence(), &cfg(), 3);
    let width = |r: &Readiness| r.high - r.low;
    assert!(
        width(&before) > width(&without_gap) + 0.03,
        "{before:?} {without_gap:?}"
    );
    assert!(width(&after) < width(&before), "{after:?} {before:?}");
    assert!(
        width(&after) > width(&without_gap) + 0.02,
        "the bank gap stays"
    );
    assert!(after.gap_sd >= cfg().bank_gap_sd);
}

#[test]
fn p_pass_is_never_zero_or_one() {
    let strong = vec![m(0.999, 0.0001, 500.0); 6];
    let weak = vec![m(0.2, 0.0001, 500.0); 6];
    let r = predict(&model(&strong), &W, 60, 0.7, &full_evidence(), &cfg(), 1);
    assert_eq!(r.p_pass, 0.99);
    let r = predict(&model(&weak), &W, 60, 0.7, &full_evidence(), &cfg(), 1);
    assert_eq!(r.p_pass, 0.01);
}

#[test]
fn weak_heavy_section_is_named() {
    let mut s = vec![m(0.85, 0.05, 30.0); 6];
    s[2] = m(0.4, 0.05, 30.0);
    let r = predict(&model(&s), &W, 60, 0.7, &full_evidence(), &cfg(), 1);
    assert_eq!(r.weakest, Some(2));
}

#[test]
fn no_answers_is_not_enough_evidence_and_unmeasured() {
    let s = vec![m(0.6, 1.0, 0.0); 6];
    let r = predict(&model(&s), &W, 60, 0.7, &Evidence::default(), &cfg(), 1);
    assert_eq!(r.verdict, Verdict::NotEnoughEvidence);
    assert!(!r.measured);
    assert_eq!(r.coverage, 0.0);
    assert!(r.high - r.low > 0.2, "wide band: {r:?}");
}

#[test]
fn calibration_moves_the_estimate_down() {
    let s = vec![m(0.8, 0.05, 30.0); 6];
    let e = full_evidence();
    let mut missed = full_evidence();
    missed.calibration = calibrate(
        &[PredictionCheck {
            predicted: 0.8,
            low: 0.72,
            high: 0.88,
            actual: 0.6,
            questions: 60,
        }; 3],
    );
    let a = predict(&model(&s), &W, 60, 0.7, &e, &cfg(), 1);
    let b = predict(&model(&s), &W, 60, 0.7, &missed, &cfg(), 1);
    assert!(b.mean < a.mean - 0.02, "{} vs {}", b.mean, a.mean);
    assert!(b.high - b.low > a.high - a.low);
    assert!(b.p_pass < a.p_pass);
}

#[test]
fn deterministic_for_a_seed() {
    let s = vec![m(0.7, 0.3, 10.0); 6];
    let e = full_evidence();
    assert_eq!(
        predict(&model(&s), &W, 60, 0.7, &e, &cfg(), 5),
        predict(&model(&s), &W, 60, 0.7, &e, &cfg(), 5)
    );
}

fn items() -> Vec<ItemMeta> {
    (0..120)
        .map(|i| ItemMeta {
            section: i % 6,
            topic: i % 12,
            difficulty: (i % 3) as u8 + 1,
            options: 4,
            choose: 1,
            retired: false,
            reviewed: false,
            calibrated: None,
        })
        .collect()
}

#[test]
fn first_answers_count_each_question_once() {
    let it = items();
    let obs: Vec<Observation> = [0, 0, 0, 6, 1]
        .iter()
        .enumerate()
        .map(|(k, &item)| Observation {
            item,
            at_ms: k as i64,
            correct: true,
        })
        .collect();
    assert_eq!(first_answers(&it, 6, &obs), vec![2, 1, 0, 0, 0, 0]);
    let seen = first_seen(it.len(), &obs);
    assert_eq!(seen[0], Some(0));
    assert_eq!(seen[6], Some(3));
    assert_eq!(unseen_share(&[0, 2, 6, 7], &seen, 2), 0.75);
    assert_eq!(unseen_share(&[0, 2, 6, 7], &seen, 100), 0.5);
}

#[test]
fn forty_five_right_answers_without_a_mock_are_not_ready_nor_sure() {
    // Each of 45 questions answered right once, spread over the sections: the estimate is
    // high, but the verdict waits for a mock exam and enough answers per section, and the
    // exam gap keeps P(pass) from claiming near-certainty.
    let it = items();
    let obs: Vec<Observation> = (0..45)
        .map(|k| Observation {
            item: k,
            at_ms: k as i64 * 60_000,
            correct: true,
        })
        .collect();
    let mastery = estimate(&it, 6, 12, &obs, 45 * 60_000, &MasteryConfig::default());
    let e = Evidence {
        first_answers: first_answers(&it, 6, &obs),
        mocks: vec![],
        calibration: Calibration::default(),
    };
    let r = predict(&mastery, &W, 60, 0.7, &e, &cfg(), 7);
    assert_ne!(r.verdict, Verdict::LikelyReady);
    assert!(r.p_pass <= 0.9, "{r:?}");
    assert!(r.missing.contains(&Missing::FullMockExam));
    assert!(r.p_pass_capped, "the model alone would claim more: {r:?}");
}

#[test]
fn exam_prediction_tracks_the_mastery_and_holds_its_interval() {
    let it = items();
    let exam: Vec<usize> = (0..60).collect();
    let obs: Vec<Observation> = (60..120)
        .map(|k| Observation {
            item: k,
            at_ms: 0,
            correct: k % 4 != 0,
        })
        .collect();
    let mastery = estimate(&it, 6, 12, &obs, 0, &MasteryConfig::default());
    let p = predict_exam(&it, &exam, &mastery, 0.5, &Calibration::default(), 1);
    assert!(p.low < p.mean && p.mean < p.high, "{p:?}");
    assert!((0.55..0.85).contains(&p.mean), "{p:?}");
    let shifted = predict_exam(
        &it,
        &exam,
        &mastery,
        0.5,
        &Calibration {
            shift: -0.5,
            extra_sd: 0.5,
            checks: 3,
        },
        1,
    );
    assert!(shifted.mean < p.mean - 0.03);
}

#[test]
fn a_fresh_mock_is_possible_until_the_bank_is_used_up() {
    let it = items(); // 120 questions, 20 per section
    let mut answered = vec![false; it.len()];
    assert!(fresh_mock_possible(&it, &answered, &W, 60, &cfg()));
    // Too short an exam never qualifies.
    assert!(!fresh_mock_possible(&it, &answered, &W, 40, &cfg()));
    // Three quarters of every section answered: 5 new per section cannot fill 45 of 60
    // seats. (Item i is the (i / 6)-th question of section i % 6.)
    for (i, a) in answered.iter_mut().enumerate() {
        *a = (i / 6) % 4 != 0;
    }
    assert!(!fresh_mock_possible(&it, &answered, &W, 60, &cfg()));
    // A quarter answered: 15 new per section, and seats of 8–13 each, fill every seat.
    for (i, a) in answered.iter_mut().enumerate() {
        *a = (i / 6) % 4 == 0;
    }
    assert!(fresh_mock_possible(&it, &answered, &W, 60, &cfg()));
}
