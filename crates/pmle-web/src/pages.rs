//! Page handlers: read the request, call `App`, render a template. No study logic here.

use crate::team::Req;
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use pmle_app::StepKind;
use pmle_content::model::Kind;

use crate::security::expired;

pub(crate) fn page(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(_) => error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "The page could not be drawn.",
        ),
    }
}

pub(crate) fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let t = ErrorPage {
        title: title.to_owned(),
        message: message.to_owned(),
    };
    (
        status,
        Html(t.render().unwrap_or_else(|_| message.to_owned())),
    )
        .into_response()
}

/// A poisoned lock: an earlier request panicked while holding the app.
pub(crate) fn busy() -> Response {
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "Restart `pmle serve`; your answers are saved.",
    )
}

pub(crate) fn app_error(e: &dyn std::fmt::Display) -> Response {
    error_page(StatusCode::BAD_REQUEST, "That did not work", &e.to_string())
}

/// Markdown to HTML, then sanitised: nothing in the pack can inject script.
///
/// Only pack content comes through here (never what the user types), so the results are
/// memoised: sanitising is the most expensive step of a practice page, and the pack is
/// finite. The memo is bounded all the same, in case a pack is very large.
pub(crate) fn markdown(md: &str) -> String {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static MEMO: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    const LIMIT: usize = 50_000;
    let memo = MEMO.get_or_init(Mutex::default);
    if let Some(html) = memo.lock().ok().and_then(|m| m.get(md).cloned()) {
        return html;
    }
    let html = render_markdown(md);
    if let Ok(mut m) = memo.lock() {
        if m.len() >= LIMIT {
            m.clear();
        }
        m.insert(md.to_owned(), html.clone());
    }
    html
}

/// Markdown for a short text shown inside a line (an option): one paragraph loses its `<p>`.
pub(crate) fn markdown_inline(md: &str) -> String {
    let html = markdown(md);
    match html
        .trim_end()
        .strip_prefix("<p>")
        .and_then(|x| x.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => html,
    }
}

fn render_markdown(md: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES),
    );
    ammonia::Builder::default()
        .add_generic_attributes(["id"])
        .clean(&html)
        .to_string()
}

/// Keep only characters that are safe in a URL query value (section ids are `s1`…).
fn url_word(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    message: String,
}

struct SectionRow {
    number: u32,
    title: String,
    weight: f64,
    /// "72%" or "not measured yet".
    mastery: String,
    /// The 80% band, "60–83%", on its own line so the table fits a phone; empty when unmeasured.
    band: String,
    answers: u64,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    title: String,
    /// "72% (80% interval 60–83%)" or "not measured yet".
    estimate: String,
    p_pass: String,
    target: String,
    verdict: String,
    /// Each mock exam's prediction against its score, newest first.
    checks: Vec<String>,
    calibration: String,
    sections: Vec<SectionRow>,
    chart: String,
    /// "1 answer so far · 3 cards due · 20 new cards".
    today: String,
    activity: String,
    next_text: String,
    next_link: String,
    next_label: &'static str,
    /// "2 mock exams taken, last score 71%" or an invitation.
    exams: String,
    /// "21 days left: exam on 2026-12-24", "Exam today", or empty.
    exam_days: String,
    /// The daily plan in sentences, or how to set the date.
    exam_plan: Vec<String>,
    exam_date_set: bool,
}

/// "1 answer", "0 answers", "2 answers".
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The dashboard, rendered once per minute and per change to the store, then served from
/// memory: it is the page opened most, and computing it walks the whole history.
pub(crate) async fn dashboard(Req(s): Req) -> Response {
    let Ok(app) = s.app.lock() else { return busy() };
    let key = match app.change_token() {
        Ok(t) => (t, app.now_unix_ms().div_euclid(60_000)),
        Err(e) => return app_error(&e),
    };
    if let Ok(cache) = s.dashboard.lock()
        && let Some((k, html)) = cache.as_ref()
        && *k == key
    {
        return Html(html.clone()).into_response();
    }
    let html = match dashboard_html(&app) {
        Ok(h) => h,
        Err(r) => return *r,
    };
    if let Ok(mut cache) = s.dashboard.lock() {
        *cache = Some((key, html.clone()));
    }
    Html(html).into_response()
}

fn dashboard_html(app: &pmle_app::App) -> Result<axum::body::Bytes, Box<Response>> {
    let stats = match app.stats() {
        Ok(st) => st,
        Err(e) => return Err(Box::new(app_error(&e))),
    };
    let days = match app.activity(30) {
        Ok(d) => d,
        Err(e) => return Err(Box::new(app_error(&e))),
    };
    let step = pmle_app::next_step(&stats);
    let (next_link, next_label) = match step.kind {
        StepKind::ResumeExam => ("/exam".to_owned(), "Resume the exam"),
        StepKind::ReviewCards => ("/cards".to_owned(), "Review cards"),
        StepKind::MockExam => ("/exam".to_owned(), "Start a mock exam"),
        StepKind::Practice => (
            step.section
                .as_ref()
                .map_or("/practice".to_owned(), |s| format!("/practice?section={s}")),
            "Practise now",
        ),
    };
    let r = &stats.readiness;
    let rows: Vec<(u32, Option<f64>, f64)> = stats
        .sections
        .iter()
        .map(|x| (x.number, x.mastery, x.weight))
        .collect();
    let t = Dashboard {
        title: stats.pack.title.clone(),
        estimate: r.estimate_text(),
        p_pass: r.p_pass_text(),
        target: pct(r.target),
        checks: r
            .mock_exams
            .iter()
            .map(|m| format!("Exam {} ({}): {}.", m.exam_id, m.variant, m.sentence()))
            .collect(),
        calibration: if r.calibration.shift < 0.0 {
            format!(
                "Your mock scores fell below the predictions ({} exam(s)): the estimate is moved down and widened.",
                r.calibration.checks
            )
        } else {
            String::new()
        },
        verdict: r.verdict.clone(),
        chart: crate::charts::mastery_chart(&rows, r.target),
        activity: crate::charts::activity_chart(&days),
        exams: match (stats.exams.finished, stats.exams.last_score) {
            (0, _) => "No mock exam yet.".to_owned(),
            (n, Some(score)) => format!(
                "{} taken, last score {}.",
                count(n as u64, "mock exam", "mock exams"),
                pct(score)
            ),
            (n, None) => format!("{} taken.", count(n as u64, "mock exam", "mock exams")),
        },
        next_text: step.text,
        next_link,
        next_label,
        exam_days: match (&stats.exam_plan.exam_date, stats.exam_plan.days_left) {
            (Some(d), Some(1)) => format!("1 day left: exam on {d}"),
            (Some(d), Some(n)) if n > 1 => format!("{n} days left: exam on {d}"),
            (Some(d), Some(0)) => format!("Exam today ({d})"),
            _ => String::new(),
        },
        exam_plan: if stats.exam_plan.exam_date.is_some() {
            stats.exam_plan.summary.clone()
        } else {
            vec![
                "No exam date set. Set it on the settings page to see the days left and a \
                 daily plan: questions, flashcard reviews and when to sit the next mock exam."
                    .to_owned(),
            ]
        },
        exam_date_set: stats.exam_plan.exam_date.is_some(),
        sections: stats
            .sections
            .iter()
            .map(|x| SectionRow {
                number: x.number,
                title: x.title.clone(),
                weight: x.weight,
                mastery: x.mastery.map_or_else(|| x.mastery_text(), pct),
                band: match (x.mastery, x.mastery_low, x.mastery_high) {
                    (Some(_), Some(l), Some(h)) => format!("{}–{}", pct(l), pct(h)),
                    _ => String::new(),
                },
                answers: x.answers,
            })
            .collect(),
        today: format!(
            "{} so far · {} due · {}",
            count(stats.progress.answers_total, "answer", "answers"),
            count(stats.cards.due as u64, "card", "cards"),
            count(stats.cards.new_today as u64, "new card", "new cards"),
        ),
    };
    t.render().map(axum::body::Bytes::from).map_err(|_| {
        Box::new(error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "The page could not be drawn.",
        ))
    })
}

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    section: String,
    difficulty: u8,
    why: String,
    stem: String,
    /// (position, input name, letter, text html)
    options: Vec<(usize, String, char, String)>,
    input_type: &'static str,
    hint: String,
    question_id: String,
    order: String,
    shown_at: i64,
    /// The section practice is focused on (its id), or empty for all.
    focus: String,
    /// (id, "4. Serving and scaling models") for the focus chooser.
    sections: Vec<(String, String)>,
    csrf: String,
    /// The practice filters as a query string, empty when practice is adaptive.
    filter_query: String,
    /// Questions this filtered session asked before this one, comma-separated.
    asked: String,
}

pub(crate) async fn practice(Req(s): Req, Query(q): Query<HashMap<String, String>>) -> Response {
    let Ok(mut app) = s.app.lock() else {
        return busy();
    };
    let section = q.get("section").filter(|x| !x.is_empty()).cloned();
    // Practice filters (from the review centre) and the questions this filtered session
    // already asked, carried from one question to the next.
    let (filter, filter_query) = crate::review_pages::practice_filter(&q);
    let session: Vec<String> = q
        .get("asked")
        .map(|a| {
            a.split(',')
                .map(url_word)
                .filter(|x| !x.is_empty())
                .take(200)
                .collect()
        })
        .unwrap_or_default();
    let asked = q
        .get("question")
        .filter(|id| app.pack().question(id).is_some())
        .map(|id| pmle_app::NextQuestion {
            question_id: id.clone(),
            reason: "from search".into(),
        });
    let next = match asked.map_or_else(|| app.next_filtered(&filter, &session), |n| Ok(Some(n))) {
        Ok(Some(n)) => n,
        Ok(None) if !filter_query.is_empty() && !session.is_empty() => {
            return error_page(
                StatusCode::OK,
                "All asked",
                "Every question that matches these filters was asked in this session; see the review centre (/review).",
            );
        }
        Ok(None) => {
            return error_page(
                StatusCode::OK,
                "Nothing to ask",
                "Recent questions are not repeated; come back later.",
            );
        }
        Err(e) => return app_error(&e),
    };
    let shown = match app.present(&next.question_id) {
        Ok(p) => p,
        Err(e) => return app_error(&e),
    };
    let multiple = matches!(shown.kind, Kind::Multiple { .. });
    page(&PracticePage {
        section: shown.section_title.clone(),
        difficulty: shown.difficulty,
        why: next.reason,
        stem: markdown(&shown.stem),
        options: shown
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                (
                    i,
                    if multiple {
                        format!("pick{i}")
                    } else {
                        "pick".to_owned()
                    },
                    o.letter,
                    markdown_inline(&o.text),
                )
            })
            .collect(),
        input_type: if multiple { "checkbox" } else { "radio" },
        hint: if multiple {
            format!("Choose {}.", shown.kind.choose())
        } else {
            "Choose one.".into()
        },
        question_id: shown.question_id.clone(),
        order: shown
            .order
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(","),
        shown_at: shown.shown_at_ms,
        focus: section
            .and_then(|x| app.pack().resolve_section(&x).map(|s| s.id.clone()))
            .unwrap_or_default(),
        sections: app
            .pack()
            .sections
            .iter()
            .map(|s| (s.id.clone(), format!("{}. {}", s.number, s.title)))
            .collect(),
        csrf: s.csrf.to_string(),
        filter_query,
        asked: session.join(","),
    })
}

/// An answered option as the feedback and the exam report show it.
pub(crate) struct OptionView {
    pub(crate) letter: char,
    pub(crate) text: String,
    pub(crate) correct: bool,
    pub(crate) chosen: bool,
    pub(crate) explanation: String,
}

impl OptionView {
    pub(crate) fn of(o: &pmle_app::FeedbackOption) -> OptionView {
        OptionView {
            letter: o.letter,
            text: markdown_inline(&o.text),
            correct: o.correct,
            chosen: o.chosen,
            explanation: markdown(&o.explanation),
        }
    }
}

#[derive(Template)]
#[template(path = "feedback.html")]
struct FeedbackPage {
    correct: bool,
    /// The question again, so the explanations can be read against it.
    stem: String,
    section: String,
    key: String,
    options: Vec<OptionView>,
    references: Vec<String>,
    next: String,
    /// (link, title) of notes and labs about this question.
    further: Vec<(String, String)>,
    /// Bookmark, flag, note and report forms.
    keep: Option<crate::review_pages::KeepForms>,
}

pub(crate) async fn answer(Req(s): Req, Form(form): Form<HashMap<String, String>>) -> Response {
    if let Some(refused) = expired(&form, &s, "practice") {
        return refused;
    }
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let order: Result<Vec<usize>, _> = field("order").split(',').map(str::parse).collect();
    let (Ok(order), Ok(shown_at)) = (order, field("shown_at").parse::<i64>()) else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Bad form",
            "Reload the practice page.",
        );
    };
    let picked = crate::exam_pages::picks(&form, order.len());
    let Ok(mut app) = s.app.lock() else {
        return busy();
    };
    let shown = match app.present_again(field("question"), &order, shown_at) {
        Ok(p) => p,
        Err(e) => return app_error(&e),
    };
    if picked.len() != shown.kind.choose() as usize {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Pick again",
            &format!(
                "This question takes {}; go back and choose.",
                count(shown.kind.choose().into(), "answer", "answers")
            ),
        );
    }
    let f = match app.answer(&shown, &picked) {
        Ok(f) => f,
        Err(e) => return app_error(&e),
    };
    let (_, filter_query) = crate::review_pages::practice_filter(&form);
    let next = if filter_query.is_empty() {
        match form.get("focus").filter(|x| !x.is_empty()) {
            Some(sec) => format!("/practice?section={}", url_word(sec)),
            None => "/practice".to_owned(),
        }
    } else {
        let mut asked: Vec<String> = field("asked")
            .split(',')
            .map(url_word)
            .filter(|x| !x.is_empty())
            .take(199)
            .collect();
        asked.push(url_word(&f.question_id));
        format!("/practice?{filter_query}&asked={}", asked.join(","))
    };
    let key = f
        .options
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.letter.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    page(&FeedbackPage {
        correct: f.correct,
        stem: markdown(&shown.stem),
        section: shown.section_title.clone(),
        key,
        options: f.options.iter().map(OptionView::of).collect(),
        further: app
            .notes_for_question(&f.question_id)
            .into_iter()
            .map(|(id, title)| (format!("/notes/{id}"), format!("Note: {title}")))
            .chain(
                pmle_labs::lab::explaining(&f.question_id)
                    .into_iter()
                    .map(|l| (format!("/labs/{}", l.id), format!("Lab: {}", l.title))),
            )
            .collect(),
        references: f.references,
        keep: crate::review_pages::KeepForms::of(&app, &f.question_id, &next, &s.csrf),
        next,
    })
}

#[derive(Template)]
#[template(path = "notes.html")]
struct NotesPage {
    notes: Vec<(String, String, String)>,
}

pub(crate) async fn notes(Req(s): Req) -> Response {
    let Ok(app) = s.app.lock() else {
        return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Busy", "Try again.");
    };
    let mut notes: Vec<(String, String, String)> = app
        .pack()
        .notes
        .iter()
        .map(|n| (n.id.clone(), n.title.clone(), n.section.clone()))
        .collect();
    notes.sort_by(|a, b| (&a.2, &a.1).cmp(&(&b.2, &b.1)));
    page(&NotesPage { notes })
}

pub(crate) async fn not_found() -> Response {
    error_page(StatusCode::NOT_FOUND, "Not found", "There is no such page.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_drops_one_paragraph_only() {
        assert_eq!(
            markdown_inline("Use **BigQuery ML**"),
            "Use <strong>BigQuery ML</strong>"
        );
        let two = markdown_inline("one\n\ntwo");
        assert!(
            two.contains("<p>one</p>") && two.contains("<p>two</p>"),
            "{two}"
        );
        assert!(!markdown_inline("<script>x</script>ok").contains("<script"));
    }

    #[test]
    fn markdown_is_sanitised() {
        let html =
            markdown("Hello <script>alert(1)</script> **bold** <img src=x onerror=alert(2)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(html.contains("<strong>bold</strong>"));
    }
}
