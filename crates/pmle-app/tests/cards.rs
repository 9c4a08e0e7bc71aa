//! The day's new flashcards spread over topics.
#![allow(clippy::unwrap_used)]

use pmle_app::{App, ManualClock, load_pack};
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
