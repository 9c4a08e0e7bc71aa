//! `pmle items`, `pmle calibrate` and `pmle simulate --write-responses` (docs/engine.md
//! §8–9, docs/cli.md).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use pmle_app::{App, Flag, MergeReport, PooledResponses, ResponseSimConfig};
use serde_json::json;

use crate::cli::{Cli, ResponseSource};
use crate::context::{
    is_postgres_url, open_app_at, open_app_for_reading_from, open_app_on_postgres,
    open_app_without_database, team_answers_on,
};

/// The app and the pooled responses: from the files given, else from the database.
fn pooled(cli: &Cli, source: &ResponseSource) -> Result<(App, PooledResponses)> {
    if source.responses.is_empty() {
        let app = open_app_for_reading_from(cli, source.database.as_deref())?;
        let pooled = match source.database.as_deref() {
            // A team server: every account's answers, not only the database's own learner.
            Some(url) => app.responses_of(&team_answers_on(url)?),
            None => app.database_responses()?,
        };
        Ok((app, pooled))
    } else {
        let app = open_app_without_database(cli)?;
        let pooled = app.merge_response_files(&source.responses)?;
        Ok((app, pooled))
    }
}

/// What was read from responses files and what was set aside, one line each.
fn merge_lines(r: &MergeReport) -> Vec<String> {
    let rows: usize = r.files.iter().map(|f| f.rows).sum();
    let mut lines = vec![format!(
        "Read {} responses file{} ({rows} rows): {} used",
        r.files.len(),
        if r.files.len() == 1 { "" } else { "s" },
        r.kept
    )];
    if r.unknown_questions > 0 {
        lines.push(format!(
            "{} rows for question ids this pack does not have were left out (e.g. {}): was the \
             file written with another pack version?",
            r.unknown_questions,
            r.unknown_examples.join(", ")
        ));
    }
    if r.invalid_options > 0 {
        lines.push(format!(
            "{} rows choosing options their question does not have (or one twice) were left out",
            r.invalid_options
        ));
    }
    if r.malformed > 0 {
        lines.push(format!(
            "{} malformed rows (attempt 0, or a time not rounded as the file says) were left out",
            r.malformed
        ));
    }
    if r.duplicate_first_attempts > 0 || r.later_attempts > 0 {
        lines.push(format!(
            "{} repeated first attempts and {} later attempts are not counted (first attempts \
             only)",
            r.duplicate_first_attempts, r.later_attempts
        ));
    }
    if r.correct_disagrees_with_key > 0 {
        lines.push(format!(
            "{} rows were graded differently from this pack's key (kept as graded): did a key \
             change since they were written?",
            r.correct_disagrees_with_key
        ));
    }
    if r.other_guide_versions > 0 {
        lines.push(format!(
            "{} file(s) were written with another exam-guide version of the pack",
            r.other_guide_versions
        ));
    }
    lines
}

/// Option letter in authoring order (A = the first option in the pack file).
fn letter(option: u8) -> char {
    char::from(b'A' + option.min(25))
}

fn flag_text(f: &Flag) -> String {
    match f {
        Flag::NegativelyDiscriminating => "negatively discriminating (key?)".into(),
        Flag::StrongLearnersPreferDistractor { option } => {
            format!("strong learners prefer {}", letter(*option))
        }
        Flag::Reported => "reported".into(),
        Flag::NotDiscriminating => "not discriminating".into(),
        Flag::DeadDistractor { option } => format!("dead distractor {}", letter(*option)),
        Flag::TooEasy => "too easy".into(),
    }
}

pub(crate) fn items(
    cli: &Cli,
    flagged: bool,
    as_json: bool,
    source: &ResponseSource,
) -> Result<ExitCode> {
    let (app, pooled) = pooled(cli, source)?;
    let mut analysis = match source.database.as_deref() {
        // A team server: every account's reports count, not only the database's learner's.
        Some(url) if source.responses.is_empty() => {
            let pool = pmle_store::PgPool::open(url, 1)
                .context("opening the PostgreSQL database for its reports")?;
            app.item_analysis_of_team(pooled, &pool)?
        }
        _ => app.item_analysis_of(pooled)?,
    };
    if flagged {
        analysis.items.retain(|r| !r.stats.flags.is_empty());
    }
    let mut out = crate::safe_out::stdout();
    if as_json {
        writeln!(out, "{}", crate::safe_out::json(&json!(analysis))?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} first attempts by {} learner{} (statistics and flags: docs/engine.md §8)",
        analysis.first_attempts,
        analysis.learners,
        if analysis.learners == 1 { "" } else { "s" }
    )?;
    for line in analysis.files.iter().flat_map(merge_lines) {
        writeln!(out, "  {line}")?;
    }
    if analysis.learners < 2 {
        writeln!(
            out,
            "  One learner gives each question at most one first attempt: item analysis needs \
             pooled responses (a flag needs 30 first attempts of a question)."
        )?;
    }
    if analysis.items.is_empty() {
        writeln!(
            out,
            "  {}",
            if flagged {
                "No question is flagged."
            } else {
                "No question has been answered."
            }
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "  {:<44} {:>5} {:>5} {:>6} {:>7}  flags",
        "question", "n", "p", "r", "median"
    )?;
    for r in &analysis.items {
        let s = &r.stats;
        let p = s.p_value.map_or("-".into(), |p| format!("{p:.2}"));
        let d = s.discrimination.map_or("-".into(), |d| format!("{d:+.2}"));
        let t = s
            .median_ms
            .map_or("-".into(), |m| format!("{:.0}s", f64::from(m) / 1000.0));
        let flags: Vec<String> = s.flags.iter().map(flag_text).collect();
        writeln!(
            out,
            "  {:<44} {:>5} {:>5} {:>6} {:>7}  {}",
            r.id,
            s.n,
            p,
            d,
            t,
            flags.join("; ")
        )?;
        if !s.flags.is_empty() {
            writeln!(
                out,
                "    {}:{}  (pmle show {} --answer)",
                r.file, r.line, r.id
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn calibrate(
    cli: &Cli,
    write: bool,
    min_responses: u32,
    as_json: bool,
    source: &ResponseSource,
) -> Result<ExitCode> {
    let target = if write {
        let Some(dir) = cli.pack.as_deref() else {
            bail!(
                "--write needs the pack's directory: the embedded pack cannot be changed; pass \
                 --pack DIR (e.g. --pack content/pmle), then rebuild pmle to ship it"
            );
        };
        Some(dir.join("calibration.toml"))
    } else {
        None
    };
    let (app, pooled) = pooled(cli, source)?;
    let run = app.calibrate_items_of(pooled, min_responses)?;
    if let Some(path) = &target {
        if run.fitted.is_empty() {
            bail!(
                "no question has {min_responses} first attempts, so nothing was written; pool \
                 more responses or lower --min-responses"
            );
        }
        std::fs::write(path, &run.toml).with_context(|| format!("writing {}", path.display()))?;
    }
    let mut out = crate::safe_out::stdout();
    if as_json {
        let written = target.as_deref().map(Path::display).map(|p| p.to_string());
        let value = json!({ "calibration": run, "written": written });
        writeln!(out, "{}", crate::safe_out::json(&value)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} first attempts by {} learners; population of abilities N({:.2}, {:.2}²); {} \
         iterations{}",
        run.first_attempts,
        run.learners,
        run.ability_mean,
        run.ability_sd,
        run.iterations,
        if run.converged {
            ""
        } else {
            " (did not converge)"
        }
    )?;
    for line in run.files.iter().flat_map(merge_lines) {
        writeln!(out, "  {line}")?;
    }
    writeln!(
        out,
        "  {} questions fitted (at least {} first attempts each); {} keep their label",
        run.fitted.len(),
        run.min_responses,
        run.below_minimum
    )?;
    let mut moved: Vec<_> = run.fitted.iter().collect();
    moved.sort_by(|a, b| {
        (b.difficulty - b.prior)
            .abs()
            .total_cmp(&(a.difficulty - a.prior).abs())
    });
    if !moved.is_empty() {
        writeln!(
            out,
            "  Furthest from their label (logits; labels 1, 2, 3 sit at -0.8, 0, +0.8):"
        )?;
        for f in moved.iter().take(10) {
            writeln!(
                out,
                "    {:<44} label {} ({:+.1})  fitted {:+.2} ± {:.2}  from {} answers",
                f.id, f.label, f.prior, f.difficulty, f.se, f.responses
            )?;
        }
    }
    match &target {
        Some(path) => writeln!(out, "  Written to {}", path.display())?,
        None if !run.fitted.is_empty() => {
            writeln!(
                out,
                "  Not written: add --write --pack DIR to write calibration.toml"
            )?;
        }
        None => {}
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn write_responses(
    cli: &Cli,
    db: &Path,
    learners: usize,
    seed: u64,
    answers_per_learner: Option<usize>,
    faulty_share: f64,
    as_json: bool,
) -> Result<ExitCode> {
    let mut app = if is_postgres_url(db) {
        if cli.db.is_some() {
            bail!(
                "--write-responses names the PostgreSQL database to fill; leave out --db (it \
                 chooses an SQLite file)"
            );
        }
        open_app_on_postgres(cli, &db.to_string_lossy())?
    } else {
        open_app_at(cli, db, seed)?
    };
    // Never print a PostgreSQL password: the app shows its database with it removed.
    let shown = app.database_label().to_owned();
    let live = app.pack().questions.iter().filter(|q| !q.retired).count();
    let cfg = ResponseSimConfig {
        learners,
        answers_per_learner: answers_per_learner.unwrap_or(500.min(live)),
        faulty_share,
        seed,
        ..ResponseSimConfig::default()
    };
    let started = std::time::Instant::now();
    let written = app.write_simulated_responses(&cfg)?;
    let seconds = started.elapsed().as_secs_f64();
    let mut out = crate::safe_out::stdout();
    if as_json {
        let value = json!({ "written": written, "database": shown, "seconds": seconds });
        writeln!(out, "{}", crate::safe_out::json(&value)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} synthetic learners wrote {} answers ({} first attempts) into {} ({seconds:.1} s)",
        written.learners, written.answers, written.first_attempts, shown
    )?;
    writeln!(out, "  {} questions made faulty:", written.faulty.len())?;
    for f in &written.faulty {
        writeln!(
            out,
            "    {:<44} {}",
            f.id,
            json!(f.fault).as_str().unwrap_or("?")
        )?;
    }
    if is_postgres_url(db) {
        writeln!(out, "  Then: pmle items --flagged --database URL")?;
    } else {
        writeln!(out, "  Then: pmle --db {shown} items --flagged")?;
    }
    Ok(ExitCode::SUCCESS)
}
