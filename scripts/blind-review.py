#!/usr/bin/env python3
"""Blind review of questions: hand reviewers the questions without keys, then record what they
answered in each question's `[question.review]` table.

  scripts/blind-review.py export [--pack DIR] [--ids FILE] [--file TOML ...] [--sample N --seed S] OUT.md
      Writes the questions (stem and lettered options in authoring order; no key, no
      explanation, no difficulty, no references) to OUT.md for a reviewer who has not seen them.
  scripts/blind-review.py record [--pack DIR] [--pmle BIN] [--date YYYY-MM-DD] ANSWERS.json
      ANSWERS.json is a list of {"id", "choice": ["B"], "confidence": "high|medium|low",
      "decided_by": "constraints|recall|wording", "level": 1|2|3, "reason": "..."}.
      Writes each answer into the question's `[question.review]` (replacing an older one) with
      the fingerprint `pmle check --fingerprints --json` gives for the current text, and prints
      the agreement with the keys. The question's `difficulty` is set to the level the
      review found (the label follows the review). A disagreement is recorded too: `pmle check` then reports it
      as an error until the question is fixed (and reviewed again) or retired.
  scripts/blind-review.py score [--pack DIR] ANSWERS.json
      Only prints agreement, confidence and level figures; writes nothing.

Standard library only (Python 3.11+, tomllib).
"""

import argparse
import datetime
import json
import random
import re
import subprocess
import sys
import tomllib
from pathlib import Path

LETTERS = "ABCDEF"


def load_questions(pack: Path, files=None):
    out = {}
    paths = [Path(f) for f in files] if files else sorted((pack / "questions").glob("*.toml"))
    for path in paths:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for q in data.get("question", []):
            q["_file"] = path
            out[q["id"]] = q
    return out


def key_letters(q):
    return [LETTERS[i] for i, o in enumerate(q["option"]) if o["correct"]]


def export(args):
    pack = Path(args.pack)
    qs = load_questions(pack, args.file)
    ids = [i for i, q in qs.items() if not q.get("retired")]
    if args.ids:
        wanted = [l.strip() for l in Path(args.ids).read_text().splitlines() if l.strip()]
        missing = [i for i in wanted if i not in qs]
        if missing:
            sys.exit(f"unknown question ids: {', '.join(missing)}")
        ids = wanted
    if args.sample:
        rng = random.Random(args.seed)
        ids = rng.sample(sorted(ids), min(args.sample, len(ids)))
    lines = [
        "# Blind review",
        "",
        "Answer each question as an expert candidate would, BEFORE looking anything up that",
        "reveals the answer. For each, give: your choice (letters), confidence (high/medium/low),",
        "what decided it (constraints = weighing the stated constraints; recall = one fact;",
        "wording = the phrasing gave it away), the level it needs (1 recall of one fact;",
        "2 applying a rule to a scenario; 3 weighing two or more viable designs), and one line",
        "of reason. Flag any question with two defensible answers or none.",
        "",
    ]
    for n, qid in enumerate(ids, 1):
        q = qs[qid]
        lines.append(f"## {n}. `{qid}`")
        lines.append("")
        lines.append(q["stem"].strip())
        lines.append("")
        for i, o in enumerate(q["option"]):
            text = " ".join(o["text"].split())
            lines.append(f"{LETTERS[i]}. {text}")
        lines.append("")
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {len(ids)} questions to {args.out}")


def read_answers(path):
    answers = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(answers, list):
        sys.exit("the answers file must be a JSON list of objects")
    for a in answers:
        for k in ("id", "choice", "confidence", "decided_by", "level"):
            if k not in a:
                sys.exit(f"answer {a!r} lacks {k!r}")
        a["choice"] = sorted(c.strip().upper() for c in a["choice"])
    return answers


def figures(qs, answers):
    n = len(answers)
    matched = [a for a in answers if a["choice"] == sorted(key_letters(qs[a["id"]]))]
    conf = {}
    for a in answers:
        conf[a["confidence"]] = conf.get(a["confidence"], 0) + 1
    dec = {}
    for a in answers:
        dec[a["decided_by"]] = dec.get(a["decided_by"], 0) + 1
    levels = {}
    for a in answers:
        levels[a["level"]] = levels.get(a["level"], 0) + 1
    label_agree = sum(1 for a in answers if a["level"] == qs[a["id"]].get("difficulty"))
    wording = [a["id"] for a in matched if a["decided_by"] == "wording" and a["confidence"] == "high"]
    print(f"answered: {n}; matched the key: {len(matched)} ({100 * len(matched) / max(n, 1):.0f}%)")
    print(f"confidence: {conf}; decided by: {dec}; level found: {levels}")
    print(f"label = level found: {label_agree} of {n}")
    mism = [a["id"] for a in answers if a not in matched]
    if mism:
        print("disagreements (fix or drop): " + ", ".join(mism))
    if wording:
        print("right from wording alone (rewrite): " + ", ".join(wording))


def fingerprints(pmle, pack):
    out = subprocess.run(
        [pmle, "check", "--pack", str(pack), "--fingerprints", "--json"],
        capture_output=True,
        text=True,
    )
    if out.returncode not in (0, 1):
        sys.exit(f"`{pmle} check --fingerprints --json` failed: {out.stderr.strip()}")
    data = json.loads(out.stdout)
    if isinstance(data, dict):
        data = data.get("questions", data.get("fingerprints", data))
    if isinstance(data, list):
        return {d["id"]: d["fingerprint"] for d in data}
    return data


def review_table(a, date, fp):
    choice = ", ".join(f'"{c}"' for c in a["choice"])
    return (
        "[question.review]\n"
        f"date = {date}\n"
        f"blind-choice = [{choice}]\n"
        f'confidence = "{a["confidence"]}"\n'
        f'decided-by = "{a["decided_by"]}"\n'
        f"level = {int(a['level'])}\n"
        f'fingerprint = "{fp}"\n'
        "\n"
    )


def record(args):
    pack = Path(args.pack)
    qs = load_questions(pack)
    answers = read_answers(args.answers)
    unknown = [a["id"] for a in answers if a["id"] not in qs]
    if unknown:
        sys.exit(f"unknown question ids: {', '.join(unknown)}")
    fps = fingerprints(args.pmle, pack)
    by_file = {}
    for a in answers:
        by_file.setdefault(qs[a["id"]]["_file"], []).append(a)
    for path, group in by_file.items():
        text = path.read_text(encoding="utf-8")
        for a in group:
            text = insert_review(text, a["id"], review_table(a, args.date, fps[a["id"]]), int(a["level"]))
        path.write_text(text, encoding="utf-8")
    figures(qs, answers)
    print(f"recorded {len(answers)} reviews in {len(by_file)} files")


def insert_review(text, qid, table, level):
    """Puts `table` into the [[question]] block whose id is `qid`, before its first option,
    replacing an existing [question.review] table."""
    blocks = re.split(r"(?m)^(?=\[\[question\]\]\s*$)", text)
    for i, b in enumerate(blocks):
        if not re.search(rf'(?m)^id\s*=\s*"{re.escape(qid)}"\s*$', b):
            continue
        b = re.sub(r"(?ms)^\[question\.review\]\n.*?(?=^\[|\Z)", "", b)
        # The label follows the review.
        b = re.sub(r"(?m)^difficulty\s*=\s*\d+\s*$", f"difficulty = {level}", b, count=1)
        at = b.find("[[question.option]]")
        if at < 0:
            sys.exit(f"question {qid} has no options")
        blocks[i] = b[:at] + table + b[at:]
        return "".join(blocks)
    sys.exit(f"question {qid} not found in its file")


def score(args):
    qs = load_questions(Path(args.pack))
    figures(qs, read_answers(args.answers))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export")
    e.add_argument("--pack", default="content/pmle")
    e.add_argument("--ids")
    e.add_argument("--file", action="append")
    e.add_argument("--sample", type=int)
    e.add_argument("--seed", type=int, default=1)
    e.add_argument("out")
    r = sub.add_parser("record")
    r.add_argument("--pack", default="content/pmle")
    r.add_argument("--pmle", default="target/debug/pmle")
    r.add_argument("--date", default=datetime.date.today().isoformat())
    r.add_argument("answers")
    s = sub.add_parser("score")
    s.add_argument("--pack", default="content/pmle")
    s.add_argument("answers")
    args = ap.parse_args()
    {"export": export, "record": record, "score": score}[args.cmd](args)


if __name__ == "__main__":
    main()
