use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

const ITEMS: usize = 60;
const PER_LEARNER: usize = 30;

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn bank() -> Vec<ItemMeta> {
    (0..ITEMS)
        .map(|i| ItemMeta {
            section: i % 6,
            topic: i % 18,
            difficulty: (i % 3) as u8 + 1,
            options: if i % 6 == 5 { 5 } else { 4 },
            choose: if i % 6 == 5 { 2 } else { 1 },
            retired: false,
            reviewed: false,
            calibrated: None,
        })
        .collect()
}

/// Known parameters: each true difficulty is its label's logit plus `N(0, 0.6²)` (the
/// prior's own spread); abilities `N(0.3, 1)`; each learner answers 30 of the 60 questions,
/// so `per_item` responses per question take `2 · per_item` learners. `slope` draws each
/// item's true discrimination from `U(lo, hi)` (a 2PL world the Rasch fit does not share);
/// `None` is the fit's own model.
fn world(
    per_item: usize,
    seed: u64,
    slope: Option<(f64, f64)>,
) -> (Vec<ItemMeta>, Vec<f64>, Vec<Response>) {
    let items = bank();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let truth: Vec<f64> = items
        .iter()
        .map(|it| difficulty_logit(it.difficulty) + 0.6 * normal(&mut rng))
        .collect();
    let a: Vec<f64> = items
        .iter()
        .map(|_| slope.map_or(1.0, |(lo, hi)| lo + (hi - lo) * rng.random::<f64>()))
        .collect();
    let learners = per_item * ITEMS / PER_LEARNER;
    let mut responses = Vec::new();
    for l in 0..learners {
        let theta = 0.3 + normal(&mut rng);
        let mut order: Vec<usize> = (0..ITEMS).collect();
        order.shuffle(&mut rng);
        for &j in order.iter().take(PER_LEARNER) {
            let c = items[j].guess();
            let p = c + (1.0 - c) * sigmoid(a[j] * (theta - truth[j]));
            responses.push(Response {
                learner: l as u32,
                item: j,
                chosen: vec![],
                correct: rng.random::<f64>() < p,
                duration_ms: None,
                attempt: 1,
            });
        }
    }
    (items, truth, responses)
}

struct Recovery {
    rmse: f64,
    mae: f64,
    label_rmse: f64,
    /// Share of items whose true difficulty is within ±1.96 se of the fit.
    coverage: f64,
    mean_responses: f64,
}

fn recovery(per_item: usize, seeds: std::ops::Range<u64>, slope: Option<(f64, f64)>) -> Recovery {
    let (mut se2, mut ae, mut le2, mut cover, mut resp, mut count) = (0.0, 0.0, 0.0, 0, 0.0, 0);
    for seed in seeds {
        let (items, truth, responses) = world(per_item, seed, slope);
        let fit = calibrate(&items, &responses, &CalibrateConfig::default());
        assert!(fit.converged, "no convergence at {per_item}, seed {seed}");
        for (f, t) in fit.items.iter().zip(&truth) {
            let e = f.difficulty - t;
            se2 += e * e;
            ae += e.abs();
            le2 += (f.prior - t).powi(2);
            cover += usize::from(e.abs() <= 1.96 * f.se);
            resp += f64::from(f.responses);
            count += 1;
        }
    }
    let n = count as f64;
    Recovery {
        rmse: (se2 / n).sqrt(),
        mae: ae / n,
        label_rmse: (le2 / n).sqrt(),
        coverage: cover as f64 / n,
        mean_responses: resp / n,
    }
}

/// Difficulties are recovered within a stated error at 50, 200 and 1,000 responses per
/// question (three seeds each, 180 questions in all). The figures are in docs/engine.md §9;
/// `cargo test -p pmle-engine --release --lib calibrate::tests::recovers -- --nocapture`
/// prints them.
#[test]
fn recovers_known_difficulties_at_50_200_and_1000_responses() {
    // (responses per item, RMSE bound): about 1.2× the RMSE measured when this was written
    // (0.335, 0.210, 0.105); the labels alone are off by 0.61.
    for (per_item, bound) in [(50, 0.40), (200, 0.25), (1000, 0.13)] {
        let r = recovery(per_item, 1..4, None);
        eprintln!(
            "{per_item} responses/item: RMSE {:.3}, MAE {:.3}, label-only RMSE {:.3}, \
             ±1.96 se coverage {:.1}%, mean responses {:.0}",
            r.rmse,
            r.mae,
            r.label_rmse,
            100.0 * r.coverage,
            r.mean_responses
        );
        assert!(
            r.rmse <= bound,
            "RMSE {} over {bound} at {per_item}",
            r.rmse
        );
        assert!(r.rmse < r.label_rmse, "the fit must beat the labels");
        assert!(
            (0.85..=0.99).contains(&r.coverage),
            "coverage {}",
            r.coverage
        );
    }
}

/// Responses from a 2PL world (slopes 0.7–1.6, as in the learner simulation) fitted by
/// the Rasch model: the error the model's simplification costs.
#[test]
fn recovery_when_slopes_vary() {
    // Measured: 0.233 at both sizes (the Rasch model's bias, which more data does not remove).
    for (per_item, bound) in [(200, 0.28), (1000, 0.28)] {
        let r = recovery(per_item, 1..3, Some((0.7, 1.6)));
        eprintln!(
            "2PL world, {per_item} responses/item: RMSE {:.3}, MAE {:.3}, label-only {:.3}, coverage {:.1}%",
            r.rmse,
            r.mae,
            r.label_rmse,
            100.0 * r.coverage
        );
        assert!(r.rmse <= bound && r.rmse < r.label_rmse);
    }
}

#[test]
fn the_label_dominates_until_enough_responses() {
    // 5 responses per question: the data weigh less than the label (prior precision
    // 1/0.36 = 2.8; one response carries at most about 0.2).
    let (items, truth, responses) = world(5, 7, None);
    let few = calibrate(&items, &responses, &CalibrateConfig::default());
    let mean_weight = few.items.iter().map(|f| f.data_weight).sum::<f64>() / ITEMS as f64;
    assert!(mean_weight < 0.5, "{mean_weight}");
    let moved = few
        .items
        .iter()
        .map(|f| (f.difficulty - f.prior).abs())
        .sum::<f64>()
        / ITEMS as f64;
    let off = few
        .items
        .iter()
        .zip(&truth)
        .map(|(f, t)| (f.prior - t).abs())
        .sum::<f64>()
        / ITEMS as f64;
    assert!(moved < 0.5 * off, "moved {moved}, labels off by {off}");
    // 1,000: the data dominate.
    let (items, _, responses) = world(1000, 7, None);
    let many = calibrate(&items, &responses, &CalibrateConfig::default());
    assert!(many.items.iter().all(|f| f.data_weight > 0.9));
}

#[test]
fn a_question_without_responses_keeps_its_label() {
    let (items, _, mut responses) = world(50, 3, None);
    responses.retain(|r| r.item != 4);
    let fit = calibrate(&items, &responses, &CalibrateConfig::default());
    let f = fit.items[4];
    assert_eq!(f.responses, 0);
    assert_eq!(f.data_weight, 0.0);
    assert!((f.se - 0.6).abs() < 1e-12);
    // The origin step moves every difficulty together, so this one by at most that step.
    assert!((f.difficulty - f.prior).abs() < 0.05, "{f:?}");
}

#[test]
fn repeats_and_duplicates_do_not_count() {
    let (items, _, responses) = world(50, 5, None);
    let a = calibrate(&items, &responses, &CalibrateConfig::default());
    let mut more = responses.clone();
    for r in &responses {
        more.push(Response {
            attempt: 2,
            correct: true,
            ..r.clone()
        });
    }
    let b = calibrate(&items, &more, &CalibrateConfig::default());
    assert_eq!(a, b);
}

#[test]
fn the_written_file_round_trips_through_the_pack_parser() {
    let (items, _, responses) = world(50, 2, None);
    let fit = calibrate(&items, &responses, &CalibrateConfig::default());
    let ids: Vec<String> = (0..ITEMS).map(|i| format!("q-{i:03}")).collect();
    let mut entries: Vec<(&str, &ItemFit)> =
        ids.iter().map(String::as_str).zip(&fit.items).collect();
    // An item without responses is left out; an extreme one is clamped into the range.
    let none = ItemFit {
        responses: 0,
        ..fit.items[0]
    };
    let extreme = ItemFit {
        difficulty: 9.0,
        se: 3.0,
        ..fit.items[1]
    };
    entries[0].1 = &none;
    entries[1].1 = &extreme;
    let text = calibration_toml(&entries, "fitted by a test\nsecond line");
    let parsed = pmle_content::calibration::parse_calibration(&text)
        .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    assert_eq!(parsed.version, 1);
    assert_eq!(parsed.questions.len(), ITEMS - 1);
    assert!(!parsed.questions.contains_key("q-000"));
    let q1 = &parsed.questions["q-001"];
    assert_eq!((q1.difficulty, q1.se), (5.0, 2.0));
    for (id, f) in ids.iter().zip(&fit.items).skip(2) {
        let q = &parsed.questions[id.as_str()];
        assert!((q.difficulty - f.difficulty).abs() <= 0.0005);
        assert!((q.se - f.se).abs() <= 0.0005);
        assert_eq!(q.responses, f.responses);
        assert_eq!(q.discrimination, None);
    }
}

#[test]
fn odd_ids_are_quoted() {
    let fit = ItemFit {
        item: 0,
        difficulty: 0.1,
        se: 0.2,
        responses: 3,
        prior: 0.0,
        data_weight: 0.5,
    };
    let text = calibration_toml(&[("a.b \"c\"", &fit)], "");
    assert!(text.contains("[question.\"a.b \\\"c\\\"\"]"), "{text}");
    let parsed =
        pmle_content::calibration::parse_calibration(&text).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(parsed.questions.contains_key("a.b \"c\""));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]

    /// Renaming the learners changes no fitted figure.
    #[test]
    fn invariant_under_learner_relabelling(seed in 0u64..1000, shift in 1u32..5000) {
        let (items, _, responses) = world(10, seed, None);
        let renamed: Vec<Response> = responses
            .iter()
            .rev()
            .map(|r| Response { learner: (10_000 - r.learner) * 3 + shift, ..r.clone() })
            .collect();
        let a = calibrate(&items, &responses, &CalibrateConfig::default());
        let b = calibrate(&items, &renamed, &CalibrateConfig::default());
        for (x, y) in a.items.iter().zip(&b.items) {
            proptest::prop_assert!((x.difficulty - y.difficulty).abs() < 1e-6);
            proptest::prop_assert!((x.se - y.se).abs() < 1e-6);
            proptest::prop_assert_eq!(x.responses, y.responses);
        }
    }
}

/// Faulty questions (a key almost nobody picks, one almost everybody gets right) sit where
/// the guessing floor flattens the likelihood; the fit must still converge, and put them
/// far out.
#[test]
fn converges_with_faulty_items() {
    use crate::sim::{ItemFault, ResponseSimConfig, SimPack, simulate_responses};
    let items = bank();
    let choose: Vec<u8> = items.iter().map(|i| i.choose).collect();
    let keys: Vec<Vec<u8>> = (0..ITEMS).map(|i| vec![(i % 4) as u8]).collect();
    let pack = SimPack {
        items: &items,
        choose: &choose,
        weights: &[1.0; 6],
        n_topics: 18,
    };
    let cfg = ResponseSimConfig {
        learners: 300,
        answers_per_learner: 60,
        ..ResponseSimConfig::default()
    };
    let sim = simulate_responses(&pack, &keys, &cfg);
    let fit = calibrate(&items, &sim.responses, &CalibrateConfig::default());
    assert!(fit.converged && fit.iterations < 100, "{}", fit.iterations);
    for (f, t) in fit.items.iter().zip(&sim.items) {
        match t.fault {
            Some(ItemFault::TooEasy) => assert!(f.difficulty < -2.0, "{f:?}"),
            Some(ItemFault::WrongKey) => assert!(f.difficulty > 2.0, "{f:?}"),
            _ => {}
        }
    }
}

/// Many answers per learner and a few far-out faulty questions converge in few iterations.
/// (The case that once failed, 900 questions and 1,000 learners answering 500 each, where
/// the EM step and the origin step cancel along the ridge and convergence judged on the EM
/// step alone never came, takes too long for a debug test; this smaller one did converge
/// under that old rule too, so it guards the speed, not that rule.)
#[test]
fn converges_when_learners_answer_many_questions() {
    use crate::sim::{ResponseSimConfig, SimPack, simulate_responses};
    let items: Vec<ItemMeta> = (0..300)
        .map(|i| ItemMeta {
            section: i % 6,
            topic: i % 30,
            difficulty: (i % 3) as u8 + 1,
            options: 4,
            choose: 1,
            retired: false,
            reviewed: false,
            calibrated: None,
        })
        .collect();
    let choose: Vec<u8> = items.iter().map(|i| i.choose).collect();
    let keys: Vec<Vec<u8>> = (0..300).map(|i| vec![(i % 4) as u8]).collect();
    let pack = SimPack {
        items: &items,
        choose: &choose,
        weights: &[1.0; 6],
        n_topics: 30,
    };
    let cfg = ResponseSimConfig {
        learners: 200,
        answers_per_learner: 250,
        faulty_share: 0.05,
        ..ResponseSimConfig::default()
    };
    let sim = simulate_responses(&pack, &keys, &cfg);
    let fit = calibrate(&items, &sim.responses, &CalibrateConfig::default());
    assert!(fit.converged && fit.iterations < 50, "{}", fit.iterations);
}
