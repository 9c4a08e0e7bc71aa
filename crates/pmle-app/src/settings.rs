//! The learner's settings, stored in the database as JSON so they travel with the progress.

use pmle_engine::learning::LearningSteps;
use serde::{Deserialize, Serialize};

use crate::{App, AppError};

/// Every setting, with its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// FSRS target probability of recall when a card comes due (0.70–0.99).
    pub desired_retention: f32,
    /// Questions answered this recently are not asked again in practice.
    pub recent_window: usize,
    /// Mock-exam length and time limit.
    pub exam_questions: usize,
    pub exam_minutes: u32,
    /// Score the readiness verdict aims at (Google publishes no pass mark).
    pub readiness_target: f64,
    /// New flashcards introduced per day.
    pub new_cards_per_day: usize,
    /// Colours of the web UI: follow the system, or force light or dark.
    pub theme: Theme,
    /// The day the learner sits the real exam, `YYYY-MM-DD`; `None` until it is set. Gives
    /// the days left, the daily plan and reviews planned for recall on that day.
    pub exam_date: Option<String>,
    /// How the web exam's clock runs: only while an exam page is open (`page`), or all
    /// the time `pmle serve` holds the exam (`strict`).
    pub exam_clock: ExamClock,
    /// Flashcard learning steps: the delays a new or forgotten card goes through before
    /// FSRS intervals, e.g. `1m 10m` (empty for none; see `pmle_engine::learning`).
    pub learning_steps: String,
}

/// How the web exam's clock runs (the CLI and the TUI always count while they run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExamClock {
    /// Only while an exam page is open: the page sends a heartbeat, and a gap longer than
    /// `PAGE_GAP_MS` counts as that much.
    #[default]
    Page,
    /// Wall time while the server holds the exam, open page or not.
    Strict,
}

impl ExamClock {
    pub fn as_str(self) -> &'static str {
        match self {
            ExamClock::Page => "page",
            ExamClock::Strict => "strict",
        }
    }
}

/// The web UI's colour scheme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            desired_retention: 0.90,
            recent_window: 20,
            exam_questions: 60,
            exam_minutes: 120,
            readiness_target: 0.70,
            new_cards_per_day: 20,
            theme: Theme::System,
            exam_clock: ExamClock::Page,
            exam_date: None,
            learning_steps: "1m 10m".to_owned(),
        }
    }
}

/// `YYYY-MM-DD`, as the exam date is written.
const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Read an exam date written `YYYY-MM-DD`; the error says how to write it and how to clear it.
pub(crate) fn parse_exam_date(text: &str) -> Result<time::Date, AppError> {
    time::Date::parse(text.trim(), DATE_FORMAT).map_err(|_| {
        AppError::Setting(format!(
            "exam_date must be a date written YYYY-MM-DD, e.g. 2027-03-15, not `{text}`; \
             `pmle settings reset exam_date` clears it"
        ))
    })
}

const KEY: &str = "settings";

impl Settings {
    /// Check ranges; the message names the setting and its allowed range.
    pub fn validate(&self) -> Result<(), AppError> {
        let bad =
            |what: &str, range: &str| Err(AppError::Setting(format!("{what} must be {range}")));
        if !(0.70..=0.99).contains(&self.desired_retention) {
            return bad("desired_retention", "between 0.70 and 0.99");
        }
        if self.recent_window > 500 {
            return bad("recent_window", "at most 500");
        }
        if !(1..=200).contains(&self.exam_questions) {
            return bad("exam_questions", "between 1 and 200");
        }
        if !(1..=600).contains(&self.exam_minutes) {
            return bad("exam_minutes", "between 1 and 600");
        }
        if !(0.3..=1.0).contains(&self.readiness_target) {
            return bad("readiness_target", "between 0.30 and 1.00");
        }
        if self.new_cards_per_day > 1000 {
            return bad("new_cards_per_day", "at most 1000");
        }
        if let Some(d) = &self.exam_date {
            parse_exam_date(d)?;
        }
        self.steps()?;
        Ok(())
    }

    /// The flashcard learning steps, parsed.
    pub fn steps(&self) -> Result<LearningSteps, AppError> {
        LearningSteps::parse(&self.learning_steps)
            .map_err(|e| AppError::Setting(format!("learning_steps: {e}")))
    }

    /// Set one setting from text, e.g. `("desired_retention", "0.85")`.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), AppError> {
        if key == "exam_date" {
            // A date; empty or `none` clears it (the web form's empty field).
            let v = value.trim();
            if v.is_empty() || v.eq_ignore_ascii_case("none") {
                self.exam_date = None;
                return Ok(());
            }
            let date = parse_exam_date(v)?;
            self.exam_date = Some(date.format(DATE_FORMAT).unwrap_or_else(|_| v.to_owned()));
            return Ok(());
        }
        // Numbers are JSON; a bare word (the theme) is taken as a string.
        // The learning steps are always text, even when they look like a number.
        let text = || serde_json::Value::String(value.trim().to_owned());
        let parsed: serde_json::Value = if key == "learning_steps" {
            text()
        } else {
            serde_json::from_str(value).unwrap_or_else(|_| text())
        };
        self.set_json(key, parsed)
    }

    /// Set one setting to a JSON value, checked exactly as `pmle settings set` checks it.
    fn set_json(&mut self, key: &str, value: serde_json::Value) -> Result<(), AppError> {
        let mut map = serde_json::to_value(&*self).map_err(|e| AppError::Setting(e.to_string()))?;
        let slot = map.get_mut(key).ok_or_else(|| {
            AppError::Setting(format!(
                "unknown setting `{key}`; see `pmle settings` for the list"
            ))
        })?;
        *slot = value;
        let next: Settings =
            serde_json::from_value(map).map_err(|e| AppError::Setting(format!("{key}: {e}")))?;
        next.validate()?;
        *self = next;
        Ok(())
    }

    /// Settings as stored or imported (a JSON object of some or all keys), applied key by
    /// key on top of `base` with the same check as `pmle settings set`: the one validation
    /// every way in goes through. Errors name each bad key with its problem.
    pub fn from_json(value: &serde_json::Value, base: Settings) -> Result<Settings, Vec<String>> {
        let Some(map) = value.as_object() else {
            return Err(vec![format!("not a JSON object but `{value}`")]);
        };
        let mut out = base;
        let mut bad = Vec::new();
        for (k, v) in map {
            if let Err(e) = out.set_json(k, v.clone()) {
                bad.push(format!("`{k}`: {e}"));
            }
        }
        if bad.is_empty() { Ok(out) } else { Err(bad) }
    }

    /// The names of all settings, in the order `pmle settings` lists them.
    pub fn keys() -> Vec<String> {
        match serde_json::to_value(Settings::default()) {
            Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
}

impl App {
    /// The settings, read again only after something was committed.
    pub fn settings(&self) -> Result<Settings, AppError> {
        let token = self.store.change_token()?;
        if let Some((t, s)) = &self.cache.borrow().settings
            && *t == token
        {
            return Ok(s.clone());
        }
        let s = self.read_settings()?;
        self.cache.borrow_mut().settings = Some((token, s.clone()));
        Ok(s)
    }

    /// Defaults before anything is set: the exam length and time come from the pack.
    fn default_settings(&self) -> Settings {
        Settings {
            exam_questions: self.pack.meta.exam.default_questions as usize,
            exam_minutes: self.pack.meta.exam.minutes,
            ..Settings::default()
        }
    }

    fn read_settings(&self) -> Result<Settings, AppError> {
        let Some(json) = self.store.setting(KEY)? else {
            return Ok(self.default_settings());
        };
        let fix = |what: String, key: Option<&str>| {
            let reset = key.map_or_else(
                || "`pmle settings reset --all`".to_owned(),
                |k| format!("`pmle settings reset {k}` (or `pmle settings reset --all`)"),
            );
            AppError::Setting(format!(
                "your stored settings are not valid: {what}; run {reset} to go back to the default"
            ))
        };
        let value: serde_json::Value = serde_json::from_str(&json)
            .map_err(|e| fix(format!("they are not readable ({e})"), None))?;
        Settings::from_json(&value, self.default_settings()).map_err(|bad| {
            let first = value
                .as_object()
                .and_then(|m| {
                    m.keys()
                        .find(|k| bad.iter().any(|b| b.starts_with(&format!("`{k}`"))))
                })
                .cloned();
            fix(bad.join("; "), first.as_deref())
        })
    }

    /// Set one setting from text and save it, as `pmle settings set KEY VALUE` and the web
    /// form do. An exam date must be today or later (the clock decides what today is).
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<Settings, AppError> {
        let mut settings = self.settings()?;
        settings.set(key, value)?;
        if key == "exam_date"
            && let Some(d) = &settings.exam_date
        {
            let date = parse_exam_date(d)?;
            let today = self.clock.now().date();
            if date < today {
                return Err(AppError::Setting(format!(
                    "exam_date {d} is in the past (today is {}); give the day you will sit \
                     the exam, or clear it with `pmle settings reset exam_date`",
                    today.format(DATE_FORMAT).unwrap_or_default()
                )));
            }
        }
        self.save_settings(&settings)?;
        Ok(settings)
    }

    /// The exam date, if one is set.
    pub(crate) fn exam_date(&self) -> Result<Option<time::Date>, AppError> {
        self.settings()?
            .exam_date
            .as_deref()
            .map(parse_exam_date)
            .transpose()
    }

    pub fn save_settings(&mut self, s: &Settings) -> Result<(), AppError> {
        s.validate()?;
        let json = serde_json::to_string(s).map_err(|e| AppError::Setting(e.to_string()))?;
        self.store.set_setting(KEY, &json)?;
        Ok(())
    }

    /// Put one setting (`Some(key)`) or all of them (`None`) back to the default. Works even
    /// when the stored settings are not valid, which is how a learner gets out of that.
    pub fn reset_settings(&mut self, key: Option<&str>) -> Result<(), AppError> {
        let Some(key) = key else {
            self.store.delete_setting(KEY)?;
            return Ok(());
        };
        let stored = match self.store.setting(KEY)? {
            None => None,
            Some(json) => Some(
                serde_json::from_str::<serde_json::Value>(&json)
                    .ok()
                    .and_then(|v| match v {
                        serde_json::Value::Object(m) => Some(m),
                        _ => None,
                    })
                    .ok_or_else(|| {
                        AppError::Setting(
                            "the stored settings are not readable as a whole; run `pmle settings reset --all`"
                                .to_owned(),
                        )
                    })?,
            ),
        };
        let known = Settings::keys().iter().any(|k| k == key);
        let mut map = stored.unwrap_or_default();
        if !known && !map.contains_key(key) {
            return Err(AppError::Setting(format!(
                "unknown setting `{key}`; see `pmle settings` for the list"
            )));
        }
        if map.remove(key).is_some() {
            let json = serde_json::Value::Object(map).to_string();
            self.store.set_setting(KEY, &json)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_validates() {
        let mut s = Settings::default();
        s.set("desired_retention", "0.85").unwrap();
        assert_eq!(s.desired_retention, 0.85);
        assert!(s.set("desired_retention", "1.5").is_err());
        assert!(s.set("desired_retention", "abc").is_err());
        assert!(
            s.set("no_such", "1")
                .unwrap_err()
                .to_string()
                .contains("unknown setting")
        );
        assert_eq!(
            s.desired_retention, 0.85,
            "a rejected value changes nothing"
        );
    }

    #[test]
    fn theme_takes_a_word() {
        let mut s = Settings::default();
        assert_eq!(s.theme, Theme::System);
        s.set("theme", "dark").unwrap();
        assert_eq!(s.theme, Theme::Dark);
        assert!(s.set("theme", "purple").is_err());
        assert_eq!(s.theme, Theme::Dark);
        // Settings saved before the theme existed still load.
        let old: Settings = serde_json::from_str(r#"{"desired_retention":0.8}"#).unwrap();
        assert_eq!(old.theme, Theme::System);
        assert_eq!(old.exam_date, None);
    }

    #[test]
    fn exam_date_is_a_date_and_clears() {
        let mut s = Settings::default();
        s.set("exam_date", "2027-03-15").unwrap();
        assert_eq!(s.exam_date.as_deref(), Some("2027-03-15"));
        for bad in ["2027-02-30", "15/03/2027", "soon", "2027-3-15x"] {
            let e = s.set("exam_date", bad).unwrap_err().to_string();
            assert!(
                e.contains("YYYY-MM-DD") && e.contains("reset exam_date"),
                "{e}"
            );
        }
        assert_eq!(s.exam_date.as_deref(), Some("2027-03-15"));
        // Through JSON (the stored settings and the backup), the same check.
        let v = serde_json::json!({ "exam_date": "March" });
        assert!(Settings::from_json(&v, Settings::default()).is_err());
        let v = serde_json::json!({ "exam_date": "2027-01-02" });
        let back = Settings::from_json(&v, Settings::default()).unwrap();
        assert_eq!(back.exam_date.as_deref(), Some("2027-01-02"));
        s.set("exam_date", "").unwrap();
        assert_eq!(s.exam_date, None);
        s.set("exam_date", "2027-03-15").unwrap();
        s.set("exam_date", "none").unwrap();
        assert_eq!(s.exam_date, None);
    }

    #[test]
    fn learning_steps_are_checked_with_a_clear_error() {
        let mut s = Settings::default();
        assert_eq!(s.steps().unwrap().delays_ms(), &[60_000, 600_000]);
        s.set("learning_steps", "5m 30m 2h").unwrap();
        assert_eq!(
            s.steps().unwrap().delays_ms(),
            &[300_000, 1_800_000, 7_200_000]
        );
        let e = s.set("learning_steps", "10").unwrap_err().to_string();
        assert!(e.contains("`10` has no unit"), "{e}");
        let e = s
            .set("learning_steps", "5 minutes")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("learning_steps") && e.contains("e.g. \"1m 10m\""),
            "{e}"
        );
        assert_eq!(
            s.learning_steps, "5m 30m 2h",
            "a rejected value changes nothing"
        );
        s.set("learning_steps", "").unwrap();
        assert!(s.steps().unwrap().delays_ms().is_empty());
    }
}
