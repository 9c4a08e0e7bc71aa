//! One store call at a time, SQLite against PostgreSQL: what a served request pays for its
//! storage. Run: `cargo bench -p pmle-store` (PostgreSQL too when PMLE_TEST_DATABASE_URL
//! names a server, e.g. one from scripts/pg-cluster; its schema is made and dropped here).
//! History: 2 000 answers, as after a few weeks of study. The pooled case: 8 learners, each
//! on their own thread with their own handle on one `PgPool` (1 connection, then the default
//! size), all calling at once; the figure is wall time over all their calls (1/throughput).
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use pmle_store::{Mode, NewAnswer, PgPool, PgStore, SqliteStore, Store};

const HISTORY: i64 = 2_000;

fn answer(i: i64) -> NewAnswer {
    NewAnswer {
        question_id: format!("s{}-q{:03}", i % 6 + 1, i % 300),
        section_id: format!("s{}", i % 6 + 1),
        mode: Mode::Practice,
        session_id: None,
        shown_order: vec![2, 0, 1, 3],
        chosen: vec![(i % 4) as usize],
        correct: i % 3 != 0,
        answered_at_ms: 1_700_000_000_000 + i * 60_000,
        duration_ms: Some(20_000),
    }
}

fn bench_store(c: &mut Criterion, name: &str, store: &mut dyn Store) {
    for i in 0..HISTORY {
        store.record_answer(&answer(i)).unwrap();
    }
    let mut g = c.benchmark_group(name);
    g.bench_function("change_token", |b| {
        b.iter(|| black_box(store.change_token().unwrap()));
    });
    g.bench_function("tally_by_section", |b| {
        b.iter(|| black_box(store.tally_by_section().unwrap()));
    });
    g.bench_function("answers_all", |b| {
        b.iter(|| black_box(store.answers().unwrap().len()));
    });
    // Last: it adds to the history the reads above were measured on.
    let mut next = HISTORY;
    g.bench_function("record_answer", |b| {
        b.iter(|| {
            next += 1;
            black_box(store.record_answer(&answer(next)).unwrap())
        });
    });
    g.finish();
}

const LEARNERS: i64 = 8;

/// `iters` calls of `call`, spread over one thread per learner running at once.
fn spread(stores: &[PgStore], iters: u64, call: fn(&mut PgStore, u64)) -> Duration {
    let n = stores.len() as u64;
    let start = Instant::now();
    std::thread::scope(|s| {
        for (t, store) in stores.iter().enumerate() {
            let mut store = store.clone();
            let mine = iters / n + u64::from((t as u64) < iters % n);
            s.spawn(move || {
                for i in 0..mine {
                    call(&mut store, i);
                }
            });
        }
    });
    start.elapsed()
}

fn bench_pooled(c: &mut Criterion, url: &str) {
    for size in [1, PgPool::DEFAULT_SIZE] {
        let pool = PgPool::open(url, size).unwrap();
        let stores: Vec<PgStore> = (1..=LEARNERS).map(|u| pool.store_for(u)).collect();
        for store in &stores {
            let mut store = store.clone();
            for i in 0..HISTORY / LEARNERS {
                store.record_answer(&answer(i)).unwrap();
            }
        }
        let mut g = c.benchmark_group(format!("postgres_{LEARNERS}_learners_pool_{size}"));
        g.bench_function("change_token", |b| {
            b.iter_custom(|iters| {
                spread(&stores, iters, |s, _| {
                    black_box(s.change_token().unwrap());
                })
            });
        });
        g.bench_function("tally_by_section", |b| {
            b.iter_custom(|iters| {
                spread(&stores, iters, |s, _| {
                    black_box(s.tally_by_section().unwrap());
                })
            });
        });
        g.bench_function("record_answer", |b| {
            b.iter_custom(|iters| {
                spread(&stores, iters, |s, i| {
                    black_box(s.record_answer(&answer(HISTORY + i as i64)).unwrap());
                })
            });
        });
        g.finish();
    }
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut sqlite = SqliteStore::open(&dir.path().join("bench.sqlite3")).unwrap();
    bench_store(c, "sqlite", &mut sqlite);
    if let Ok(url) = std::env::var("PMLE_TEST_DATABASE_URL") {
        let schema = format!("pmle_bench_{}", std::process::id());
        let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        admin
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .unwrap();
        let sep = if url.contains('?') { '&' } else { '?' };
        let url = format!("{url}{sep}options=-csearch_path%3D{schema}");
        let mut pg = PgStore::open(&url).unwrap();
        bench_store(c, "postgres", &mut pg);
        drop(pg);
        bench_pooled(c, &url);
        admin
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .unwrap();
    } else {
        eprintln!("PostgreSQL skipped: set PMLE_TEST_DATABASE_URL");
    }
}

criterion_group! {
    name = store;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(store);
