use super::*;
use proptest::prelude::*;

const DAY: i64 = 86_400_000;

fn items() -> Vec<ItemMeta> {
    (0..40)
        .map(|i| ItemMeta {
            section: i % 2,
            topic: i % 4,
            difficulty: (i % 3) as u8 + 1,
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
        at_ms: day * DAY,
        correct,
    }
}

#[test]
fn no_evidence_gives_the_prior_with_wide_uncertainty() {
    let m = estimate(&items(), 2, 4, &[], 0, &MasteryConfig::default());
    let s = m.sections[0];
    // A prior ability near average plus a ¼ chance of guessing a 4-option question.
    assert!((0.55..0.75).contains(&s.p), "{}", s.p);
    assert!(s.high - s.low > 0.3, "{s:?}");
    assert_eq!(s.belief.evidence, 0.0);
}

#[test]
fn right_answers_raise_a_section_and_narrow_it() {
    let right: Vec<Observation> = (0..20).map(|i| obs(i * 2, 10, true)).collect();
    let m = estimate(&items(), 2, 4, &right, 10 * DAY, &MasteryConfig::default());
    let (s0, s1) = (m.sections[0], m.sections[1]);
    assert!(s0.p > 0.85, "{}", s0.p);
    assert!(s0.p > s1.p, "the practised section is ahead");
    assert!(
        s0.high - s0.low < s1.high - s1.low,
        "more evidence, narrower band"
    );
}

#[test]
fn wrong_answers_lower_a_section() {
    let wrong: Vec<Observation> = (0..20).map(|i| obs(i * 2, 10, false)).collect();
    let m = estimate(&items(), 2, 4, &wrong, 10 * DAY, &MasteryConfig::default());
    // Twenty misses: close to the guessing floor of ¼, never below it.
    assert!(
        (0.25..0.33).contains(&m.sections[0].p),
        "{}",
        m.sections[0].p
    );
}

#[test]
fn old_evidence_fades_toward_the_prior() {
    let right: Vec<Observation> = (0..20).map(|i| obs(i * 2, 0, true)).collect();
    let cfg = MasteryConfig::default();
    let fresh = estimate(&items(), 2, 4, &right, 0, &cfg).sections[0];
    let old = estimate(&items(), 2, 4, &right, 365 * DAY, &cfg).sections[0];
    assert!(old.p < fresh.p);
    assert!(old.belief.var > fresh.belief.var);
}

#[test]
fn hard_questions_right_count_for_more_than_easy_ones() {
    // Items 0, 3, 6 … have difficulty 1; 2, 5, 8 … difficulty 3.
    let easy: Vec<Observation> = (0..10).map(|i| obs(i * 6, 1, true)).collect();
    let hard: Vec<Observation> = (0..10).map(|i| obs(i * 6 + 2, 1, true)).collect();
    let cfg = MasteryConfig::default();
    let a = estimate(&items(), 2, 4, &easy, DAY, &cfg).sections[0];
    let b = estimate(&items(), 2, 4, &hard, DAY, &cfg).sections[0];
    assert!(b.p > a.p, "{} vs {}", b.p, a.p);
}

proptest! {
    #[test]
    fn estimates_are_probabilities_with_ordered_bands(
        answers in prop::collection::vec((0usize..40, 0i64..100, any::<bool>()), 0..200)
    ) {
        let o: Vec<Observation> = answers.iter().map(|&(i, d, c)| obs(i, d, c)).collect();
        let m = estimate(&items(), 2, 4, &o, 100 * DAY, &MasteryConfig::default());
        for s in m.sections.iter().chain(&m.topics) {
            prop_assert!(s.p.is_finite() && (0.0..=1.0).contains(&s.p));
            prop_assert!(s.low <= s.p + 1e-9 && s.p <= s.high + 1e-9, "{:?}", s);
            prop_assert!(s.belief.var > 0.0);
        }
    }
}

fn calibrated(mut items: Vec<ItemMeta>, item: usize, b: f64, se: f64) -> Vec<ItemMeta> {
    items[item].calibrated = Some(crate::items::Calibrated { b, a: 1.0, se });
    items
}

#[test]
fn a_calibrated_hard_question_answered_right_says_more_than_its_label() {
    // Item 1 is labelled level 2 (logit 0); the calibration file measured it harder (1.5).
    // It is a choose-two question (a blind guess is right 1 time in 10): with a ¼ guessing
    // floor a right answer to a hard question is nearly as likely a guess, and says little
    // more than one to a medium question.
    let with_item_1 = |b: Option<f64>| {
        let mut it = items();
        it[1].options = 5;
        it[1].choose = 2;
        it[1].calibrated = b.map(|b| crate::items::Calibrated { b, a: 1.0, se: 0.1 });
        it
    };
    let cfg = MasteryConfig::default();
    let mean = |b: Option<f64>, right: bool| {
        let history = [obs(1, 0, right), obs(3, 0, false), obs(5, 0, true)];
        estimate(&with_item_1(b), 2, 4, &history, 0, &cfg).sections[1]
            .belief
            .mean
    };
    // Answering it right is stronger evidence of ability than its label says.
    let (labelled, measured) = (mean(None, true), mean(Some(1.5), true));
    assert!(measured > labelled + 0.05, "{measured} vs {labelled}");
    // Missing it costs less than missing a medium question.
    let (labelled, measured) = (mean(None, false), mean(Some(1.5), false));
    assert!(measured > labelled + 0.1, "{measured} vs {labelled}");
}

#[test]
fn calibrated_hard_questions_lower_the_chance_on_an_unseen_question() {
    // The same history; the section's questions are measured harder than their labels, so
    // the chance on an unseen one (over the section's mix) falls.
    let history: Vec<Observation> = (0..10).map(|i| obs(i * 2, 0, i % 3 != 0)).collect();
    let cfg = MasteryConfig::default();
    let mut hard = items();
    for i in (21..40).step_by(2) {
        hard = calibrated(hard, i, 1.5, 0.2);
    }
    let labelled = estimate(&items(), 2, 4, &history, 0, &cfg);
    let measured = estimate(&hard, 2, 4, &history, 0, &cfg);
    assert!(
        measured.sections[1].p < labelled.sections[1].p - 0.03,
        "{} vs {}",
        measured.sections[1].p,
        labelled.sections[1].p
    );
}

#[test]
fn label_uncertainty_widens_the_band_and_a_measurement_narrows_it() {
    let history: Vec<Observation> = (0..10).map(|i| obs(i * 2, 0, i % 4 != 0)).collect();
    let exact = MasteryConfig {
        label_sd: 0.0,
        reviewed_label_sd: 0.0,
        ..MasteryConfig::default()
    };
    let width = |items: &[ItemMeta], cfg: &MasteryConfig| {
        let s = estimate(items, 2, 4, &history, 0, cfg).sections[0];
        (s.belief.var, s.high - s.low)
    };
    let (var_exact, w_exact) = width(&items(), &exact);
    let (var_label, w_label) = width(&items(), &MasteryConfig::default());
    // Small (about 3% of the variance here), but there.
    assert!(var_label > var_exact * 1.02, "{var_label} vs {var_exact}");
    assert!(w_label > w_exact, "{w_label} vs {w_exact}");
    // The same questions measured with a small standard error: between the two.
    let mut measured = items();
    for i in (0..20).step_by(2) {
        let b = difficulty_logit(measured[i].difficulty);
        measured = calibrated(measured, i, b, 0.1);
    }
    let (var_measured, _) = width(&measured, &MasteryConfig::default());
    assert!(var_exact < var_measured && var_measured < var_label);
}

#[test]
fn repeats_do_not_narrow_the_band_like_new_questions() {
    // Nine answers to three questions are three questions' worth of evidence about unseen
    // ones: the band must be about as wide as after three answers, not as after nine.
    let cfg = MasteryConfig::default();
    let three: Vec<Observation> = [0, 2, 4].iter().map(|&i| obs(i, 0, true)).collect();
    let repeated: Vec<Observation> = (0..9).map(|k| obs([0, 2, 4][k % 3], 0, true)).collect();
    let nine: Vec<Observation> = (0..9).map(|k| obs(k * 2, 0, true)).collect();
    let s = |h: &[Observation]| estimate(&items(), 2, 4, h, 0, &cfg).sections[0];
    let (s3, sr, s9) = (s(&three), s(&repeated), s(&nine));
    assert!(
        sr.belief.var >= 0.95 * s3.belief.var,
        "repeats: {} vs three: {}",
        sr.belief.var,
        s3.belief.var
    );
    assert!(sr.belief.var > 1.3 * s9.belief.var);
    assert!(
        sr.high - sr.low > s9.high - s9.low + 0.02,
        "{sr:?} vs {s9:?}"
    );
}
