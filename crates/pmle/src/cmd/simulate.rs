//! `pmle simulate`: strategies compared on synthetic learners, readiness calibration.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use pmle_app::{LearningModel, SimConfig};
use serde_json::{Map, Value, json};

use crate::cli::Cli;
use crate::context::open_app;

pub(crate) fn run(
    cli: &Cli,
    learners: usize,
    seed: u64,
    max_answers: usize,
    learning: &str,
    as_json: bool,
) -> Result<ExitCode> {
    let app = open_app(cli, Some(seed))?;
    let target = app.settings()?.readiness_target;
    let cfg = SimConfig {
        learners,
        seed,
        target,
        max_answers,
        learning: if learning == "hardest" {
            LearningModel::Hardest
        } else {
            LearningModel::WithinReach
        },
        ..SimConfig::default()
    };
    let started = std::time::Instant::now();
    let report = app.simulate(&cfg)?;
    let seconds = started.elapsed().as_secs_f64();
    let mut strategies = Map::new();
    for s in &report.strategies {
        strategies.insert(
            s.strategy.name().to_owned(),
            json!({ "questions_to_ready": s.questions_to_ready, "median": s.median, "reached": s.reached }),
        );
    }
    let value = json!({
        "strategies": Value::Object(strategies),
        "readiness": {
            "mae_points": report.readiness.mae_points,
            "brier": report.readiness.brier,
            "bias_points": report.readiness.bias_points,
            "samples": report.readiness.samples,
        },
        "config": {
            "learners": cfg.learners, "seed": cfg.seed, "target": cfg.target,
            "max_answers": cfg.max_answers, "answers_per_day": cfg.answers_per_day,
            "mock_every": cfg.mock_every, "questions": app.pack().questions.len(),
            "learning": cfg.learning.name(),
        },
        "seconds": seconds,
    });
    let mut out = crate::safe_out::stdout();
    if as_json {
        writeln!(out, "{}", crate::safe_out::json(&value)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} synthetic learners ({} learning), target {:.0}%, seed {} ({seconds:.1} s)",
        cfg.learners,
        cfg.learning.name(),
        cfg.target * 100.0,
        cfg.seed
    )?;
    let random = report
        .strategies
        .iter()
        .find(|s| s.strategy.name() == "random")
        .map(|s| s.questions_to_ready);
    for s in &report.strategies {
        let vs = random
            .filter(|r| *r > 0.0 && s.strategy.name() != "random")
            .map(|r| {
                format!(
                    "  ({:+.0}% vs random)",
                    (s.questions_to_ready / r - 1.0) * 100.0
                )
            })
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<10} {:>7.0} answers to ready on average (median {:.0}; {}/{} reached){vs}",
            s.strategy.name(),
            s.questions_to_ready,
            s.median,
            s.reached,
            cfg.learners
        )?;
    }
    let r = &report.readiness;
    writeln!(
        out,
        "  readiness estimate vs truth: mean absolute error {:.1} points (bias {:+.1}), Brier {:.3}, {} checks",
        r.mae_points, r.bias_points, r.brier, r.samples
    )?;
    Ok(ExitCode::SUCCESS)
}
