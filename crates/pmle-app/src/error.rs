//! Errors of the use-cases; each message says what to do.

/// What went wrong in a use-case.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Pack(#[from] pmle_content::PackError),
    #[error(transparent)]
    Store(#[from] pmle_store::StoreError),
    #[error("the Anki export could not be written: {0}")]
    Anki(#[from] pmle_anki::AnkiError),
    #[error("a temporary file could not be made: {0}; check that the temp directory is writable")]
    Temp(#[from] std::io::Error),
    #[error("unknown section `{0}`; use an id such as s3 or a number such as 3 (see `pmle stats`)")]
    UnknownSection(String),
    #[error("unknown question `{0}`; the pack may have changed since it was drawn")]
    UnknownQuestion(String),
    #[error("{}", unknown_id(id, suggestions))]
    UnknownId {
        id: String,
        /// Close ids that do exist, best first.
        suggestions: Vec<String>,
    },
    #[error("no data directory could be determined; set PMLE_HOME or pass --db PATH")]
    NoDataDir,
    #[error("{0}")]
    Setting(String),
    #[error("unknown flashcard `{0}`")]
    UnknownCard(String),
    #[error("{0}")]
    Schedule(#[from] pmle_engine::srs::SrsError),
    #[error("no exam {0}; see `pmle exam --list`")]
    UnknownExam(i64),
    #[error("{0}")]
    Exam(String),
    #[error("{0}")]
    Import(String),
    #[error("{0}")]
    Decision(String),
    #[error("{0}")]
    Simulation(String),
    #[error("a progress window of {0} days is not offered; choose 30 or 90")]
    ProgressWindow(u32),
    /// Bookmarks, flags, notes, reports, the review centre and practice filters.
    #[error("{0}")]
    Review(String),
    #[error("{0}")]
    ItemAnalysis(String),
}

fn unknown_id(id: &str, suggestions: &[String]) -> String {
    let mut msg = format!("no question, card, note or catalog entry has the id `{id}`");
    if suggestions.is_empty() {
        msg.push_str("; find one with `pmle search WORDS`");
    } else {
        msg.push_str(&format!(
            "; did you mean {}? (or find one with `pmle search WORDS`)",
            suggestions
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    msg
}

impl AppError {
    /// The exam this action found already submitted (perhaps by another front end), if that
    /// is what went wrong: front ends show its report instead of an error.
    pub fn submitted_exam(&self) -> Option<i64> {
        match self {
            AppError::Store(pmle_store::StoreError::ExamSubmitted(id)) => Some(*id),
            _ => None,
        }
    }

    /// The exam's id when this error is "that exam was abandoned".
    pub fn abandoned_exam(&self) -> Option<i64> {
        match self {
            AppError::Store(pmle_store::StoreError::ExamAbandoned(id)) => Some(*id),
            _ => None,
        }
    }
}
