//! `pmle items`, `pmle calibrate` and `pmle simulate --write-responses` (docs/engine.md
//! §8–9, docs/cli.md).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use pmle_app::{Flag, ResponseSimConfig};
use serde_json::json;

use crate::cli::Cli;
use crate::context::{open_app_at, open_app_for_reading};

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

pub(crate) fn items(cli: &Cli, flagged: bool, as_json: bool) -> Result<ExitCode> {
    let app = open_app_for_reading(cli)?;
    let mut analysis = app.item_analysis()?;
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
) -> Result<ExitCode> {
    let app = open_app_for_reading(cli)?;
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
    let run = app.calibrate_items(min_responses)?;
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
    let mut app = open_app_at(cli, db, seed)?;
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
        let value =
            json!({ "written": written, "database": db.display().to_string(), "seconds": seconds });
        writeln!(out, "{}", crate::safe_out::json(&value)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} synthetic learners wrote {} answers ({} first attempts) into {} ({seconds:.1} s)",
        written.learners,
        written.answers,
        written.first_attempts,
        db.display()
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
    writeln!(out, "  Then: pmle --db {} items --flagged", db.display())?;
    Ok(ExitCode::SUCCESS)
}
