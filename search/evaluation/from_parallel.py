"""A cross-lingual evaluation set from parallel transcripts: the questions of one language's press conferences are
the queries, the answers in the other language's transcript of the same date and source are relevant.

- Where the two transcripts of a date have the same number of question/answer turns, turn i is taken to be the
  translation of turn i: its answer's passages are graded 2 (relevant), the other answers of that transcript 1
  (partly: the right press conference). Otherwise every answer of the same-date transcript is graded 1, and the
  report counts those queries as `whole_transcript` ("not aligned"). MRR and recall count both grades, so they
  measure "finds the same-date transcript"; nDCG rewards the aligned answer.
- The questions in the searched transcripts are kept out of every run (the set stores their passages as
  `question_passages`; `eval` always leaves them out of a parallel set's runs): else a Chinese question would
  simply find its own English translation. When the query transcripts are in the index too, all their passages
  are kept out as well.
- Query transcripts come from documents given (another file: the index holds only the other language), or from
  the index's own documents in `query_lang`.
- Same source: equal (case-insensitive), or naming the same web domain (`fmprc.gov.cn` in "Ministry of Foreign
  Affairs … (fmprc.gov.cn)" and "中华人民共和国外交部 … (fmprc.gov.cn, Chinese)"); `any_source` matches by date alone.
"""
from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from corpus.turns import find_turns
from index.passage_queries import document_rows, document_text, passages_of, speakers
from search.evaluation import sets
from search.evaluation.errors import EvalSetError
from search.evaluation.keys import PassageRef

NO_DATE = "query transcript without a date"
NO_TARGET = "no transcript of the same date and source in the other language"
TARGET_NO_TURNS = "same-date transcript has no question/answer turns"
TOO_LONG = "question over the query length limit"
_DOMAIN = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)+\b")


@dataclass(frozen=True)
class Transcript:
    """A query-language transcript: where its questions come from."""

    doc_id: str
    text: str
    date: str | None
    source: str | None
    lang: str | None
    speaker: str | None = None


@dataclass
class ParallelReport:
    name: str
    query_transcripts: int = 0
    target_transcripts: int = 0  # other-language transcripts in the index
    matched_transcripts: int = 0  # query transcripts with a same-date, same-source transcript
    queries: int = 0
    aligned: int = 0  # queries whose own answer was found turn by turn (grade 2)
    whole_transcript: int = 0  # queries judged against the whole same-date answer set (grade 1 only)
    qrels: int = 0
    excluded_passages: int = 0  # question passages (and query transcripts in the index) kept out of every run
    dropped: dict = field(default_factory=dict)  # reason -> questions
    sampled_from: int | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def same_source(a: str | None, b: str | None) -> bool:
    """Equal sources, or sources naming a common web domain."""
    if not a or not b:
        return not a and not b
    if a.strip().lower() == b.strip().lower():
        return True
    return bool(set(_DOMAIN.findall(a.lower())) & set(_DOMAIN.findall(b.lower())))


def build_from_parallel(store, name: str, transcripts: Iterable[Transcript] | None = None, query_lang: str | None = None,
                        spokespeople=(), any_source: bool = False, sample: int | None = None, seed: int = 0,
                        replace: bool = False) -> ParallelReport:
    """Build set `name` (see the module docstring). `transcripts`: the query-language transcripts; None: the
    index's documents whose lang is `query_lang`."""
    from search.retrieval import MAX_QUERY_CHARS

    conn = store.db.conn
    name = sets.check_name(name)
    if name in sets.set_names(conn) and not replace:
        raise EvalSetError("evaluation set {value!r} already exists; pick another {name} or pass {replace} to rebuild it",
                           fields=("name", "replace"), value=name)
    rows = document_rows(conn, None)
    if transcripts is None:
        if not query_lang:
            raise EvalSetError("give the query transcripts (files in the other language) or the language of the index's own "
                               "transcripts to take questions from ({query_lang})", fields=("query_lang",))
        transcripts = [Transcript(r["doc_id"], document_text(conn, r["doc_id"]) or "", r["date"], r["source"], r["lang"], r["speaker"])
                       for r in rows if (r["lang"] or "") == query_lang]
        in_index = {t.doc_id for t in transcripts}
    else:
        transcripts = list(transcripts)
        in_index = set()
    if not transcripts:
        raise EvalSetError("no query transcripts: " + (f"the index has no documents in language {query_lang!r}" if query_lang
                                                         else "the inputs held no documents"))
    query_langs = {t.lang for t in transcripts if t.lang}
    targets = [r for r in rows if r["doc_id"] not in in_index and not (r["lang"] and r["lang"] in query_langs)]
    by_date: dict[str, list] = defaultdict(list)
    for r in targets:
        if r["date"]:
            by_date[r["date"]].append(r)
    people = speakers(conn) | set(spokespeople) | {t.speaker for t in transcripts if t.speaker}
    report = ParallelReport(name=name, query_transcripts=len(transcripts), target_transcripts=len(targets))
    dropped: Counter = Counter()
    target_turns: dict[str, tuple[list, list[PassageRef]]] = {}  # doc_id -> (turns, passages)
    questions: set[PassageRef] = set()
    for r in targets:
        scan = find_turns(document_text(conn, r["doc_id"]) or "", people)
        passages = [PassageRef(r["doc_id"], p["ordinal"], p["char_start"], p["char_end"]) for p in passages_of(conn, r["doc_id"])]
        target_turns[r["doc_id"]] = (scan.turns, passages)
        for turn in scan.turns:
            questions.update(p for p in passages if _overlap(p, turn.question_span) > 0)
    for doc_id in in_index:
        questions.update(PassageRef(doc_id, p["ordinal"], p["char_start"], p["char_end"]) for p in passages_of(conn, doc_id))
    found = []  # (qid, question, graded, meta)
    for t in transcripts:
        turns = find_turns(t.text, people).turns
        if not turns:
            continue
        if not t.date:
            dropped[NO_DATE] += len(turns)
            continue
        matches = [r for r in by_date.get(t.date, []) if any_source or same_source(r["source"], t.source)]
        if not matches:
            dropped[NO_TARGET] += len(turns)
            continue
        if not any(target_turns[r["doc_id"]][0] for r in matches):
            dropped[TARGET_NO_TURNS] += len(turns)
            continue
        report.matched_transcripts += 1
        for number, turn in enumerate(turns):
            if len(turn.question) > MAX_QUERY_CHARS:
                dropped[TOO_LONG] += 1
                continue
            graded: dict[PassageRef, int] = {}
            aligned = False
            for r in matches:
                their_turns, passages = target_turns[r["doc_id"]]
                same_shape = len(matches) == 1 and len(their_turns) == len(turns)
                for j, answer in enumerate(their_turns):
                    for p in passages:
                        if p in questions:
                            continue
                        share = _overlap(p, answer.answer_span) / max(1, p.char_end - p.char_start)
                        if share <= 0:
                            continue
                        grade = 2 if same_shape and j == number and share >= 0.5 else 1
                        graded[p] = max(grade, graded.get(p, 0))
                        aligned = aligned or grade == 2
            if not graded:
                dropped[TARGET_NO_TURNS] += 1
                continue
            meta = {"doc_id": t.doc_id, "date": t.date, "targets": [r["doc_id"] for r in matches], "aligned": aligned, "lang": t.lang}
            found.append((f"{t.doc_id}-t{number + 1}", turn.question, graded, meta))
    if sample is not None and sample < len(found):
        report.sampled_from = len(found)
        keep = set(random.Random(seed).sample(range(len(found)), sample))
        found = [f for i, f in enumerate(found) if i in keep]
    refs = sorted((r.doc_id, r.ordinal, r.char_start, r.char_end) for r in questions)
    with store.db.transaction():
        if replace and name in sets.set_names(conn):
            sets.delete_set(conn, name)
        sets.create_set(conn, name, "parallel", {"query_lang": query_lang, "any_source": any_source, "sample": sample, "seed": seed,
                                                 "query_langs": sorted(query_langs), "question_passages": [list(q) for q in refs]})
        for qid, question, graded, meta in found:
            sets.add_query(conn, name, qid, question, [], meta)
            for ref, grade in graded.items():
                sets.set_judgment(conn, name, qid, ref, grade, "from-parallel")
            report.queries += 1
            report.aligned += meta["aligned"]
            report.whole_transcript += not meta["aligned"]
            report.qrels += len(graded)
    report.excluded_passages = len(refs)
    report.dropped = dict(dropped.most_common())
    return report


def read_transcripts(paths, field_map=None, on_problem=None) -> list[Transcript]:
    """Query transcripts from files or folders, read and cleaned as an ingest would; inputs that cannot be read
    go to `on_problem` (and are left out)."""
    from corpus.documents import RawDocument
    from corpus.prepare import prepare
    from corpus.readers import ReadOptions, read_inputs

    out = []
    for item in read_inputs([paths] if isinstance(paths, (str, bytes)) else list(paths), ReadOptions(field_map=dict(field_map or {}))):
        if not isinstance(item, RawDocument):
            if on_problem:
                on_problem(item)
            continue
        d = prepare(item)
        out.append(Transcript(d.doc_id, d.text, d.date, d.source, d.lang, d.speaker))
    return out


def _overlap(p: PassageRef, span: tuple[int, int]) -> int:
    return max(0, min(p.char_end, span[1]) - max(p.char_start, span[0]))
