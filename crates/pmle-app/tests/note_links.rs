//! "Practise this topic" on a note lists the questions most about the note first.
#![allow(clippy::unwrap_used)]

mod common;

use pmle_app::ManualClock;

#[test]
fn the_distributed_training_note_lists_distributed_training_questions_first() {
    let app = common::app(&ManualClock::new(1_795_000_000_000), 1);
    let (questions, _) = app.note_links("distributed-training");
    let topics = |id: &str| app.pack().question(id).unwrap().topics.clone();
    let first: Vec<Vec<String>> = questions.iter().take(8).map(|(id, _)| topics(id)).collect();
    assert_eq!(first.len(), 8);
    for t in &first {
        // Mainly about distributed training, never a product-choice question.
        assert_eq!(t[0], "distributed-training", "{first:?}");
    }
    // Product-choice questions that touch custom training in passing come after every
    // question whose main topic is one of the note's topics.
    let place =
        |pred: &dyn Fn(&[String]) -> bool| questions.iter().position(|(id, _)| pred(&topics(id)));
    let first_choice = place(&|t| t.contains(&"product-choice".to_owned())).unwrap();
    let note = app
        .pack()
        .notes
        .iter()
        .find(|n| n.id == "distributed-training")
        .unwrap();
    let last_main = questions
        .iter()
        .rposition(|(id, _)| note.topics.contains(&topics(id)[0]))
        .unwrap();
    assert!(
        first_choice > last_main,
        "a product-choice question at {first_choice}, a main-topic question at {last_main}"
    );
    // Every question listed shares a topic with the note, and none is listed twice.
    let mut ids: Vec<&String> = questions.iter().map(|(id, _)| id).collect();
    assert!(
        ids.iter()
            .all(|id| topics(id).iter().any(|t| note.topics.contains(t)))
    );
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), questions.len());
}
