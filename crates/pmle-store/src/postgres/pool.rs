//! The connection pool: N worker threads, each owning one connection, taking jobs (closures)
//! from one shared queue. A [`PgPool`] is made once per server; [`PgPool::store_for`] hands
//! out cheap [`PgStore`] handles, one per learner, that all send their calls here.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread::JoinHandle;

use postgres::{Client, Config, NoTls};

use super::{PgStore, migrate};
use crate::StoreError;

/// How long a write waits for another writer's lock (as SQLite's busy timeout).
const LOCK_TIMEOUT: &str = "15s";

/// A job for whichever worker takes it first.
type Job = Box<dyn FnOnce(&mut Conn) + Send>;

/// Connections for many learners' [`PgStore`]s: a fixed number of worker threads, each with
/// its own connection (reconnecting when it was lost), taking calls from one queue in order.
/// Cloning it is cheap and shares the pool; the workers stop when the last clone and the
/// last [`PgStore`] made from it are dropped.
#[derive(Clone)]
pub struct PgPool {
    inner: Arc<Inner>,
}

struct Inner {
    jobs: Option<mpsc::Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
    shown: String,
    size: usize,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Closing the queue ends every worker, which closes its connection.
        self.jobs = None;
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

impl std::fmt::Debug for PgPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgPool")
            .field("url", &self.inner.shown)
            .field("size", &self.inner.size)
            .finish()
    }
}

/// One worker's connection.
pub(super) struct Conn {
    client: Option<Client>,
    config: Config,
    shown: String,
}

impl Conn {
    /// The live client, connecting again if the last one was lost.
    fn client(&mut self) -> Result<&mut Client, StoreError> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.client = None;
            self.client = Some(connect(&self.config, &self.shown)?);
        }
        self.client
            .as_mut()
            .ok_or_else(|| StoreError::Corrupt("no connection".to_owned()))
    }
}

fn connect(config: &Config, shown: &str) -> Result<Client, StoreError> {
    let mut client = config
        .connect(NoTls)
        .map_err(|source| StoreError::Connect {
            url: shown.to_owned(),
            source,
        })?;
    client.batch_execute(&format!(
        "SET default_transaction_read_only = on; SET lock_timeout = '{LOCK_TIMEOUT}'; \
         SET TIME ZONE 'UTC'"
    ))?;
    Ok(client)
}

impl PgPool {
    /// Connections for a server on a small machine (2 cores). The queries are short and
    /// index-bound, so a connection is either busy on a database core or waiting for a
    /// round trip; about two calls in flight per core keep both cores fed, which is also the
    /// common rule of thumb (cores × 2 + effective disks: HikariCP's "About Pool Sizing",
    /// the PostgreSQL wiki's "Number Of Database Connections") giving 4–5 for 2 cores. More
    /// only adds backend processes competing for the same two cores, each taking a slot of
    /// `max_connections` (default 100: two pmle servers take 8).
    pub const DEFAULT_SIZE: usize = 4;

    /// Connect `size` connections (at least one) to the database at `url`
    /// (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`, or a key=value string), refuse a
    /// database that belongs to another application or to a newer pmle, and run pending
    /// migrations (once, on the first connection). The tables live in the connection's
    /// current schema.
    pub fn open(url: &str, size: usize) -> Result<PgPool, StoreError> {
        let shown = super::redact(url);
        let config: Config = url
            .parse()
            .map_err(|e: postgres::Error| StoreError::BadUrl {
                url: shown.clone(),
                detail: e.to_string(),
            })?;
        Self::open_config(&config, shown, size)
    }

    pub(crate) fn open_config(
        config: &Config,
        shown: String,
        size: usize,
    ) -> Result<PgPool, StoreError> {
        let size = size.max(1);
        let (jobs, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let mut inner = Inner {
            jobs: Some(jobs),
            workers: Vec::with_capacity(size),
            shown,
            size,
        };
        // The first connection migrates; the others connect (at once) once it has. Each
        // phase's channel closes when its workers have all answered or died, so a worker
        // that panics while connecting cannot leave this waiting.
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(), StoreError>>();
        inner
            .workers
            .push(spawn(0, config, &inner.shown, &rx, ready_tx)?);
        wait_ready(&ready_rx, 1)?;
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(), StoreError>>();
        for i in 1..size {
            inner
                .workers
                .push(spawn(i, config, &inner.shown, &rx, ready_tx.clone())?);
        }
        drop(ready_tx);
        // On an error, dropping `inner` stops the workers that did start.
        wait_ready(&ready_rx, size - 1)?;
        Ok(PgPool {
            inner: Arc::new(inner),
        })
    }

    /// A handle for one learner's rows: every call it makes is scoped by `user_id`.
    pub fn store_for(&self, user_id: i64) -> PgStore {
        PgStore {
            pool: self.clone(),
            user_id,
        }
    }

    /// Every learner's answers, each with its user id, oldest first (answers of learners
    /// that no longer hold any are simply absent). Only for maintainers' reads across the
    /// whole team, such as item analysis and the anonymised export; a learner's own
    /// pages read through [`PgPool::store_for`].
    pub fn answers_of_every_learner(&self) -> Result<Vec<(i64, crate::AnswerRecord)>, StoreError> {
        self.run(super::every_learners_answers_in)
    }

    /// Every learner's question reports, each with its user id, oldest first: for the
    /// maintainers' triage (`pmle reports --database`), never for a learner's own pages.
    pub fn reports_of_every_learner(&self) -> Result<Vec<(i64, crate::ReportRecord)>, StoreError> {
        self.run(super::marks::every_learners_reports)
    }

    /// A maintainer's triage of report `report_id`, whoever filed it: written as that
    /// learner's own write (it moves their change token, so their pages show it at once).
    /// Returns the reporter's user id; [`StoreError::NoReport`] when no learner has it.
    pub fn set_report_outcome_any(
        &self,
        report_id: i64,
        outcome: &crate::ReportOutcome,
        note: Option<&str>,
        now_ms: i64,
    ) -> Result<i64, StoreError> {
        let (outcome, note) = (outcome.clone(), note.map(str::to_owned));
        self.run(move |c| {
            let user = super::marks::owner_of_report(c, report_id)?
                .ok_or(StoreError::NoReport(report_id))?;
            super::write(c, user, |tx| {
                super::marks::set_report_outcome(
                    tx,
                    user,
                    report_id,
                    &outcome,
                    note.as_deref(),
                    now_ms,
                )
            })?;
            Ok(user)
        })
    }

    /// How many connections (and worker threads) the pool has.
    pub fn size(&self) -> usize {
        self.inner.size
    }

    /// The database's address as given, without its password (for messages).
    pub fn url(&self) -> &str {
        &self.inner.shown
    }

    /// Run `f` on the first free connection and wait for its result.
    pub(super) fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        let (tx, rx) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |conn: &mut Conn| {
            let result = conn.client().and_then(f);
            let _ = tx.send(result);
        });
        let lost = || StoreError::ConnectionLost {
            detail: "the database call stopped before it answered".to_owned(),
        };
        self.inner
            .jobs
            .as_ref()
            .ok_or_else(lost)?
            .send(job)
            .map_err(|_| lost())?;
        rx.recv().map_err(|_| lost())?
    }
}

fn wait_ready(ready: &mpsc::Receiver<Result<(), StoreError>>, n: usize) -> Result<(), StoreError> {
    for _ in 0..n {
        match ready.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(_) => {
                return Err(StoreError::Corrupt(
                    "a database thread stopped while opening".to_owned(),
                ));
            }
        }
    }
    Ok(())
}

fn spawn(
    i: usize,
    config: &Config,
    shown: &str,
    rx: &Arc<Mutex<mpsc::Receiver<Job>>>,
    ready: mpsc::Sender<Result<(), StoreError>>,
) -> Result<JoinHandle<()>, StoreError> {
    let (config, shown, rx) = (config.clone(), shown.to_owned(), Arc::clone(rx));
    std::thread::Builder::new()
        .name(format!("pmle-postgres-{i}"))
        .spawn(move || {
            let opened = connect(&config, &shown).and_then(|mut client| {
                if i == 0 {
                    migrate::run(&mut client, &shown)?;
                }
                Ok(client)
            });
            let mut conn = Conn {
                client: None,
                config,
                shown,
            };
            match opened {
                Ok(client) => {
                    conn.client = Some(client);
                    let _ = ready.send(Ok(()));
                }
                Err(e) => {
                    let _ = ready.send(Err(e));
                    return;
                }
            }
            drop(ready);
            loop {
                // The lock is held only to take a job, never while running one.
                let job = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                let Ok(job) = job else { break };
                // A panicking call fails that call (its caller sees the reply channel
                // close); the worker drops its connection, whose transaction rolls back,
                // and goes on.
                if catch_unwind(AssertUnwindSafe(|| job(&mut conn))).is_err() {
                    conn.client = None;
                }
            }
        })
        .map_err(|e| StoreError::Corrupt(format!("cannot start a thread: {e}")))
}
