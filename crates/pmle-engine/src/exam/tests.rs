use super::*;
use proptest::prelude::*;

const W: [f64; 6] = [13.0, 16.0, 21.0, 20.0, 18.0, 13.0];

fn pack(per_section: &[usize]) -> Vec<ItemMeta> {
    per_section
        .iter()
        .enumerate()
        .flat_map(|(s, &n)| {
            (0..n).map(move |i| ItemMeta {
                section: s,
                topic: s,
                difficulty: (i % 3) as u8 + 1,
                options: 4,
                choose: 1,
                retired: false,
                reviewed: false,
                calibrated: None,
            })
        })
        .collect()
}

#[test]
fn sixty_questions_by_june_2026_weights() {
    // 13/101·60 = 7.72 … the four largest remainders (.88, .72, .72, .69) get the spare seats.
    assert_eq!(allocate(&W, 60), vec![8, 9, 12, 12, 11, 8]);
    assert_eq!(allocate(&W, 60).iter().sum::<usize>(), 60);
    assert_eq!(allocate(&W, 50).iter().sum::<usize>(), 50);
}

#[test]
fn short_sections_are_reported_and_never_repeat() {
    let items = pack(&[3, 40, 40, 40, 40, 40]);
    let status = vec![ItemStatus::default(); items.len()];
    let d = assemble(&items, &status, &W, 60, Pool::All, 1);
    assert_eq!(
        d.shortfalls,
        vec![Shortfall {
            section: 0,
            wanted: 8,
            available: 3
        }]
    );
    assert_eq!(d.items.len(), 55);
    let mut u = d.items.clone();
    u.sort_unstable();
    u.dedup();
    assert_eq!(u.len(), d.items.len());
}

#[test]
fn unseen_questions_come_first() {
    let items = pack(&[30, 30, 30, 30, 30, 30]);
    let mut status = vec![ItemStatus::default(); items.len()];
    for s in status.iter_mut().step_by(2) {
        s.last_at_ms = Some(5);
        s.attempts = 1;
    }
    let d = assemble(&items, &status, &W, 60, Pool::All, 3);
    assert!(d.items.iter().all(|&i| status[i].last_at_ms.is_none()));
}

#[test]
fn section_only_and_retry_pools() {
    let items = pack(&[20, 20, 20, 20, 20, 20]);
    let status = vec![ItemStatus::default(); items.len()];
    let d = assemble(&items, &status, &W, 15, Pool::Section(4), 2);
    assert_eq!(d.items.len(), 15);
    assert!(d.items.iter().all(|&i| items[i].section == 4));
    let wrong = [1usize, 2, 45, 46, 99];
    let d = assemble(&items, &status, &W, 60, Pool::Only(&wrong), 2);
    let mut got = d.items;
    got.sort_unstable();
    assert_eq!(got, wrong.to_vec());
}

proptest! {
    #[test]
    fn counts_match_weights_for_any_seed(seed in any::<u64>(), total in 50usize..=60) {
        let items = pack(&[30, 30, 30, 30, 30, 30]);
        let status = vec![ItemStatus::default(); items.len()];
        let d = assemble(&items, &status, &W, total, Pool::All, seed);
        prop_assert_eq!(d.items.len(), total);
        let want = allocate(&W, total);
        for (s, &w) in want.iter().enumerate() {
            let got = d.items.iter().filter(|&&i| items[i].section == s).count();
            prop_assert_eq!(got, w);
            // Largest remainder never strays a whole question from the exact share.
            prop_assert!((got as f64 - W[s] / 101.0 * total as f64).abs() < 1.0);
        }
        prop_assert_eq!(d, assemble(&items, &status, &W, total, Pool::All, seed));
    }
}

#[test]
fn retired_items_are_never_drawn() {
    let mut items = pack(&[20, 20, 20, 20, 20, 20]);
    for (i, it) in items.iter_mut().enumerate() {
        it.retired = i % 2 == 0;
    }
    let status = vec![ItemStatus::default(); items.len()];
    let every: Vec<usize> = (0..items.len()).collect();
    for pool in [Pool::All, Pool::Section(2), Pool::Only(&every)] {
        let d = assemble(&items, &status, &W, 60, pool, 3);
        assert!(!d.items.is_empty());
        assert!(d.items.iter().all(|&i| !items[i].retired), "{:?}", d.items);
    }
}
