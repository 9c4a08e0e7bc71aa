//! The legacy `.apkg`: a zip holding `collection.anki2` (SQLite, schema 11) and `media`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use rusqlite::{Connection, params};
use serde_json::{Value, json};

use crate::html::strip_html;
use crate::{AnkiError, AnkiNote, stable_id};

/// Fixed so that every export uses the same note type: Anki only updates notes in place
/// when the note type matches.
const MODEL_ID: i64 = 1_735_000_000_001;
const DECK_BASE: i64 = 1_736_000_000_000;
const NOTE_BASE: i64 = 1_700_000_000_000;
const CARD_BASE: i64 = 1_710_000_000_000;

const SCHEMA: &str = "
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null,
  time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
";

fn deck_json(id: i64, name: &str, now: i64) -> Value {
    json!({
        "id": id, "name": name, "mod": now, "usn": -1, "lrnToday": [0, 0], "revToday": [0, 0],
        "newToday": [0, 0], "timeToday": [0, 0], "collapsed": false, "browserCollapsed": false,
        "desc": "", "dyn": 0, "conf": 1, "extendNew": 0, "extendRev": 0
    })
}

fn model_json(now: i64) -> Value {
    let field = |name: &str, ord: u32| json!({"name": name, "ord": ord, "sticky": false, "rtl": false, "font": "Arial", "size": 20, "media": []});
    json!({
        "id": MODEL_ID, "name": "pmle Basic", "type": 0, "mod": now, "usn": -1, "sortf": 0,
        "did": 1, "tags": [], "vers": [], "req": [[0, "any", [0]]],
        "flds": [field("Front", 0), field("Back", 1)],
        "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": "{{Front}}",
                   "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
                   "did": null, "bqfmt": "", "bafmt": ""}],
        "css": ".card { font-family: arial; font-size: 18px; text-align: left; color: black; background-color: white; }",
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}", "latexsvg": false
    })
}

fn dconf_json() -> Value {
    json!({"1": {
        "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true,
        "timer": 0, "replayq": true, "dyn": false,
        "new": {"bury": false, "delays": [1.0, 10.0], "initialFactor": 2500, "ints": [1, 4, 0], "order": 1, "perDay": 20},
        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0},
        "rev": {"bury": false, "ease4": 1.3, "maxIvl": 36500, "perDay": 200, "hardFactor": 1.2}
    }})
}

/// Anki's duplicate-check sum: the first 8 hex digits of SHA-1 of the sort field.
fn checksum(text: &str) -> i64 {
    let hex = sha1_smol::Sha1::from(text).digest().to_string();
    i64::from_str_radix(&hex[..8], 16).unwrap_or(0)
}

/// Write `notes` as an `.apkg` at `path`. `now_secs` becomes every note's modification
/// time: a later export therefore counts as newer and updates notes on import.
pub fn write_apkg(path: &Path, notes: &[AnkiNote], now_secs: i64) -> Result<(), AnkiError> {
    let io = |source| AnkiError::Io {
        path: path.display().to_string(),
        source,
    };
    // A private scratch folder (random name, removed when dropped, also on error).
    let dir = tempfile::tempdir().map_err(io)?;
    let db_path = dir.path().join("collection.anki2");
    {
        let mut conn = Connection::open(&db_path)?;
        conn.execute_batch(SCHEMA)?;
        let mut decks: BTreeMap<String, i64> = BTreeMap::new();
        for n in notes {
            // Every level of a `A::B::C` name must exist as a deck of its own.
            let mut name = String::new();
            for part in n.deck.split("::") {
                if !name.is_empty() {
                    name.push_str("::");
                }
                name.push_str(part);
                decks
                    .entry(name.clone())
                    .or_insert_with(|| stable_id(&name, DECK_BASE));
            }
        }
        let mut decks_json = serde_json::Map::new();
        decks_json.insert("1".into(), deck_json(1, "Default", now_secs));
        for (name, id) in &decks {
            decks_json.insert(id.to_string(), deck_json(*id, name, now_secs));
        }
        let conf = json!({"activeDecks": [1], "curDeck": 1, "newSpread": 0, "collapseTime": 1200,
            "timeLim": 0, "estTimes": true, "dueCounts": true, "curModel": MODEL_ID.to_string(),
            "nextPos": notes.len() + 1, "sortType": "noteFld", "sortBackwards": false, "addToCur": true});
        let models = json!({ MODEL_ID.to_string(): model_json(now_secs) });
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
            params![
                now_secs - now_secs % 86_400,
                now_secs * 1000,
                conf.to_string(),
                models.to_string(),
                Value::Object(decks_json).to_string(),
                dconf_json().to_string()
            ],
        )?;
        for (pos, n) in notes.iter().enumerate() {
            let nid = stable_id(&n.guid, NOTE_BASE);
            let sort = strip_html(&n.front);
            let tags = if n.tags.is_empty() {
                String::new()
            } else {
                format!(" {} ", n.tags.join(" "))
            };
            tx.execute(
                "INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')",
                params![
                    nid,
                    n.guid,
                    MODEL_ID,
                    now_secs,
                    tags,
                    format!("{}\x1f{}", n.front, n.back),
                    sort,
                    checksum(&sort)
                ],
            )?;
            tx.execute(
                "INSERT INTO cards VALUES (?1, ?2, ?3, 0, ?4, -1, 0, 0, ?5, 0, 0, 0, 0, 0, 0, 0, 0, '')",
                params![stable_id(&n.guid, CARD_BASE), nid, decks[&n.deck], now_secs, pos as i64 + 1],
            )?;
        }
        tx.commit()?;
    }
    let collection = std::fs::read(&db_path).map_err(io)?;
    crate::write_atomically(path, |file| {
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("collection.anki2", options)?;
        zip.write_all(&collection).map_err(io)?;
        zip.start_file("media", options)?;
        zip.write_all(b"{}").map_err(io)?;
        zip.finish()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_zip_with_a_schema_11_collection() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x.apkg");
        let notes = vec![AnkiNote {
            guid: "pmle-card-1".into(),
            deck: "PMLE::S1 Low-code".into(),
            front: "Q?".into(),
            back: "A.".into(),
            tags: vec!["topic::bqml".into()],
        }];
        write_apkg(&out, &notes, 1_800_000_000).unwrap();
        let mut z = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        let mut names: Vec<String> = (0..z.len())
            .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        names.sort();
        assert_eq!(names, vec!["collection.anki2", "media"]);
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut z.by_name("collection.anki2").unwrap(), &mut bytes)
            .unwrap();
        let db = dir.path().join("c.anki2");
        std::fs::write(&db, bytes).unwrap();
        let c = Connection::open(&db).unwrap();
        let ver: i64 = c
            .query_row("SELECT ver FROM col", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ver, 11);
        let (guid, flds): (String, String) = c
            .query_row("SELECT guid, flds FROM notes", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(guid, "pmle-card-1");
        assert_eq!(flds, "Q?\x1fA.");
        let decks: String = c
            .query_row("SELECT decks FROM col", [], |r| r.get(0))
            .unwrap();
        assert!(decks.contains("\"PMLE\"") && decks.contains("PMLE::S1 Low-code"));
    }
}
