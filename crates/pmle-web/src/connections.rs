//! The accept loop: HTTP/1.1 connections with time limits and a cap on how many are open.
//!
//! `axum::serve` has no timeouts, so a client could hold connections open for ever by
//! sending a header slowly (slowloris) or by opening thousands and sending nothing. Here each
//! connection is served by hyper with a header-read timeout, which also closes a keep-alive
//! connection that sits idle between requests (hyper starts that clock whenever it waits for a
//! request head); the body timeout is in the request middleware (`security`). At most
//! [`Limits::max_connections`] are open: when a new one arrives at the cap, the oldest
//! connection with no request in progress is closed to make room (an idle one, or one still
//! sending its head or body; never one whose page is being computed); when every connection
//! is busy computing, the new one is closed.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

/// Bounds on what clients may hold or cause. [`Limits::default`] is what `pmle serve` uses;
/// tests shorten the times.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Time for a request's whole head (request line and headers) to arrive, counted from
    /// when the server starts waiting for it; so also how long an idle keep-alive connection
    /// stays open.
    pub header_read: Duration,
    /// Time for a request's whole body to arrive once its head has; after it, 408.
    pub body_read: Duration,
    /// Connections open at once.
    pub max_connections: usize,
    /// Labs computing at once (each takes about a second of CPU and some memory).
    pub lab_runs: usize,
    /// How long a lab request waits for a free slot before it gets 503 with `Retry-After`.
    pub lab_wait: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(10),
            max_connections: 128,
            lab_runs: 2,
            lab_wait: Duration::from_secs(2),
        }
    }
}

/// How long a request being computed at shutdown may take to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// One open connection: requests in progress, and the signal that closes it.
struct Slot {
    id: u64,
    busy: AtomicUsize,
    evict: Notify,
}

/// The open connections, oldest first.
#[derive(Default)]
struct Open {
    next: u64,
    slots: VecDeque<Arc<Slot>>,
}

impl Open {
    /// A slot for a new connection, or `None` when every open one is busy. At the cap, the
    /// oldest idle connection is told to close and loses its place.
    fn admit(&mut self, max: usize) -> Option<Arc<Slot>> {
        if self.slots.len() >= max.max(1) {
            let idle = self
                .slots
                .iter()
                .position(|s| s.busy.load(Ordering::SeqCst) == 0)?;
            if let Some(old) = self.slots.remove(idle) {
                old.evict.notify_one();
            }
        }
        self.next += 1;
        let slot = Arc::new(Slot {
            id: self.next,
            busy: AtomicUsize::new(0),
            evict: Notify::new(),
        });
        self.slots.push_back(slot.clone());
        Some(slot)
    }

    fn close(&mut self, id: u64) {
        self.slots.retain(|s| s.id != id);
    }
}

/// Counts a request in progress on its connection while alive.
pub(crate) struct Busy(Arc<Slot>);

impl Busy {
    fn new(slot: &Arc<Slot>) -> Busy {
        slot.busy.fetch_add(1, Ordering::SeqCst);
        Busy(slot.clone())
    }
}

/// The connection a request came on, as a request extension: the middleware marks it busy
/// once the request is whole (head and body), so a connection still trickling its body can
/// be closed to make room.
#[derive(Clone)]
pub(crate) struct Connection(Arc<Slot>);

impl Connection {
    /// Mark the connection busy until the returned guard is dropped.
    pub(crate) fn busy(&self) -> Busy {
        Busy::new(&self.0)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serve `router` on `listener` until `shutdown` completes, then let the open connections
/// finish their requests and return.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let open = Arc::new(Mutex::new(Open::default()));
    let mut tasks = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors or similar: wait a moment rather than spin.
                Err(e) if !is_connection_error(&e) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
                Err(_) => continue,
            },
        };
        while tasks.try_join_next().is_some() {}
        let slot = match open.lock() {
            Ok(mut o) => o.admit(limits.max_connections),
            Err(_) => None,
        };
        // Every connection is busy with a request: refuse this one by closing it.
        let Some(slot) = slot else { continue };
        tasks.spawn(connection(
            stream,
            router.clone(),
            limits.header_read,
            slot,
            open.clone(),
            stop_rx.clone(),
        ));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    while tasks.join_next().await.is_some() {}
    Ok(())
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}

async fn connection(
    stream: tokio::net::TcpStream,
    router: Router,
    header_read: Duration,
    slot: Arc<Slot>,
    open: Arc<Mutex<Open>>,
    mut stop: watch::Receiver<bool>,
) {
    let tower = TowerToHyperService::new(router);
    let this = Connection(slot.clone());
    let peer = stream.peer_addr().ok().map(crate::team::Peer);
    let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
        req.extensions_mut().insert(this.clone());
        if let Some(p) = peer {
            req.extensions_mut().insert(p);
        }
        hyper::service::Service::call(&tower, req)
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_read)
        .keep_alive(true);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    // On shutdown: a connection with no request being computed closes at once (an idle or
    // slow client must not hold the server up); one computing a page gets `SHUTDOWN_GRACE` to
    // send it.
    let grace = tokio::time::sleep(Duration::MAX / 4);
    let mut grace = std::pin::pin!(grace);
    let mut stopping = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            () = slot.evict.notified() => break,
            () = grace.as_mut(), if stopping => break,
            _ = stop.changed(), if !stopping => {
                stopping = true;
                if slot.busy.load(Ordering::SeqCst) == 0 {
                    break;
                }
                conn.as_mut().graceful_shutdown();
                grace.as_mut().reset(tokio::time::Instant::now() + SHUTDOWN_GRACE);
            }
        }
    }
    if let Ok(mut o) = open.lock() {
        o.close(slot.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_cap_the_oldest_idle_connection_makes_room() {
        let mut open = Open::default();
        let a = open.admit(2).unwrap();
        let b = open.admit(2).unwrap();
        a.busy.fetch_add(1, Ordering::SeqCst);
        let c = open.admit(2).unwrap();
        let ids: Vec<u64> = open.slots.iter().map(|s| s.id).collect();
        assert_eq!(ids, vec![a.id, c.id], "b was idle, so it went");
        assert_ne!(b.id, c.id);
        c.busy.fetch_add(1, Ordering::SeqCst);
        assert!(open.admit(2).is_none(), "every connection busy: refuse");
        open.close(a.id);
        assert!(open.admit(2).is_some());
    }
}
