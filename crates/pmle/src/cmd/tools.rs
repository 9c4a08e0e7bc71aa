//! `pmle metrics` and `pmle choose strategy`: calculators that need no progress database.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use pmle_labs::metrics::{curves_svg, parse_csv, report};
use pmle_labs::strategy::{Missing, Params, Partial, try_choose};

use crate::cli::{ChooseWhat, Cli, LabWhat};
use crate::context::open_app;

use pmle_labs::human::{number, opt};

pub(crate) fn metrics(
    file: &Path,
    threshold: f64,
    as_json: bool,
    svg: Option<&Path>,
) -> Result<ExitCode> {
    let text = read_csv(file)?;
    let samples = parse_csv(&text).with_context(|| format!("in {}", file.display()))?;
    let r = report(&samples, threshold)?;
    if let Some(path) = svg {
        let doc = curves_svg(&r).map_err(|e| anyhow::anyhow!("drawing the curves: {e}"))?;
        std::fs::write(path, doc).with_context(|| format!("writing {}", path.display()))?;
    }
    let mut out = crate::safe_out::stdout();
    if as_json {
        writeln!(out, "{}", crate::safe_out::json(&r)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let c = r.at.confusion;
    writeln!(
        out,
        "{} rows: {} positive, {} negative; threshold {}",
        r.rows,
        r.positives,
        r.negatives,
        number(threshold)
    )?;
    writeln!(out, "                 predicted +   predicted −")?;
    writeln!(
        out,
        "  actual +        {:>9}     {:>9}",
        format!("TP {}", c.tp),
        format!("FN {}", c.fn_)
    )?;
    writeln!(
        out,
        "  actual −        {:>9}     {:>9}",
        format!("FP {}", c.fp),
        format!("TN {}", c.tn)
    )?;
    writeln!(
        out,
        "accuracy {}  precision {}  recall {}  F1 {}  specificity {}",
        number(r.at.accuracy),
        opt(r.at.precision),
        opt(r.at.recall),
        opt(r.at.f1),
        opt(r.at.specificity)
    )?;
    writeln!(
        out,
        "ROC AUC {}  PR AUC (average precision) {}",
        opt(r.roc_auc),
        opt(r.pr_auc)
    )?;
    for n in &r.notes {
        writeln!(out, "note: {n}")?;
    }
    writeln!(
        out,
        "\nthreshold sweep ({} thresholds from the lowest score to the highest):\n  threshold  precision  recall     F1         FPR",
        r.sweep.len()
    )?;
    for s in &r.sweep {
        writeln!(
            out,
            "  {:<10} {:<10} {:<10} {:<10} {}",
            number(s.threshold),
            opt(s.precision),
            opt(s.recall),
            opt(s.f1),
            opt(s.false_positive_rate)
        )?;
    }
    if let Some(path) = svg {
        writeln!(out, "\ncurves drawn to {}", path.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The largest CSV `pmle metrics` reads.
const MAX_CSV_BYTES: u64 = 256 * 1024 * 1024;

/// A regular file of at most [`MAX_CSV_BYTES`]: `/dev/zero`, a FIFO or a directory is
/// refused by name instead of read without end.
fn read_csv(file: &Path) -> Result<String> {
    let bytes = match pmle_content::read_regular_file(file, MAX_CSV_BYTES) {
        Ok(b) => b,
        Err(pmle_content::PackError::Read { source, .. }) => {
            return Err(source).with_context(|| format!("reading {}", file.display()));
        }
        Err(pmle_content::PackError::NotARegularFile(_)) => anyhow::bail!(
            "{} is not a regular file (a device, FIFO or directory); give a CSV file",
            file.display()
        ),
        Err(_) => anyhow::bail!(
            "{} is larger than {} MiB; give a smaller CSV file",
            file.display(),
            MAX_CSV_BYTES / (1024 * 1024)
        ),
    };
    String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text; save it as UTF-8", file.display()))
}

pub(crate) fn choose(cli: &Cli, what: &ChooseWhat) -> Result<ExitCode> {
    let (nodes, devices, tpu, asynchronous, params, json) = match what {
        ChooseWhat::Product { answers, json } => return choose_product(cli, answers, *json),
        ChooseWhat::Strategy {
            nodes,
            devices,
            tpu,
            asynchronous,
            params,
            json,
        } => (nodes, devices, tpu, asynchronous, params, json),
    };
    let params = match params.as_str() {
        "cpu" => Params::Cpu,
        "parameter-servers" => Params::ParameterServers,
        _ => Params::EachDevice,
    };
    let mut partial = Partial {
        nodes: *nodes,
        devices_per_node: *devices,
        tpu: *tpu,
        asynchronous: *asynchronous,
        params,
    };
    let setup = loop {
        match partial.check() {
            Err(why) => {
                eprintln!("error: no strategy fits: {why}");
                return Ok(ExitCode::from(2));
            }
            Ok(Ok(setup)) => break setup,
            Ok(Err(missing)) => {
                let interactive =
                    !*json && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
                if !interactive {
                    let flags: Vec<&str> = missing.iter().map(|m| m.flag()).collect();
                    eprintln!(
                        "error: `pmle choose strategy` needs {} (machines in the job, and \
                         accelerators per machine); add --tpu for TPUs, --async for \
                         asynchronous updates. Example: pmle choose strategy --nodes 2 --devices 4",
                        flags.join(" and ")
                    );
                    return Ok(ExitCode::from(2));
                }
                let stdin = std::io::stdin();
                let mut out = crate::safe_out::stdout();
                for m in missing {
                    let max = match m {
                        Missing::Nodes => crate::cli::MAX_NODES,
                        Missing::Devices => crate::cli::MAX_DEVICES,
                    };
                    let Some(n) = ask_count(&mut stdin.lock(), &mut out, m.question(), max)? else {
                        eprintln!("error: no answer; give {} instead", m.flag());
                        return Ok(ExitCode::from(2));
                    };
                    match m {
                        Missing::Nodes => partial.nodes = Some(n),
                        Missing::Devices => partial.devices_per_node = Some(n),
                    }
                }
            }
        }
    };
    let c = try_choose(&setup)?;
    let mut out = crate::safe_out::stdout();
    if *json {
        writeln!(out, "{}", crate::safe_out::json(&c)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}  ({})", c.strategy, c.api)?;
    writeln!(out, "  why: {}", c.why)?;
    writeln!(
        out,
        "  {} · machines: {} · devices: {} · variables: {}",
        if c.synchronous {
            "synchronous"
        } else {
            "asynchronous"
        },
        c.nodes,
        c.devices,
        c.variables
    )?;
    for cav in &c.caveats {
        writeln!(out, "  - {cav}")?;
    }
    writeln!(out, "  read more: {}", c.reference)?;
    Ok(ExitCode::SUCCESS)
}

/// Ask `question` until the answer is a whole number from 1 to `max`; `None` at the end
/// of input.
fn ask_count(
    input: &mut impl BufRead,
    out: &mut impl Write,
    question: &str,
    max: u64,
) -> Result<Option<u32>> {
    loop {
        write!(out, "{question} (1 to {max}) > ")?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        match line.trim().parse::<u32>() {
            Ok(n) if n >= 1 && u64::from(n) <= max => return Ok(Some(n)),
            _ => writeln!(out, "Type a whole number from 1 to {max}.")?,
        }
    }
}

pub(crate) fn lab(what: &LabWhat) -> Result<ExitCode> {
    let mut out = crate::safe_out::stdout();
    match what {
        LabWhat::List { json } => {
            let infos: Vec<_> = pmle_labs::labs::all().iter().map(|l| l.info()).collect();
            if *json {
                writeln!(out, "{}", crate::safe_out::json(&infos)?)?;
            } else {
                for i in infos {
                    writeln!(out, "{:<22} {} — {}", i.id, i.title, i.shows)?;
                }
            }
        }
        LabWhat::Run {
            id,
            seed,
            json,
            svg,
        } => {
            let lab = pmle_labs::lab::find(id)?;
            let started = std::time::Instant::now();
            let r = lab.run(*seed)?;
            let millis = started.elapsed().as_secs_f64() * 1000.0;
            if let Some(path) = svg {
                let mut docs = Vec::new();
                for c in &r.charts {
                    docs.push(
                        pmle_labs::plot::chart_svg(c)
                            .map_err(|e| anyhow::anyhow!("drawing {}: {e}", c.title))?,
                    );
                }
                std::fs::write(path, stack_svgs(&docs))
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            if *json {
                let mut v = serde_json::to_value(&r)?;
                v["millis"] = serde_json::json!(millis);
                writeln!(out, "{}", crate::safe_out::json(&v)?)?;
                return Ok(ExitCode::SUCCESS);
            }
            writeln!(out, "{} (seed {seed}, {millis:.0} ms)", r.title)?;
            writeln!(out, "  {}", r.headline)?;
            for f in &r.figures {
                writeln!(out, "  {:<36} {}", f.label(), f.shown())?;
            }
            writeln!(
                out,
                "
What you just saw
{}",
                crate::render::indent(&wrap(r.lesson, 88), "  ")
            )?;
            if !r.questions.is_empty() {
                writeln!(
                    out,
                    "
Questions it explains: {}",
                    r.questions.join(", ")
                )?;
            }
            if !r.notes.is_empty() {
                writeln!(out, "Notes: {}", r.notes.join(", "))?;
            }
            if let Some(path) = svg {
                writeln!(out, "Chart drawn to {}", path.display())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Several SVG charts one under the other in one document.
fn stack_svgs(docs: &[String]) -> String {
    let inner = |svg: &str| {
        svg.split_once('>').map_or(String::new(), |(_, rest)| {
            rest.trim_end().trim_end_matches("</svg>").to_owned()
        })
    };
    let height = 420 * docs.len().max(1);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"{height}\" viewBox=\"0 0 640 {height}\">\n"
    );
    for (i, d) in docs.iter().enumerate() {
        out.push_str(&format!(
            "<g transform=\"translate(0,{})\">{}</g>\n",
            i * 420,
            inner(d)
        ));
    }
    out.push_str("</svg>\n");
    out
}

fn wrap(text: &str, width: usize) -> String {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + word.len() + 1 > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines.join("\n")
}

/// The product chooser: asks until it reaches a recommendation (or prints the pending
/// question as JSON for scripts).
fn choose_product(cli: &Cli, given: &[String], as_json: bool) -> Result<ExitCode> {
    use std::io::BufRead;
    let app = open_app(cli, Some(0))?;
    let mut answers: Vec<(String, String)> = Vec::new();
    for a in given {
        let (k, v) = a.split_once('=').ok_or_else(|| {
            anyhow::anyhow!("`--answer {a}`: write KEY=VALUE, e.g. --answer task=predict")
        })?;
        answers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = crate::safe_out::stdout();
    loop {
        let step = app.decide("product", &answers)?;
        match step {
            pmle_app::DecisionStep::Question {
                key,
                question,
                choices,
            } => {
                if as_json {
                    let v = serde_json::json!({"step": "question", "key": key, "question": question, "choices": choices});
                    writeln!(out, "{}", crate::safe_out::json(&v)?)?;
                    return Ok(ExitCode::from(1));
                }
                writeln!(out, "\n{question}")?;
                for (i, c) in choices.iter().enumerate() {
                    writeln!(out, "  {}. {}  [{}={}]", i + 1, c.label, key, c.value)?;
                }
                write!(out, "> ")?;
                out.flush()?;
                let mut line = String::new();
                if input.read_line(&mut line)? == 0 {
                    writeln!(
                        out,
                        "\nNo answer given; run again, or pass --answer {key}=VALUE."
                    )?;
                    return Ok(ExitCode::from(1));
                }
                let line = line.trim();
                let value = match line.parse::<usize>() {
                    Ok(n) if (1..=choices.len()).contains(&n) => choices[n - 1].value.clone(),
                    _ => line.to_owned(),
                };
                if choices.iter().any(|c| c.value == value) {
                    answers.push((key, value));
                } else {
                    writeln!(out, "type a number from 1 to {}", choices.len())?;
                }
            }
            pmle_app::DecisionStep::Result { .. } if as_json => {
                writeln!(out, "{}", crate::safe_out::json(&step)?)?;
                return Ok(ExitCode::SUCCESS);
            }
            pmle_app::DecisionStep::Result {
                product_name,
                why,
                runner_up_name,
                why_not,
                notes,
                docs_url,
                path,
                ..
            } => {
                writeln!(out, "\nRecommendation: {product_name}")?;
                writeln!(out, "  why: {why}")?;
                writeln!(out, "  runner-up: {runner_up_name} — {why_not}")?;
                writeln!(out, "  read: notes {} · {docs_url}", notes.join(", "))?;
                let answered: Vec<String> = path.iter().map(|(_, a)| a.clone()).collect();
                writeln!(out, "  because: {}", answered.join(" → "))?;
                return Ok(ExitCode::SUCCESS);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ask_count;

    #[test]
    fn asking_repeats_until_a_count_in_range() {
        let mut out = Vec::new();
        let got = ask_count(&mut &b"zero\n0\n5000\n3\n"[..], &mut out, "How many?", 4096).unwrap();
        assert_eq!(got, Some(3));
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text.matches("How many? (1 to 4096) > ").count(),
            4,
            "{text}"
        );
        assert_eq!(
            text.matches("Type a whole number from 1 to 4096.").count(),
            3
        );
        let mut out = Vec::new();
        assert_eq!(
            ask_count(&mut &b""[..], &mut out, "How many?", 9).unwrap(),
            None
        );
    }
}
