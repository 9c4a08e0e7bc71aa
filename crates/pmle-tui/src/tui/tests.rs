//! Every screen driven by key events and rendered at 80×24 on ratatui's `TestBackend`,
//! over the embedded pack, an in-memory store, a fixed clock and a fixed seed.

use std::sync::{Arc, Mutex};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use pmle_app::{App, Clock, FixedClock, load_pack};
use pmle_store::SqliteStore;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use time::OffsetDateTime;
use time::macros::datetime;

use super::{Action, Tui};
use crate::Theme;

const NOW: OffsetDateTime = datetime!(2026-11-27 09:00 UTC);

/// The pack is checked as of a date after any `last-verified` it can hold, so new content
/// never makes these screen tests fail; the screens use `NOW`.
const PACK_CHECK_DATE: pmle_content::model::Date = pmle_content::model::Date {
    year: 2100,
    month: 1,
    day: 1,
};

/// A clock the test can move forward.
#[derive(Clone)]
struct StepClock(Arc<Mutex<OffsetDateTime>>);

impl Clock for StepClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().expect("clock lock")
    }
}

fn app_with(clock: Box<dyn Clock>) -> App {
    let pack = load_pack(None, PACK_CHECK_DATE).expect("embedded pack loads");
    let store = SqliteStore::open_in_memory().expect("in-memory store");
    App::new(pack, Box::new(store), clock, 7, ":memory:")
}

pub(super) fn tui() -> Tui {
    Tui::new(app_with(Box::new(FixedClock(NOW))), Theme { color: false }).expect("home opens")
}

fn screen_at(t: &Tui, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    term.draw(|f| t.draw(f)).expect("draw");
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut x = 0;
        while x < w {
            let cell = &buf[(x, y)];
            line.push_str(cell.symbol());
            x += 1;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Whether any cell of the drawn screen has a foreground or background colour.
fn has_colour(t: &Tui) -> bool {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    term.draw(|f| t.draw(f)).expect("draw");
    let buf = term.backend().buffer();
    buf.content()
        .iter()
        .any(|c| c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset)
}

pub(super) fn screen(t: &Tui) -> String {
    screen_at(t, 80, 24)
}

pub(super) fn key(t: &mut Tui, code: KeyCode) -> Action {
    t.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(super) fn keys(t: &mut Tui, typed: &str) {
    for c in typed.chars() {
        key(t, KeyCode::Char(c));
    }
}

/// Pick as many options as the question on screen asks for, starting at A.
pub(super) fn pick_enough(t: &mut Tui) {
    let s = screen(t);
    let n = (2..=4)
        .find(|n| s.contains(&format!("choose {n}")))
        .unwrap_or(1);
    keys(t, &"abcd"[..n]);
}

fn answers_total(t: &Tui) -> u64 {
    t.app().stats().expect("stats").progress.answers_total
}

#[test]
fn home_shows_readiness_sections_and_menu() {
    let t = tui();
    let s = screen(&t);
    assert!(s.contains("Readiness") && s.contains("Menu") && s.contains("Cards due"));
    insta::assert_snapshot!("home", s);
}

#[test]
fn no_color_draws_without_colours() {
    let mut plain = tui();
    let coloured =
        Tui::new(app_with(Box::new(FixedClock(NOW))), Theme { color: true }).expect("home opens");
    assert!(has_colour(&coloured));
    assert!(!has_colour(&plain));
    keys(&mut plain, "p");
    pick_enough(&mut plain);
    key(&mut plain, KeyCode::Enter);
    assert!(!has_colour(&plain));
}

#[test]
fn help_overlay_opens_on_question_mark_and_closes_on_any_key() {
    let mut t = tui();
    keys(&mut t, "?");
    let s = screen(&t);
    assert!(s.contains("press any key to close"));
    insta::assert_snapshot!("home_help", s);
    keys(&mut t, "x");
    assert!(!screen(&t).contains("press any key to close"));
}

#[test]
fn practice_question_pick_and_feedback_record_one_answer() {
    let mut t = tui();
    keys(&mut t, "p");
    let s = screen(&t);
    assert!(s.contains("Why this one"));
    insta::assert_snapshot!("practice_question", s);
    key(&mut t, KeyCode::Enter);
    let s = screen(&t);
    assert!(
        s.contains("pick one option") || s.contains("options (0 picked)"),
        "Enter with nothing picked explains what to do: {s}"
    );
    assert_eq!(answers_total(&t), 0);
    pick_enough(&mut t);
    insta::assert_snapshot!("practice_picked", screen(&t));
    key(&mut t, KeyCode::Enter);
    let s = screen(&t);
    assert!(s.contains("Correct") || s.contains("Not quite"));
    insta::assert_snapshot!("practice_feedback", s);
    assert_eq!(answers_total(&t), 1);
    key(&mut t, KeyCode::PageDown);
    insta::assert_snapshot!("practice_feedback_scrolled", screen(&t));
    key(&mut t, KeyCode::Enter);
    assert!(screen(&t).contains("Why this one"));
    keys(&mut t, "q");
    assert!(screen(&t).contains("Answers: 1"));
}

#[test]
fn flashcards_front_back_rating_and_done() {
    let mut t = tui();
    keys(&mut t, "c");
    let s = screen(&t);
    assert!(s.contains("Recall the answer"));
    insta::assert_snapshot!("cards_front", s);
    key(&mut t, KeyCode::Enter);
    let s = screen(&t);
    assert!(s.contains("1 Again"));
    insta::assert_snapshot!("cards_back", s);
    // Again: the card goes back to its first learning step (1 minute).
    let first = t.app().card_queue().expect("queue").new[0].clone();
    keys(&mut t, "1");
    let s = screen(&t);
    assert!(s.contains("1 rated") && s.contains("1 learning"), "{s}");
    let q = t.app().card_queue().expect("queue");
    assert_eq!(q.new.len(), 19);
    assert_eq!(q.learning_soon, vec![first]);
    // Rate the other new cards Easy; then the card rated Again comes back in this session.
    for _ in 0..19 {
        key(&mut t, KeyCode::Enter);
        keys(&mut t, "4");
    }
    let s = screen(&t);
    assert!(s.contains("learning, shown early"), "{s}");
    insta::assert_snapshot!("cards_learning_again", s);
    // Good twice walks the steps (1m 10m) and graduates it: nothing is left.
    for _ in 0..2 {
        key(&mut t, KeyCode::Enter);
        keys(&mut t, "3");
    }
    let s = screen(&t);
    assert!(
        s.contains("No cards left") && s.contains("22 card(s)"),
        "{s}"
    );
    insta::assert_snapshot!("cards_done", s);
}

fn start_exam(t: &mut Tui) {
    keys(t, "e");
    let s = screen(t);
    assert!(s.contains("Press Enter to start"));
    insta::assert_snapshot!("exam_intro", s);
    key(t, KeyCode::Enter);
}

#[test]
fn exam_answer_flag_goto_and_navigator() {
    let mut t = tui();
    start_exam(&mut t);
    let s = screen(&t);
    assert!(s.contains("Q1/60") && s.contains("time left 2:00:00"));
    insta::assert_snapshot!("exam_question", s);
    pick_enough(&mut t);
    key(&mut t, KeyCode::Enter);
    keys(&mut t, "f");
    let s = screen(&t);
    assert!(s.contains("Q2/60 · 1 answered · 1 flagged"), "{s}");
    insta::assert_snapshot!("exam_answered_and_flagged", s);
    keys(&mut t, "g12");
    insta::assert_snapshot!("exam_goto", screen(&t));
    key(&mut t, KeyCode::Enter);
    assert!(screen(&t).contains("Q12/60"));
    keys(&mut t, "pp");
    assert!(screen(&t).contains("Q10/60"));
    keys(&mut t, "g99");
    key(&mut t, KeyCode::Enter);
    assert!(screen(&t).contains("there is no question 99"));
    keys(&mut t, "?");
    let s = screen(&t);
    assert!(s.contains("flag or unflag"));
    insta::assert_snapshot!("exam_help", s);
}

#[test]
fn the_exam_report_checks_the_readiness_prediction() {
    let mut app = app_with(Box::new(FixedClock(NOW)));
    // Five right practice answers first, so the exam starts with a prediction to check.
    for _ in 0..5 {
        let next = app.next_practice(None).unwrap().unwrap();
        let shown = app.present(&next.question_id).unwrap();
        let right = app
            .pack()
            .question(&shown.question_id)
            .unwrap()
            .correct_indexes();
        let picked: Vec<usize> = (0..shown.order.len())
            .filter(|&p| right.contains(&shown.order[p]))
            .collect();
        app.answer(&shown, &picked).unwrap();
    }
    let mut t = Tui::new(app, Theme { color: false }).expect("home opens");
    keys(&mut t, "e");
    key(&mut t, KeyCode::Enter);
    keys(&mut t, "sy");
    let s = screen(&t);
    assert!(s.contains("Exam report"), "{s}");
    assert!(
        s.contains("Readiness check: predicted") && s.contains("scored 0%: below the interval"),
        "{s}"
    );
}

#[test]
fn home_shows_days_left_the_plan_and_the_last_mock_against_its_prediction() {
    let mut app = app_with(Box::new(FixedClock(NOW)));
    app.set_setting("exam_date", "2026-12-18").unwrap();
    // Five right practice answers, so the mock exam starts with a prediction to check.
    for _ in 0..5 {
        let next = app.next_practice(None).unwrap().unwrap();
        let shown = app.present(&next.question_id).unwrap();
        let right = app
            .pack()
            .question(&shown.question_id)
            .unwrap()
            .correct_indexes();
        let picked: Vec<usize> = (0..shown.order.len())
            .filter(|&p| right.contains(&shown.order[p]))
            .collect();
        app.answer(&shown, &picked).unwrap();
    }
    let plan = app.plan_exam(&pmle_app::ExamVariant::Full, 5).unwrap();
    let mut session = app.start_exam(&plan).unwrap();
    app.submit_exam(&mut session, false).unwrap();
    let t = Tui::new(app, Theme { color: false }).expect("home opens");
    let s = screen(&t);
    assert!(s.contains("Exam 2026-12-18: 21 days left"), "{s}");
    assert!(
        s.contains("Daily: 5 questions") && s.contains("mock 2026-12-04"),
        "{s}"
    );
    assert!(
        s.contains("last predicted") && s.contains("below the interval"),
        "{s}"
    );
    insta::assert_snapshot!("home_with_exam_date_and_a_mock", s);
}

#[test]
fn exam_submit_confirms_then_reports_and_reviews() {
    let mut t = tui();
    start_exam(&mut t);
    pick_enough(&mut t);
    key(&mut t, KeyCode::Enter);
    keys(&mut t, "f");
    keys(&mut t, "s");
    let s = screen(&t);
    assert!(s.contains("Unanswered (59): 2, 3, 4") && s.contains("Flagged (1): 2"));
    insta::assert_snapshot!("exam_submit_confirm", s);
    keys(&mut t, "n");
    assert!(!screen(&t).contains("Submit the exam?"));
    keys(&mut t, "sy");
    let s = screen(&t);
    assert!(s.contains("Exam report") && s.contains("answered 1"));
    insta::assert_snapshot!("exam_report", s);
    key(&mut t, KeyCode::Enter);
    let s = screen(&t);
    assert!(s.contains("Question ") && (s.contains("not answered") || s.contains("wrong")));
    insta::assert_snapshot!("exam_review_item", s);
    key(&mut t, KeyCode::Esc);
    keys(&mut t, "f");
    assert!(screen(&t).contains("Review: flagged (1)"));
    keys(&mut t, "a");
    assert!(screen(&t).contains("Review: all (60)"));
    keys(&mut t, "q");
    assert_eq!(t.app().stats().expect("stats").exams.finished, 1);
    // The stats screen opens the latest report.
    keys(&mut t, "sr");
    assert!(screen(&t).contains("Exam report #1"));
    assert_eq!(answers_total(&t), 1);
}

#[test]
fn leaving_an_exam_keeps_it_and_e_resumes_it() {
    let mut t = tui();
    start_exam(&mut t);
    pick_enough(&mut t);
    key(&mut t, KeyCode::Enter);
    keys(&mut t, "q");
    let s = screen(&t);
    assert!(s.contains("Unfinished exam: 1/60 answered"), "{s}");
    insta::assert_snapshot!("home_with_unfinished_exam", s);
    keys(&mut t, "e");
    let s = screen(&t);
    assert!(s.contains("Q2/60 · 1 answered"), "{s}");
}

#[test]
fn exam_submits_itself_when_time_runs_out() {
    let clock = StepClock(Arc::new(Mutex::new(NOW)));
    let mut t =
        Tui::new(app_with(Box::new(clock.clone())), Theme { color: false }).expect("home opens");
    start_exam(&mut t);
    *clock.0.lock().expect("clock") = NOW + time::Duration::minutes(90);
    assert!(screen(&t).contains("time left 0:30:00"));
    t.tick();
    assert!(screen(&t).contains("Q1/60"));
    *clock.0.lock().expect("clock") = NOW + time::Duration::minutes(121);
    t.tick();
    let s = screen(&t);
    assert!(
        s.contains("time ran out") && s.contains("Score 0/60"),
        "{s}"
    );
}

#[test]
fn notes_browse_open_and_search() {
    let mut t = tui();
    keys(&mut t, "n");
    let s = screen(&t);
    assert!(s.contains("note"));
    insta::assert_snapshot!("notes_list", s);
    key(&mut t, KeyCode::Enter);
    insta::assert_snapshot!("note_open", screen(&t));
    key(&mut t, KeyCode::Esc);
    keys(&mut t, "/bigquery ml");
    let s = screen(&t);
    assert!(s.contains("BigQuery ML"));
    insta::assert_snapshot!("notes_search", s);
    key(&mut t, KeyCode::Enter);
    key(&mut t, KeyCode::Enter);
    assert!(screen(&t).contains("BigQuery ML"));
}

#[test]
fn search_covers_every_kind_and_former_names() {
    let mut t = tui();
    keys(&mut t, "/");
    insta::assert_snapshot!("search_empty", screen(&t));
    keys(&mut t, "vertex ai pipelines");
    let s = screen(&t);
    assert!(s.contains("product") || s.contains("question"));
    insta::assert_snapshot!("search_results", s);
    key(&mut t, KeyCode::Enter);
    key(&mut t, KeyCode::Enter);
    insta::assert_snapshot!("search_open", screen(&t));
}

/// A question found by search opens as a question to answer: no key, no explanation, every
/// option whole (wrapped at 100 columns, never cut with "…"), and answering records it.
#[test]
fn a_question_hit_opens_unanswered_and_wraps_long_options() {
    let mut t = tui();
    keys(&mut t, "/mental model legacy habits");
    assert!(screen_at(&t, 100, 30).contains("question  A logistics company"));
    key(&mut t, KeyCode::Enter);
    key(&mut t, KeyCode::Enter);
    let s = screen_at(&t, 100, 30);
    insta::assert_snapshot!("search_open_question_100", s);
    assert!(
        s.contains("s4-features-concepts-006") && s.contains("choose 2"),
        "{s}"
    );
    assert!(
        !s.contains('✓') && !s.contains('✗') && !s.contains("Correct"),
        "{s}"
    );
    assert!(!s.contains('…'), "an option was cut:\n{s}");
    // Every option's full text is on screen, wrapped over lines.
    let q = t
        .app()
        .pack()
        .question("s4-features-concepts-006")
        .expect("the question")
        .clone();
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    for o in &q.options {
        assert!(flat.contains(&o.text), "missing option {:?}\n{s}", o.text);
    }
    assert!(
        q.options.iter().any(|o| o.text.chars().count() > 92),
        "the test needs an option longer than one line"
    );
    assert_eq!(answers_total(&t), 0);
    pick_enough(&mut t);
    key(&mut t, KeyCode::Enter);
    let s = screen_at(&t, 100, 30);
    assert!(s.contains("Correct") || s.contains("Not quite"), "{s}");
    assert_eq!(answers_total(&t), 1);
    key(&mut t, KeyCode::Esc);
    assert!(screen_at(&t, 100, 30).contains("question  A logistics company"));
}

/// A note lists each of its references once: its body's References section, then only the
/// front-matter references the body does not cite (it used to repeat them all).
#[test]
fn an_open_note_lists_each_reference_once() {
    let mut t = tui();
    keys(&mut t, "n");
    key(&mut t, KeyCode::Enter);
    // Browsing lists the pack's notes in order: Enter opens the first.
    let note = t.app().pack().notes[0].clone();
    let s = screen_at(&t, 240, 600);
    assert!(s.contains(&note.title) || s.contains(note.body.lines().next().unwrap_or("")));
    assert!(!note.references.is_empty());
    for r in &note.references {
        assert_eq!(s.matches(r.as_str()).count(), 1, "{}: {r}\n{s}", note.id);
    }
}

/// A flashcard found by search shows its front; its back (the answer) only on Enter.
#[test]
fn a_card_hit_keeps_its_back_until_asked() {
    let mut t = tui();
    keys(&mut t, "/offline store in Agent Platform");
    assert!(screen(&t).contains("card      What is the offline store"));
    key(&mut t, KeyCode::Enter);
    key(&mut t, KeyCode::Enter);
    let back = "Your BigQuery tables or views";
    let s = screen(&t);
    assert!(
        s.contains("What is the offline store") && !s.contains(back),
        "{s}"
    );
    assert!(s.contains("Enter or space shows the back"), "{s}");
    key(&mut t, KeyCode::Enter);
    assert!(screen(&t).contains(back));
}

#[test]
fn stats_screen_and_its_report_shortcut() {
    let mut t = tui();
    keys(&mut t, "s");
    let s = screen(&t);
    assert!(s.contains("Mastery by section"));
    insta::assert_snapshot!("stats", s);
    keys(&mut t, "r");
    assert!(screen(&t).contains("no finished exam yet"));
}

#[test]
fn redraws_at_any_size() {
    let mut t = tui();
    keys(&mut t, "p");
    let small = screen_at(&t, 80, 24);
    let large = screen_at(&t, 120, 40);
    assert_eq!(small.lines().count(), 24);
    assert_eq!(large.lines().count(), 40);
    assert!(large.contains("Why this one"));
    // Tiny terminals must not panic.
    let _ = screen_at(&t, 20, 5);
}

#[test]
fn q_and_escape_go_back_then_quit() {
    let mut t = tui();
    keys(&mut t, "s");
    assert_eq!(key(&mut t, KeyCode::Esc), Action::Continue);
    assert!(screen(&t).contains("Menu"));
    assert_eq!(key(&mut t, KeyCode::Char('q')), Action::Quit);
}

/// The TUI beside `pmle exam` on one database file: the TUI's choice made over an answer
/// the CLI changed meanwhile is refused with a notice (the CLI's answer stands and is
/// shown), and an exam the CLI submits ends the screen with its report.
#[test]
fn a_stale_tui_exam_answer_is_refused_and_a_cli_submit_shows_the_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.sqlite3");
    let open = || {
        let pack = load_pack(None, PACK_CHECK_DATE).expect("embedded pack loads");
        let store = SqliteStore::open(&path).expect("file store");
        App::new(pack, Box::new(store), Box::new(FixedClock(NOW)), 7, "file")
    };
    let mut t = Tui::new(open(), Theme { color: false }).expect("home opens");
    keys(&mut t, "e");
    key(&mut t, KeyCode::Enter);
    assert!(screen(&t).contains("Q1/60"));
    pick_enough(&mut t);
    // Meanwhile the CLI answers question 1 with the last option.
    let mut cli = open();
    let mut s = cli.resume_exam().expect("read").expect("the TUI's exam");
    let last = cli.exam_item(&s, 0).expect("item").options.len() - 1;
    cli.exam_answer(&mut s, 0, &[last]).expect("the CLI saves");
    // The TUI confirms its choice, made over the answer it showed (none): refused.
    key(&mut t, KeyCode::Enter);
    let shown = screen_at(&t, 240, 24);
    assert!(shown.contains("Q1/60"), "it stays on the question: {shown}");
    assert!(
        shown.contains("Question 1 was answered in another window"),
        "{shown}"
    );
    let letter = char::from(b'A' + u8::try_from(last).expect("few options"));
    assert!(
        shown.contains(&format!("saved answer: {letter}")),
        "it shows the CLI's answer: {shown}"
    );
    let saved = cli.resume_exam().expect("read").expect("still running");
    assert_eq!(cli.exam_item(&saved, 0).expect("item").chosen, vec![last]);
    // The CLI submits; the TUI's next tick shows the report and says why.
    let report = cli.submit_exam(&mut s, false).expect("submitted");
    assert_eq!(report.answered, 1);
    t.tick();
    let shown = screen_at(&t, 240, 24);
    assert!(shown.contains("already submitted"), "{shown}");
    assert!(!shown.contains("Q1/60"), "the exam screen is gone: {shown}");
    assert_eq!(answers_total(&t), 1, "recorded once, by the CLI's submit");
}

#[test]
fn an_answered_and_flagged_question_shows_both_marks() {
    let mut t = tui();
    start_exam(&mut t);
    pick_enough(&mut t);
    key(&mut t, KeyCode::Enter);
    keys(&mut t, "p");
    keys(&mut t, "f");
    let s = screen(&t);
    assert!(s.contains("Q1/60 · 1 answered · 1 flagged"), "{s}");
    // `>` current, `*` answered, `f` flagged, as the legend above the grid says.
    assert!(s.contains(">current *answered f flagged"), "{s}");
    assert!(s.contains("> 1*f"), "{s}");
    insta::assert_snapshot!("exam_answered_and_flagged_both_marks", s);
}

#[test]
fn the_exam_intro_offers_full_section_and_retry_exams() {
    let mut t = tui();
    keys(&mut t, "e");
    assert!(screen(&t).contains("[Full]"));
    keys(&mut t, "3");
    let s = screen(&t);
    assert!(s.contains("[§3]") && s.contains("Only section"), "{s}");
    insta::assert_snapshot!("exam_intro_section", s);
    // No wrong answers yet: the retry exam says why it cannot start, and Enter does not.
    keys(&mut t, "r");
    let s = screen(&t);
    assert!(
        s.contains("[Retry wrong]") && s.contains("cannot start"),
        "{s}"
    );
    key(&mut t, KeyCode::Enter);
    assert!(screen(&t).contains("Exam:  Full"), "still on the intro");
    // → wraps from retry to the full exam; ← back to retry; 3 and Enter starts section 3.
    key(&mut t, KeyCode::Right);
    assert!(screen(&t).contains("[Full]"));
    key(&mut t, KeyCode::Left);
    assert!(screen(&t).contains("[Retry wrong]"));
    keys(&mut t, "3");
    key(&mut t, KeyCode::Enter);
    assert!(screen(&t).contains("Q1/60"));
    let e = t.app().resume_exam().expect("read").expect("started");
    assert_eq!(
        (e.record.variant.as_str(), e.record.section_id.as_deref()),
        ("section", Some("s3"))
    );
}

#[test]
fn a_retry_exam_from_the_tui_gets_two_minutes_a_question() {
    let mut app = app_with(Box::new(FixedClock(NOW)));
    for _ in 0..3 {
        let next = app.next_practice(None).expect("next").expect("a question");
        let shown = app.present(&next.question_id).expect("shown");
        let right = app
            .pack()
            .question(&shown.question_id)
            .expect("in the pack")
            .correct_indexes();
        let wrong: Vec<usize> = (0..shown.options.len())
            .filter(|&p| !right.contains(&shown.order[p]))
            .take(shown.kind.choose() as usize)
            .collect();
        assert!(!app.answer(&shown, &wrong).expect("answered").correct);
    }
    let mut t = Tui::new(app, Theme { color: false }).expect("home opens");
    keys(&mut t, "er");
    let s = screen(&t);
    assert!(s.contains("[Retry wrong]"), "{s}");
    assert!(s.contains("3 questions · 6 minutes"), "{s}");
    key(&mut t, KeyCode::Enter);
    assert!(screen(&t).contains("Q1/3") && screen(&t).contains("time left 0:06:00"));
}

#[test]
fn progress_screen_without_history_says_how_to_start_one() {
    let mut t = tui();
    keys(&mut t, "st");
    let s = screen(&t);
    assert!(s.contains("Progress · last 30 days"), "{s}");
    assert!(s.contains("take a mock exam to start your history"), "{s}");
    assert!(!s.contains("Scores: ●"), "no chart without an exam: {s}");
    insta::assert_snapshot!("progress_empty", s);
    keys(&mut t, "d");
    assert!(screen(&t).contains("Progress · last 90 days"));
    assert_eq!(key(&mut t, KeyCode::Esc), Action::Continue);
    assert!(screen(&t).contains("Menu"));
}

/// The fixture history (tests/fixtures/progress) seen on the day it was written.
#[test]
fn progress_screen_shows_the_history_table_chart_and_trends() {
    let now = OffsetDateTime::from_unix_timestamp(1_796_000_000).expect("a date");
    let mut app = app_with(Box::new(FixedClock(now)));
    app.import_backup(include_str!(
        "../../../../tests/fixtures/progress/backup.json"
    ))
    .expect("the fixture imports");
    let mut t = Tui::new(app, Theme { color: false }).expect("home opens");
    keys(&mut t, "st");
    let s = screen_at(&t, 100, 72);
    // Five exams, the abandoned one left out; exam 2 scored below its interval.
    assert!(
        s.contains(" 2  2026-10-11  full        33/60 55%   66% (56%–76%) · below"),
        "{s}"
    );
    assert!(!s.contains(" 6  2026-"), "{s}");
    assert!(
        s.contains("Scores: ● score · ─ predicted interval · │ your target 70%"),
        "{s}"
    );
    assert!(s.contains("not the exam's"), "{s}");
    assert_eq!(s.matches("in these 30 days:").count(), 6, "{s}");
    insta::assert_snapshot!("progress_history", s);
    keys(&mut t, "d");
    let s = screen_at(&t, 100, 72);
    assert!(s.contains("last 90 days"), "{s}");
    assert!(s.contains("too little evidence 90 days ago"), "{s}");
}

/// The product chooser: `w` from home, answered by number and by arrow keys, as many
/// questions as the tree needs, then the recommendation; Backspace takes an answer back.
#[test]
fn product_chooser_walks_to_custom_text_classification() {
    let mut t = tui();
    keys(&mut t, "w");
    let s = screen(&t);
    assert!(s.contains("What do you need to build?"), "{s}");
    insta::assert_snapshot!("chooser_first_question", s);
    // Perceive (3) → Text (3) → General (1) → our own labels (arrow down, Enter) → labelled.
    keys(&mut t, "33");
    keys(&mut t, "1");
    key(&mut t, KeyCode::Down);
    key(&mut t, KeyCode::Enter);
    let s = screen_at(&t, 100, 30);
    assert!(
        s.contains("What do you have, and what must the model give back?"),
        "{s}"
    );
    assert!(s.contains("→ Text (to classify"), "the path so far: {s}");
    keys(&mut t, "2");
    let s = screen_at(&t, 100, 30);
    insta::assert_snapshot!("chooser_custom_text_result", s);
    assert!(
        s.contains("Recommendation: Gemini models on Agent Platform"),
        "{s}"
    );
    assert!(
        s.contains("Runner-up: Agent Platform Managed Training"),
        "{s}"
    );
    assert!(s.contains("AutoML Text, which is deprecated"), "{s}");
    // Take the last answer back: the question is asked again; a wrong number is refused.
    key(&mut t, KeyCode::Backspace);
    assert!(screen(&t).contains("What do you have"));
    keys(&mut t, "9");
    assert!(screen(&t).contains("type a number from 1 to 3"));
    keys(&mut t, "3");
    assert!(screen_at(&t, 100, 30).contains("Recommendation: Agent Platform Managed Training"));
    keys(&mut t, "r");
    assert!(screen(&t).contains("What do you need to build?"));
    keys(&mut t, "q");
    assert!(
        screen(&t).contains("p r e c n / s w shortcuts"),
        "back home, where w is listed"
    );
}
