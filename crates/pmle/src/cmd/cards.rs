//! `pmle cards`: flashcard review in the terminal, and `--optimize` for personal FSRS
//! parameters.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;
use pmle_app::{App, CombinedProgressState, OptimizeOutcome, Rating};

use crate::cli::Cli;
use crate::context::{open_app, open_app_to_repair};
use crate::render::{human_interval, indent};

pub(crate) fn run(
    cli: &Cli,
    optimize: bool,
    reset_parameters: bool,
    limit: usize,
) -> Result<ExitCode> {
    let mut app = if optimize || reset_parameters {
        open_app_to_repair(cli, None)?
    } else {
        open_app(cli, None)?
    };
    let mut out = crate::safe_out::stdout();
    if reset_parameters {
        let had = app.reset_fsrs_parameters()?;
        let what = if had {
            "Personal FSRS parameters removed"
        } else {
            "There were no personal FSRS parameters"
        };
        writeln!(
            out,
            "{what}; reviews use the default parameters. `pmle cards --optimize` fits new ones."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    if optimize {
        return run_optimize(&mut app, &mut out);
    }
    let queue = app.card_queue()?;
    let params = if queue.personal_parameters {
        "personal"
    } else {
        "default"
    };
    if queue.is_empty() {
        let next = queue
            .next_due_at_ms
            .map(|at| {
                format!(
                    " Next card due in {}.",
                    human_interval(at - app.now_unix_ms())
                )
            })
            .unwrap_or_default();
        writeln!(out, "No cards due.{next}")?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} due, {} new today, {} in learning steps · FSRS {params} parameters. Enter reveals; then rate 1 Again, 2 Hard, 3 Good, 4 Easy; q quits.",
        queue.due.len(),
        queue.new.len(),
        queue.learning
    )?;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut reviewed = 0;
    // The queue is read again after every rating, so a card rated Again comes back in
    // this session once its learning step is due (or early, when nothing else is left).
    while reviewed < limit {
        let queue = app.card_queue()?;
        let Some(id) = queue.next_card().map(str::to_owned) else {
            break;
        };
        let card = app.card(&id)?;
        let stage = if queue.due.contains(&id) {
            "due"
        } else if queue.new.contains(&id) {
            "new"
        } else {
            "learning, shown early"
        };
        writeln!(
            out,
            "\n── Card {} · {stage} · {} · {} ({} due, {} new, {} learning left)",
            reviewed + 1,
            card.topic_id,
            card.id,
            queue.due.len(),
            queue.new.len(),
            queue.learning
        )?;
        writeln!(out, "{}", indent(&card.front, "  "))?;
        write!(out, "\n(Enter to reveal) ")?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 || line.trim() == "q" {
            break;
        }
        writeln!(out, "{}", indent(&card.back, "  "))?;
        writeln!(out, "  Read more: {}", card.references.join(" · "))?;
        let iv = card.intervals_ms;
        let rating = loop {
            write!(
                out,
                "Rate: 1 Again ({}) · 2 Hard ({}) · 3 Good ({}) · 4 Easy ({}) > ",
                human_interval(iv[0]),
                human_interval(iv[1]),
                human_interval(iv[2]),
                human_interval(iv[3])
            )?;
            out.flush()?;
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 || line.trim() == "q" {
                writeln!(
                    out,
                    "\nReviewed {reviewed} card(s); your ratings are saved."
                )?;
                return Ok(ExitCode::SUCCESS);
            }
            match line
                .trim()
                .parse::<u32>()
                .ok()
                .and_then(Rating::from_number)
            {
                Some(r) => break r,
                None => writeln!(out, "type 1, 2, 3 or 4")?,
            }
        };
        let row = app.rate_card(&id, rating)?;
        reviewed += 1;
        writeln!(
            out,
            "  next review in {}",
            human_interval(row.due_at_ms - app.now_unix_ms())
        )?;
    }
    writeln!(
        out,
        "\nReviewed {reviewed} card(s); your ratings are saved."
    )?;
    Ok(ExitCode::SUCCESS)
}

fn run_optimize(app: &mut App, out: &mut impl Write) -> Result<ExitCode> {
    let items = app.fsrs_training_items()?;
    writeln!(
        out,
        "Fitting FSRS parameters to your review log ({items} training items)…"
    )?;
    let progress = CombinedProgressState::new_shared();
    let bar = std::io::stderr().is_terminal().then(|| {
        let pb = indicatif::ProgressBar::new(1);
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    });
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = bar.clone().map(|pb| {
        let progress: Arc<Mutex<CombinedProgressState>> = Arc::clone(&progress);
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            loop {
                let (cur, total, done) = match progress.lock() {
                    Ok(p) => (
                        p.current(),
                        p.total(),
                        p.finished() || stop.load(Ordering::Relaxed),
                    ),
                    Err(_) => return,
                };
                pb.set_length(total.max(1) as u64);
                pb.set_position(cur as u64);
                if done {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    });
    let outcome = app.optimize_fsrs(Some(Arc::clone(&progress)));
    stop.store(true, Ordering::Relaxed);
    if let Some(w) = watcher {
        let _ = w.join();
    }
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    match outcome? {
        OptimizeOutcome::Fitted {
            parameters,
            training_items,
        } => {
            writeln!(
                out,
                "Personal parameters fitted from {training_items} items and saved; reviews now use them."
            )?;
            writeln!(out, "w = {parameters:?}")?;
        }
        OptimizeOutcome::TooFewReviews {
            training_items,
            needed,
        } => {
            writeln!(
                out,
                "Not enough reviews yet ({training_items} training items, {needed} needed): the default FSRS parameters stay in use."
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
