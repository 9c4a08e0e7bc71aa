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
