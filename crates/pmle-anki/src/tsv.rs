//! Anki's text import format with file headers (Anki 2.1.54+).

use std::io::Write;
use std::path::Path;

use crate::{AnkiError, AnkiNote};

/// Quote a field the way Anki's CSV reader expects: in double quotes, quotes doubled.
fn field(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('"', "\"\"").replace(['\t', '\n', '\r'], " ")
    )
}

/// Write notes as tab-separated text for Anki's File › Import, with headers naming the
/// separator, the Basic note type and the deck, tags and GUID columns.
pub fn write_tsv(path: &Path, notes: &[AnkiNote]) -> Result<(), AnkiError> {
    let io = |source| AnkiError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut text = String::from(
        "#separator:Tab\n#html:true\n#notetype:Basic\n#deck column:3\n#tags column:4\n#guid column:5\n",
    );
    for n in notes {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            field(&n.front),
            field(&n.back),
            field(&n.deck),
            field(&n.tags.join(" ")),
            field(&n.guid)
        ));
    }
    crate::write_atomically(path, |f| f.write_all(text.as_bytes()).map_err(io))?;
    Ok(())
}
