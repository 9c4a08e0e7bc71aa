//! The day's new flashcards spread over topics.
#![allow(clippy::unwrap_used)]

use pmle_app::{App, LEARN_AHEAD_MS, ManualClock, load_pack};
use pmle_content::model::Date;
use pmle_store::SqliteStore;

#[test]
fn new_cards_are_interleaved_across_topics() {
    let pack = load_pack(
        None,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    let topic_of: std::collections::HashMap<String, String> = pack
        .cards
        .iter()
        .map(|c| (c.id.clone(), c.topic.clone()))
        .collect();
    let app = App::new(
        pack,
        Box::new(SqliteStore::open_in_memory().unwrap()),
        Box::new(ManualClock::new(1_795_000_000_000)),
        1,
        ":memory:",
    );
    let q = app.card_queue().unwrap();
    assert_eq!(q.new.len(), 20);
    let topics: std::collections::HashSet<&String> = q.new.iter().map(|id| &topic_of[id]).collect();
    assert_eq!(
        topics.len(),
        20,
        "20 new cards should come from 20 topics: {:?}",
        q.new
    );
}

#[test]
fn enough_reviews_fit_personal_fsrs_parameters() {
    use pmle_app::{OptimizeOutcome, Rating};
    let pack = load_pack(
        None,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    let ids: Vec<String> = pack.cards.iter().take(60).map(|c| c.id.clone()).collect();
    let clock = ManualClock::new(1_795_000_000_000);
    let mut app = App::new(
        pack,
        Box::new(SqliteStore::open_in_memory().unwrap()),
        Box::new(clock.clone()),
        1,
        ":memory:",
    );
    assert!(matches!(
        app.optimize_fsrs(None).unwrap(),
        OptimizeOutcome::TooFewReviews { .. }
    ));
    // Three reviews per card, days apart, with a mix of ratings.
    for (day, gap) in [(0, 0), (1, 2), (2, 5)] {
        clock.advance(gap * 86_400_000);
        for (i, id) in ids.iter().enumerate() {
            let rating = match (i + day) % 5 {
                0 => Rating::Again,
                1 => Rating::Hard,
                4 => Rating::Easy,
                _ => Rating::Good,
            };
            app.rate_card(id, rating).unwrap();
        }
    }
    assert_eq!(app.fsrs_training_items().unwrap(), 120);
    match app.optimize_fsrs(None).unwrap() {
        OptimizeOutcome::Fitted {
            parameters,
            training_items,
        } => {
            assert_eq!(training_items, 120);
            assert_eq!(parameters.len(), 21, "FSRS-6 has 21 parameters");
            assert!(parameters.iter().all(|p| p.is_finite()));
        }
        other => panic!("expected fitted parameters, got {other:?}"),
    }
    assert!(
        app.card_queue().unwrap().personal_parameters,
        "reviews now use the fitted parameters"
    );
    assert_eq!(app.stats().unwrap().cards.fsrs_parameters, "personal");
}

fn app_at(clock: &ManualClock) -> App {
    let pack = load_pack(
        None,
        Date {
            year: 2100,
            month: 1,
            day: 1,
        },
    )
    .unwrap();
    App::new(
        pack,
        Box::new(SqliteStore::open_in_memory().unwrap()),
        Box::new(clock.clone()),
        1,
        ":memory:",
    )
}

const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;

#[test]
fn again_comes_back_in_the_same_session_through_the_learning_steps() {
    use pmle_app::Rating;
    let clock = ManualClock::new(1_795_000_000_000);
    let mut app = app_at(&clock);
    let q = app.card_queue().unwrap();
    let id = q.next_card().unwrap().to_owned();
    assert_eq!(q.learning, 0);
    // The buttons show the steps (default 1m 10m) for a new card.
    let view = app.card(&id).unwrap();
    assert_eq!(view.intervals_ms[0], MINUTE, "Again: the first step");
    assert_eq!(view.intervals_ms[2], 10 * MINUTE, "Good: the second step");
    assert!(view.intervals_ms[3] >= DAY, "Easy graduates at once");

    let row = app.rate_card(&id, Rating::Again).unwrap();
    assert_eq!(row.due_at_ms - app.now_unix_ms(), MINUTE);
    // Not due yet, but the session can show it early when nothing else is left.
    let q = app.card_queue().unwrap();
    assert!(!q.due.contains(&id));
    assert_eq!(q.learning_soon, vec![id.clone()]);
    assert_eq!(q.learning, 1);
    assert_ne!(
        q.next_card(),
        Some(id.as_str()),
        "new cards come before learning ahead"
    );

    clock.advance(MINUTE);
    let q = app.card_queue().unwrap();
    assert_eq!(q.due.first(), Some(&id), "a due learning card comes first");
    assert_eq!(q.next_card(), Some(id.as_str()));

    let row = app.rate_card(&id, Rating::Good).unwrap();
    assert_eq!(
        row.due_at_ms - app.now_unix_ms(),
        10 * MINUTE,
        "second step"
    );
    clock.advance(10 * MINUTE);
    let row = app.rate_card(&id, Rating::Good).unwrap();
    assert!(
        row.due_at_ms - app.now_unix_ms() >= DAY,
        "graduated onto FSRS"
    );
    assert_eq!(app.card_queue().unwrap().learning, 0);

    // A lapse goes back through the steps.
    clock.advance(row.due_at_ms - app.now_unix_ms());
    let row = app.rate_card(&id, Rating::Again).unwrap();
    assert_eq!(row.due_at_ms - app.now_unix_ms(), MINUTE);
    assert_eq!(row.lapses, 1);
}

#[test]
fn without_learning_steps_again_waits_for_fsrs() {
    use pmle_app::Rating;
    let clock = ManualClock::new(1_795_000_000_000);
    let mut app = app_at(&clock);
    let mut s = app.settings().unwrap();
    s.set("learning_steps", "").unwrap();
    app.save_settings(&s).unwrap();
    let id = app.card_queue().unwrap().new[0].clone();
    let row = app.rate_card(&id, Rating::Again).unwrap();
    let wait = row.due_at_ms - app.now_unix_ms();
    assert!(wait > LEARN_AHEAD_MS, "FSRS's own interval: {wait} ms");
    assert!(app.card_queue().unwrap().learning_soon.is_empty());
}
