//! The pool: every connection takes work, and each one reconnects after it was lost.

use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::time::Duration;

use super::tests::PgBackend;
use super::*;
use crate::contract::answer;

/// Run `f` on `n` calls at once and return their results; each call first waits until all
/// `n` are running, so they must be on `n` different connections. A pool with fewer
/// workers cannot gather them: after a generous wait (a guard against hanging, not a
/// measurement) the calls report that they were not all running together.
fn on_n_connections_at_once<R: Send + 'static>(
    pool: &PgPool,
    n: usize,
    f: impl Fn(&mut Client) -> Result<R, StoreError> + Send + Sync + 'static,
) -> Vec<(bool, Result<R, StoreError>)> {
    on_n_connections_within(pool, n, Duration::from_secs(30), f)
}

fn on_n_connections_within<R: Send + 'static>(
    pool: &PgPool,
    n: usize,
    patience: Duration,
    f: impl Fn(&mut Client) -> Result<R, StoreError> + Send + Sync + 'static,
) -> Vec<(bool, Result<R, StoreError>)> {
    let gate = Arc::new((Mutex::new(0usize), Condvar::new()));
    let f = Arc::new(f);
    let calls: Vec<_> = (0..n)
        .map(|_| {
            let (pool, gate, f) = (pool.clone(), Arc::clone(&gate), Arc::clone(&f));
            std::thread::spawn(move || {
                let (met_tx, met_rx) = mpsc::sync_channel(1);
                let result = pool.run(move |c| {
                    let (count, all) = &*gate;
                    let mut here = count.lock().unwrap();
                    *here += 1;
                    all.notify_all();
                    let (here, wait) = all.wait_timeout_while(here, patience, |k| *k < n).unwrap();
                    met_tx.send(!wait.timed_out() && *here >= n).unwrap();
                    drop(here);
                    f(c)
                });
                (met_rx.try_recv().unwrap_or(false), result)
            })
        })
        .collect();
    calls.into_iter().map(|t| t.join().unwrap()).collect()
}

fn backend_pid(c: &mut Client) -> Result<i32, StoreError> {
    Ok(c.query_one("SELECT pg_backend_pid()", &[])?.get(0))
}

#[test]
fn every_connection_of_the_pool_takes_calls() {
    let Some(b) = PgBackend::new() else { return };
    let pool = b.pool(3).unwrap();
    assert_eq!(pool.size(), 3);
    let results = on_n_connections_at_once(&pool, 3, backend_pid);
    let mut pids: Vec<i32> = results
        .into_iter()
        .map(|(met, r)| {
            assert!(met, "three calls did not run at once on a pool of three");
            r.unwrap()
        })
        .collect();
    pids.sort_unstable();
    pids.dedup();
    assert_eq!(pids.len(), 3, "three connections: {pids:?}");
}

#[test]
fn a_pool_of_one_never_runs_two_calls_at_once() {
    // The check above can fail: on one connection the first call gives up waiting for the
    // second (after the wait given here), and only then does the second run.
    let Some(b) = PgBackend::new() else { return };
    let pool = b.pool(1).unwrap();
    let results = on_n_connections_within(&pool, 2, Duration::from_secs(1), backend_pid);
    let met: Vec<bool> = results.iter().map(|(met, _)| *met).collect();
    assert!(met.contains(&false), "{met:?}");
    let pids: Vec<i32> = results.into_iter().map(|(_, r)| r.unwrap()).collect();
    assert_eq!(pids[0], pids[1], "one connection");
}

#[test]
fn each_connection_reconnects_after_its_backend_was_killed() {
    let Some(b) = PgBackend::new() else { return };
    let pool = b.pool(2).unwrap();
    let mut store = pool.store_for(5);
    store.record_answer(&answer("q1", "s1", true, 1)).unwrap();
    let old: Vec<i32> = on_n_connections_at_once(&pool, 2, backend_pid)
        .into_iter()
        .map(|(met, r)| {
            assert!(met);
            r.unwrap()
        })
        .collect();
    // Another session ends both (waiting until each is gone), as a server restart would.
    let mut admin = b.admin();
    for pid in &old {
        let ended: bool = admin
            .query_one("SELECT pg_terminate_backend($1, 10000)", &[pid])
            .unwrap()
            .get(0);
        assert!(ended);
    }
    // One call on each connection: it fails (the connection is gone; nothing is written)
    // unless the worker noticed the loss first and reconnected.
    for (met, r) in on_n_connections_at_once(&pool, 2, backend_pid) {
        assert!(met);
        match r {
            Err(StoreError::ConnectionLost { .. }) => {}
            Ok(pid) => assert!(!old.contains(&pid), "a dead connection answered"),
            Err(e) => panic!("{e:?}"),
        }
    }
    // The next call on each connection reconnects: two new backends.
    let mut new: Vec<i32> = on_n_connections_at_once(&pool, 2, backend_pid)
        .into_iter()
        .map(|(met, r)| {
            assert!(met);
            r.unwrap()
        })
        .collect();
    new.sort_unstable();
    new.dedup();
    assert_eq!(new.len(), 2);
    assert!(new.iter().all(|p| !old.contains(p)), "{old:?} {new:?}");
    store.record_answer(&answer("q1", "s1", true, 2)).unwrap();
    assert_eq!(store.tally().unwrap().answers, 2);
}

#[test]
fn a_panicking_call_fails_alone_and_the_worker_goes_on() {
    let Some(b) = PgBackend::new() else { return };
    let pool = b.pool(1).unwrap();
    let failed = pool.run(|_| -> Result<(), StoreError> { panic!("a bug in one call") });
    assert!(
        matches!(failed, Err(StoreError::ConnectionLost { .. })),
        "{failed:?}"
    );
    let mut store = pool.store_for(0);
    store.record_answer(&answer("q1", "s1", true, 1)).unwrap();
    assert_eq!(store.tally().unwrap().answers, 1);
}

#[test]
fn handles_share_the_pool_and_the_last_one_closes_it() {
    let Some(b) = PgBackend::new() else { return };
    let pool = b.pool(2).unwrap();
    let mut one = pool.store_for(1);
    let two = one.clone();
    drop(pool);
    one.record_answer(&answer("q1", "s1", true, 1)).unwrap();
    drop(one);
    assert_eq!(
        two.answers().unwrap().len(),
        1,
        "a clone is the same learner"
    );
    assert_eq!(two.user_id(), 1);
    drop(two); // joins the workers; must not hang
}
