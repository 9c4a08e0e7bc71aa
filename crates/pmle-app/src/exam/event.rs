//! What became of one front end's action on a running exam, and what to tell the learner.

use super::ExamReport;

/// What happened to an action in an exam.
#[derive(Debug, Clone)]
pub enum ExamEvent {
    Saved,
    /// Time ran out before the action: the exam was submitted as it stood.
    TimeUp(Box<ExamReport>),
    /// The exam was already submitted (by another front end): nothing was saved.
    AlreadySubmitted(Box<ExamReport>),
    /// Another front end changed this question's answer since this one showed it: nothing
    /// was saved, and the session now holds the saved answer, to show and ask again.
    ChangedElsewhere {
        position: usize,
    },
    /// The exam was abandoned (by another front end): nothing was saved, and there is no
    /// report.
    Abandoned(i64),
}

impl ExamEvent {
    /// What to tell the learner, for the events that did not save.
    pub fn notice(&self) -> Option<String> {
        match self {
            ExamEvent::Saved => None,
            ExamEvent::TimeUp(_) => Some("Time is up: the exam was submitted as it stood.".into()),
            ExamEvent::AlreadySubmitted(r) => Some(format!(
                "Exam {} was already submitted (in another window or by `pmle exam`); nothing more is saved to it. Here is its report.",
                r.exam_id
            )),
            ExamEvent::Abandoned(id) => Some(format!(
                "Exam {id} was abandoned (in another window or by `pmle exam --abandon`); nothing more is saved to it and it has no score. Start a new one when you are ready."
            )),
            ExamEvent::ChangedElsewhere { position } => Some(format!(
                "Question {} was answered in another window or by `pmle exam` since it was shown here; your choice was not saved. It now shows the saved answer: choose again to replace it.",
                position + 1
            )),
        }
    }
}
