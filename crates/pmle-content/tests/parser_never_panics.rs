//! Property test: whatever the bytes, parsing and linting return diagnostics, never panic.

use pmle_content::model::Date;
use pmle_content::{PackSource, check};
use proptest::prelude::*;

const VALID_QUESTIONS: &str = include_str!("../../../tests/fixtures/mini/questions/q.toml");
const VALID_PACK: &str = include_str!("../../../tests/fixtures/mini/pack.toml");
const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 27,
};

fn run(files: Vec<(&str, String)>) {
    let r = check(&PackSource::from_files("prop", files), TODAY);
    // Touch the results so nothing is optimised away.
    let _ = r.diagnostics.iter().map(ToString::to_string).count();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_in_any_file(text in ".{0,400}", which in 0usize..5) {
        let path = ["pack.toml", "topics.toml", "questions/a.toml", "cards/a.toml", "notes/a.md"][which];
        run(vec![("pack.toml", VALID_PACK.to_owned()), (path, text)]);
    }

    #[test]
    fn mutated_valid_questions(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<char>()), 1..6)) {
        let mut chars: Vec<char> = VALID_QUESTIONS.chars().collect();
        for (at, c) in edits {
            let i = at.index(chars.len());
            chars[i] = c;
        }
        let text: String = chars.into_iter().collect();
        run(vec![("pack.toml", VALID_PACK.to_owned()), ("questions/q.toml", text)]);
    }

    #[test]
    fn truncated_valid_questions(cut in 0usize..2000) {
        let end = VALID_QUESTIONS.char_indices().map(|(i, _)| i).take_while(|&i| i <= cut).last().unwrap_or(0);
        run(vec![("pack.toml", VALID_PACK.to_owned()), ("questions/q.toml", VALID_QUESTIONS[..end].to_owned())]);
    }

    #[test]
    fn arbitrary_note_front_matter(front in "[a-z =\"\\[\\]\n+]{0,200}", body in ".{0,50}") {
        run(vec![("pack.toml", VALID_PACK.to_owned()), ("notes/n.md", format!("+++\n{front}\n+++\n{body}"))]);
    }
}
