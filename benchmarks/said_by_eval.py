#!/usr/bin/env python
"""Who said it, measured: "What did <actor> say about <topic>?" on a mixed index, read as asked and with --literal.

    python benchmarks/said_by_eval.py build /tmp/saidby-idx      # the mixed index (lexical only, see below)
    python benchmarks/said_by_eval.py eval /tmp/saidby-idx [--json-out r.json]

The index: all of mfa_pressconf.jsonl.gz (500 MFA press conferences), the first 150 White House documents whose
title contains "Press Briefing", and the UN General Debate speeches since 1991 of China, the United States, Russia,
Ukraine and India. Searches run in mode lexical, so the index is built with the tests' deterministic hash embedder
(tests/fakes.py; its vectors are never used): embedding ~20k passages with the real model takes over an hour on the
shared 2-core machine. The attribution under test is the real one (ingest -> corpus.attribution).

Truth comes from the data's own structure, never from the code under test:
- the actor of a result is its document's: the MFA source -> China, the White House source -> United States, a UN
  speech -> meta.country;
- a result is a journalist's question when the nearest turn label before its first character (a line opening
  `LABEL:` of at most four words, or a bare `Q`) is `Q`, or, in an MFA transcript, anything but `A` or the
  document's spokesperson;
- it is on the topic when its text matches the topic's own regular expression (TOPICS below).
A result is correct iff all three say so: that actor's own words (not a question) on the topic.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
if not CORPUS.exists():
    CORPUS = Path("/work/shared/corpus")
UN_COUNTRIES = {"CHN": "China", "USA": "United States", "RUS": "Russia", "UKR": "Ukraine", "IND": "India"}

# (actor as a user writes it, topic, topic regex)
PAIRS = [
    ("China", "Taiwan", r"taiwan"), ("China", "Hong Kong", r"hong kong"), ("China", "Xinjiang", r"xinjiang"),
    ("China", "the Korean Peninsula", r"korean peninsula|dprk|north korea"), ("China", "Iran", r"\biran"),
    ("China", "trade with the US", r"trade"), ("China", "COVID-19", r"covid|coronavirus|epidemic|pandemic"),
    ("China", "India", r"\bindia"), ("Beijing", "Japan", r"japan"), ("the Chinese", "Afghanistan", r"afghan"),
    ("the US", "China", r"china|chinese|beijing|prc"), ("the White House", "Ukraine", r"ukrain"),
    ("the United States", "Russia", r"russia|putin|moscow|kremlin"), ("Washington", "Iran", r"\biran"),
    ("the US", "Afghanistan", r"afghan"), ("the United States", "inflation", r"inflation|prices"),
    ("the US", "vaccines", r"vaccin"), ("the United States", "Israel", r"israel"),
    ("Russia", "NATO", r"\bnato\b|north atlantic"), ("Russia", "Syria", r"syria"), ("Russia", "terrorism", r"terror"),
    ("Moscow", "sanctions", r"sanction"), ("Russia", "Ukraine", r"ukrain"),
    ("Ukraine", "Russia", r"russia"), ("Ukraine", "Crimea", r"crimea"), ("Kyiv", "Chernobyl", r"chernobyl|chornobyl"),
    ("Ukraine", "nuclear disarmament", r"nuclear"), ("India", "terrorism", r"terror"), ("India", "Pakistan", r"pakistan"),
    ("India", "climate change", r"climate"), ("India", "Security Council reform", r"security council"),
]
CANONICAL = {"Beijing": "China", "the Chinese": "China", "the US": "United States", "the White House": "United States",
             "the United States": "United States", "Washington": "United States", "Moscow": "Russia", "Kyiv": "Ukraine"}
_LABEL = re.compile(r"(?m)^(?:(Q)\b[ :.]?|([A-Z][^:\n]{0,40}):)")


def _records(name):
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def select() -> list[dict]:
    out = list(_records("mfa_pressconf.jsonl.gz"))
    out += [r for r in _records("whitehouse.jsonl.gz") if "Press Briefing" in (r.get("title") or "")][:150]
    out += [r for r in _records("ungdc.jsonl.gz")
            if r["meta"].get("country_iso3") in UN_COUNTRIES and int(r["meta"].get("year") or 0) >= 1991]
    return out


def build(folder: Path) -> None:
    from search import Index
    from tests.fakes import FakeEmbedder

    records = select()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mixed.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        started = time.perf_counter()
        with Index.open(folder, create=True, embedder=FakeEmbedder()) as idx:
            summary = idx.ingest([path])
        print(f"{len(records)} records, {summary.counts} in {time.perf_counter() - started:.0f} s")


def truth_actor(doc: dict) -> str | None:
    source = (doc.get("source") or "").lower()
    if "fmprc" in source:
        return "China"
    if "white house" in source:
        return "United States"
    meta = doc.get("meta") or {}
    return UN_COUNTRIES.get(meta.get("country_iso3")) or meta.get("country")


def is_question(doc: dict, start: int) -> bool:
    """By the raw labels: the nearest label at or before `start` (passages start at a turn or inside one)."""
    label = None
    for m in _LABEL.finditer(doc["text"]):
        if m.start() > start:
            break
        text = m.group(1) or m.group(2)
        if len(text.split()) <= 4:  # a label is a name or an outlet, not a sentence ("What I want to stress is as follows:")
            label = text
    if label is None:
        return False
    if label == "Q":
        return True
    if "fmprc" in (doc.get("source") or "").lower():
        return label.strip() not in ("A", doc.get("speaker") or "")
    return False


def evaluate(folder: Path, k: int = 10) -> dict:
    from search import Index

    rows, totals = [], {"read": [0, 0, 0], "literal": [0, 0, 0]}  # correct, returned, questions
    with Index.open(folder, embedder=None, has_model=False) as idx:
        docs = {}
        for actor, topic, pattern in PAIRS:
            query = f"What did {actor} say about {topic}?"
            want = CANONICAL.get(actor, actor)
            row = {"query": query, "actor": want}
            for label, literal in (("read", False), ("literal", True)):
                response = idx.search(query, mode="lexical", k=k, literal=literal).response
                correct = questions = 0
                for hit in response.results:
                    if hit.doc_id not in docs:
                        docs[hit.doc_id] = idx.document(hit.doc_id)
                    doc = docs[hit.doc_id]
                    question = is_question(doc, hit.char_start)
                    questions += question
                    correct += (truth_actor(doc) == want and not question and re.search(pattern, hit.text, re.I) is not None)
                n = len(response.results)
                row[label] = {"correct": correct, "returned": n, "questions": questions, "interpretation": response.interpretation}
                for i, v in enumerate((correct, n, questions)):
                    totals[label][i] += v
            rows.append(row)
    summary = {label: {"precision_at_10": round(c / (len(PAIRS) * k), 3), "returned": n, "questions": q}
               for label, (c, n, q) in totals.items()}
    return {"pairs": len(PAIRS), "k": k, "summary": summary, "queries": rows}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=("build", "eval"))
    parser.add_argument("index", type=Path)
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    if args.step == "build":
        build(args.index)
        return 0
    result = evaluate(args.index)
    for row in result["queries"]:
        print(f"{row['read']['correct']:>2}/10 read  {row['literal']['correct']:>2}/10 literal  q={row['read']['questions']}/{row['literal']['questions']}  {row['query']}")
    for label, s in result["summary"].items():
        print(f"{label:8s} precision@10 {s['precision_at_10']:.3f}  ({s['returned']} results, {s['questions']} journalists' questions)")
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
