//! Command-line arguments. Names are a stable interface (see docs/cli.md).

use std::path::PathBuf;

use clap::builder::RangedU64ValueParser;
use clap::{Parser, Subcommand};

/// Upper bounds of the count arguments: every count is checked by clap, so a wrong one is a
/// usage error (exit 2) that names the range, never an allocation the machine cannot make.
pub(crate) const MAX_PRACTICE: u64 = 1000;
pub(crate) const MAX_SEARCH: u64 = 100;
pub(crate) const MAX_CARDS: u64 = 1000;
pub(crate) const MAX_LEARNERS: u64 = pmle_app::MAX_SIM_LEARNERS as u64;
pub(crate) const MAX_ANSWERS: u64 = pmle_app::MAX_SIM_ANSWERS as u64;
pub(crate) const MAX_NODES: u64 = 100_000;
pub(crate) const MAX_DEVICES: u64 = 4096;

fn count(max: u64) -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(1..=max)
}

fn count_u32(max: u64) -> RangedU64ValueParser<u32> {
    RangedU64ValueParser::new().range(1..=max)
}

/// A probability threshold: a finite number (NaN and infinity compare with nothing).
fn finite(s: &str) -> Result<f64, String> {
    let x: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number; give one such as 0.5"))?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(format!(
            "`{s}` is not a finite number; give one such as 0.5"
        ))
    }
}

/// A progress window: one of the offered lengths in days.
fn window(s: &str) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(d) if pmle_app::PROGRESS_WINDOWS.contains(&d) => Ok(d),
        _ => Err(format!("`{s}` is not an offered window; give 30 or 90")),
    }
}

/// What goes wrong in the simulation (docs/engine.md §6); the defaults are the documented
/// ones. Shares are 0–1; the app refuses values outside their range with the reason.
#[derive(Debug, Clone, Copy, clap::Args)]
pub(crate) struct SimFaults {
    /// Share of learners who memorise the questions they have seen.
    #[arg(long, default_value_t = 0.5, value_name = "SHARE", value_parser = finite)]
    pub(crate) memorise_share: f64,
    /// Chance that a memoriser answers a seen question right from memory.
    #[arg(long, default_value_t = 0.9, value_name = "P", value_parser = finite)]
    pub(crate) recall: f64,
    /// Share of questions whose difficulty label is one level off.
    #[arg(long, default_value_t = 0.2, value_name = "SHARE", value_parser = finite)]
    pub(crate) mislabelled_share: f64,
    /// The real exam is U(0, this) logits harder than the bank, per learner (0 to 5).
    #[arg(long, default_value_t = 1.0, value_name = "LOGITS", value_parser = finite)]
    pub(crate) exam_shift_max: f64,
    /// Share of learners who stop practising early.
    #[arg(long, default_value_t = 0.2, value_name = "SHARE", value_parser = finite)]
    pub(crate) stop_early_share: f64,
    /// Answers a learner gives per day (sets forgetting and a mock exam's age).
    #[arg(long, default_value_t = 40, value_name = "N", value_parser = count(MAX_ANSWERS))]
    pub(crate) answers_per_day: usize,
    /// Practice answers between two mock exams (readiness is checked at each).
    #[arg(long, default_value_t = 50, value_name = "N", value_parser = count(MAX_ANSWERS))]
    pub(crate) mock_every: usize,
}

/// pmle — a local-first trainer for the Google Cloud Professional Machine Learning Engineer exam.
#[derive(Debug, Parser)]
#[command(name = "pmle", version, about, propagate_version = true)]
pub(crate) struct Cli {
    /// The database file that holds your progress [env: PMLE_DB; default: $PMLE_HOME/pmle.sqlite3 or the data directory]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Use the content pack in DIR instead of the embedded one.
    #[arg(long, global = true, value_name = "DIR")]
    pub pack: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// The web UI: dashboard, practice, mock exams, flashcards, notes, search, labs and tools.
    Serve {
        /// Where to listen; beyond loopback every request needs the access token.
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: std::net::SocketAddr,
        /// Open the browser.
        #[arg(long)]
        open: bool,
        /// Require this access token (at least 128 bits: 32 hex digits or 22 base64url
        /// characters). Beyond loopback without it, a random one is made and printed.
        #[arg(long, value_name = "SECRET")]
        token: Option<String>,
        /// Also answer requests for this host name (besides localhost and IP addresses);
        /// repeatable.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
        /// Keep progress in this PostgreSQL database instead of the SQLite file:
        /// postgres://USER:PASSWORD@HOST:PORT/DATABASE (tables in its current schema).
        #[arg(
            long,
            value_name = "URL",
            env = "PMLE_DATABASE_URL",
            hide_env_values = true
        )]
        database: Option<String>,
        /// Log one line per request to stderr (time, level, request id, method, path
        /// without the query string, status, duration in ms): text or json.
        #[arg(long, value_name = "FORMAT")]
        log_format: Option<LogFormatArg>,
        /// Read the secret that signs forms from FILE (at least 128 bits: `openssl rand
        /// -hex 32 > FILE`), so that several servers behind one load balancer accept each
        /// other's forms; default: a random one per run.
        #[arg(long, value_name = "FILE", env = "PMLE_CSRF_SECRET_FILE")]
        csrf_secret_file: Option<PathBuf>,
        /// Team server (needs --database): every learner logs in with the e-mail and
        /// password of an account (`pmle admin create-user`) and sees only their own
        /// progress; no access token.
        #[arg(long)]
        team: bool,
        /// With --team, behind a proxy that ends TLS (nginx): the session cookie is Secure
        /// and named __Host-pmle_session.
        #[arg(long)]
        secure_cookies: bool,
        /// With --team, behind a proxy that sets X-Forwarded-For: count failed log-ins under
        /// its last hop, not the proxy's address. Without a proxy, clients could forge it.
        #[arg(long)]
        trust_proxy: bool,
    },
    /// Practise questions in the terminal, one line at a time (works when piped).
    Practice {
        /// Only this section: an id such as s3, or its number.
        #[arg(long, value_name = "ID")]
        section: Option<String>,
        /// How many questions (1 to 1000).
        #[arg(long, default_value_t = 10, value_name = "N", value_parser = count(MAX_PRACTICE))]
        count: usize,
        /// Answer this one question (an id from `pmle search` or `pmle show`), then stop.
        #[arg(long, value_name = "QUESTION", conflicts_with_all = ["section", "count", "unseen", "missed", "bookmarked", "flagged", "difficulty", "topic"])]
        id: Option<String>,
        /// Seed for question and option order (default: from the clock).
        #[arg(long, value_name = "N")]
        seed: Option<u64>,
        #[command(flatten)]
        filters: PracticeFilters,
    },
    /// The review centre: past questions with your last answer; `--practice` practises them.
    Review(ReviewArgs),
    /// Bookmark a question (an id from `pmle search` or a practice header), or `--remove` it.
    Bookmark {
        id: String,
        #[arg(long)]
        remove: bool,
    },
    /// Flag a question to review later (as after a practice answer), or `--remove` the flag.
    Flag {
        id: String,
        #[arg(long)]
        remove: bool,
    },
    /// A private note on a question (up to 2000 characters); `--clear` removes it.
    #[command(name = "note-on")]
    NoteOn {
        id: String,
        /// The note; several words are joined with spaces.
        #[arg(num_args = 0.., required_unless_present = "clear", conflicts_with = "clear")]
        text: Vec<String>,
        #[arg(long)]
        clear: bool,
    },
    /// Report a faulty question for the pack's maintainers (`pmle export reports FILE`).
    Report {
        id: String,
        /// What is wrong: wrong-key, unclear, outdated or typo.
        #[arg(long, value_parser = ["wrong-key", "unclear", "outdated", "typo"])]
        reason: String,
        /// What you noticed (optional, up to 1000 characters).
        #[arg(num_args = 0..)]
        text: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Question reports grouped by question, most in need of a decision first (with
    /// --database: every account's, reporters as user ids); `triage` decides one.
    Reports {
        #[arg(long)]
        json: bool,
        /// A team server's PostgreSQL database (every account's reports):
        /// postgres://USER:PASSWORD@HOST:PORT/DATABASE.
        #[arg(
            long,
            global = true,
            value_name = "URL",
            env = "PMLE_DATABASE_URL",
            hide_env_values = true
        )]
        database: Option<String>,
        #[command(subcommand)]
        what: Option<ReportsWhat>,
    },
    /// Content and progress figures.
    Stats {
        /// Machine-readable output with stable keys.
        #[arg(long)]
        json: bool,
    },
    /// Progress over time: mock-exam scores beside their predictions, and each section's
    /// mastery now against 30 or 90 days ago.
    Progress {
        /// The trend window in days: 30 or 90.
        #[arg(long, default_value_t = 30, value_name = "30|90", value_parser = window)]
        days: u32,
        #[arg(long)]
        json: bool,
    },
    /// Search notes, questions, cards and product names (former names too).
    Search {
        /// Words to look for, e.g. "AutoML Tables".
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        #[arg(long)]
        json: bool,
        /// Show at most N results (1 to 100).
        #[arg(long, default_value_t = 10, value_name = "N", value_parser = count(MAX_SEARCH))]
        limit: usize,
    },
    /// Open a question, flashcard, note or catalog entry by id (ids from `pmle search`).
    Show {
        /// The id, e.g. `feature-store` or `s4-features-concepts-006`.
        id: String,
        /// For a question: reveal the key and every option's explanation.
        #[arg(long)]
        answer: bool,
        /// Machine-readable output; a question's key only with --answer.
        #[arg(long)]
        json: bool,
    },
    /// Lint a content pack: exit 0 clean, 1 problems found, 2 could not run.
    Check {
        #[arg(long)]
        json: bool,
        /// Print each question's fingerprint (and review state) instead of linting.
        #[arg(long)]
        fingerprints: bool,
    },
    /// A timed mock exam weighted like the real one; resumes an unfinished exam.
    Exam(ExamArgs),
    /// Review due flashcards (FSRS): reveal, then rate 1–4.
    Cards {
        /// Fit personal FSRS parameters from your review log instead of reviewing.
        #[arg(long, conflicts_with = "reset_parameters")]
        optimize: bool,
        /// Forget personal FSRS parameters: reviews use the defaults again.
        #[arg(long)]
        reset_parameters: bool,
        /// Show at most N cards (1 to 1000); a card back from its learning steps counts again.
        #[arg(long, default_value_t = 50, value_name = "N", value_parser = count(MAX_CARDS))]
        limit: usize,
    },
    /// Synthetic learners compare study strategies and check the readiness estimate.
    Simulate {
        /// How many synthetic learners (1 to 1000; default 40, 1000 with --write-responses).
        #[arg(long, value_name = "N", value_parser = count(MAX_LEARNERS))]
        learners: Option<usize>,
        #[arg(long, default_value_t = 1, value_name = "S")]
        seed: u64,
        /// Stop a learner who is not ready after this many answers (1 to 100000).
        #[arg(long, default_value_t = 1500, value_name = "N", value_parser = count(MAX_ANSWERS))]
        max_answers: usize,
        /// How synthetic learners learn: `within-reach` (gain ∝ 4p(1−p)) or `hardest` (gain ∝ 1−p).
        #[arg(long, default_value = "within-reach", value_parser = ["within-reach", "hardest"])]
        learning: String,
        #[command(flatten)]
        faults: SimFaults,
        /// Instead of comparing strategies, write the synthetic learners' answers (some
        /// questions made faulty) into DB, a database that holds no answer yet, for `pmle
        /// items` and `pmle calibrate` (with `--db DB`): an SQLite file, or a PostgreSQL
        /// database given as postgres://USER:PASSWORD@HOST:PORT/DATABASE (then `--database`).
        #[arg(long, value_name = "DB")]
        write_responses: Option<PathBuf>,
        /// With --write-responses: questions each learner answers (default 500, or every
        /// live question of a smaller pack).
        #[arg(long, value_name = "N", requires = "write_responses", value_parser = count(MAX_ANSWERS))]
        answers_per_learner: Option<usize>,
        /// With --write-responses: share of the questions made faulty (0 to 1).
        #[arg(long, default_value_t = 0.05, value_name = "SHARE", requires = "write_responses", value_parser = finite)]
        faulty_share: f64,
        #[arg(long)]
        json: bool,
    },
    /// Item analysis of the first attempts (the database's, or --responses files'): per
    /// question its statistics and flags (wrong key, dead distractor, …), most in need of
    /// attention first.
    Items {
        /// Only the flagged questions.
        #[arg(long)]
        flagged: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        source: ResponseSource,
    },
    /// Fit question difficulties from the first attempts (the database's, or --responses
    /// files'), the label as the prior.
    Calibrate {
        /// Write them to the pack's calibration.toml (needs --pack DIR).
        #[arg(long)]
        write: bool,
        /// Fewest first attempts a question needs to be written (1 to 1000000).
        #[arg(long, default_value_t = 50, value_name = "N", value_parser = count_u32(1_000_000))]
        min_responses: u32,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        source: ResponseSource,
    },
    /// Classification metrics from `label,score` rows: confusion matrix, ROC and PR curves.
    Metrics {
        /// CSV file with one `label,score` row per prediction (label 0 or 1).
        file: PathBuf,
        /// Scores at or above it count as positive.
        #[arg(long, default_value_t = 0.5, value_parser = finite)]
        threshold: f64,
        #[arg(long)]
        json: bool,
        /// Also draw the ROC and PR curves into this SVG file.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
    },
    /// Small experiments that show a concept: `pmle lab list`, `pmle lab run ID`.
    Lab {
        #[command(subcommand)]
        what: LabWhat,
    },
    /// Decision tools: the product chooser and the distribution-strategy chooser.
    Choose {
        #[command(subcommand)]
        what: ChooseWhat,
    },
    /// Export your progress (JSON backup), the flashcards (Anki) or a printable summary.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Import a JSON backup: validated first, merged in one transaction, safe to repeat.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Accounts of a team server (PostgreSQL only): invite users, reset passwords, disable.
    Admin {
        /// The team server's PostgreSQL database:
        /// postgres://USER:PASSWORD@HOST:PORT/DATABASE (as for `pmle serve --database`).
        #[arg(
            long,
            global = true,
            value_name = "URL",
            env = "PMLE_DATABASE_URL",
            hide_env_values = true
        )]
        database: Option<String>,
        #[command(subcommand)]
        what: AdminWhat,
    },
    /// Cohorts of a team server (PostgreSQL only): create, invite learners, dashboard.
    Cohort {
        /// The team server's PostgreSQL database:
        /// postgres://USER:PASSWORD@HOST:PORT/DATABASE (as for `pmle serve --database`).
        #[arg(
            long,
            global = true,
            value_name = "URL",
            env = "PMLE_DATABASE_URL",
            hide_env_values = true
        )]
        database: Option<String>,
        #[command(subcommand)]
        what: CohortWhat,
    },
    /// Show or change settings (retention, exam length, readiness target, exam date…).
    Settings {
        #[arg(long)]
        json: bool,
        /// `set KEY VALUE` (e.g. `set desired_retention 0.85`, `set exam_date 2027-03-15`),
        /// or `reset KEY` to go back to a setting's default (`reset exam_date` clears it).
        #[arg(num_args = 0..=3, value_name = "set KEY VALUE | reset KEY")]
        change: Vec<String>,
        /// With `reset`: every setting back to its default.
        #[arg(long)]
        all: bool,
    },
}

/// Practice filters; they combine (every one must hold).
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct PracticeFilters {
    /// Only questions you have never answered.
    #[arg(long, conflicts_with = "missed")]
    pub unseen: bool,
    /// Only questions whose last answer was wrong.
    #[arg(long)]
    pub missed: bool,
    /// Only bookmarked questions (`pmle bookmark ID`).
    #[arg(long)]
    pub bookmarked: bool,
    /// Only questions you flagged.
    #[arg(long)]
    pub flagged: bool,
    /// Only this difficulty: 1 recall, 2 applied, 3 trade-off.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=3))]
    pub difficulty: Option<u8>,
    /// Only this topic (a topic id, as `pmle show QUESTION --json` lists).
    #[arg(long, value_name = "ID")]
    pub topic: Option<String>,
}

/// `pmle review`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("which").multiple(false))]
pub(crate) struct ReviewArgs {
    /// Only questions whose last answer was wrong.
    #[arg(long, group = "which")]
    pub wrong: bool,
    #[arg(long, group = "which")]
    pub bookmarked: bool,
    #[arg(long, group = "which")]
    pub flagged: bool,
    #[arg(long, group = "which")]
    pub reported: bool,
    /// Practise the listed questions instead of listing them.
    #[arg(long, conflicts_with = "json")]
    pub practice: bool,
    /// With --practice: how many questions (1 to 1000).
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = count(MAX_PRACTICE), requires = "practice")]
    pub count: usize,
    /// With --practice: seed for question and option order.
    #[arg(long, value_name = "N", requires = "practice")]
    pub seed: Option<u64>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ExamArgs {
    /// Only this section (id such as s5, or its number).
    #[arg(long, value_name = "ID", conflicts_with = "retry")]
    pub section: Option<String>,
    /// Only questions whose last answer was wrong.
    #[arg(long)]
    pub retry: bool,
    /// Seed of the draw: the same seed and history give the same exam.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Print the drawn exam without starting it (with --json: machine-readable).
    #[arg(long)]
    pub plan: bool,
    #[arg(long)]
    pub json: bool,
    /// Submit any unfinished exam as it stands and start a new one.
    #[arg(long, conflicts_with = "abandon")]
    pub new: bool,
    /// Discard the unfinished exam without scoring it: it is kept, marked abandoned, and stays
    /// out of the history, the last score and readiness (with --json: machine-readable).
    #[arg(long, conflicts_with_all = ["plan", "report", "list"])]
    pub abandon: bool,
    /// Show the report of exam ID (default: the latest finished).
    #[arg(long, value_name = "ID", num_args = 0..=1, default_missing_value = "0")]
    pub report: Option<i64>,
    /// Which questions the report reviews.
    #[arg(long, value_enum, default_value_t = ReviewFilter::Wrong)]
    pub review: ReviewFilter,
    /// List finished exams.
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReviewFilter {
    Wrong,
    Flagged,
    All,
    None,
}

/// Where `pmle items` and `pmle calibrate` read the answers from.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ResponseSource {
    /// Read these anonymised responses files (`pmle export responses`, from one or more
    /// servers) instead of a database (no database is opened, PMLE_DATABASE_URL neither);
    /// learners in different files are kept apart.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub responses: Vec<PathBuf>,
    /// Read the answers from this PostgreSQL database instead of the SQLite file:
    /// postgres://USER:PASSWORD@HOST:PORT/DATABASE.
    #[arg(
        long,
        value_name = "URL",
        env = "PMLE_DATABASE_URL",
        hide_env_values = true
    )]
    pub database: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReportsWhat {
    /// Decide a report: --accept, --reject or --fixed-in VERSION, with an optional --note
    /// the reporter reads.
    #[command(group = clap::ArgGroup::new("outcome").required(true).multiple(false))]
    Triage {
        /// The report's id (`pmle reports` lists them).
        report_id: i64,
        /// The question is faulty; a fix is to come.
        #[arg(long, group = "outcome")]
        accept: bool,
        /// The question is right as it is.
        #[arg(long, group = "outcome")]
        reject: bool,
        /// Fixed in this pmle release (MAJOR.MINOR.PATCH, e.g. 0.2.0).
        #[arg(long, value_name = "VERSION", group = "outcome")]
        fixed_in: Option<String>,
        /// A short note for the reporter (up to 500 characters).
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ExportWhat {
    /// First attempts with no user identifier, for `pmle calibrate --responses`: random
    /// learner keys new with every export, times rounded to the day. Refused when fewer than
    /// --min-cohort learners answered.
    Responses {
        file: PathBuf,
        /// Fewest learners an export may hold, so that no one person's answers can be
        /// singled out (1 to 1000000).
        #[arg(long, default_value_t = pmle_app::DEFAULT_MIN_COHORT, value_name = "N", value_parser = count(1_000_000))]
        min_cohort: usize,
        /// Export from this PostgreSQL database instead of the SQLite file:
        /// postgres://USER:PASSWORD@HOST:PORT/DATABASE.
        #[arg(
            long,
            value_name = "URL",
            env = "PMLE_DATABASE_URL",
            hide_env_values = true
        )]
        database: Option<String>,
        #[arg(long)]
        quiet: bool,
    },
    /// Your reports of faulty questions, as JSON for the pack's maintainers.
    Reports {
        file: PathBuf,
        #[arg(long)]
        quiet: bool,
    },
    /// Everything you have (answers, exams, flags, card states, review log, settings).
    Json {
        file: PathBuf,
        /// No progress output.
        #[arg(long)]
        quiet: bool,
    },
    /// Flashcards as an Anki package (.apkg); `--questions` adds the questions as cards.
    Anki {
        file: PathBuf,
        #[arg(long)]
        questions: bool,
        #[arg(long)]
        quiet: bool,
    },
    /// Flashcards as Anki's tab-separated text with headers.
    #[command(name = "anki-tsv")]
    AnkiTsv {
        file: PathBuf,
        #[arg(long)]
        questions: bool,
        #[arg(long)]
        quiet: bool,
    },
    /// A printable summary as one self-contained HTML file: per exam section, your weak
    /// topics, the key decisions, product renames and formulas.
    Sheet {
        file: PathBuf,
        #[arg(long)]
        quiet: bool,
    },
}

/// A role as typed: learner, coach or admin.
fn role(s: &str) -> Result<pmle_app::accounts::Role, String> {
    pmle_app::accounts::Role::parse(s)
        .ok_or_else(|| "use learner, coach or admin (in lower case)".to_owned())
}

#[derive(Debug, Subcommand)]
pub(crate) enum AdminWhat {
    /// Add a user and print their one-time invitation link (valid 7 days, shown once).
    #[command(name = "create-user")]
    CreateUser {
        email: String,
        /// What the user may do: learner, coach or admin.
        #[arg(long, value_parser = role)]
        role: pmle_app::accounts::Role,
        /// The address users open pmle at; the link is BASE-URL/invite/TOKEN.
        #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:7878")]
        base_url: String,
    },
    /// End the user's sessions and password, and print a one-time link to set a new one
    /// (valid 24 hours, shown once).
    #[command(name = "reset-password")]
    ResetPassword {
        email: String,
        /// The address users open pmle at; the link is BASE-URL/invite/TOKEN.
        #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:7878")]
        base_url: String,
    },
    /// Stop the user from logging in and end their sessions.
    Disable { email: String },
    /// Let a disabled user log in again.
    Enable { email: String },
    /// List the users: e-mail, role, status (invited, active or disabled).
    Users {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CohortWhat {
    /// Create a cohort coached by the coach with this e-mail; prints its id.
    Create {
        name: String,
        /// The coach's e-mail address (a user with the coach role).
        #[arg(long, value_name = "EMAIL")]
        coach: String,
    },
    /// Print a new join link for learners (multi-use, valid 14 days, shown once).
    Invite {
        cohort_id: i64,
        /// The address users open pmle at; the link is BASE-URL/join/TOKEN.
        #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:7878")]
        base_url: String,
    },
    /// The cohort dashboard: per member readiness, sections, answers, mocks, exam date.
    Dashboard {
        cohort_id: i64,
        /// Write the dashboard as CSV to FILE (`-` for standard output).
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// List every cohort: id, name, coach, members, shared exam date.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ImportWhat {
    /// A backup written by `pmle export json`.
    Json {
        file: PathBuf,
        #[arg(long)]
        quiet: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ChooseWhat {
    /// Which Google Cloud ML product fits: answers the questions one by one, or takes them
    /// all as `--answer KEY=VALUE`.
    Product {
        /// An answer, e.g. `--answer task=predict --answer team=sql`.
        #[arg(long = "answer", value_name = "KEY=VALUE")]
        answers: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Which TensorFlow distribution strategy fits your hardware and update style.
    Strategy {
        /// Machines in the job (1 to 100000); asked for on a terminal when missing.
        #[arg(long, value_parser = count_u32(MAX_NODES))]
        nodes: Option<u32>,
        /// Accelerators (or devices) per machine (1 to 4096); asked for on a terminal when
        /// missing.
        #[arg(long, value_parser = count_u32(MAX_DEVICES))]
        devices: Option<u32>,
        /// Training on TPUs.
        #[arg(long)]
        tpu: bool,
        /// Workers should not wait for each other (asynchronous updates).
        #[arg(long = "async")]
        asynchronous: bool,
        /// Where variables live: each-device, cpu or parameter-servers.
        #[arg(long, default_value = "each-device", value_parser = ["each-device", "cpu", "parameter-servers"])]
        params: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum LabWhat {
    /// The labs and what each shows.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Run one lab: figures, the lesson, and the questions and notes it explains.
    Run {
        id: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        json: bool,
        /// Draw the lab's chart(s) into this SVG file.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
    },
}

/// `pmle serve --log-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormatArg {
    Text,
    Json,
}
