"""An evaluation set from press-conference transcripts: each journalist's question is a query, the passages of
the spokesperson's answer are relevant. The question's own passages are stored as excluded: a run never
returns them (else the query would find itself, verbatim, and lexical search would win trivially)."""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from index.passage_queries import document_ids, document_text, passages_of, speakers
from search.evaluation import sets
from search.evaluation.errors import EvalSetError
from search.evaluation.keys import PassageRef
from corpus.turns import find_turns
from search.filters import Filters

TOO_LONG = "question over the query length limit"
NOT_SEPARABLE = "answer shares its passages with the question"
MIN_SHARE = 0.5  # a passage is the answer (grade 2) when at least half its characters are; partly (grade 1) below


@dataclass
class QaReport:
    name: str
    documents: int = 0
    documents_with_turns: int = 0
    turns_paired: int = 0
    dropped: dict = field(default_factory=dict)  # reason -> count
    follow_ups: int = 0
    queries: int = 0
    qrels: int = 0
    relevant: int = 0  # grade 2: mostly answer text
    partly: int = 0  # grade 1: an answer passage that also holds other text
    excluded: int = 0  # question passages kept out of every run
    sampled_from: int | None = None

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items()}
        data["dropped_total"] = self.dropped_total
        return data


def build_from_qa(store, name: str, spokespeople=(), source: str | None = None, sample: int | None = None, seed: int = 0,
                  follow_ups: bool = True, replace: bool = False) -> QaReport:
    """Detect Q/A turns in every document of the index (or those whose source contains `source`) and store them
    as set `name`. Spokespeople: the index's document speakers plus `spokespeople`. `sample` keeps that many
    turns, drawn with `seed`."""
    from search.retrieval import MAX_QUERY_CHARS

    conn = store.db.conn
    name = sets.check_name(name)
    if name in sets.set_names(conn) and not replace:
        raise EvalSetError("evaluation set {value!r} already exists; pick another {name} or pass {replace} to rebuild it",
                           fields=("name", "replace"), value=name)
    people = speakers(conn) | set(spokespeople)
    report = QaReport(name=name)
    dropped: Counter = Counter()
    found = []  # (doc_id, turn number, turn, excluded refs, graded refs)
    questions: set[PassageRef] = set()  # passages of every paired question, for evaluating on answers only
    for doc_id in document_ids(conn, Filters(sources=(source,)) if source else None):
        text = document_text(conn, doc_id)
        if text is None:  # removed meanwhile
            continue
        report.documents += 1
        scan = find_turns(text, people)
        dropped.update(scan.dropped)
        if scan.turns:
            report.documents_with_turns += 1
        passages = [PassageRef(doc_id, r["ordinal"], r["char_start"], r["char_end"]) for r in passages_of(conn, doc_id)]
        for number, turn in enumerate(scan.turns, start=1):
            report.turns_paired += 1
            questions.update(p for p in passages if _overlap(p, turn.question_span) > 0)
            if turn.kind == "follow-up" and not follow_ups:
                dropped["follow-up left out (as asked)"] += 1
                continue
            if len(turn.question) > MAX_QUERY_CHARS:
                dropped[TOO_LONG] += 1
                continue
            excluded = [p for p in passages if _overlap(p, turn.question_span) > 0]
            graded = []
            for p in passages:
                if p in excluded:
                    continue
                share = _overlap(p, turn.answer_span) / max(1, p.char_end - p.char_start)
                if share > 0:
                    graded.append((p, 2 if share >= MIN_SHARE else 1))
            if not any(g == 2 for _, g in graded):
                dropped[NOT_SEPARABLE] += 1
                continue
            found.append((doc_id, number, turn, excluded, graded))
    questions = sorted((r.doc_id, r.ordinal, r.char_start, r.char_end) for r in questions)
    if sample is not None and sample < len(found):
        report.sampled_from = len(found)
        keep = set(random.Random(seed).sample(range(len(found)), sample))
        found = [f for i, f in enumerate(found) if i in keep]
    with store.db.transaction():
        if replace and name in sets.set_names(conn):
            sets.delete_set(conn, name)
        sets.create_set(conn, name, "qa", {"source": source, "sample": sample, "seed": seed, "follow_ups": follow_ups,
                                           "question_passages": [list(q) for q in questions]})
        for doc_id, number, turn, excluded, graded in found:
            qid = f"{doc_id}-t{number}"
            sets.add_query(conn, name, qid, turn.question, excluded, {"doc_id": doc_id, "kind": turn.kind, "asker": turn.asker})
            for ref, grade in graded:
                sets.set_judgment(conn, name, qid, ref, grade, "from-qa")
            report.queries += 1
            report.follow_ups += turn.kind == "follow-up"
            report.qrels += len(graded)
            report.relevant += sum(1 for _, g in graded if g == 2)
            report.partly += sum(1 for _, g in graded if g == 1)
            report.excluded += len(excluded)
    report.dropped = dict(dropped.most_common())
    return report


def _overlap(p: PassageRef, span: tuple[int, int]) -> int:
    return max(0, min(p.char_end, span[1]) - max(p.char_start, span[0]))
