//! Building an [`App`] from the global flags and the environment.

use anyhow::{Context, Result};
use pmle_app::{App, Clock, SystemClock, load_pack, paths::database_path};
use pmle_store::SqliteStore;

use crate::cli::Cli;

pub(crate) fn open_app(cli: &Cli, seed: Option<u64>) -> Result<App> {
    let clock = SystemClock;
    let pack = load_pack(cli.pack.as_deref(), clock.today())?;
    let path = database_path(
        cli.db.clone(),
        std::env::var_os("PMLE_DB"),
        std::env::var_os("PMLE_HOME"),
    )?;
    let store = SqliteStore::open(&path)
        .with_context(|| format!("opening your progress database at {}", path.display()))?;
    let seed = seed.unwrap_or_else(|| clock.now().unix_timestamp_nanos() as u64);
    Ok(App::new(
        pack,
        Box::new(store),
        Box::new(clock),
        seed,
        path.display().to_string(),
    ))
}
