//! Study activity per day, for the "activity and score over time" chart: how much was
//! answered and how much of it was right, so a learner sees both effort and progress.

use serde::Serialize;

use crate::{App, AppError};

const DAY_MS: i64 = 86_400_000;

/// One UTC day of answers (practice and exam alike).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayActivity {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub answers: u64,
    pub correct: u64,
}

impl DayActivity {
    /// Share answered correctly that day, `None` on a day without answers.
    pub fn correct_share(&self) -> Option<f64> {
        (self.answers > 0).then(|| self.correct as f64 / self.answers as f64)
    }
}

impl App {
    /// The last `days` days up to today, oldest first, days without answers included.
    pub fn activity(&self, days: usize) -> Result<Vec<DayActivity>, AppError> {
        let today = self.now_ms().div_euclid(DAY_MS);
        let first = today - days as i64 + 1;
        let mut out: Vec<DayActivity> = (first..=today)
            .map(|d| DayActivity {
                date: date_of(d),
                answers: 0,
                correct: 0,
            })
            .collect();
        for a in self.store.answers()? {
            let d = a.answer.answered_at_ms.div_euclid(DAY_MS);
            if let Some(slot) = usize::try_from(d - first).ok().and_then(|i| out.get_mut(i)) {
                slot.answers += 1;
                slot.correct += u64::from(a.answer.correct);
            }
        }
        Ok(out)
    }
}

/// The UTC date (`YYYY-MM-DD`) of a Unix time in milliseconds, for front ends.
pub fn date_of_ms(ms: i64) -> String {
    date_of(ms.div_euclid(DAY_MS))
}

fn date_of(day: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(day * 86_400)
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_utc_days() {
        assert_eq!(super::date_of(0), "1970-01-01");
        assert_eq!(super::date_of(20_000), "2024-10-04");
    }
}
