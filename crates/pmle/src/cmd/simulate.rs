//! `pmle simulate`: strategies compared on synthetic learners, readiness calibration.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use pmle_app::{LearningModel, SimConfig};
use serde_json::{Map, Value, json};

use crate::cli::{Cli, SimFaults};
use crate::context::open_app;

pub(crate) fn run(
    cli: &Cli,
    learners: usize,
    seed: u64,
    max_answers: usize,
    learning: &str,
    faults: &SimFaults,
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
        memorise_share: faults.memorise_share,
        recall: faults.recall,
        mislabelled_share: faults.mislabelled_share,
        exam_shift_max: faults.exam_shift_max,
        stop_early_share: faults.stop_early_share,
        answers_per_day: faults.answers_per_day,
        mock_every: faults.mock_every,
        ..SimConfig::default()
    };
    let started = std::time::Instant::now();
    let report = app.simulate(&cfg)?;
    let seconds = started.elapsed().as_secs_f64();
    let mut strategies = Map::new();
    for s in &report.strategies {
        let r = &s.readiness;
        strategies.insert(
            s.strategy.name().to_owned(),
            json!({
                "questions_to_ready": s.questions_to_ready,
                "median": s.median,
                "reached": s.reached,
                "stopped_early": s.stopped_early,
                "readiness": {
                    "mae_points": r.mae_points,
                    "bias_points": r.bias_points,
                    "coverage": r.coverage,
                    "coverage_exam": r.coverage_exam,
                    "brier": r.brier,
                    "likely_ready": r.likely_ready,
                    "false_ready": r.false_ready,
                    "false_ready_rate": r.false_ready_rate,
                    "samples": r.samples,
                },
            }),
        );
    }
    let value = json!({
        "strategies": Value::Object(strategies),
        "config": {
            "learners": cfg.learners, "seed": cfg.seed, "target": cfg.target,
            "max_answers": cfg.max_answers, "answers_per_day": cfg.answers_per_day,
            "mock_every": cfg.mock_every, "questions": app.pack().questions.len(),
            "learning": cfg.learning.name(),
            "memorise_share": cfg.memorise_share, "recall": cfg.recall,
            "mislabelled_share": cfg.mislabelled_share,
            "mislabelled_items": report.mislabelled_items,
            "exam_shift_max": cfg.exam_shift_max,
            "stop_early_share": cfg.stop_early_share,
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
    writeln!(
        out,
        "  failure modes: {:.0}% memorise seen questions (right {:.0}% of the time), {} of {} \
         difficulty labels off by a level, real exam 0-{:.1} logits harder, {:.0}% stop early",
        cfg.memorise_share * 100.0,
        cfg.recall * 100.0,
        report.mislabelled_items,
        app.pack().questions.len(),
        cfg.exam_shift_max,
        cfg.stop_early_share * 100.0
    )?;
    let random = report
        .strategies
        .iter()
        .find(|s| s.strategy.name() == "random")
        .map(|s| s.questions_to_ready);
    writeln!(
        out,
        "  {:<10} {:>8} {:>8} {:>6} {:>6} {:>8} {:>12} {:>7}",
        "strategy", "to ready", "vs rand", "MAE", "bias", "coverage", "false-ready", "checks"
    )?;
    for s in &report.strategies {
        let vs = random
            .filter(|r| *r > 0.0)
            .map(|r| format!("{:.2}x", s.questions_to_ready / r))
            .unwrap_or_else(|| "-".to_owned());
        let r = &s.readiness;
        let false_ready = r.false_ready_rate.map_or_else(
            || "none given".to_owned(),
            |f| format!("{:.0}% of {}", f * 100.0, r.likely_ready),
        );
        writeln!(
            out,
            "  {:<10} {:>8.0} {:>8} {:>6.1} {:>+6.1} {:>7.0}% {:>12} {:>7}",
            s.strategy.name(),
            s.questions_to_ready,
            vs,
            r.mae_points,
            r.bias_points,
            r.coverage * 100.0,
            false_ready,
            r.samples
        )?;
    }
    writeln!(
        out,
        "  to ready: mean answers until the true real-exam score reaches the target ({} \
         learners who did not stop early; those who never got there count {}); MAE, bias and \
         coverage of the 80% interval against the true expected real-exam score",
        cfg.learners - report.strategies.first().map_or(0, |s| s.stopped_early),
        cfg.max_answers
    )?;
    Ok(ExitCode::SUCCESS)
}
