//! The mock-exam history as SVG written on the server: one column per submitted exam, oldest
//! on the left, its score as a dot, the prediction stored when it started as a band (the 80%
//! interval) with a tick at the predicted score, and a dashed line at the learner's target,
//! labelled as the target (Google publishes no pass mark). Colours come from the stylesheet;
//! the table beside it on the page holds the same figures.

use std::fmt::Write as _;

use pmle_app::{MockHistoryEntry, Progress};

const LEFT: f64 = 44.0;
const RIGHT: f64 = 440.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 194.0;

fn y(share: f64) -> f64 {
    BOTTOM - share.clamp(0.0, 1.0) * (BOTTOM - TOP)
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// What one exam's column says, for its tooltip.
fn column_title(e: &MockHistoryEntry) -> String {
    let pred = e.prediction.as_ref().map_or_else(
        || "no prediction stored".to_owned(),
        |p| {
            format!(
                "predicted {} (80% interval {}–{}), {} the interval",
                pct(p.predicted),
                pct(p.low),
                pct(p.high),
                p.outcome
            )
        },
    );
    format!(
        "Exam {} ({}, {}): scored {} ({}/{}); {pred}",
        e.exam_id,
        e.kind,
        e.date,
        pct(e.score),
        e.correct,
        e.questions
    )
}

/// The chart, or an empty string when there is no exam to draw.
pub(crate) fn history_chart(p: &Progress) -> String {
    let exams = &p.exams;
    let Some((first, last)) = exams.first().zip(exams.last()) else {
        return String::new();
    };
    let n = exams.len();
    let inside = exams
        .iter()
        .filter(|e| e.prediction.as_ref().is_some_and(|p| p.outcome == "inside"))
        .count();
    let predicted = exams.iter().filter(|e| e.prediction.is_some()).count();
    let (lo, hi) = exams.iter().fold((1.0f64, 0.0f64), |(lo, hi), e| {
        (lo.min(e.score), hi.max(e.score))
    });
    let span = if n == 1 {
        format!(
            "1 mock exam, on {}, scored {}",
            first.date,
            pct(first.score)
        )
    } else {
        format!(
            "{n} mock exams from {} to {}, scoring from {} to {}",
            first.date,
            last.date,
            pct(lo),
            pct(hi)
        )
    };
    let mut svg = format!(
        "<svg class=\"wide-chart\" role=\"img\" aria-labelledby=\"hc-t hc-d\" viewBox=\"0 0 580 250\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"hc-t\">Mock exam scores against their predictions</title>\
         <desc id=\"hc-d\">{span}, oldest on the left. Dots: scores. Shaded bars: the 80% interval predicted when each exam started, with a tick at the predicted score; {inside} of {predicted} scores with a prediction landed inside it. Dashed line: your target of {t}, a setting: Google publishes no pass mark.</desc>",
        t = pct(p.target)
    );
    // Axis and grid: 0, 25, 50, 75, 100%.
    for k in 0..=4 {
        let v = f64::from(k) * 0.25;
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" y1=\"{gy:.1}\" x2=\"{RIGHT}\" y2=\"{gy:.1}\" class=\"grid\"/><text x=\"{tx}\" y=\"{ty:.1}\" text-anchor=\"end\">{label}</text>",
            gy = y(v),
            tx = LEFT - 6.0,
            ty = y(v) + 4.0,
            label = pct(v)
        );
    }
    let step = (RIGHT - LEFT) / n as f64;
    let x = |i: usize| LEFT + (i as f64 + 0.5) * step;
    let half = (step * 0.18).clamp(3.0, 12.0);
    // Show every k-th date so the labels (about 64 units wide) never overlap.
    let every = (70.0 / step).ceil().max(1.0) as usize;
    if n > 1 {
        let pts: Vec<String> = exams
            .iter()
            .enumerate()
            .map(|(i, e)| format!("{:.1},{:.1}", x(i), y(e.score)))
            .collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" class=\"line\"/>",
            pts.join(" ")
        );
    }
    for (i, e) in exams.iter().enumerate() {
        let cx = x(i);
        let _ = write!(svg, "<g><title>{}</title>", column_title(e));
        if let Some(pr) = &e.prediction {
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" class=\"band\"/><line x1=\"{:.1}\" y1=\"{py:.1}\" x2=\"{:.1}\" y2=\"{py:.1}\" class=\"tick\"/>",
                cx - half,
                y(pr.high),
                2.0 * half,
                (y(pr.low) - y(pr.high)).max(1.0),
                cx - half,
                cx + half,
                py = y(pr.predicted)
            );
        }
        let _ = write!(
            svg,
            "<circle cx=\"{cx:.1}\" cy=\"{:.1}\" r=\"5\" class=\"dot{}\"/></g>",
            y(e.score),
            match e.prediction.as_ref().map(|p| p.outcome.as_str()) {
                Some("below") => " below",
                _ => "",
            }
        );
        if step >= 34.0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" class=\"score\">{}</text>",
                cx + half + 3.0,
                y(e.score) + 4.0,
                pct(e.score)
            );
        }
        if (n - 1 - i).is_multiple_of(every) {
            // Between the first and the last, dates give way on a phone (bigger text).
            let _ = write!(
                svg,
                "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\"{}>{}</text>",
                BOTTOM + 16.0,
                if i == 0 || i + 1 == n {
                    ""
                } else {
                    " class=\"date-mid\""
                },
                e.date
            );
        }
    }
    let ty = y(p.target);
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{ty:.1}\" x2=\"{RIGHT}\" y2=\"{ty:.1}\" class=\"target\"/>\
         <text x=\"{lx}\" y=\"{:.1}\">your target {t}</text><text x=\"{lx}\" y=\"{:.1}\" class=\"small\">(not a pass mark:</text><text x=\"{lx}\" y=\"{:.1}\" class=\"small\">Google has none)</text>\
         <text x=\"{LEFT}\" y=\"238\" class=\"legend\">● score   ▮ predicted 80% interval, – predicted score   - - - your target</text>",
        ty - 4.0,
        ty + 10.0,
        ty + 21.0,
        lx = RIGHT + 6.0,
        t = pct(p.target)
    );
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use pmle_app::MockPrediction;

    fn exam(id: i64, score: f64, pred: Option<(f64, f64, f64, &str)>) -> MockHistoryEntry {
        MockHistoryEntry {
            exam_id: id,
            date: format!("2026-11-{id:02}"),
            submitted_at_ms: 0,
            variant: "full".into(),
            section: None,
            kind: "full".into(),
            questions: 10,
            correct: (score * 10.0) as usize,
            score,
            auto_submitted: false,
            sections: Vec::new(),
            prediction: pred.map(|(predicted, low, high, o)| MockPrediction {
                predicted,
                low,
                high,
                outcome: o.into(),
            }),
        }
    }

    fn progress(exams: Vec<MockHistoryEntry>) -> Progress {
        Progress {
            as_of: "2026-12-01".into(),
            days: 30,
            exams,
            target: 0.7,
            target_text: String::new(),
            history_note: None,
            sections: Vec::new(),
            min_questions: 5,
            min_window_answers: 5,
        }
    }

    #[test]
    fn no_exam_draws_nothing() {
        assert_eq!(history_chart(&progress(Vec::new())), "");
    }

    #[test]
    fn scores_bands_and_the_target_sit_where_their_values_say() {
        let svg = history_chart(&progress(vec![
            exam(1, 0.5, Some((0.6, 0.4, 0.8, "inside"))),
            exam(2, 0.3, Some((0.65, 0.55, 0.75, "below"))),
            exam(3, 0.9, None),
        ]));
        // y = 194 − share × 180: 50% at 104, 30% at 140, 90% at 32; the target 70% at 68.
        assert!(svg.contains("cy=\"104.0\" r=\"5\" class=\"dot\""), "{svg}");
        assert!(
            svg.contains("cy=\"140.0\" r=\"5\" class=\"dot below\""),
            "{svg}"
        );
        assert!(svg.contains("cy=\"32.0\" r=\"5\" class=\"dot\""), "{svg}");
        assert!(
            svg.contains("y1=\"68.0\" x2=\"440\" y2=\"68.0\" class=\"target\""),
            "{svg}"
        );
        // Exam 1's band spans 80% (y 50) down to 40% (y 122); exam 3 has none.
        assert!(
            svg.contains("y=\"50.0\" width=\"24.0\" height=\"72.0\" class=\"band\""),
            "{svg}"
        );
        assert_eq!(svg.matches("class=\"band\"").count(), 2);
        assert!(svg.contains("your target 70%") && svg.contains("not a pass mark"));
        assert!(
            svg.contains("1 of 2 scores with a prediction landed inside it"),
            "{svg}"
        );
        assert!(
            svg.contains("3 mock exams from 2026-11-01 to 2026-11-03, scoring from 30% to 90%")
        );
        assert!(svg.contains("<title>Exam 2 (full, 2026-11-02): scored 30% (3/10); predicted 65% (80% interval 55%–75%), below the interval</title>"), "{svg}");
        assert_eq!(svg.matches("<polyline").count(), 1);
    }

    #[test]
    fn one_exam_is_a_single_column_without_a_line() {
        let svg = history_chart(&progress(vec![exam(
            1,
            0.62,
            Some((0.6, 0.5, 0.7, "inside")),
        )]));
        assert!(svg.contains("1 mock exam, on 2026-11-01, scored 62%"));
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(!svg.contains("<polyline"));
        // Alone, it is centred: x = 44 + 0.5 × 396.
        assert!(svg.contains("cx=\"242.0\""), "{svg}");
    }
}
