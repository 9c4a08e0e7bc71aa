//! The `pmle` command: parses arguments and hands each subcommand to its module.
//!
//! Thin on purpose: study logic lives in `pmle-app` and below, so the terminal and web
//! front ends behave the same as this command line.

mod cli;
mod cmd;
mod context;
mod render;
mod safe_out;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(&cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {}", safe_out::clean(&err.to_string()));
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {}", safe_out::clean(&cause.to_string()));
            }
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
