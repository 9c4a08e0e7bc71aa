//! `pmle cohort`: a team server's cohorts, for operators and tests (PostgreSQL only). The
//! rules are `pmle_app::cohort_access`'; the figures `pmle_app::CohortDashboard`'s; this
//! prints. An operator acts with an admin's rights.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use pmle_app::cohort_access::{Actor, Cohorts};
use pmle_app::{Clock, CohortDashboard, SystemClock, load_pack};
use pmle_store::{PgCohorts, PgPool};

use crate::cli::{Cli, CohortWhat};
use crate::cmd::admin::base_url_of;
use crate::safe_out;

pub(crate) fn run(cli: &Cli, database: Option<&str>, what: &CohortWhat) -> Result<ExitCode> {
    let cohorts = open(cli, database)?;
    let me = Actor::operator();
    let now = SystemClock.now();
    let mut out = safe_out::stdout();
    match what {
        CohortWhat::Create { name, coach } => {
            let coach_id = cohorts.user_id(coach)?;
            let id = cohorts.create(me, name, coach_id, now)?;
            writeln!(
                out,
                "Created cohort {id} ({}) coached by {coach}.",
                name.trim()
            )?;
            writeln!(
                out,
                "Invite learners with `pmle cohort invite {id} --base-url URL`."
            )?;
        }
        CohortWhat::Invite {
            cohort_id,
            base_url,
        } => {
            let base = base_url_of(base_url)?;
            let link = cohorts.create_join_link(me, *cohort_id, now)?;
            let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
            writeln!(
                out,
                "Share this link with the learners of cohort {cohort_id}; it is shown only now, \
                 works for any number of them, and expires {}:",
                link.expires_at.format(&f).unwrap_or_default()
            )?;
            writeln!(out, "{base}/join/{}", link.token)?;
        }
        CohortWhat::Dashboard {
            cohort_id,
            csv,
            json,
        } => {
            let d = cohorts.dashboard(me, *cohort_id, now)?;
            if let Some(path) = csv {
                if path.as_os_str() == "-" {
                    // CSV cells are already neutralised against formulas; write as is.
                    std::io::stdout().write_all(d.to_csv().as_bytes())?;
                    return Ok(ExitCode::SUCCESS);
                }
                std::fs::write(path, d.to_csv())
                    .with_context(|| format!("writing {}", path.display()))?;
                writeln!(
                    out,
                    "Wrote the dashboard of {} member{} to {}.",
                    d.members.len(),
                    if d.members.len() == 1 { "" } else { "s" },
                    path.display()
                )?;
            } else if *json {
                writeln!(out, "{}", safe_out::json(&d)?)?;
            } else {
                print_text(&mut out, &d)?;
            }
        }
        CohortWhat::List { json } => {
            let list = cohorts.list(me)?;
            if *json {
                writeln!(out, "{}", safe_out::json(&list)?)?;
            } else if list.is_empty() {
                writeln!(
                    out,
                    "No cohorts yet: `pmle cohort create NAME --coach EMAIL` creates one."
                )?;
            } else {
                for c in &list {
                    writeln!(
                        out,
                        "{:>5}  {}  coach {}  {} member(s)  exam {}",
                        c.id,
                        c.name,
                        c.coach_email.as_deref().unwrap_or("-"),
                        c.members.unwrap_or(0),
                        c.shared_exam_date.as_deref().unwrap_or("not set")
                    )?;
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn print_text(out: &mut impl Write, d: &CohortDashboard) -> Result<()> {
    writeln!(
        out,
        "Cohort dashboard as of {} — {} member(s); shared exam date {}.",
        d.as_of,
        d.members.len(),
        d.shared_exam_date.as_deref().unwrap_or("not set")
    )?;
    for m in &d.members {
        let r = &m.summary.readiness;
        let readiness = match (r.mean, r.low, r.high) {
            (Some(p), Some(lo), Some(hi)) => format!(
                "{:.0}% (80% interval {:.0}–{:.0}%)",
                p * 100.0,
                lo * 100.0,
                hi * 100.0
            ),
            _ => "not enough evidence yet".to_owned(),
        };
        writeln!(
            out,
            "  {}: readiness {readiness}; {} answers in the last {} days; {} mock exam(s); exam {}",
            m.name,
            m.summary.answers_last_7_days,
            pmle_app::RECENT_ANSWER_DAYS,
            m.summary.mock_exams.len(),
            match (&m.exam_date, m.days_to_exam) {
                (Some(date), Some(days)) => format!("{date} (in {days} days)"),
                _ => "not set".to_owned(),
            }
        )?;
    }
    if !d.quiet.is_empty() {
        let names: Vec<&str> = d.quiet.iter().map(|q| q.name.as_str()).collect();
        writeln!(out, "  Gone quiet: {}", names.join(", "))?;
    }
    writeln!(
        out,
        "`--csv FILE` exports every figure; `--json` gives the heat map and weakest topics too."
    )?;
    Ok(())
}

fn open(cli: &Cli, database: Option<&str>) -> Result<Cohorts> {
    if cli.db.is_some() {
        bail!(
            "cohorts live in a team server's PostgreSQL database, not in an SQLite file: drop \
             --db and give --database postgres://USER:PASSWORD@HOST:PORT/DATABASE"
        );
    }
    let Some(url) = database else {
        bail!(
            "cohorts need the team server's PostgreSQL database: give --database \
             postgres://USER:PASSWORD@HOST:PORT/DATABASE or set PMLE_DATABASE_URL (an SQLite \
             file serves one learner and has no cohorts)"
        );
    };
    let pool = PgPool::open(url, 1).context("opening the PostgreSQL database")?;
    let pack = load_pack(cli.pack.as_deref(), SystemClock.today())?;
    Ok(Cohorts::new(PgCohorts::new(&pool), Arc::new(pack)))
}
