//! How long `check` takes on a synthetic pack of N questions (near-duplicate search included).
//!
//! ```text
//! cargo run --release -p pmle-content --example check_scale -- 8000 10000
//! ```

#[path = "../tests/support/synthetic.rs"]
mod synthetic;

use pmle_content::model::Date;
use pmle_content::{PackSource, check, load};

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1000, 8000, 10_000]
    } else {
        sizes
    };
    let today = Date {
        year: 2026,
        month: 11,
        day: 27,
    };
    for n in sizes {
        let source = PackSource::from_files("synthetic", synthetic::pack_files(n, 7, 50));
        let started = std::time::Instant::now();
        let report = check(&source, today);
        let seconds = started.elapsed().as_secs_f64();
        // `load` parses and lints without the near-duplicate search: the rest of the cost.
        let started = std::time::Instant::now();
        let _ = load(&source, today);
        let without = started.elapsed().as_secs_f64();
        println!(
            "{n:>6} questions: check {seconds:>8.2} s (load without near-duplicates {without:.2} s), \
             {} near-duplicate pair(s), {} diagnostic(s)",
            report.figures.near_duplicates.len(),
            report.diagnostics.len()
        );
    }
}
