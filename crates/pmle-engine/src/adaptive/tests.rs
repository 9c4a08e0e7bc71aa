use super::*;
use crate::items::{Observation, item_status};
use crate::mastery::{MasteryConfig, estimate};

const DAY: i64 = 86_400_000;
const W: [f64; 3] = [20.0, 50.0, 30.0];

fn items() -> Vec<ItemMeta> {
    (0..30)
        .map(|i| ItemMeta {
            section: i % 3,
            topic: i % 3,
            difficulty: ((i / 3) % 3) as u8 + 1,
            options: 4,
            choose: 1,
            retired: false,
            reviewed: false,
            calibrated: None,
        })
        .collect()
}

fn pick(
    obs: &[Observation],
    recent: &[usize],
    now: i64,
    tweak: impl Fn(&mut Vec<ItemStatus>),
) -> Option<Pick> {
    pick_with(obs, recent, now, tweak, &AdaptiveConfig::default())
}

fn pick_with(
    obs: &[Observation],
    recent: &[usize],
    now: i64,
    tweak: impl Fn(&mut Vec<ItemStatus>),
    cfg: &AdaptiveConfig,
) -> Option<Pick> {
    let items = items();
    let mut status = item_status(items.len(), obs);
    tweak(&mut status);
    let mastery = estimate(&items, 3, 3, obs, now, &MasteryConfig::default());
    let ctx = Context {
        items: &items,
        status: &status,
        mastery: &mastery,
        weights: &W,
        recent,
        now_ms: now,
        section: None,
        seed: 1,
    };
    next_item(&ctx, cfg)
}

#[test]
fn due_review_comes_first() {
    let p = pick(&[], &[], 10 * DAY, |s| s[7].due_at_ms = Some(DAY)).unwrap();
    assert_eq!(
        p,
        Pick {
            item: 7,
            reason: Reason::Due
        }
    );
}

#[test]
fn with_no_history_the_heaviest_section_goes_first() {
    let p = pick(&[], &[], 0, |_| {}).unwrap();
    assert_eq!(p.reason, Reason::Fresh { section: 1 });
}

#[test]
fn a_mastered_heavy_section_yields_to_a_weak_one() {
    // Section 1 (weight 50) answered right 10 times; section 2 (weight 30) wrong 10 times.
    let mut obs = Vec::new();
    for k in 0..10 {
        obs.push(Observation {
            item: 1 + 3 * k,
            at_ms: DAY,
            correct: true,
        });
        obs.push(Observation {
            item: 2 + 3 * k,
            at_ms: DAY,
            correct: false,
        });
    }
    let p = pick(&obs, &[], 2 * DAY, |_| {}).unwrap();
    assert!(
        matches!(
            p.reason,
            Reason::Fresh { section: 0 } | Reason::Revisit { section: 2 }
        ),
        "{p:?}"
    );
    assert_ne!(p.reason, Reason::Fresh { section: 1 });
}

#[test]
fn recent_items_are_not_repeated() {
    let obs: Vec<Observation> = (0..30)
        .map(|i| Observation {
            item: i,
            at_ms: i as i64,
            correct: false,
        })
        .collect();
    let cfg = AdaptiveConfig {
        recent_window: 30,
        ..AdaptiveConfig::default()
    };
    let recent: Vec<usize> = (0..30).filter(|i| *i != 13).collect();
    let p = pick_with(&obs, &recent, DAY, |_| {}, &cfg).unwrap();
    assert_eq!(p.item, 13);
    let all: Vec<usize> = (0..30).collect();
    assert_eq!(pick_with(&obs, &all, DAY, |_| {}, &cfg), None);
    // Only the latest `recent_window` count: with a window of 5, item 0 may come back.
    let small = AdaptiveConfig {
        recent_window: 5,
        ..AdaptiveConfig::default()
    };
    assert!(pick_with(&obs, &all, DAY, |_| {}, &small).is_some());
}

#[test]
fn fresh_questions_before_revisits() {
    let obs = vec![Observation {
        item: 1,
        at_ms: 0,
        correct: false,
    }];
    let p = pick(&obs, &[], DAY, |_| {}).unwrap();
    assert_ne!(p.item, 1);
}

#[test]
fn retired_items_are_never_picked_even_when_due() {
    // Every item of section 1 retired, and item 7 (section 1) due: the pick goes elsewhere.
    let mut items = items();
    for it in items.iter_mut().filter(|it| it.section == 1) {
        it.retired = true;
    }
    let mut status = item_status(items.len(), &[]);
    status[7].due_at_ms = Some(DAY);
    let mastery = estimate(&items, 3, 3, &[], 10 * DAY, &MasteryConfig::default());
    let mut ctx = Context {
        items: &items,
        status: &status,
        mastery: &mastery,
        weights: &W,
        recent: &[],
        now_ms: 10 * DAY,
        section: None,
        seed: 1,
    };
    let p = next_item(&ctx, &AdaptiveConfig::default()).unwrap();
    assert_ne!(items[p.item].section, 1, "{p:?}");
    ctx.section = Some(1);
    assert_eq!(next_item(&ctx, &AdaptiveConfig::default()), None);
}
