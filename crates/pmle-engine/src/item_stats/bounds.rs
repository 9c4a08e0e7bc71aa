//! Small-sample bounds used by the flags, so that a handful of responses cannot raise one.

/// One-sided 95% normal quantile.
const Z95: f64 = 1.6449;

/// One-sided 95% upper bound of a proportion `x / n` (Wilson score interval); `None` for
/// `n = 0`. With `x = 0` it is `z² / (n + z²)`, about `2.7 / n`.
pub fn wilson_upper(x: usize, n: usize) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let (n, p, z2) = (n as f64, x as f64 / n as f64, Z95 * Z95);
    let centre = p + z2 / (2.0 * n);
    let spread = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre + spread) / (1.0 + z2 / n)).min(1.0))
}

/// One-sided 95% upper bound of a correlation `r` measured on `n` pairs (Fisher's z,
/// standard error `1/√(n − 3)`); `None` for `n ≤ 3`.
pub fn fisher_upper(r: f64, n: usize) -> Option<f64> {
    if n <= 3 {
        return None;
    }
    let z = r.clamp(-0.999_999, 0.999_999).atanh();
    Some((z + Z95 / ((n - 3) as f64).sqrt()).tanh())
}

/// z statistic of `x1/n1 − x2/n2` with the pooled proportion; 0 when either group is empty
/// or the pooled proportion is 0 or 1.
pub fn two_proportion_z(x1: usize, n1: usize, x2: usize, n2: usize) -> f64 {
    if n1 == 0 || n2 == 0 {
        return 0.0;
    }
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let pooled = (x1 + x2) as f64 / (n1f + n2f);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f)).sqrt();
    if se == 0.0 {
        0.0
    } else {
        (x1 as f64 / n1f - x2 as f64 / n2f) / se
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_hand_values() {
        // x = 0, n = 60: z²/(n + z²) = 2.7057/62.7057 = 0.04315.
        let u = wilson_upper(0, 60).unwrap_or(1.0);
        assert!((u - 0.04315).abs() < 1e-4, "{u}");
        // x = 5, n = 20: p = .25, z²/2n = .06764, spread = 1.6449·√(.009375 + .001691)
        // = 1.6449·.10520 = .17305; (.25 + .06764 + .17305)/(1 + .13529) = .43221.
        let u = wilson_upper(5, 20).unwrap_or(0.0);
        assert!((u - 0.43221).abs() < 1e-4, "{u}");
        assert_eq!(wilson_upper(0, 0), None);
    }

    #[test]
    fn fisher_matches_hand_values() {
        // r = 0, n = 103: tanh(1.6449/10) = tanh(.16449) = .16302.
        let u = fisher_upper(0.0, 103).unwrap_or(1.0);
        assert!((u - 0.16302).abs() < 1e-4, "{u}");
        assert_eq!(fisher_upper(0.5, 3), None);
    }

    #[test]
    fn two_proportions_match_hand_values() {
        // 12/20 vs 4/20: pooled .4, se = √(.24·.1) = .15492, z = .4/.15492 = 2.5820.
        assert!((two_proportion_z(12, 20, 4, 20) - 2.5820).abs() < 1e-3);
        assert_eq!(two_proportion_z(0, 10, 0, 10), 0.0);
        assert_eq!(two_proportion_z(1, 0, 0, 10), 0.0);
    }
}
