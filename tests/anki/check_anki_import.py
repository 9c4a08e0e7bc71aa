"""Prove that Anki itself imports pmle's exports (run by scripts/test).

Usage: python check_anki_import.py PATH/TO/pmle

Exports the flashcards (and questions) as .apkg and as Anki text, imports each into a fresh
collection with Anki's own Python library (PyPI `anki`), and checks note counts, decks, tags
and fields. Then it changes the content of one card in a copy of the pack, exports again,
and checks that the re-import updates the note instead of adding a duplicate.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
import anki.import_export_pb2 as ie

PMLE = os.path.abspath(sys.argv[1])
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
results = []


def check(name, ok, detail=""):
    results.append((name, bool(ok)))
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))


def run(env, *args):
    return subprocess.run([PMLE, *args], env=env, check=True, capture_output=True, text=True).stdout


def import_apkg(col, path):
    opts = ImportAnkiPackageOptions(
        with_scheduling=False,
        with_deck_configs=False,
        merge_notetypes=True,
        update_notes=ie.ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
    )
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=path, options=opts))


def import_tsv(col, path):
    meta = col.get_csv_metadata(path, None)
    return col.import_csv(ie.ImportCsvRequest(path=path, metadata=meta))


def main():
    work = tempfile.mkdtemp(prefix="pmle-anki-")
    env = dict(os.environ, PMLE_HOME=work)
    env.pop("PMLE_DB", None)
    stats = json.loads(run(env, "stats", "--json"))
    cards, questions = stats["content"]["cards"], stats["content"]["questions"]

    # 1. .apkg with questions into a fresh collection.
    apkg = os.path.join(work, "pmle.apkg")
    run(env, "export", "anki", apkg, "--questions", "--quiet")
    col = Collection(os.path.join(work, "apkg.anki2"))
    import_apkg(col, apkg)
    notes = col.find_notes("tag:pmle")
    check("apkg: every card and question became a note", len(notes) == cards + questions, f"{len(notes)} != {cards + questions}")
    names = {d.name for d in col.decks.all_names_and_ids()}
    check("apkg: a sub-deck per section", all(any(n.startswith(f"PMLE::{i} ") for n in names) for i in range(1, 7)), sorted(names))
    check("apkg: questions in their own sub-decks", any(n.endswith("::Questions") for n in names), sorted(names))
    tagged = col.find_notes("tag:topic::distributed-training")
    check("apkg: topic tags", len(tagged) > 0)
    q_notes = col.find_notes("tag:pmle::question")
    check("apkg: question notes tagged", len(q_notes) == questions, f"{len(q_notes)} != {questions}")
    sample = col.get_note(col.find_notes("tag:pmle -tag:pmle::question")[0])
    check("apkg: fields hold the text", len(sample.fields) == 2 and sample.fields[0].strip() and "https://" in sample.fields[1], sample.fields)
    q_sample = col.get_note(q_notes[0])
    check("apkg: question back explains every option", "Answer:" in q_sample.fields[1] and q_sample.fields[1].count("✗") >= 2, q_sample.fields[1][:200])
    col.close()

    # 2. Anki text (TSV) into a fresh collection.
    tsv = os.path.join(work, "pmle.txt")
    run(env, "export", "anki-tsv", tsv, "--quiet")
    col = Collection(os.path.join(work, "tsv.anki2"))
    import_tsv(col, tsv)
    notes = col.find_notes("tag:pmle")
    check("tsv: every card became a note", len(notes) == cards, f"{len(notes)} != {cards}")
    names = {d.name for d in col.decks.all_names_and_ids()}
    check("tsv: a sub-deck per section", all(any(n.startswith(f"PMLE::{i} ") for n in names) for i in range(1, 7)), sorted(names))
    note = col.get_note(notes[0])
    check("tsv: fields hold the text", note.fields[0].strip() and note.fields[1].strip(), note.fields)
    col.close()

    # 3. A changed export updates notes instead of duplicating them.
    pack = os.path.join(work, "pack")
    shutil.copytree(os.path.join(REPO, "content", "pmle"), pack)
    target = os.path.join(pack, "cards", "s3-distributed.toml")
    with open(target, encoding="utf-8") as f:
        text = f.read()
    marker = "UPDATED-BY-TEST"
    text = text.replace('front = "', f'front = "{marker} ', 1)
    with open(target, "w", encoding="utf-8") as f:
        f.write(text)
    time.sleep(1.1)  # the second export must be newer (note modification time, seconds)
    for kind, path, importer in (("apkg", apkg, import_apkg), ("tsv", tsv, import_tsv)):
        col = Collection(os.path.join(work, f"{kind}.anki2"))
        before = len(col.find_notes("tag:pmle"))
        changed = path + ".v2"
        run(env, "--pack", pack, "export", "anki" if kind == "apkg" else "anki-tsv", changed, "--quiet")
        importer(col, changed)
        after = len(col.find_notes("tag:pmle"))
        updated = col.find_notes(marker)
        check(f"{kind}: re-import updates instead of duplicating", after == before and len(updated) == 1, f"{before} -> {after}, updated {len(updated)}")
        col.close()

    passed = sum(ok for _, ok in results)
    failed = len(results) - passed
    print(f"anki: {passed} passed, {failed} failed")
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
