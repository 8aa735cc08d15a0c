"""Attribution for passages stored before it existed (migration 0005 left their role NULL).

Passage ids must stay (evaluation sets, talking points and exports refer to them), so nothing is re-chunked: the
document's spans are computed (corpus.attribution.attribute) and each stored passage takes the span it lies in. A
passage that runs across spans gets role `mixed`, and keeps a speaker or an actor only where all its spans agree.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from corpus.attribution import AttributedSpan, attribute
from corpus.documents import UNKNOWN, Document
from index.passage_queries import passages_of, speakers, unattributed_doc_ids

MIXED = "mixed"  # a passage stored before attribution that runs across two speakers' turns


@dataclass
class AttributeReport:
    documents: int = 0
    passages: int = 0
    mixed: int = 0

    def as_dict(self) -> dict:
        return {"documents": self.documents, "passages": self.passages, "mixed": self.mixed}


def stored_document(row) -> Document:
    """The Document as stored (already cleaned: the text is what the passages' char spans point into)."""
    return Document(doc_id=row["doc_id"], text=row["text"], origin=row["origin"] or "", title=row["title"], date=row["date"],
                    source=row["source"], speaker=row["speaker"], url=row["url"], lang=row["lang"],
                    provenance=json.loads(row["provenance"] or "{}"), meta=json.loads(row["meta"] or "{}"))


def _overlapping(spans: list[AttributedSpan], start: int, end: int) -> list[int]:
    return [i for i, s in enumerate(spans) if s.start < end and start < s.end]


def _agreed(values: list[tuple]) -> tuple:
    return values[0] if len(set(values)) == 1 else (None, UNKNOWN)


def passage_attribution(spans: list[AttributedSpan], rows) -> list[tuple]:
    """(speaker, speaker_status, role, actor, actor_status, answers ordinal) for each stored passage row."""
    inside = [_overlapping(spans, r["char_start"], r["char_end"]) for r in rows]
    first_in_span: dict[int, int] = {}
    for row, hits in zip(rows, inside):
        if len(hits) == 1:
            first_in_span.setdefault(hits[0], row["ordinal"])
    out = []
    for hits in inside:
        if not hits:
            out.append((None, UNKNOWN, MIXED, None, UNKNOWN, None))
        elif len(hits) == 1:
            s = spans[hits[0]]
            answers = first_in_span.get(s.answers) if s.answers is not None else None
            out.append((s.speaker, s.speaker_status, s.role, s.actor, s.actor_status, answers))
        else:
            speaker = _agreed([(spans[i].speaker, spans[i].speaker_status) for i in hits])
            actor = _agreed([(spans[i].actor, spans[i].actor_status) for i in hits])
            out.append((*speaker, MIXED, *actor, None))
    return out


def attribute_stored(db, table, on_progress: Callable[[int], None] | None = None) -> AttributeReport:
    """Attribute every document that has unattributed passages, one transaction per document."""
    report = AttributeReport()
    spokespeople = sorted(speakers(db.conn))
    for doc_id in unattributed_doc_ids(db.conn):
        row = db.document(doc_id)
        rows = passages_of(db.conn, doc_id)
        values = passage_attribution(attribute(stored_document(row), table, spokespeople), rows)
        with db.transaction():
            db.conn.executemany("""UPDATE passages SET speaker = ?, speaker_status = ?, role = ?, actor = ?, actor_status = ?,
                                   answers_passage = ? WHERE passage_id = ?""",
                                [(*v, r["passage_id"]) for v, r in zip(values, rows)])
        report.documents += 1
        report.passages += len(rows)
        report.mixed += sum(1 for v in values if v[2] == MIXED)
        if on_progress:
            on_progress(1)
    return report
