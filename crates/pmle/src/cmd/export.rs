//! `pmle export json|anki|anki-tsv|sheet FILE` and `pmle import json FILE`.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::cli::{Cli, ExportWhat, ImportWhat};
use crate::context::{
    open_app_for_reading, open_app_for_reading_from, open_app_to_repair, team_answers_on,
};

/// A spinner on a terminal unless `--quiet`; cleared when dropped.
fn spinner(quiet: bool, what: &str) -> Option<indicatif::ProgressBar> {
    (!quiet && std::io::stderr().is_terminal()).then(|| {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_message(what.to_owned());
        pb.enable_steady_tick(Duration::from_millis(100));
        pb
    })
}

/// Write through a temporary file created exclusively beside `path` and renamed over it:
/// a crash never leaves half a file, an existing file or symlink is never followed, and a
/// failed export leaves no temporary file.
fn write_json_atomically(path: &Path, backup: &pmle_app::Backup) -> Result<()> {
    pmle_anki::write_atomically(path, |file| {
        let mut w = std::io::BufWriter::new(file);
        serde_json::to_writer_pretty(&mut w, backup)
            .map_err(std::io::Error::from)
            .and_then(|()| w.flush())
            .map_err(|source| pmle_anki::AnkiError::Io {
                path: path.display().to_string(),
                source,
            })
    })
    .with_context(|| format!("writing the export to {}", path.display()))
}

/// `pmle export responses FILE`: the anonymised first attempts, from the SQLite file or
/// PostgreSQL. The learner keys' randomness comes from the operating system, so no two
/// exports share keys.
fn export_responses(
    cli: &Cli,
    file: &Path,
    min_cohort: usize,
    database: Option<&str>,
    quiet: bool,
) -> Result<ExitCode> {
    let app = open_app_for_reading_from(cli, database)?;
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| {
        anyhow::anyhow!(
            "the operating system's random source failed ({e}); the learner keys must be \
             unpredictable, so nothing was written"
        )
    })?;
    let written = match database {
        // A team server: every account is a learner of the export.
        Some(url) => app.export_responses_file_of(file, &team_answers_on(url)?, min_cohort, seed),
        None => app.export_responses_file(file, min_cohort, seed),
    }
    .with_context(|| format!("exporting responses to {}", file.display()))?;
    if !quiet {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "Exported {} first attempts by {} learners to {} (random learner keys, times \
             rounded to the day).",
            written.responses,
            written.learners,
            file.display()
        )?;
        if written.unknown_questions > 0 {
            writeln!(
                out,
                "  {} answers to questions no longer in the pack were left out.",
                written.unknown_questions
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn export(cli: &Cli, what: &ExportWhat) -> Result<ExitCode> {
    let app = match what {
        ExportWhat::Responses {
            file,
            min_cohort,
            database,
            quiet,
        } => return export_responses(cli, file, *min_cohort, database.as_deref(), *quiet),
        _ => open_app_for_reading(cli)?,
    };
    let started = Instant::now();
    let mut out = std::io::stdout().lock();
    match what {
        // Answered above, before the SQLite file is opened.
        ExportWhat::Responses { .. } => {}
        ExportWhat::Json { file, quiet } => {
            let pb = spinner(*quiet, "exporting your history");
            let backup = app.export_backup()?;
            write_json_atomically(file, &backup)?;
            drop(pb);
            if !quiet {
                writeln!(
                    out,
                    "Exported {} answers, {} exams, {} scheduled items, {} reviews to {} in {:.2} s.",
                    backup.answers.len(),
                    backup.exams.len(),
                    backup.schedule.len(),
                    backup.reviews.len(),
                    file.display(),
                    started.elapsed().as_secs_f64()
                )?;
            }
        }
        ExportWhat::Reports { file, quiet } => {
            let reports = app.reports_file()?;
            pmle_anki::write_atomically(file, |f| {
                let mut w = std::io::BufWriter::new(f);
                serde_json::to_writer_pretty(&mut w, &reports)
                    .map_err(std::io::Error::from)
                    .and_then(|()| w.write_all(b"\n"))
                    .and_then(|()| w.flush())
                    .map_err(|source| pmle_anki::AnkiError::Io {
                        path: file.display().to_string(),
                        source,
                    })
            })
            .with_context(|| format!("writing the reports to {}", file.display()))?;
            if !quiet {
                writeln!(
                    out,
                    "Exported {} report(s) to {}.",
                    reports.reports.len(),
                    file.display()
                )?;
            }
        }
        ExportWhat::Anki {
            file,
            questions,
            quiet,
        }
        | ExportWhat::AnkiTsv {
            file,
            questions,
            quiet,
        } => {
            let pb = spinner(*quiet, "writing Anki notes");
            let notes = app.anki_notes(*questions);
            if matches!(what, ExportWhat::Anki { .. }) {
                let now_secs = app.now_unix_ms() / 1000;
                pmle_anki::write_apkg(file, &notes, now_secs)?;
            } else {
                pmle_anki::write_tsv(file, &notes)?;
            }
            drop(pb);
            if !quiet {
                writeln!(
                    out,
                    "Wrote {} notes to {} (import it in Anki with File › Import).",
                    notes.len(),
                    file.display()
                )?;
            }
        }
        ExportWhat::Sheet { file, quiet } => {
            let sheet = app.study_sheet()?;
            let html = pmle_web::render_sheet(&sheet, pmle_web::SheetStyle::Inline);
            pmle_anki::write_atomically(file, |f| {
                f.write_all(html.as_bytes())
                    .map_err(|source| pmle_anki::AnkiError::Io {
                        path: file.display().to_string(),
                        source,
                    })
            })
            .with_context(|| format!("writing the summary to {}", file.display()))?;
            if !quiet {
                let weak: usize = sheet.sections.iter().map(|s| s.weak.weak.len()).sum();
                writeln!(
                    out,
                    "Wrote the summary ({} sections, {} weak topics from {} answered questions) to {}; \
                     open it in a browser and print it.",
                    sheet.sections.len(),
                    weak,
                    sheet.answered,
                    file.display()
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn import(cli: &Cli, what: &ImportWhat) -> Result<ExitCode> {
    let ImportWhat::Json { file, quiet } = what;
    // A good backup's settings replace bad stored ones, so import is a way out too.
    let mut app = open_app_to_repair(cli, Some(0))?;
    let started = Instant::now();
    let pb = spinner(*quiet, "importing");
    let sum = app.import_backup_file(file)?;
    drop(pb);
    if !quiet {
        writeln!(
            std::io::stdout().lock(),
            "Imported {} answers ({} already there), {} exams ({} already there), {} reviews ({} already there), \
             {} schedule entries updated, {} settings set, in {:.2} s.",
            sum.answers_added,
            sum.answers_skipped,
            sum.exams_added,
            sum.exams_skipped,
            sum.reviews_added,
            sum.reviews_skipped,
            sum.schedule_updated,
            sum.settings_set,
            started.elapsed().as_secs_f64()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
