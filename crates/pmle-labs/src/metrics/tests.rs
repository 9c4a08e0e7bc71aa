use super::*;
use proptest::prelude::*;

fn s(label: bool, score: f64) -> Sample {
    Sample { label, score }
}

#[test]
fn hand_checked_example() {
    // scikit-learn: roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.75,
    // average_precision_score(...) = 0.8333…
    let d = [s(false, 0.1), s(false, 0.4), s(true, 0.35), s(true, 0.8)];
    let r = report(&d, 0.5).unwrap();
    assert!((r.roc_auc.unwrap() - 0.75).abs() < 1e-12);
    assert!((r.pr_auc.unwrap() - 5.0 / 6.0).abs() < 1e-12);
    assert_eq!(
        r.at.confusion,
        Confusion {
            tp: 1,
            fp: 0,
            tn: 2,
            fn_: 1
        }
    );
    assert_eq!(r.at.precision, Some(1.0));
    assert_eq!(r.at.recall, Some(0.5));
    assert!((r.at.f1.unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(r.at.specificity, Some(1.0));
}

#[test]
fn ties_form_one_step() {
    // All scores equal: the ROC is the diagonal, AUC 0.5; AP is the share of positives.
    let d = [s(true, 0.5), s(false, 0.5), s(true, 0.5), s(false, 0.5)];
    let r = report(&d, 0.5).unwrap();
    assert_eq!(r.roc_auc, Some(0.5));
    assert_eq!(r.pr_auc, Some(0.5));
    assert_eq!(r.roc, vec![(0.0, 0.0), (1.0, 1.0)]);
}

#[test]
fn one_class_is_explained_not_invented() {
    let r = report(&[s(true, 0.2), s(true, 0.9)], 0.5).unwrap();
    assert_eq!(r.roc_auc, None);
    assert!(r.notes[0].contains("only positive"));
    let r = report(&[s(false, 0.2)], 0.5).unwrap();
    assert_eq!((r.roc_auc, r.pr_auc), (None, None));
    assert_eq!(
        r.at.precision, None,
        "no positive predictions: precision is undefined"
    );
}

#[test]
fn parsing_names_the_bad_line() {
    assert_eq!(
        parse_csv("label,score\n1,0.9\n0,abc\n").unwrap_err(),
        MetricsError::BadRow {
            line: 3,
            message: "score \"abc\" is not a finite number".into()
        }
    );
    assert_eq!(parse_csv("label,score\n").unwrap_err(), MetricsError::Empty);
    assert!(matches!(
        parse_csv("2,0.5").unwrap_err(),
        MetricsError::BadRow { line: 1, .. }
    ));
    assert!(matches!(
        parse_csv("1,NaN").unwrap_err(),
        MetricsError::BadRow { line: 1, .. }
    ));
    assert_eq!(parse_csv("1,0.9\n0,0.1").unwrap().len(), 2);
}

#[test]
fn svg_has_titles_and_axes() {
    let d = [s(false, 0.1), s(false, 0.4), s(true, 0.35), s(true, 0.8)];
    let svg = curves_svg(&report(&d, 0.5).unwrap()).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("ROC curve (AUC 0.750)"));
    assert!(svg.contains("false positive rate") && svg.contains("precision"));
}

proptest! {
    /// AUC equals the probability that a random positive outscores a random negative
    /// (ties count half) — an independent way to compute it.
    #[test]
    fn auc_is_the_rank_probability(rows in prop::collection::vec((any::<bool>(), 0u8..10), 2..60)) {
        let d: Vec<Sample> = rows.iter().map(|&(l, x)| s(l, f64::from(x) / 10.0)).collect();
        let pos: Vec<f64> = d.iter().filter(|x| x.label).map(|x| x.score).collect();
        let neg: Vec<f64> = d.iter().filter(|x| !x.label).map(|x| x.score).collect();
        let r = report(&d, 0.5).unwrap();
        if pos.is_empty() || neg.is_empty() {
            prop_assert_eq!(r.roc_auc, None);
        } else {
            let mut wins = 0.0;
            for p in &pos { for n in &neg { wins += if p > n { 1.0 } else if p == n { 0.5 } else { 0.0 }; } }
            let expected = wins / (pos.len() * neg.len()) as f64;
            prop_assert!((r.roc_auc.unwrap() - expected).abs() < 1e-12);
        }
    }
}

#[test]
fn the_sweep_has_the_documented_thresholds() {
    let d = [s(false, 0.2), s(true, 0.7), s(false, 0.4), s(true, 1.2)];
    let r = report(&d, 0.5).unwrap();
    assert_eq!(r.sweep.len(), SWEEP_POINTS);
    assert_eq!(SWEEP_POINTS, 11);
    assert_eq!(r.sweep[0].threshold, 0.2);
    assert!((r.sweep[1].threshold - 0.3).abs() < 1e-12);
    assert_eq!(r.sweep[10].threshold, 1.2);
    // One score for every row: one threshold.
    let r = report(&[s(true, 0.5), s(false, 0.5)], 0.5).unwrap();
    assert_eq!(r.sweep.len(), 1);
}

/// (recall, precision) points of a step curve: each segment horizontal or vertical.
fn axis_aligned(points: &[(f64, f64)]) -> bool {
    points
        .windows(2)
        .all(|w| w[0].0 == w[1].0 || w[0].1 == w[1].1)
}

#[test]
fn the_pr_curve_is_drawn_as_steps() {
    // Each distinct score holds a positive, so recall rises at every point and precision
    // changes: the path alternates horizontal (to the new recall) and vertical segments.
    let d = [
        s(true, 0.9),
        s(true, 0.8),
        s(false, 0.8),
        s(true, 0.7),
        s(false, 0.7),
        s(false, 0.7),
        s(true, 0.6),
    ];
    let r = report(&d, 0.5).unwrap();
    let steps = pr_steps(&r.pr);
    assert_eq!(steps.len(), 8, "{steps:?}");
    assert_eq!(steps[0], (0.0, 1.0));
    for (i, w) in steps.windows(2).enumerate() {
        if i % 2 == 0 {
            assert!(
                w[0].1 == w[1].1 && w[1].0 > w[0].0,
                "segment {i} horizontal: {w:?}"
            );
        } else {
            assert!(
                w[0].0 == w[1].0 && w[1].1 != w[0].1,
                "segment {i} vertical: {w:?}"
            );
        }
    }
    // The SVG draws that path: in the PR chart (the right half), the model's polyline
    // alternates horizontal and vertical segments in pixels too.
    let svg = curves_svg(&r).unwrap();
    let right = svg.split("translate(480,0)").nth(1).unwrap();
    let line = right
        .split("<polyline")
        .find(|p| p.contains("stroke=\"#0000FF\""))
        .unwrap();
    let pts: Vec<(i64, i64)> = line
        .split("points=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .split_whitespace()
        .map(|xy| {
            let (x, y) = xy.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect();
    assert_eq!(pts.len(), 8, "{line}");
    for (i, w) in pts.windows(2).enumerate() {
        let (dx, dy) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
        if i % 2 == 0 {
            assert!(dy == 0 && dx > 0, "segment {i} of {pts:?}");
        } else {
            assert!(dx == 0 && dy != 0, "segment {i} of {pts:?}");
        }
    }
}

proptest! {
    #[test]
    fn the_step_curve_encloses_average_precision(
        rows in prop::collection::vec((any::<bool>(), 0u8..20), 1..60),
    ) {
        let d: Vec<Sample> = rows.iter().map(|&(l, sc)| s(l, f64::from(sc) / 20.0)).collect();
        let r = report(&d, 0.5).unwrap();
        let steps = pr_steps(&r.pr);
        prop_assert!(axis_aligned(&steps), "{:?}", steps);
        prop_assert!(steps.windows(2).all(|w| w[1].0 >= w[0].0), "recall never goes back");
        if let Some(ap) = r.pr_auc {
            let area: f64 = steps.windows(2).map(|w| (w[1].0 - w[0].0) * w[0].1).sum();
            prop_assert!((area - ap).abs() < 1e-9, "area {} vs AP {}", area, ap);
        }
    }
}
