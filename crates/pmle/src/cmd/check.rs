//! `pmle check`: lint a pack, print every problem and the quality figures.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use pmle_app::{Clock, SystemClock};
use pmle_content::fingerprint::{ReviewState, fingerprint};
use pmle_content::giveaways::Giveaways;
use pmle_content::{CheckReport, Figures, MAX_LONGEST_CORRECT_SHARE, Pack, PackSource, check};
use serde_json::json;

use crate::cli::Cli;

pub(crate) fn run(cli: &Cli, as_json: bool, fingerprints: bool) -> Result<ExitCode> {
    let source = match &cli.pack {
        Some(dir) => match PackSource::from_dir(dir) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {}", crate::safe_out::clean(&e.to_string()));
                return Ok(ExitCode::from(2));
            }
        },
        None => PackSource::embedded(),
    };
    let report = check(&source, SystemClock.today());
    let mut out = crate::safe_out::stdout();
    if fingerprints {
        let Some(pack) = &report.pack else {
            eprintln!("error: the pack could not be assembled; run `pmle check` to see why");
            return Ok(ExitCode::from(2));
        };
        write_fingerprints(&mut out, &source.origin, pack, as_json)?;
        return Ok(ExitCode::SUCCESS);
    }
    if as_json {
        let value = json!({
            "pack": source.origin,
            "ok": report.errors() == 0,
            "errors": report.errors(),
            "warnings": report.warnings(),
            "problems": report.diagnostics,
            "figures": report.figures,
        });
        writeln!(out, "{}", crate::safe_out::json(&value)?)?;
    } else {
        write_human(&mut out, &source.origin, &report)?;
    }
    Ok(if report.errors() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub(crate) fn write_human(out: &mut impl Write, origin: &str, r: &CheckReport) -> Result<()> {
    for d in &r.diagnostics {
        writeln!(out, "{d}")?;
    }
    if !r.diagnostics.is_empty() {
        writeln!(out)?;
    }
    let f = &r.figures;
    writeln!(out, "pack: {origin}")?;
    writeln!(
        out,
        "  {} questions · {} cards · {} notes · {} catalog entries · {} topics",
        f.questions, f.cards, f.notes, f.products, f.topics
    )?;
    if !f.sections.is_empty() {
        writeln!(
            out,
            "  section  weight  questions  share  multiple  longest-key  shortest-key  difficulty 1/2/3"
        )?;
        for s in &f.sections {
            writeln!(
                out,
                "  {:<7} {:>5}%  {:>9}  {:>4.0}%  {:>8}  {:>11}  {:>12}  {}/{}/{}",
                s.id,
                s.weight,
                s.questions,
                s.share_pct,
                s.multiple,
                format!("{}/{}", s.longest_correct, s.single),
                format!("{}/{}", s.shortest_correct, s.single),
                s.difficulty[0],
                s.difficulty[1],
                s.difficulty[2]
            )?;
        }
    }
    writeln!(
        out,
        "  correct option strictly longest: {:.0}% of single-select ({}/{}; limit {:.0}%)",
        f.longest_correct_share * 100.0,
        f.longest_correct,
        f.single_questions,
        MAX_LONGEST_CORRECT_SHARE * 100.0
    )?;
    writeln!(
        out,
        "  multiple-select: {:.0}% ({} of {})",
        f.multiple_share * 100.0,
        f.multiple_questions,
        f.questions
    )?;
    write_giveaways(out, f)?;
    let verdict = match (r.errors(), r.warnings()) {
        (0, 0) => "ok: no problems".to_owned(),
        (0, w) => format!("ok: 0 errors, {w} warning(s)"),
        (e, w) => format!("{e} error(s), {w} warning(s)"),
    };
    writeln!(out, "{verdict}")?;
    Ok(())
}

/// `pmle check --fingerprints`: id, fingerprint and review state of every question.
pub(crate) fn write_fingerprints(
    out: &mut impl Write,
    origin: &str,
    pack: &Pack,
    as_json: bool,
) -> Result<()> {
    if as_json {
        let rows: Vec<_> = pack
            .questions
            .iter()
            .map(|q| {
                json!({
                    "id": q.id,
                    "fingerprint": fingerprint(q),
                    "review": ReviewState::of(q),
                    "retired": q.retired,
                })
            })
            .collect();
        let value = json!({ "pack": origin, "questions": rows });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        for q in &pack.questions {
            let retired = if q.retired { " retired" } else { "" };
            writeln!(
                out,
                "{}  {}  {}{retired}",
                q.id,
                fingerprint(q),
                ReviewState::of(q).as_str()
            )?;
        }
    }
    Ok(())
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn giveaway_row(out: &mut impl Write, id: &str, g: &Giveaways) -> Result<()> {
    writeln!(
        out,
        "  {:<7} {:>7} {:>4} ({:>3})  {:>4} / {:<4}  {:>5.2} {:>4}  {:>3}/{:>3}/{:<3} {:>4}  {:>4}  {:>4}  {}/{}/{}",
        id,
        format!("{}/{}", g.echo_key, g.echo_eligible),
        pct(g.echo_rate),
        pct(g.echo_chance),
        pct(g.distractor_absolute_rate),
        pct(g.key_absolute_rate),
        g.length_ratio_median,
        pct(g.length_ratio_over_2_share),
        g.words.p10,
        g.words.median,
        g.words.p90,
        pct(g.words.in_range_share),
        pct(g.tradeoff_share),
        pct(g.difficulty_3_share),
        g.review.reviewed,
        g.review.current,
        g.review.agreed
    )?;
    Ok(())
}

/// The give-away and blind-review figures (docs/content-format.md, "Give-away figures").
fn write_giveaways(out: &mut impl Write, f: &Figures) -> Result<()> {
    let g = &f.giveaways;
    writeln!(
        out,
        "  give-aways: stem echo = key is the option repeating most stem words (chance); absolute words in distractors / keys;"
    )?;
    writeln!(
        out,
        "  option length max/min (median, share over 2); words of stem+options p10/median/p90 and share in 130–250"
    )?;
    writeln!(
        out,
        "  section  stem-echo (chance)  absolute     length     words        in-range trade-off level-3 reviewed/current/agreed"
    )?;
    for s in &g.sections {
        giveaway_row(out, &s.id, &s.figures)?;
    }
    giveaway_row(out, "all", &g.overall)?;
    let r = &g.overall.review;
    writeln!(
        out,
        "  words of stem+options: min {}, max {}; blind reviews: {} ({} current), agreed with the key {} of {}, confidence high/medium/low {}/{}/{}, \
         decided by constraints/recall/wording {}/{}/{}",
        g.overall.words.min,
        g.overall.words.max,
        r.reviewed,
        r.current,
        r.agreed,
        r.reviewed,
        r.confidence[0],
        r.confidence[1],
        r.confidence[2],
        r.decided_by[0],
        r.decided_by[1],
        r.decided_by[2]
    )?;
    Ok(())
}
