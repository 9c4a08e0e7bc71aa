//! `pmle reports [--json] [--database URL]` and `pmle reports triage REPORT_ID
//! --accept|--reject|--fixed-in VERSION [--note TEXT]`: the question reports grouped by
//! question for a maintainer, and a decision on one (docs/cli.md).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use pmle_app::{App, ReportGroup, ReportScope, TriageChoice, date_of_ms, report_standing};

use crate::cli::{Cli, ReportsWhat};
use crate::context::{open_app, open_app_for_reading, open_app_on_pool};

pub(crate) fn run(
    cli: &Cli,
    as_json: bool,
    database: Option<&str>,
    what: Option<&ReportsWhat>,
) -> Result<ExitCode> {
    match what {
        None => list(cli, as_json, database),
        Some(ReportsWhat::Triage {
            report_id,
            accept,
            reject,
            fixed_in,
            note,
            json,
        }) => {
            let choice = match (accept, reject, fixed_in) {
                (true, _, _) => TriageChoice::Accept,
                (_, true, _) => TriageChoice::Reject,
                (_, _, Some(v)) => TriageChoice::FixedIn(v.clone()),
                _ => anyhow::bail!("give --accept, --reject or --fixed-in VERSION"),
            };
            triage(
                cli,
                database,
                *report_id,
                &choice,
                note.as_deref(),
                *json || as_json,
            )
        }
    }
}

fn list(cli: &Cli, as_json: bool, database: Option<&str>) -> Result<ExitCode> {
    let groups = match database {
        Some(url) => {
            let (app, pool) = open_app_on_pool(cli, url)?;
            app.report_groups(ReportScope::Team(&pool))?
        }
        None => open_app_for_reading(cli)?.report_groups(ReportScope::Own)?,
    };
    let mut out = crate::safe_out::stdout();
    if as_json {
        writeln!(
            out,
            "{}",
            crate::safe_out::json(&serde_json::json!({ "questions": groups }))?
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    if groups.is_empty() {
        writeln!(
            out,
            "No question is reported. A learner reports one with `pmle report ID --reason …`."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let reports: usize = groups.iter().map(|g| g.reports.len()).sum();
    let untriaged: usize = groups.iter().map(|g| g.untriaged).sum();
    writeln!(
        out,
        "{reports} report{} on {} question{}, {untriaged} not decided yet; untriaged wrong-key reports first.",
        if reports == 1 { "" } else { "s" },
        groups.len(),
        if groups.len() == 1 { "" } else { "s" },
    )?;
    writeln!(
        out,
        "Decide one with `pmle reports triage ID --accept|--reject|--fixed-in VERSION [--note TEXT]`."
    )?;
    for g in &groups {
        write_group(&mut out, g)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_group(out: &mut impl Write, g: &ReportGroup) -> Result<()> {
    let reasons: Vec<String> = g
        .by_reason
        .iter()
        .map(|(r, n)| format!("{r} {n}"))
        .collect();
    let place = if g.in_pack {
        format!(
            "section {} · {}:{}{}",
            g.section_id,
            g.file,
            g.line,
            if g.retired { " · retired" } else { "" }
        )
    } else {
        "not in this pack".to_owned()
    };
    writeln!(out)?;
    writeln!(
        out,
        "{} · {place} · {} · {} untriaged, {} triaged",
        g.question_id,
        reasons.join(", "),
        g.untriaged,
        g.triaged
    )?;
    for r in &g.reports {
        let who = r
            .user_id
            .map(|u| format!(" · user {u}"))
            .unwrap_or_default();
        writeln!(
            out,
            "  #{} {} · {}{who} · {}",
            r.id,
            r.reason.as_str(),
            date_of_ms(r.created_at_ms),
            if r.triage.is_some() {
                report_standing(r.triage.as_ref())
            } else {
                "untriaged".to_owned()
            }
        )?;
        if let Some(t) = &r.text {
            writeln!(out, "      {}", t.replace('\n', "\n      "))?;
        }
    }
    Ok(())
}

fn triage(
    cli: &Cli,
    database: Option<&str>,
    report_id: i64,
    choice: &TriageChoice,
    note: Option<&str>,
    as_json: bool,
) -> Result<ExitCode> {
    let (mut app, pool): (App, _) = match database {
        Some(url) => {
            let (app, pool) = open_app_on_pool(cli, url)?;
            (app, Some(pool))
        }
        None => (open_app(cli, Some(0))?, None),
    };
    let scope = match &pool {
        Some(p) => ReportScope::Team(p),
        None => ReportScope::Own,
    };
    let r = app.triage_report(scope, report_id, choice, note)?;
    let mut out = crate::safe_out::stdout();
    if as_json {
        writeln!(out, "{}", crate::safe_out::json(&r)?)?;
    } else {
        writeln!(
            out,
            "Report {} ({}{}): {}. The reporter sees it in the review centre and beside the question.",
            r.id,
            r.reason.as_str(),
            r.user_id.map(|u| format!(", user {u}")).unwrap_or_default(),
            report_standing(r.triage.as_ref())
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
