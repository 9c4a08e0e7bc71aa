//! The running exam for a front end that keeps no state between requests: several web
//! servers behind one load balancer, any of which may answer the next request, or one
//! that was restarted mid-exam. Everything comes from the store on every call: the
//! questions, their order and option order, answers, flags, the question shown and the
//! clock (the stored time used plus the time since the store last counted).

use pmle_store::ExamStatus;

use super::ExamSession;
use crate::{App, AppError};

impl App {
    /// The unfinished exam as the store has it, ready for one request: the session a
    /// server rebuilds for each request instead of holding one (see
    /// [`ExamSession`]'s stored view). It counts on the clock the `exam_clock` setting
    /// names (the page clock by default), from the instant up to which the store has
    /// counted, so a second server taking over neither loses nor adds a second.
    pub fn stored_exam(&self) -> Result<Option<ExamSession>, AppError> {
        let now = self.now_ms();
        let Some(record) = self.store.unfinished_exam()? else {
            return Ok(None);
        };
        let mut s = ExamSession::from_store(record, now);
        self.exam_use_clock_setting(&mut s)?;
        Ok(Some(s))
    }

    /// What became of exam `id` (a page names the exam it was drawn for): `None` when there
    /// is no such exam.
    pub fn exam_status(&self, id: i64) -> Result<Option<ExamStatus>, AppError> {
        Ok(self.store.exam(id)?.map(|e| e.status()))
    }
}

#[cfg(test)]
mod tests {
    use crate::ManualClock;
    use crate::exam::{ExamEvent, ExamVariant};

    fn app_on(path: &std::path::Path, clock: &ManualClock) -> crate::App {
        let pack = crate::load_pack(
            None,
            pmle_content::model::Date {
                year: 2100,
                month: 1,
                day: 1,
            },
        )
        .unwrap();
        crate::App::new(
            pack,
            Box::new(pmle_store::SqliteStore::open(path).unwrap()),
            Box::new(clock.clone()),
            3,
            "file",
        )
    }

    #[test]
    fn a_rebuilt_session_counts_the_time_since_the_last_save_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.sqlite3");
        let clock = ManualClock::new(1_795_000_000_000);
        let mut a = app_on(&path, &clock);
        let plan = a.plan_exam(&ExamVariant::Full, 7).unwrap();
        let started = a.start_exam(&plan).unwrap();
        let limit = started.record.time_limit_ms;
        clock.advance(12_000);
        let mut s = a.stored_exam().unwrap().unwrap();
        assert_eq!(
            s.time_left_ms(a.now_ms()),
            limit - 12_000,
            "since the start"
        );
        assert!(matches!(a.exam_goto(&mut s, 3).unwrap(), ExamEvent::Saved));
        // Another server (its own connection), 5 s later: the stored question, 17 s used.
        clock.advance(5_000);
        let b = app_on(&path, &clock);
        let mut t = b.stored_exam().unwrap().unwrap();
        assert_eq!(t.current(), 3);
        assert_eq!(t.time_left_ms(b.now_ms()), limit - 17_000);
        // On the page clock no gap counts more than PAGE_GAP_MS.
        clock.advance(600_000);
        let t2 = b.stored_exam().unwrap().unwrap();
        assert_eq!(
            t2.time_left_ms(b.now_ms()),
            limit - 12_000 - super::super::PAGE_GAP_MS
        );
        t.count_page_time(false);
        assert_eq!(
            t.time_left_ms(b.now_ms()),
            limit - 617_000,
            "strict: wall time"
        );
    }
}
