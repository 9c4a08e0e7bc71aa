//! pmle's use-cases: the one API that the command line, the terminal UI and the web UI call.
//!
//! An [`App`] holds a loaded pack, a [`Store`](pmle_store::Store), a [`Clock`] and a seeded
//! random source. Front ends turn key presses or form posts into calls here and render what
//! comes back; they hold no study logic of their own.

pub mod accounts;
mod activity;
mod backup_checks;
mod card_steps;
mod cards;
pub mod clock;
mod cohort;
pub mod cohort_access;
mod decide;
mod error;
mod exam;
mod export;
mod input;
mod item_analysis;
mod learner;
mod next_step;
mod note_links;
mod open;
pub mod paths;
mod practice;
mod progress;
mod question_marks;
mod readiness;
mod readiness_stats;
mod report_triage;
mod response_export;
pub mod responses_file;
mod responses_merge;
mod review;
mod settings;
mod sheet;
mod simulate;
mod simulated_responses;
mod stats;
mod study_plan;

use pmle_content::Pack;
use pmle_content::search::{Hit, SearchIndex};
use pmle_store::Store;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use activity::{DayActivity, date_of_ms};
pub use card_steps::LEARN_AHEAD_MS;
pub use cards::{CardQueue, CardView, OptimizeOutcome};
pub use clock::{Clock, FixedClock, ManualClock, SystemClock};
pub use cohort::{
    CohortDashboard, CohortRules, FIXED_COLUMNS, MemberMock, MemberRow, MemberSection,
    MemberSummary, MemberTopic, QuietMember, RECENT_ANSWER_DAYS, SectionHeat, Standing,
    StandingError, TopicWeakness, csv_cell, neutralise_formula,
};
pub use decide::{ChoiceView, DecisionStep};
pub use error::AppError;
pub use exam::{
    ExamEvent, ExamItemView, ExamPlan, ExamReport, ExamSession, ExamStatus, ExamVariant,
    PAGE_GAP_MS, PAGE_HEARTBEAT_MS, PlannedQuestion, ReportItem, SectionScore, clock_text,
};
pub use export::{MAX_BACKUP_BYTES, open_backup};
pub use input::parse_choice;
pub use item_analysis::{
    CalibratedRow, CalibrationRun, DEFAULT_MIN_RESPONSES, ItemAnalysis, ItemRow,
    POOLED_LEARNER_PREFIX, PooledResponses, team_answers,
};
pub use next_step::{NextStep, StepKind, next_step};
pub use open::{Opened, OpenedCard, OpenedNote, OpenedOption, OpenedProduct, OpenedQuestion};
pub use pmle_anki::AnkiNote;
pub use pmle_engine::item_stats::{Flag, ItemStats, OptionStats};
pub use pmle_engine::sim::{ItemFault, ResponseSimConfig};
pub use pmle_engine::sim::{LearningModel, SimConfig, SimReport};
pub use pmle_engine::srs::{CombinedProgressState, Rating};
pub use pmle_store::{Backup, ChangeToken, ImportSummary, SchemaVersion};
pub use pmle_store::{ReportOutcome, ReportReason, ReportStatus, ReportTriage};
pub use practice::{Feedback, FeedbackOption, NextQuestion, Presented, PresentedOption};
pub use progress::{
    MockHistoryEntry, MockPrediction, MockSectionScore, PROGRESS_WINDOWS, Progress,
    SectionTrendView, TrendPointView,
};
pub use question_marks::{
    OwnReport, QuestionMarks, REPORT_REASONS, ReportView, ReportsFile, reports_text,
};
pub use readiness::PredictionRecord;
pub use report_triage::{
    BUILD_VERSION, ReportGroup, ReportScope, TriageChoice, TriageReport, checked_triage,
    counts_against_question, report_standing,
};
pub use response_export::{DEFAULT_MIN_COHORT, ExportedResponses};
pub use responses_merge::{FileSummary, MergeReport};
pub use review::{FilterCounts, PracticeFilter, ReviewEntry, ReviewFilter, reasons_text};
pub use settings::{ExamClock, Settings, Theme};
pub use sheet::{
    MIN_TOPIC_ANSWERS, SheetBlock, SheetFormula, SheetRename, SheetSection, SheetWeak, StudySheet,
    WeakTopic,
};
pub use simulate::{MAX_SIM_ANSWERS, MAX_SIM_LEARNERS, check_sim_config};
pub use simulated_responses::{FaultyQuestion, SimulatedResponses};
pub use stats::{
    CalibrationStats, CardStats, ContentStats, ExamStats, PackInfo, ProgressStats, ReadinessStats,
    SectionStats, Stats, UnfinishedExam, pct_bounded,
};
pub use study_plan::{ExamPlanStats, HOW_TO_SET_EXAM_DATE, NextMock, PlanView, SectionNeedView};

/// An (id, label) pair a front end turns into a link.
pub type Link = (String, String);

/// A study session over one pack and one learner's store.
pub struct App {
    /// Shared: a server's learners all read one loaded pack (`App::new` takes a `Pack` or an
    /// `Arc<Pack>`).
    pack: std::sync::Arc<Pack>,
    index: learner::Index,
    store: Box<dyn Store>,
    clock: Box<dyn Clock>,
    rng: ChaCha8Rng,
    seed: u64,
    database: String,
    /// Derived state keyed on the store's change token (see `learner::Cache`).
    cache: std::cell::RefCell<learner::Cache>,
}

impl App {
    /// `seed` drives every random choice (question order, option order).
    pub fn new(
        pack: impl Into<std::sync::Arc<Pack>>,
        store: Box<dyn Store>,
        clock: Box<dyn Clock>,
        seed: u64,
        database: impl Into<String>,
    ) -> App {
        let pack = pack.into();
        let index = learner::Index::new(&pack);
        App {
            pack,
            index,
            store,
            clock,
            rng: ChaCha8Rng::seed_from_u64(seed),
            seed,
            database: database.into(),
            cache: std::cell::RefCell::default(),
        }
    }

    pub fn pack(&self) -> &Pack {
        &self.pack
    }

    /// Notes that share a topic with question `id`, as (note id, title): where to read more.
    pub fn notes_for_question(&self, id: &str) -> Vec<(String, String)> {
        let Some(q) = self.pack.question(id) else {
            return Vec::new();
        };
        self.pack
            .notes
            .iter()
            .filter(|n| n.topics.iter().any(|t| q.topics.contains(t)))
            .map(|n| (n.id.clone(), n.title.clone()))
            .collect()
    }

    /// Changes whenever anything is committed to the store, by this app or another process:
    /// front ends key their caches on it.
    pub fn change_token(&self) -> Result<pmle_store::ChangeToken, AppError> {
        Ok(self.store.change_token()?)
    }

    /// The database's schema version, read from it now, against this build's: a server's
    /// readiness probe (the database answers and no migration is pending or newer).
    pub fn schema_version(&self) -> Result<SchemaVersion, AppError> {
        Ok(self.store.schema_version()?)
    }

    /// A fresh seed for an exam drawn by a front end, from the app's own random stream.
    pub fn draw_seed(&mut self) -> u64 {
        use rand::Rng;
        self.rng.next_u64() % 1_000_000
    }

    /// Search notes, questions, cards and the catalog (former product names included).
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        SearchIndex::build(&self.pack).search(query, limit)
    }
}

/// Load the pack from `dir`, or the embedded pack when `None`.
pub fn load_pack(
    dir: Option<&std::path::Path>,
    today: pmle_content::model::Date,
) -> Result<Pack, AppError> {
    let source = match dir {
        Some(d) => pmle_content::PackSource::from_dir(d)?,
        None => pmle_content::PackSource::embedded(),
    };
    Ok(pmle_content::load(&source, today)?)
}
