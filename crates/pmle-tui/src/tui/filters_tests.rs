//! The practice-filters form (`x` in the review centre), at 80×24: it builds a
//! `PracticeFilter`, practice honours it, and a filter that leaves nothing shows the app's
//! message on the form.

use crossterm::event::KeyCode;
use pmle_app::{PracticeFilter, ReviewFilter};

use super::tests::{key, keys, pick_enough, screen, tui};

/// The screen's words with runs of whitespace (and line wraps) made one space.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Move to the difficulty row, pick `d`, then the topic row and the topic at `topic`.
fn choose(t: &mut super::Tui, d: u8, topic: usize) {
    for _ in 0..4 {
        key(t, KeyCode::Down);
    }
    for _ in 0..d {
        key(t, KeyCode::Right);
    }
    key(t, KeyCode::Down);
    for _ in 0..=topic {
        key(t, KeyCode::Right);
    }
}

#[test]
fn the_filters_form_opens_from_the_review_centre_and_esc_goes_back() {
    let mut t = tui();
    keys(&mut t, "r");
    assert!(screen(&t).contains("x filters"), "{}", screen(&t));
    keys(&mut t, "?");
    let s = screen(&t);
    assert!(
        s.contains("practise with filters: difficulty, topic, marks"),
        "{s}"
    );
    keys(&mut t, "?");
    keys(&mut t, "x");
    let s = screen(&t);
    assert!(s.contains("Practise with filters"), "{s}");
    insta::assert_snapshot!("practice_filters_form", s);
    // Toggles and choices show what the CLI would be asked.
    keys(&mut t, " j ");
    key(&mut t, KeyCode::Down);
    key(&mut t, KeyCode::Down);
    key(&mut t, KeyCode::Down);
    key(&mut t, KeyCode::Left);
    let s = screen(&t);
    assert!(
        s.contains("pmle practice --unseen --missed --difficulty 3"),
        "{s}"
    );
    key(&mut t, KeyCode::Esc);
    assert!(screen(&t).contains("Review centre · All"));
}

#[test]
fn a_difficulty_and_topic_filter_practises_a_question_matching_both() {
    let mut t = tui();
    let pack = t.app().pack();
    let live: Vec<_> = pack.questions.iter().filter(|q| !q.retired).collect();
    // A topic and difficulty that narrow each other: some of the topic's questions have
    // another difficulty, so a broken difficulty (or topic) filter can be caught.
    let (ti, d) = pack
        .topics
        .iter()
        .enumerate()
        .flat_map(|(i, tp)| (1..=3u8).map(move |d| (i, tp, d)))
        .find(|(_, tp, d)| {
            let of_topic: Vec<_> = live.iter().filter(|q| q.topics.contains(&tp.id)).collect();
            of_topic.iter().any(|q| q.difficulty == *d)
                && of_topic.iter().any(|q| q.difficulty != *d)
        })
        .map(|(i, _, d)| (i, d))
        .expect("the pack has a topic with questions of two difficulties");
    let topic = pack.topics[ti].id.clone();

    keys(&mut t, "rx");
    choose(&mut t, d, ti);
    let s = screen(&t);
    assert!(
        flat(&s).contains(&format!("pmle practice --difficulty {d} --topic {topic}")),
        "{s}"
    );
    key(&mut t, KeyCode::Enter);
    let s = screen(&t);
    assert!(s.contains("Practice ·"), "{s}");
    // The line is cut at 80 columns, so the topic id may not show in full.
    assert!(
        s.contains(&format!("match --difficulty {d} --topic")),
        "{d} {topic}: {s}"
    );
    pick_enough(&mut t);
    key(&mut t, KeyCode::Enter);
    let answered = t.app().review(ReviewFilter::All).expect("review");
    assert_eq!(answered.len(), 1);
    let q = t
        .app()
        .pack()
        .questions
        .iter()
        .find(|q| q.id == answered[0].question_id)
        .expect("the answered question is in the pack");
    assert_eq!(q.difficulty, d, "{}", q.id);
    assert!(q.topics.contains(&topic), "{} lacks {topic}", q.id);
}

#[test]
fn a_filter_that_leaves_nothing_shows_the_apps_message_on_the_form() {
    let mut t = tui();
    let pack = t.app().pack();
    let live: Vec<_> = pack.questions.iter().filter(|q| !q.retired).collect();
    // A topic with questions, and a difficulty none of them has.
    let (ti, d) = pack
        .topics
        .iter()
        .enumerate()
        .flat_map(|(i, tp)| (1..=3u8).map(move |d| (i, tp, d)))
        .find(|(_, tp, d)| {
            let of_topic: Vec<_> = live.iter().filter(|q| q.topics.contains(&tp.id)).collect();
            !of_topic.is_empty() && of_topic.iter().all(|q| q.difficulty != *d)
        })
        .map(|(i, _, d)| (i, d))
        .expect("the pack has a topic without questions of some difficulty");
    let filter = PracticeFilter {
        difficulty: Some(d),
        topic: Some(pack.topics[ti].id.clone()),
        ..PracticeFilter::default()
    };
    let expected = t
        .app()
        .practice_candidates(&filter)
        .expect_err("nothing matches")
        .to_string();
    assert!(expected.contains("together"), "{expected}");

    keys(&mut t, "rx");
    choose(&mut t, d, ti);
    key(&mut t, KeyCode::Enter);
    let s = screen(&t);
    assert!(
        s.contains("Practise with filters"),
        "still on the form: {s}"
    );
    assert!(flat(&s).contains(&flat(&expected)), "{expected}\n{s}");
    assert!(
        t.app()
            .review(ReviewFilter::All)
            .expect("review")
            .is_empty()
    );
    // A changed choice clears the message.
    key(&mut t, KeyCode::Left);
    assert!(!flat(&screen(&t)).contains(&flat(&expected)));
}
