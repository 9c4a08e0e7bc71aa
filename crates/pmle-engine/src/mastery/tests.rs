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
