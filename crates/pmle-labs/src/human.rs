//! Numbers for people: the one formatter every text front end uses for lab figures and
//! calculator results (`--json` keeps the exact values).
//!
//! - at most [`SIGNIFICANT`] significant digits, trailing zeros dropped: `0.7097`, `39.82`;
//!   whole numbers below a million keep every digit (`260660`, at most 6 digits);
//! - very small or very large magnitudes (below 0.001, a million or more) in scientific
//!   notation with 3 significant digits: `4.44e-15`, `1.9e16`;
//! - zero is `0`, never `-0`; a value that is not a number (an event that did not happen)
//!   is `n/a`, infinities `∞` and `-∞`.

/// The most significant digits a number between 0.001 and 1000 is printed with.
pub const SIGNIFICANT: usize = 4;

/// The most significant digits any printed number has (whole numbers up to 999 999).
pub const MAX_SIGNIFICANT: usize = 6;

/// `x` rounded for people.
pub fn number(x: f64) -> String {
    if x.is_nan() {
        return "n/a".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "∞" } else { "-∞" }.to_owned();
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    let a = x.abs();
    if !(1e-3..1e6).contains(&a) {
        return scientific(x);
    }
    // Decimals so that the integer part plus decimals make SIGNIFICANT digits.
    let int_digits = a.log10().floor() as i64 + 1;
    let decimals = (SIGNIFICANT as i64 - int_digits).max(0) as usize;
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    // Rounding may have reached a million (999999.7): print it the large way.
    if s.trim_start_matches('-').len() > MAX_SIGNIFICANT {
        return scientific(x);
    }
    if s == "-0" { "0".to_owned() } else { s }
}

/// A share (0–1) as a percentage for people, e.g. `70.97%`.
pub fn percent(x: f64) -> String {
    if x.is_finite() {
        format!("{}%", number(x * 100.0))
    } else {
        number(x)
    }
}

/// `None` (an undefined ratio) as `undefined`, else [`number`].
pub fn opt(x: Option<f64>) -> String {
    x.map_or_else(|| "undefined".to_owned(), number)
}

fn scientific(x: f64) -> String {
    let s = format!("{x:.2e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.trim_end_matches('0').trim_end_matches('.')
    } else {
        mantissa
    };
    format!("{mantissa}e{exp}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Significant digits in a printed number (the mantissa's digits without leading zeros).
    fn significant(s: &str) -> usize {
        let mantissa = s.split('e').next().unwrap_or(s);
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let trimmed = digits.trim_start_matches('0');
        if mantissa.contains('.') {
            trimmed.len()
        } else {
            // A whole number: trailing zeros count (260000 has 6 digits as printed).
            trimmed.len().max(1)
        }
    }

    #[test]
    fn figures_from_the_labs_print_for_people() {
        assert_eq!(number(4.440892098500626e-15), "4.44e-15");
        assert_eq!(number(0.7096774193548387), "0.7097");
        assert_eq!(number(3.7142857142857144), "3.714");
        assert_eq!(number(39.816326530612244), "39.82");
        assert_eq!(number(4558.736797909348), "4559");
        assert_eq!(number(260660.06237297723), "260660");
        assert_eq!(number(1.897622639104167e16), "1.9e16");
        assert_eq!(number(1.4573756483823438e-5), "1.46e-5");
        assert_eq!(number(47.0), "47");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(-1.6078743816104244), "-1.608");
        assert_eq!(number(999_999.7), "1e6");
        assert_eq!(number(f64::NAN), "n/a");
        assert_eq!(percent(0.709677), "70.97%");
        assert_eq!(opt(None), "undefined");
    }

    #[test]
    fn zero_and_minus_zero_print_as_zero() {
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(-0.00001), "-1e-5");
        assert_eq!(number(-0.000_000_000_000_001), "-1e-15");
    }

    proptest! {
        #[test]
        fn never_more_than_the_fixed_significant_digits(x in any::<f64>()) {
            let s = number(x);
            prop_assert!(s != "-0" && !s.starts_with("-0e"), "{x} printed {s}");
            prop_assert!(significant(&s) <= MAX_SIGNIFICANT, "{x} printed {s}");
            if x.is_finite() && (x.abs() < 1e3 || x.abs() >= 1e6) {
                prop_assert!(significant(&s) <= SIGNIFICANT, "{x} printed {s}");
            }
        }

        #[test]
        fn the_printed_number_is_the_value_rounded(x in prop_oneof![
            -1e20f64..1e20,
            -1.0f64..1.0,
            (-30i32..30, 1.0f64..10.0).prop_map(|(e, m)| m * 10f64.powi(e)),
        ]) {
            let s = number(x);
            let back: f64 = s.parse().unwrap_or_else(|_| panic!("{x} printed {s}, not a number"));
            if x == 0.0 {
                prop_assert_eq!(back, 0.0);
            } else {
                // 3 significant digits at worst: within half a unit of the third digit.
                prop_assert!(((back - x) / x).abs() <= 5e-3, "{x} printed {s}");
                prop_assert_eq!(back.is_sign_negative(), x.is_sign_negative(), "{} printed {}", x, s);
            }
        }
    }
}
