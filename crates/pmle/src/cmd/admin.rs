//! `pmle admin`: the accounts of a team server (PostgreSQL only). The rules and the
//! secrets are `pmle_app::accounts`'; this prints.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use pmle_app::accounts::{Accounts, Link, UserInfo};
use pmle_app::{Clock, SystemClock};
use pmle_store::PgAccounts;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::cli::{AdminWhat, Cli};
use crate::safe_out;

pub(crate) fn run(cli: &Cli, database: Option<&str>, what: &AdminWhat) -> Result<ExitCode> {
    let accounts = open(cli, database)?;
    let now = SystemClock.now();
    let mut out = safe_out::stdout();
    match what {
        AdminWhat::CreateUser {
            email,
            role,
            base_url,
        } => {
            let base = base_url_of(base_url)?;
            let link = accounts.create_user(email, *role, now)?;
            writeln!(
                out,
                "Invited {} as {role} (user {}).",
                link.email, link.user_id
            )?;
            print_link(&mut out, &base, &link, "set their password")?;
        }
        AdminWhat::ResetPassword { email, base_url } => {
            let base = base_url_of(base_url)?;
            let link = accounts.reset_password(email, now)?;
            writeln!(
                out,
                "Reset {}: their password no longer works and their sessions have ended.",
                link.email
            )?;
            print_link(&mut out, &base, &link, "set a new password")?;
        }
        AdminWhat::Disable { email } => {
            let u = accounts.set_disabled(email, true)?;
            writeln!(
                out,
                "Disabled {}: they cannot log in, and their sessions have ended.",
                u.email
            )?;
        }
        AdminWhat::Enable { email } => {
            let u = accounts.set_disabled(email, false)?;
            writeln!(out, "Enabled {} ({}).", u.email, u.status.as_str())?;
        }
        AdminWhat::Users { json } => {
            let users = accounts.users()?;
            if *json {
                let rows: Vec<serde_json::Value> = users.iter().map(user_json).collect();
                writeln!(out, "{}", safe_out::json(&rows)?)?;
            } else if users.is_empty() {
                writeln!(
                    out,
                    "No users yet: `pmle admin create-user EMAIL --role admin` invites one."
                )?;
            } else {
                let width = users.iter().map(|u| u.email.len()).max().unwrap_or(5);
                writeln!(
                    out,
                    "{:>5}  {:<width$}  {:<7}  {:<8}  created",
                    "id", "e-mail", "role", "status"
                )?;
                for u in &users {
                    writeln!(
                        out,
                        "{:>5}  {:<width$}  {:<7}  {:<8}  {}",
                        u.id,
                        u.email,
                        u.role.as_str(),
                        u.status.as_str(),
                        day(u.created_at)
                    )?;
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn open(cli: &Cli, database: Option<&str>) -> Result<Accounts> {
    if cli.db.is_some() {
        bail!(
            "accounts live in a team server's PostgreSQL database, not in an SQLite file: drop \
             --db and give --database postgres://USER:PASSWORD@HOST:PORT/DATABASE"
        );
    }
    let Some(url) = database else {
        bail!(
            "accounts need the team server's PostgreSQL database: give --database \
             postgres://USER:PASSWORD@HOST:PORT/DATABASE or set PMLE_DATABASE_URL (an SQLite \
             file serves one learner and has no accounts)"
        );
    };
    let store = PgAccounts::open(url).context("opening the PostgreSQL database")?;
    Ok(Accounts::new(store))
}

/// The base address links start with: http(s)://host[:port][/path], without a trailing
/// slash, query, fragment or anything that could not be pasted into a browser as it is.
pub(crate) fn base_url_of(base: &str) -> Result<String> {
    let ok_scheme = base.starts_with("http://") || base.starts_with("https://");
    let host = base.split_once("://").map_or("", |(_, rest)| rest);
    if !ok_scheme
        || host.is_empty()
        || host.starts_with('/')
        || base.len() > 200
        || !base.chars().all(|c| c.is_ascii_graphic())
        || base.contains(['?', '#', '"', '<', '>', '\\'])
    {
        bail!(
            "--base-url must be the address users open pmle at, such as \
             https://pmle.example.org (http or https, no spaces, query or fragment, at most \
             200 characters)"
        );
    }
    Ok(base.trim_end_matches('/').to_owned())
}

fn print_link(out: &mut impl Write, base: &str, link: &Link, what: &str) -> Result<()> {
    writeln!(
        out,
        "Send them this one-time link to {what}; it is shown only now, works once, and \
         expires {}:",
        minute(link.expires_at)
    )?;
    writeln!(out, "{base}/invite/{}", link.token)?;
    Ok(())
}

fn minute(t: OffsetDateTime) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    t.format(&f).unwrap_or_default()
}

fn day(t: OffsetDateTime) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    t.format(&f).unwrap_or_default()
}

fn user_json(u: &UserInfo) -> serde_json::Value {
    serde_json::json!({
        "id": u.id,
        "email": u.email,
        "role": u.role.as_str(),
        "status": u.status.as_str(),
        "created_at": u.created_at.format(&Rfc3339).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            base_url_of("https://pmle.example.org/").unwrap(),
            "https://pmle.example.org"
        );
        assert_eq!(
            base_url_of("http://127.0.0.1:7878/team").unwrap(),
            "http://127.0.0.1:7878/team"
        );
        for bad in [
            "pmle.example.org",
            "ftp://x",
            "https://",
            "https:///x",
            "https://a b",
            "https://x/?a=1",
            "https://x/\u{1b}[2J",
            "javascript:alert(1)",
        ] {
            assert!(base_url_of(bad).is_err(), "{bad}");
        }
    }
}
