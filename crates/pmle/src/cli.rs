//! Command-line arguments. Names are a stable interface (see docs/cli.md).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
    /// Practise questions in the terminal, one line at a time (works when piped).
    Practice {
        /// Only this section: an id such as s3, or its number.
        #[arg(long, value_name = "ID")]
        section: Option<String>,
        /// How many questions.
        #[arg(long, default_value_t = 10, value_name = "N")]
        count: usize,
        /// Seed for question and option order (default: from the clock).
        #[arg(long, value_name = "N")]
        seed: Option<u64>,
    },
    /// Content and progress figures.
    Stats {
        /// Machine-readable output with stable keys.
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
        /// Show at most N results.
        #[arg(long, default_value_t = 10, value_name = "N")]
        limit: usize,
    },
    /// Lint a content pack: exit 0 clean, 1 problems found, 2 could not run.
    Check {
        #[arg(long)]
        json: bool,
    },
}
