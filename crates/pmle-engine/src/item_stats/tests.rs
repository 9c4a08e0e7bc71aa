use super::*;
use proptest::prelude::*;

fn meta() -> ItemMeta {
    ItemMeta {
        section: 0,
        topic: 0,
        difficulty: 2,
        options: 4,
        choose: 1,
        retired: false,
        reviewed: false,
        calibrated: None,
    }
}

fn close(x: Option<f64>, want: f64) -> bool {
    x.is_some_and(|x| (x - want).abs() < 1e-4)
}

/// Six learners, four single-select questions of four options (keys 0, 0, 1, 2).
///
/// ```text
/// right?   item0 item1 item2 item3      chosen   item0 item1 item2 item3
/// L1         1     1     1     1                   0     0     1     2
/// L2         1     1     1     0                   0     0     1     0
/// L3         1     0     1     0                   0     1     1     0
/// L4         0     1     0     1                   2     0     0     2
/// L5         1     0     0     0                   0     3     0     1
/// L6         0     0     0     0                   2     1     3     0
/// ```
///
/// Times (s): item0 30 40 20 50 — 10; item1 5 7 9 11 13 100; the others 1.
/// L4 also answers item0 a second time (right, 1 s): not a first attempt, so ignored.
fn hand_data() -> (Vec<ItemMeta>, Vec<Vec<u8>>, Vec<Response>) {
    let items = vec![meta(); 4];
    let keys = vec![vec![0], vec![0], vec![1], vec![2]];
    let chosen = [
        [0, 0, 1, 2],
        [0, 0, 1, 0],
        [0, 1, 1, 0],
        [2, 0, 0, 2],
        [0, 3, 0, 1],
        [2, 1, 3, 0],
    ];
    let secs: [[Option<u32>; 4]; 6] = [
        [Some(30), Some(5), Some(1), Some(1)],
        [Some(40), Some(7), Some(1), Some(1)],
        [Some(20), Some(9), Some(1), Some(1)],
        [Some(50), Some(11), Some(1), Some(1)],
        [None, Some(13), Some(1), Some(1)],
        [Some(10), Some(100), Some(1), Some(1)],
    ];
    let mut responses = Vec::new();
    for (l, row) in chosen.iter().enumerate() {
        for (i, &c) in row.iter().enumerate() {
            responses.push(Response {
                learner: l as u32 + 1,
                item: i,
                chosen: vec![c],
                correct: keys[i] == vec![c],
                duration_ms: secs[l][i].map(|s| s * 1000),
                attempt: 1,
            });
        }
    }
    responses.push(Response {
        learner: 4,
        item: 0,
        chosen: vec![0],
        correct: true,
        duration_ms: Some(1000),
        attempt: 2,
    });
    (items, keys, responses)
}

fn rest_cfg() -> ItemStatsConfig {
    ItemStatsConfig {
        ability: AbilitySource::RestScore,
        min_rest_answers: 3,
        ..ItemStatsConfig::default()
    }
}

#[test]
fn statistics_match_the_hand_computation() {
    let (items, keys, responses) = hand_data();
    let s = item_statistics(&items, &keys, &responses, &rest_cfg());
    let (i0, i1) = (&s[0], &s[1]);

    // item0: 6 first attempts (L4's second is ignored), 4 right: p = 4/6.
    assert_eq!(i0.n, 6);
    assert!(close(i0.p_value, 4.0 / 6.0));
    // Rest scores (items 1–3): L1 1, L2 2/3, L3 1/3, L4 2/3, L5 0, L6 0; y = 1 1 1 0 1 0.
    // mean x = 4/9, mean y = 2/3; Σdx·dy = 2/9, Σdx² = 66/81, Σdy² = 4/3;
    // r = (2/9) / √(66/81 · 4/3) = 0.21320.
    assert!(close(i0.discrimination, 0.21320));
    assert_eq!(i0.with_ability, 6);
    // 27% of 6 rounds to 2. Sorted rest scores 0 0 1/3 2/3 2/3 1: weak = at most the 2nd
    // lowest (0): L5, L6; strong = at least the 2nd highest (2/3), ties in: L1, L2, L4.
    assert_eq!((i0.strong_n, i0.weak_n), (3, 2));
    // Options: 0 chosen by L1 L2 L3 L5 (4/6), 2 by L4 L6 (2/6), 1 and 3 by nobody.
    // Wrong answers (L4, L6) all chose 2. Strong L1 L2 L4: 0 2/3, 2 1/3. Weak L5 L6: ½ each.
    let o = &i0.options;
    assert_eq!(o.len(), 4);
    assert!(o[0].key && !o[2].key);
    assert!((o[0].share - 4.0 / 6.0).abs() < 1e-9 && (o[2].share - 2.0 / 6.0).abs() < 1e-9);
    assert_eq!((o[1].share, o[3].share), (0.0, 0.0));
    assert_eq!(o[2].wrong_share, Some(1.0));
    assert_eq!(o[1].wrong_share, Some(0.0));
    assert!(close(o[0].strong_share, 2.0 / 3.0) && close(o[2].strong_share, 1.0 / 3.0));
    assert_eq!((o[0].weak_share, o[2].weak_share), (Some(0.5), Some(0.5)));
    // Times 10 20 30 40 50 (L5's unknown): median 30 s.
    assert_eq!(i0.median_ms, Some(30_000));

    // item1: y = 1 1 0 1 0 0, p = ½. Rest scores (items 0, 2, 3): 1, 2/3, 2/3, 1/3, 1/3, 0;
    // mean ½; Σdx·dy = ½, Σdx² = 11/18, Σdy² = 3/2; r = ½ / √(11/12) = 0.52223.
    assert!(close(i1.p_value, 0.5));
    assert!(close(i1.discrimination, 0.52223));
    // Weak: at most 1/3 (L4 L5 L6); strong: at least 2/3 (L1 L2 L3).
    assert_eq!((i1.strong_n, i1.weak_n), (3, 3));
    // Wrong: L3 chose 1, L5 3, L6 1 → option 1 2/3, option 3 1/3.
    assert!(close(i1.options[1].wrong_share, 2.0 / 3.0));
    assert!(close(i1.options[3].wrong_share, 1.0 / 3.0));
    assert!(close(i1.options[0].strong_share, 2.0 / 3.0));
    assert!(close(i1.options[0].weak_share, 1.0 / 3.0));
    // Times 5 7 9 11 13 100: median (9 + 11) / 2 = 10 s.
    assert_eq!(i1.median_ms, Some(10_000));

    // Six responses are far below every minimum: no flag, though options 1 and 3 of item0
    // were never chosen.
    assert!(s.iter().all(|x| x.flags.is_empty()), "{s:?}");
    assert!(s.iter().all(|x| x.reports.is_none()));
}

#[test]
fn the_model_ability_ranks_as_the_rest_score_on_a_common_form() {
    // Every learner answered the same four questions of the same label, so the ability
    // fit is a monotone function of the rest score: the same groups.
    let (items, keys, responses) = hand_data();
    let model = ItemStatsConfig {
        ability: AbilitySource::Model,
        ..rest_cfg()
    };
    let a = item_statistics(&items, &keys, &responses, &model);
    let b = item_statistics(&items, &keys, &responses, &rest_cfg());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((x.strong_n, x.weak_n), (y.strong_n, y.weak_n));
        assert_eq!(x.options, y.options);
        assert_eq!(
            x.discrimination.map(f64::signum),
            y.discrimination.map(f64::signum)
        );
    }
}

#[test]
fn learners_with_too_few_other_answers_have_no_ability() {
    let (items, keys, responses) = hand_data();
    let cfg = ItemStatsConfig {
        min_rest_answers: 4, // each learner has only 3 other answers
        ..rest_cfg()
    };
    let s = item_statistics(&items, &keys, &responses, &cfg);
    assert!(
        s.iter()
            .all(|x| x.with_ability == 0 && x.discrimination.is_none())
    );
    assert_eq!(s[0].n, 6);
}

#[test]
fn reports_set_and_clear_their_flag() {
    let (items, keys, responses) = hand_data();
    let mut s = item_statistics(&items, &keys, &responses, &rest_cfg());
    s[2].set_reports(2);
    assert_eq!(s[2].flags, vec![Flag::Reported]);
    sort_by_attention(&mut s);
    assert_eq!(s[0].item, 2);
    s[0].set_reports(0);
    assert!(s[0].flags.is_empty());
    assert_eq!(s[0].reports, Some(0));
}

#[test]
fn point_biserial_edge_cases() {
    assert_eq!(point_biserial(&[(1.0, true)]), None);
    assert_eq!(point_biserial(&[(1.0, true), (2.0, true)]), None);
    assert_eq!(point_biserial(&[(1.0, true), (1.0, false)]), None);
    assert!(close(point_biserial(&[(1.0, false), (2.0, true)]), 1.0));
}

fn response_strategy() -> impl Strategy<Value = Vec<(u32, usize, u8)>> {
    prop::collection::vec((0u32..25, 0usize..5, 0u8..4), 20..200)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Renaming the learners and reordering the responses changes nothing.
    #[test]
    fn invariant_under_learner_relabelling(raw in response_strategy(), shift in 1u32..1000) {
        let items = vec![meta(); 5];
        let keys: Vec<Vec<u8>> = (0..5).map(|i| vec![(i % 4) as u8]).collect();
        let make = |learner: u32, item: usize, c: u8, k: usize| Response {
            learner,
            item,
            chosen: vec![c],
            correct: keys[item] == vec![c],
            duration_ms: Some(1000 + 37 * k as u32),
            attempt: 1,
        };
        let a: Vec<Response> = raw.iter().enumerate().map(|(k, &(l, i, c))| make(l, i, c, k)).collect();
        // Reordering can change which answer is a learner's first: keep the first ones.
        let mut seen = std::collections::BTreeSet::new();
        let a_first: Vec<Response> = a.iter().filter(|r| seen.insert((r.learner, r.item))).cloned().collect();
        // A bijection on learner ids (reversal plus a shift), responses in reverse order.
        let mut seen = std::collections::BTreeSet::new();
        let b_first: Vec<Response> = a_first
            .iter()
            .map(|r| Response { learner: (100 - r.learner) * 7 + shift, ..r.clone() })
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .filter(|r| seen.insert((r.learner, r.item)))
            .collect();
        for cfg in [ItemStatsConfig { min_n: 3, min_group: 2, min_rest_answers: 1, ..ItemStatsConfig::default() },
                    ItemStatsConfig { min_n: 3, min_group: 2, min_rest_answers: 1, ability: AbilitySource::RestScore, ..ItemStatsConfig::default() }] {
            let x = item_statistics(&items, &keys, &a_first, &cfg);
            let y = item_statistics(&items, &keys, &b_first, &cfg);
            for (x, y) in x.iter().zip(&y) {
                prop_assert_eq!(x.n, y.n);
                prop_assert_eq!(x.p_value, y.p_value);
                prop_assert_eq!(&x.options, &y.options);
                prop_assert_eq!(&x.flags, &y.flags);
                prop_assert_eq!((x.strong_n, x.weak_n, x.with_ability), (y.strong_n, y.weak_n, y.with_ability));
                match (x.discrimination, y.discrimination) {
                    (Some(p), Some(q)) => prop_assert!((p - q).abs() < 1e-9),
                    (p, q) => prop_assert_eq!(p, q),
                }
            }
        }
    }

    /// Shares are proportions; the key's share equals the p-value for single select.
    #[test]
    fn shares_are_proportions(raw in response_strategy()) {
        let items = vec![meta(); 5];
        let keys: Vec<Vec<u8>> = (0..5).map(|i| vec![(i % 4) as u8]).collect();
        let rs: Vec<Response> = raw
            .iter()
            .map(|&(l, i, c)| Response { learner: l, item: i, chosen: vec![c], correct: keys[i] == vec![c], duration_ms: None, attempt: 1 })
            .collect();
        for s in item_statistics(&items, &keys, &rs, &ItemStatsConfig::default()) {
            let total: f64 = s.options.iter().map(|o| o.share).sum();
            if s.n > 0 {
                prop_assert!((total - 1.0).abs() < 1e-9);
                let key = s.options.iter().find(|o| o.key).map(|o| o.share);
                prop_assert_eq!(key, s.p_value);
            }
            if let Some(r) = s.discrimination {
                prop_assert!((-1.0..=1.0).contains(&r));
            }
        }
    }
}
