//! Hot paths at a large scale: 10 000 questions and 100 000 logged answers.
//! Run: `cargo bench -p pmle-engine` (target: under 1 ms for choosing and assembling).
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use pmle_engine::adaptive::{AdaptiveConfig, Context, next_item};
use pmle_engine::exam::{Pool, assemble};
use pmle_engine::mastery::{MasteryConfig, estimate};
use pmle_engine::{ItemMeta, Observation, item_status};

const ITEMS: usize = 10_000;
const ANSWERS: usize = 100_000;
const SECTIONS: usize = 6;
const TOPICS: usize = 60;
const WEIGHTS: [f64; SECTIONS] = [13.0, 16.0, 21.0, 20.0, 18.0, 13.0];
const DAY: i64 = 86_400_000;

fn world() -> (Vec<ItemMeta>, Vec<Observation>) {
    let items = (0..ITEMS)
        .map(|i| ItemMeta {
            section: i % SECTIONS,
            topic: i % TOPICS,
            difficulty: (i % 3) as u8 + 1,
            options: 4,
            choose: 1,
            retired: false,
            reviewed: false,
            calibrated: None,
        })
        .collect();
    // 100 000 answers over 200 days, a deterministic spread over items.
    let obs = (0..ANSWERS)
        .map(|k| Observation {
            item: (k * 7_919) % ITEMS,
            at_ms: (k as i64) * 200 * DAY / ANSWERS as i64,
            correct: (k * 31) % 10 < 7,
        })
        .collect();
    (items, obs)
}

fn benches(c: &mut Criterion) {
    let (items, obs) = world();
    let now = 201 * DAY;
    let status = item_status(items.len(), &obs);
    let mastery = estimate(
        &items,
        SECTIONS,
        TOPICS,
        &obs,
        now,
        &MasteryConfig::default(),
    );
    let recent: Vec<usize> = obs.iter().rev().take(20).map(|o| o.item).collect();
    let cfg = AdaptiveConfig::default();

    c.bench_function("next_item (10k items, state built)", |b| {
        b.iter(|| {
            let ctx = Context {
                items: &items,
                status: &status,
                mastery: &mastery,
                weights: &WEIGHTS,
                recent: &recent,
                now_ms: now,
                section: None,
                seed: 7,
            };
            black_box(next_item(&ctx, &cfg))
        });
    });
    c.bench_function("assemble 60-question exam (10k items)", |b| {
        let mut seed = 0u64;
        b.iter(|| {
            seed += 1;
            black_box(assemble(&items, &status, &WEIGHTS, 60, Pool::All, seed))
        });
    });
    c.bench_function("learner state from 100k answers (status + mastery)", |b| {
        b.iter(|| {
            let s = item_status(items.len(), black_box(&obs));
            let m = estimate(
                &items,
                SECTIONS,
                TOPICS,
                &obs,
                now,
                &MasteryConfig::default(),
            );
            black_box((s, m))
        });
    });
}

criterion_group! {
    name = engine;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(engine);
