//! Set-up shared by the app's integration tests: the embedded pack (dated far ahead, so no
//! question counts as stale), an in-memory store and the test's own clock.
#![allow(clippy::unwrap_used, dead_code)]

use pmle_app::{App, ManualClock, load_pack};
use pmle_content::model::Date;
use pmle_store::SqliteStore;

/// An app over the embedded pack and an empty in-memory store; `seed` drives its draws.
pub(crate) fn app(clock: &ManualClock, seed: u64) -> App {
    let today = Date {
        year: 2100,
        month: 1,
        day: 1,
    };
    App::new(
        load_pack(None, today).unwrap(),
        Box::new(SqliteStore::open_in_memory().unwrap()),
        Box::new(clock.clone()),
        seed,
        ":memory:",
    )
}
