use super::*;

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_000 * DAY;

/// 40 four-option questions: even ones in section 0, odd ones in section 1; four topics.
fn items() -> Vec<ItemMeta> {
    (0..40)
        .map(|i| ItemMeta {
            section: i % 2,
            topic: i % 4,
            difficulty: 2,
            options: 4,
            choose: 1,
            retired: false,
            reviewed: false,
            calibrated: None,
        })
        .collect()
}

fn obs(item: usize, day: i64, correct: bool) -> Observation {
    Observation {
        item,
        at_ms: NOW - day * DAY,
        correct,
    }
}

fn trends(observations: &[Observation], days: u32) -> Vec<SectionTrend> {
    section_trends(
        &items(),
        2,
        4,
        observations,
        NOW,
        &MasteryConfig::default(),
        &TrendConfig::for_days(days),
    )
}

#[test]
fn wilson_interval_matches_the_formula_worked_by_hand() {
    // 8 of 10, z = 1.2816: centre (0.8 + z²/20)/(1 + z²/10) = 0.7577, half-width 0.1561.
    let (p, lo, hi) = wilson80(8, 10).unwrap();
    assert_eq!(p, 0.8);
    assert!((lo - 0.6016).abs() < 1e-4, "{lo}");
    assert!((hi - 0.9138).abs() < 1e-4, "{hi}");
    // All wrong and all right keep a margin on the open side.
    let (_, lo, hi) = wilson80(0, 5).unwrap();
    assert!(lo.abs() < 1e-9 && (hi - 0.2473).abs() < 1e-4, "{hi}");
    let (_, lo, hi) = wilson80(5, 5).unwrap();
    assert!((lo - 0.7527).abs() < 1e-4 && hi <= 1.0, "{lo}");
    assert_eq!(wilson80(0, 0), None);
}

#[test]
fn points_run_weekly_from_the_window_start_to_now() {
    let t = trends(&[], 30);
    assert_eq!(t.len(), 2);
    let at: Vec<i64> = t[0].points.iter().map(|p| (NOW - p.at_ms) / DAY).collect();
    // 30 days in 4 steps of 7½ days (integer days shown).
    assert_eq!(at, vec![30, 22, 15, 7, 0]);
    assert_eq!(trends(&[], 90)[0].points.len(), 13);
    assert_eq!(t[0].then().at_ms, NOW - 30 * DAY);
    assert_eq!(t[0].now().at_ms, NOW);
}

#[test]
fn no_answers_show_no_figure_anywhere() {
    for s in trends(&[], 30) {
        assert!(
            s.points
                .iter()
                .all(|p| p.mastery.is_none() && p.questions == 0)
        );
        assert_eq!(s.window_answers, 0);
        assert_eq!(s.window_accuracy, None);
        assert_eq!(s.change, Change::TooLittleEvidence);
    }
}

#[test]
fn a_point_needs_five_distinct_questions_and_repeats_do_not_count() {
    // Section 0: four questions, each answered three times → 12 answers, 4 questions.
    let mut h: Vec<Observation> = (0..4)
        .flat_map(|q| (0..3).map(move |r| obs(q * 2, 3 + r, true)))
        .collect();
    let s = &trends(&h, 30)[0];
    assert_eq!((s.now().questions, s.now().answers), (4, 12));
    assert_eq!(s.now().mastery, None);
    // A fifth distinct question makes the figure appear.
    h.push(obs(8, 1, true));
    let s = &trends(&h, 30)[0];
    assert_eq!(s.now().questions, 5);
    assert!(s.now().mastery.is_some());
    // Section 1 stays without a figure.
    assert_eq!(trends(&h, 30)[1].now().mastery, None);
}

#[test]
fn each_point_is_the_mastery_model_at_that_instant_on_the_answers_given_by_then() {
    let h: Vec<Observation> = (0..20)
        .map(|i| obs(i * 2 % 40, 40 - i as i64 * 2, i % 3 != 0))
        .collect();
    let t = trends(&h, 30);
    for p in &t[0].points {
        let upto: Vec<Observation> = h.iter().filter(|o| o.at_ms <= p.at_ms).copied().collect();
        let m = estimate(&items(), 2, 4, &upto, p.at_ms, &MasteryConfig::default()).sections[0];
        if let Some((mean, low, high)) = p.mastery {
            assert_eq!((mean, low, high), (m.p, m.low, m.high));
        } else {
            assert!(p.questions < 5);
        }
    }
    // Now is the model now: the figure `stats` shows.
    let m = estimate(&items(), 2, 4, &h, NOW, &MasteryConfig::default()).sections[0];
    assert_eq!(t[0].now().mastery, Some((m.p, m.low, m.high)));
}

#[test]
fn a_section_that_went_from_wrong_to_right_is_up_and_the_reverse_is_down() {
    // Ten wrong answers 40–31 days ago, ten right ones on other questions in the last week.
    let wrong_then: Vec<Observation> = (0..10).map(|i| obs(i * 2, 40 - i as i64, false)).collect();
    let right_now: Vec<Observation> = (10..20)
        .map(|i| obs(i * 2, 7 - (i as i64 - 10) / 2, true))
        .collect();
    let h: Vec<Observation> = wrong_then.iter().chain(&right_now).copied().collect();
    let s = &trends(&h, 30)[0];
    let (then, now) = (s.then().mastery.unwrap(), s.now().mastery.unwrap());
    assert!(now.1 > then.2, "then {then:?} now {now:?}");
    assert_eq!(s.change, Change::Up);
    assert_eq!((s.window_answers, s.window_correct), (10, 10));

    let flipped: Vec<Observation> = h
        .iter()
        .map(|o| Observation {
            correct: !o.correct,
            ..*o
        })
        .collect();
    assert_eq!(trends(&flipped, 30)[0].change, Change::Down);
}

#[test]
fn overlapping_intervals_are_no_clear_change() {
    // Same mixed record before and inside the window: 3 of 5 right each time.
    let h: Vec<Observation> = (0..10)
        .map(|i| obs(i * 2, if i < 5 { 45 } else { 5 }, i % 5 < 3))
        .collect();
    assert_eq!(trends(&h, 30)[0].change, Change::Unclear);
}

#[test]
fn the_window_counts_answers_after_its_start_up_to_now_and_ignores_the_future() {
    let h = vec![
        obs(0, 30, true), // exactly at the start: before the window
        obs(2, 29, true), // inside
        obs(4, 0, false), // now: inside
        obs(6, -1, true), // tomorrow: not yet given
    ];
    let s = &trends(&h, 30)[0];
    assert_eq!((s.window_answers, s.window_correct), (2, 1));
    assert_eq!(s.window_accuracy, None, "2 answers are fewer than 5");
    assert_eq!(s.now().answers, 3);
    assert_eq!(s.then().answers, 1);
}
