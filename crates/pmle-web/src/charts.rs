//! Dashboard charts as SVG written on the server: readable without JavaScript, each with a
//! title and a description for screen readers, colours from the stylesheet (so both themes
//! work). The same numbers are always in a table or sentence beside the chart.

use std::fmt::Write as _;

use pmle_app::DayActivity;

use crate::pages::count;

/// Horizontal bars of mastery per section with the section weight beside each, and a dashed
/// line at the learner's readiness target. A section without answers (`None`) has no bar,
/// only "not measured" (the table beside it says "not measured yet").
pub(crate) fn mastery_chart(rows: &[(u32, Option<f64>, f64)], target: f64) -> String {
    let bar_h = 22;
    let height = rows.len() * (bar_h + 8) + 30;
    let mut svg = format!(
        "<svg class=\"wide-chart\" role=\"img\" aria-labelledby=\"mc-t mc-d\" viewBox=\"0 0 560 {height}\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"mc-t\">Mastery by section</title><desc id=\"mc-d\">Estimated chance of answering an unseen question, per exam section, with the section weight; the dashed line is your target of {t:.0}%.</desc>",
        t = target * 100.0
    );
    for (i, (number, mastery, weight)) in rows.iter().enumerate() {
        let y = 10 + i * (bar_h + 8);
        let (w, label) = match mastery {
            Some(m) => (
                (m.clamp(0.0, 1.0) * 320.0).round(),
                format!("{:.0}%", m * 100.0),
            ),
            None => (0.0, "not measured".to_owned()),
        };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{ty}\">S{number}</text><rect x=\"40\" y=\"{y}\" width=\"320\" height=\"{bar_h}\" fill=\"none\" stroke=\"currentColor\" opacity=\"0.3\"/>\
             <rect x=\"40\" y=\"{y}\" width=\"{w}\" height=\"{bar_h}\" class=\"bar\"/><text x=\"368\" y=\"{ty}\">{label} · weight {weight}%</text>",
            ty = y + 16,
        );
    }
    let x = 40.0 + (target.clamp(0.0, 1.0) * 320.0).round();
    let bottom = 10 + rows.len() * (bar_h + 8);
    let _ = write!(
        svg,
        "<line x1=\"{x}\" y1=\"4\" x2=\"{x}\" y2=\"{bottom}\" class=\"target\"/><text x=\"{x}\" y=\"{ty}\" text-anchor=\"middle\">target {t:.0}%</text>",
        ty = bottom + 14,
        t = target * 100.0
    );
    svg.push_str("</svg>");
    svg
}

/// Answers per day as bars, and the share correct on days with answers as dots on a line.
pub(crate) fn activity_chart(days: &[DayActivity]) -> String {
    let (left, width, top, plot_h) = (44.0, 470.0, 12.0, 110.0);
    let n = days.len().max(1);
    let step = width / n as f64;
    let max = days.iter().map(|d| d.answers).max().unwrap_or(0).max(10);
    let total: u64 = days.iter().map(|d| d.answers).sum();
    let active = days.iter().filter(|d| d.answers > 0).count();
    let first = days.first().map_or("", |d| d.date.as_str());
    let last = days.last().map_or("", |d| d.date.as_str());
    let base = top + plot_h;
    let mut svg = format!(
        "<svg class=\"wide-chart\" role=\"img\" aria-labelledby=\"ac-t ac-d\" viewBox=\"0 0 560 184\" width=\"100%\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"ac-t\">Activity and score over the last {n} days</title>\
         <desc id=\"ac-d\">Bars: answers per day (most {max}). Dots: share answered correctly that day, 0 to 100%. {answered} on {active} from {first} to {last}.</desc>\
         <line x1=\"{left}\" y1=\"{base}\" x2=\"{right}\" y2=\"{base}\" stroke=\"currentColor\"/>\
         <text x=\"0\" y=\"{ty}\">{max}</text><text x=\"0\" y=\"{base}\">0</text>\
         <text x=\"{left}\" y=\"152\">{first}</text><text x=\"{right}\" y=\"152\" text-anchor=\"end\">{last}</text>\
         <text x=\"560\" y=\"{ty}\" text-anchor=\"end\" class=\"ok\">100%</text><text x=\"560\" y=\"{base}\" text-anchor=\"end\" class=\"ok\">0%</text>\
         <text x=\"{mid}\" y=\"178\" text-anchor=\"middle\">bars: answers · dots: % correct</text>",
        right = left + width,
        ty = top + 10.0,
        mid = left + width / 2.0,
        answered = count(total, "answer", "answers"),
        active = count(active as u64, "day", "days"),
    );
    let mut points = Vec::new();
    for (i, d) in days.iter().enumerate() {
        let x = left + i as f64 * step;
        let h = d.answers as f64 / max as f64 * plot_h;
        if d.answers > 0 {
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" class=\"bar soft\"><title>{}: {} answers</title></rect>",
                x + 1.0,
                base - h,
                (step - 2.0).max(1.0),
                d.date,
                d.answers
            );
        }
        if let Some(share) = d.correct_share() {
            points.push((x + step / 2.0, base - share * plot_h, d, share));
        }
    }
    if points.len() > 1 {
        let path: Vec<String> = points
            .iter()
            .map(|(x, y, _, _)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" class=\"line\"/>",
            path.join(" ")
        );
    }
    for (x, y, d, share) in points {
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" class=\"dot\"><title>{}: {:.0}% correct</title></circle>",
            d.date,
            share * 100.0
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: &str, answers: u64, correct: u64) -> DayActivity {
        DayActivity {
            date: date.into(),
            answers,
            correct,
        }
    }

    #[test]
    fn activity_chart_has_a_bar_and_dot_per_active_day() {
        let svg = activity_chart(&[
            day("2026-11-01", 0, 0),
            day("2026-11-02", 12, 6),
            day("2026-11-03", 20, 15),
        ]);
        assert_eq!(svg.matches("<rect").count(), 2);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("2026-11-03: 75% correct"));
        assert!(svg.contains("32 answers on 2 days"));
        assert!(svg.contains("<title id=\"ac-t\">"));
    }

    #[test]
    fn mastery_chart_scales_bars() {
        let svg = mastery_chart(&[(1, Some(0.5), 13.0), (2, Some(1.0), 16.0)], 0.7);
        assert!(svg.contains("x1=\"264\""), "target line at 70%: {svg}");
        assert!(svg.contains("target 70%"));
        assert!(svg.contains("width=\"160\""), "{svg}");
        assert!(
            svg.contains("width=\"320\" height=\"22\" class=\"bar\""),
            "{svg}"
        );
        assert!(svg.contains("50% · weight 13%"));
    }
}
