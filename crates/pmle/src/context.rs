//! Building an [`App`] from the global flags and the environment.

use anyhow::{Context, Result};
use pmle_app::{App, Clock, SystemClock, load_pack, paths::database_path};
use pmle_store::{PgAccounts, PgPool, PgStore, SqliteStore, StoreError};

use crate::cli::Cli;

/// The app for a command that writes: the database must be writable and its stored
/// settings and FSRS parameters usable (checked on opening, before any question is shown;
/// the error names the command that repairs them).
pub(crate) fn open_app(cli: &Cli, seed: Option<u64>) -> Result<App> {
    let app = open(cli, seed, false)?;
    app.check_stored_values()?;
    Ok(app)
}

/// The app for the commands that repair or replace stored values (`settings`, `cards
/// --reset-parameters`/`--optimize`, `import`): no check of those values.
pub(crate) fn open_app_to_repair(cli: &Cli, seed: Option<u64>) -> Result<App> {
    open(cli, seed, false)
}

/// The app for a command that only reads (export): a write-protected database is opened
/// read-only instead of refused.
pub(crate) fn open_app_for_reading(cli: &Cli) -> Result<App> {
    open(cli, Some(0), true)
}

/// The app for `pmle serve --database URL`: progress in PostgreSQL (checked as in
/// [`open_app`]).
pub(crate) fn open_app_on_postgres(cli: &Cli, url: &str) -> Result<App> {
    let clock = SystemClock;
    let pack = load_pack(cli.pack.as_deref(), clock.today())?;
    let store = PgStore::open(url).context("opening the PostgreSQL database")?;
    let shown = store.url().to_owned();
    let seed = clock.now().unix_timestamp_nanos() as u64;
    let app = App::new(pack, Box::new(store), Box::new(clock), seed, shown);
    app.check_stored_values()?;
    Ok(app)
}

/// The app on a team server's PostgreSQL database at `url` (its store is user 0, the
/// database's learner without an account) and the pool, for a maintainer's reads and
/// writes across every account (`pmle reports --database`).
pub(crate) fn open_app_on_pool(cli: &Cli, url: &str) -> Result<(App, pmle_store::PgPool)> {
    if cli.db.is_some() {
        anyhow::bail!(
            "--db chooses an SQLite file and --database (or PMLE_DATABASE_URL) a PostgreSQL \
             database: give only one"
        );
    }
    let clock = SystemClock;
    let pack = load_pack(cli.pack.as_deref(), clock.today())?;
    let pool = pmle_store::PgPool::open(url, 1).context("opening the PostgreSQL database")?;
    let store = pool.store_for(0);
    let shown = store.url().to_owned();
    let app = App::new(pack, Box::new(store), Box::new(clock), 0, shown);
    Ok((app, pool))
}

/// Every learner's answers on the PostgreSQL database at `url`, each account a learner of
/// its own ([`pmle_app::team_answers`]): what `pmle items`, `pmle calibrate` and `pmle export
/// responses` read on a team server.
pub(crate) fn team_answers_on(url: &str) -> Result<Vec<pmle_store::AnswerRecord>> {
    let pool = pmle_store::PgPool::open(url, 1).context("opening the PostgreSQL database")?;
    let by_user = pool
        .answers_of_every_learner()
        .context("reading every learner's answers")?;
    Ok(pmle_app::team_answers(by_user))
}

/// What `pmle serve --team --database URL` serves: the server's own app (for `/readyz`
/// only; no learner's page reaches it), the accounts, and the factory of each logged-in
/// user's app, on one connection pool and one loaded pack.
pub(crate) fn open_team_on_postgres(
    cli: &Cli,
    url: &str,
    secure_cookies: bool,
    trust_proxy: bool,
) -> Result<(App, pmle_web::Team)> {
    let clock = SystemClock;
    // One pack for every user's app: `App` holds it behind an `Arc`, so a clone is cheap.
    let pack = std::sync::Arc::new(load_pack(cli.pack.as_deref(), clock.today())?);
    let pool =
        PgPool::open(url, PgPool::DEFAULT_SIZE).context("opening the PostgreSQL database")?;
    let shown = pool.url().to_owned();
    let seed = clock.now().unix_timestamp_nanos() as u64;
    let server = App::new(
        pack.clone(),
        Box::new(pool.store_for(0)),
        Box::new(clock),
        seed,
        shown.clone(),
    );
    let accounts = pmle_app::accounts::Accounts::new(PgAccounts::from_store(pool.store_for(0)));
    let app_for: pmle_web::AppFactory = std::sync::Arc::new(move |user_id: i64| {
        App::new(
            pack.clone(),
            Box::new(pool.store_for(user_id)),
            Box::new(SystemClock),
            seed ^ (user_id as u64),
            shown.clone(),
        )
    });
    Ok((
        server,
        pmle_web::Team {
            accounts: std::sync::Arc::new(accounts),
            app_for,
            secure_cookies,
            trust_proxy,
            clock: std::sync::Arc::new(SystemClock),
        },
    ))
}

/// The app for a command that only reads, on PostgreSQL when `database` names one
/// (`--database URL` or `PMLE_DATABASE_URL`), else on the SQLite file as
/// [`open_app_for_reading`].
pub(crate) fn open_app_for_reading_from(cli: &Cli, database: Option<&str>) -> Result<App> {
    match database {
        Some(url) => {
            if cli.db.is_some() {
                anyhow::bail!(
                    "--db chooses an SQLite file and --database (or PMLE_DATABASE_URL) a \
                     PostgreSQL database: give only one"
                );
            }
            open_app_on_postgres(cli, url)
        }
        None => open_app_for_reading(cli),
    }
}

/// The app with an empty in-memory database, for commands that read only files given on
/// the command line (`--responses`): the learner's own database is not opened, nor made.
pub(crate) fn open_app_without_database(cli: &Cli) -> Result<App> {
    if cli.db.is_some() {
        anyhow::bail!("--responses reads only the files given, not a database: leave out --db");
    }
    let clock = SystemClock;
    let pack = load_pack(cli.pack.as_deref(), clock.today())?;
    let store = SqliteStore::open_in_memory().context("opening an in-memory database")?;
    Ok(App::new(
        pack,
        Box::new(store),
        Box::new(clock),
        0,
        "the responses files",
    ))
}

/// Whether a database argument names a PostgreSQL database rather than a file.
pub(crate) fn is_postgres_url(db: &std::path::Path) -> bool {
    db.to_str()
        .is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

fn open(cli: &Cli, seed: Option<u64>, read_only_ok: bool) -> Result<App> {
    let clock = SystemClock;
    let pack = load_pack(cli.pack.as_deref(), clock.today())?;
    let path = database_path(
        cli.db.clone(),
        std::env::var_os("PMLE_DB"),
        std::env::var_os("PMLE_HOME"),
    )?;
    let store = match SqliteStore::open(&path) {
        Err(StoreError::ReadOnly { .. }) if read_only_ok => SqliteStore::open_read_only(&path),
        other => other,
    }
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

/// The app over the database at `path` (not the learner's own): for `pmle simulate
/// --write-responses`, which fills a new database with synthetic learners.
pub(crate) fn open_app_at(cli: &Cli, path: &std::path::Path, seed: u64) -> Result<App> {
    let clock = SystemClock;
    let pack = load_pack(cli.pack.as_deref(), clock.today())?;
    let store = SqliteStore::open(path)
        .with_context(|| format!("opening the database at {}", path.display()))?;
    Ok(App::new(
        pack,
        Box::new(store),
        Box::new(clock),
        seed,
        path.display().to_string(),
    ))
}
