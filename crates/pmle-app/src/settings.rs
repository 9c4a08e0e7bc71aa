//! The learner's settings, stored in the database as JSON so they travel with the progress.

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
        }
    }
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
        Ok(())
    }

    /// Set one setting from text, e.g. `("desired_retention", "0.85")`.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), AppError> {
        let mut map = serde_json::to_value(&*self).map_err(|e| AppError::Setting(e.to_string()))?;
        let slot = map.get_mut(key).ok_or_else(|| {
            AppError::Setting(format!(
                "unknown setting `{key}`; see `pmle settings` for the list"
            ))
        })?;
        // Numbers are JSON; a bare word (the theme) is taken as a string.
        let parsed: serde_json::Value = serde_json::from_str(value)
            .unwrap_or_else(|_| serde_json::Value::String(value.trim().to_owned()));
        *slot = parsed;
        let next: Settings =
            serde_json::from_value(map).map_err(|e| AppError::Setting(format!("{key}: {e}")))?;
        next.validate()?;
        *self = next;
        Ok(())
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

    fn read_settings(&self) -> Result<Settings, AppError> {
        match self.store.setting(KEY)? {
            None => Ok(Settings {
                exam_questions: self.pack.meta.exam.default_questions as usize,
                exam_minutes: self.pack.meta.exam.minutes,
                ..Settings::default()
            }),
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                AppError::Setting(format!(
                    "stored settings are unreadable ({e}); reset one with `pmle settings set`"
                ))
            }),
        }
    }

    pub fn save_settings(&mut self, s: &Settings) -> Result<(), AppError> {
        s.validate()?;
        let json = serde_json::to_string(s).map_err(|e| AppError::Setting(e.to_string()))?;
        self.store.set_setting(KEY, &json)?;
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
    }
}
