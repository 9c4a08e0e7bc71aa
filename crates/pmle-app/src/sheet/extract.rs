//! What the summary takes from a note: decision passages (by their heading) and formulas
//! (definition lines `**Name** = expression`).

use pmle_content::model::Note;

use super::{SheetBlock, SheetFormula};

/// Whether a level-2 heading introduces a passage that decides between options.
fn is_decision_heading(heading: &str) -> bool {
    let h = heading.to_lowercase();
    const STARTS: [&str; 8] = [
        "when ",
        "which ",
        "choosing",
        "decision",
        "tie-break",
        "what to use",
        "quick decision",
        "exam traps",
    ];
    const HAS: [&str; 4] = [" vs ", " versus ", "when to ", "decision"];
    STARTS.iter().any(|s| h.starts_with(s)) || HAS.iter().any(|s| h.contains(s))
}

/// The note's decision passages, in order: each level-2 section whose heading decides
/// (`is_decision_heading`), without its block quotes (corrections of older material) and
/// trailing blank lines.
pub(super) fn decision_blocks(note: &Note) -> Vec<SheetBlock> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    let flush = |cur: Option<(String, String)>, out: &mut Vec<SheetBlock>| {
        if let Some((heading, body)) = cur {
            let body = body.trim().to_owned();
            if !body.is_empty() {
                out.push(SheetBlock {
                    note: note.id.clone(),
                    note_title: note.title.clone(),
                    heading,
                    markdown: body,
                });
            }
        }
    };
    for line in note.body.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            flush(current.take(), &mut out);
            if is_decision_heading(h) {
                current = Some((h.trim().to_owned(), String::new()));
            }
        } else if let Some((_, body)) = current.as_mut()
            && !line.trim_start().starts_with('>')
        {
            body.push_str(line);
            body.push('\n');
        }
    }
    flush(current, &mut out);
    out
}

/// Definition lines of the note: a paragraph or list item that begins `**Name**` (an
/// optional parenthesis may follow the name) and then ` = `. A list item's continuation lines
/// are joined to it; a paragraph is cut after its first sentence.
pub(super) fn formulas(note: &Note) -> Vec<SheetFormula> {
    let mut out = Vec::new();
    let lines: Vec<&str> = note.body.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_start();
        let item = line
            .strip_prefix("- ")
            .or_else(|| line.strip_prefix("* "))
            .unwrap_or(line);
        let listed = item.len() != line.len();
        let mut text = item.trim().to_owned();
        i += 1;
        let Some(name) = definition_name(&text) else {
            continue;
        };
        // Continuation: indented lines, or paragraph lines, up to a blank line or a new item.
        while i < lines.len() {
            let next = lines[i];
            let t = next.trim();
            if t.is_empty()
                || t.starts_with("- ")
                || t.starts_with("* ")
                || t.starts_with('#')
                || t.starts_with('|')
                || t.starts_with('>')
            {
                break;
            }
            text.push(' ');
            text.push_str(t);
            i += 1;
        }
        // A definition inside a paragraph ends with its sentence.
        if !listed && let Some(end) = text.find(". ") {
            text.truncate(end + 1);
        }
        out.push(SheetFormula {
            name,
            markdown: text,
            note: note.id.clone(),
        });
    }
    out
}

/// `Precision` for `**Precision** = TP / (TP + FP)…` or `**Recall** (sensitivity) = …`.
fn definition_name(text: &str) -> Option<String> {
    let rest = text.strip_prefix("**")?;
    let end = rest.find("**")?;
    let name = &rest[..end];
    let mut after = rest[end + 2..].trim_start();
    if after.starts_with('(') {
        after = after[after.find(')')? + 1..].trim_start();
    }
    let expr = after.strip_prefix("= ")?;
    (!name.is_empty() && !name.contains('=') && !expr.trim().is_empty()).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pmle_content::model::Location;

    fn note(body: &str) -> Note {
        Note {
            id: "n".into(),
            title: "N".into(),
            section: "s3".into(),
            topics: vec![],
            seed_headings: vec![],
            references: vec![],
            body: body.into(),
            location: Location {
                file: String::new(),
                line: 1,
                column: 1,
            },
        }
    }

    #[test]
    fn decision_passages_are_found_by_heading_and_lose_their_quotes() {
        let n = note(
            "# T\n\n## What it does\n\nx\n\n## When to use it\n\n- a\n- b\n\n> **Correction:** old\n\n\
             ## Offline versus online\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## References\n\n- r\n",
        );
        let b = decision_blocks(&n);
        let heads: Vec<&str> = b.iter().map(|x| x.heading.as_str()).collect();
        assert_eq!(heads, ["When to use it", "Offline versus online"]);
        assert_eq!(b[0].markdown, "- a\n- b");
        assert!(b[1].markdown.starts_with("| a | b |"));
    }

    #[test]
    fn definitions_are_formulas_and_bold_statements_are_not() {
        let n = note(
            "- **Precision** = TP / (TP + FP): of the alarms\n  raised, how many were real?\n\
             - **Recall** (sensitivity) = TP / (TP + FN).\n\
             - **Skew baseline = training data** (refresh it).\n\
             - **F1**: the harmonic mean.\n\
             **Global batch** = per-replica batch × replicas.\nMore text.\n\n- λ = 0: none\n",
        );
        let f = formulas(&n);
        let names: Vec<&str> = f.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["Precision", "Recall", "Global batch"]);
        assert_eq!(
            f[0].markdown,
            "**Precision** = TP / (TP + FP): of the alarms raised, how many were real?"
        );
        assert_eq!(
            f[2].markdown,
            "**Global batch** = per-replica batch × replicas."
        );
    }
}
