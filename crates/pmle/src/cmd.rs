//! One module per subcommand; each returns the process exit code.

mod admin;
mod cards;
mod check;
mod cohort;
mod exam;
mod exam_report;
mod export;
mod item_analysis;
mod practice;
mod progress;
mod reports;
mod review;
mod search;
mod serve;
mod settings;
mod show;
mod simulate;
mod stats;
mod tools;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};

pub(crate) fn run(cli: &Cli) -> Result<ExitCode> {
    match &cli.command {
        None => stats::status(cli),
        Some(Command::Practice {
            section,
            count,
            id,
            seed,
            filters,
        }) => match id {
            Some(id) => practice::run_one(cli, id, *seed),
            None => {
                let filter = pmle_app::PracticeFilter {
                    section: section.clone(),
                    unseen: filters.unseen,
                    missed: filters.missed,
                    bookmarked: filters.bookmarked,
                    flagged: filters.flagged,
                    difficulty: filters.difficulty,
                    topic: filters.topic.clone(),
                    ..pmle_app::PracticeFilter::default()
                };
                practice::run(cli, &filter, *count, *seed)
            }
        },
        Some(Command::Review(args)) => review::list(cli, args),
        Some(Command::Bookmark { id, remove }) => review::mark(cli, id, !remove, true),
        Some(Command::Flag { id, remove }) => review::mark(cli, id, !remove, false),
        Some(Command::NoteOn { id, text, clear }) => review::note(cli, id, &text.join(" "), *clear),
        Some(Command::Report {
            id,
            reason,
            text,
            json,
        }) => review::report(cli, id, reason, &text.join(" "), *json),
        Some(Command::Reports {
            json,
            database,
            what,
        }) => reports::run(cli, *json, database.as_deref(), what.as_ref()),
        Some(Command::Show { id, answer, json }) => show::run(cli, id, *answer, *json),
        Some(Command::Stats { json }) => stats::run(cli, *json),
        Some(Command::Progress { days, json }) => progress::run(cli, *days, *json),
        Some(Command::Search { query, json, limit }) => {
            search::run(cli, &query.join(" "), *json, *limit)
        }
        Some(Command::Check { json, fingerprints }) => check::run(cli, *json, *fingerprints),
        Some(Command::Exam(args)) => exam::run(cli, args),
        Some(Command::Cards {
            optimize,
            reset_parameters,
            limit,
        }) => cards::run(cli, *optimize, *reset_parameters, *limit),
        Some(Command::Simulate {
            learners,
            seed,
            write_responses: Some(db),
            answers_per_learner,
            faulty_share,
            json,
            ..
        }) => item_analysis::write_responses(
            cli,
            db,
            learners.unwrap_or(1000),
            *seed,
            *answers_per_learner,
            *faulty_share,
            *json,
        ),
        Some(Command::Simulate {
            learners,
            seed,
            max_answers,
            learning,
            faults,
            json,
            ..
        }) => simulate::run(
            cli,
            learners.unwrap_or(40),
            *seed,
            *max_answers,
            learning,
            faults,
            *json,
        ),
        Some(Command::Items {
            flagged,
            json,
            source,
        }) => item_analysis::items(cli, *flagged, *json, source),
        Some(Command::Calibrate {
            write,
            min_responses,
            json,
            source,
        }) => item_analysis::calibrate(cli, *write, *min_responses, *json, source),
        Some(Command::Settings { json, change, all }) => settings::run(cli, *json, change, *all),
        Some(Command::Metrics {
            file,
            threshold,
            json,
            svg,
        }) => tools::metrics(file, *threshold, *json, svg.as_deref()),
        Some(Command::Choose { what }) => tools::choose(cli, what),
        Some(Command::Lab { what }) => tools::lab(what),
        Some(Command::Serve {
            addr,
            open,
            token,
            allow_host,
            database,
            log_format,
            csrf_secret_file,
            team,
            secure_cookies,
            trust_proxy,
        }) => serve::run(
            cli,
            *addr,
            *open,
            token.clone(),
            allow_host,
            database.as_deref(),
            serve::Ops {
                log_format: *log_format,
                csrf_secret_file: csrf_secret_file.as_deref(),
                team: *team,
                secure_cookies: *secure_cookies,
                trust_proxy: *trust_proxy,
            },
        ),
        Some(Command::Export { what }) => export::export(cli, what),
        Some(Command::Import { what }) => export::import(cli, what),
        Some(Command::Admin { database, what }) => admin::run(cli, database.as_deref(), what),
        Some(Command::Cohort { database, what }) => cohort::run(cli, database.as_deref(), what),
    }
}
