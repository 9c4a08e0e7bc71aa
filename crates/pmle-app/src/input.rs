//! Reading an answer as the learner types it: `b`, `B`, `a,c`, `ac`, `a c`, `2`.

/// Positions (0-based, in the order shown) picked in `input`, for a question showing
/// `n_options` options. Repeats are ignored; the result is sorted.
pub fn parse_choice(input: &str, n_options: usize) -> Result<Vec<usize>, String> {
    let mut picked = Vec::new();
    for c in input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != ';')
    {
        let pos = match c {
            'a'..='z' => c as usize - 'a' as usize,
            'A'..='Z' => c as usize - 'A' as usize,
            '1'..='9' => c as usize - '1' as usize,
            _ => {
                return Err(format!(
                    "`{c}` is not an option; type letters such as B or A,C"
                ));
            }
        };
        if pos >= n_options {
            let last = (b'A' + n_options.saturating_sub(1) as u8) as char;
            return Err(format!(
                "`{c}` is not an option here; choose from A to {last}"
            ));
        }
        picked.push(pos);
    }
    if picked.is_empty() {
        return Err("type the letter of your answer, such as B (or A,C when choosing two)".into());
    }
    picked.sort_unstable();
    picked.dedup();
    Ok(picked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_forms() {
        assert_eq!(parse_choice("b", 4), Ok(vec![1]));
        assert_eq!(parse_choice(" A , c ", 4), Ok(vec![0, 2]));
        assert_eq!(parse_choice("ca", 5), Ok(vec![0, 2]));
        assert_eq!(parse_choice("2", 4), Ok(vec![1]));
        assert_eq!(parse_choice("aa", 4), Ok(vec![0]));
    }

    #[test]
    fn rejects_out_of_range_and_junk() {
        assert!(parse_choice("e", 4).unwrap_err().contains("A to D"));
        assert!(parse_choice("?", 4).is_err());
        assert!(parse_choice("", 4).is_err());
    }
}
