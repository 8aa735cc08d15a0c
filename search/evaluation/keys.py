"""Stable passage keys: `doc_id#ordinal`, checked against the passage's character span.

Passage ids change when a document is re-ingested; a document's id and a passage's ordinal do not
unless its text or chunking changes, which the stored character span detects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.ids import is_sqlite_integer
from index.passage_queries import passage_view, passages_of

_SPAN = re.compile(r"^(?P<doc>.+):(?P<start>[0-9]{1,18})-(?P<end>[0-9]{1,18})$")  # ASCII digits, within SQLite's 64 bits
_ORDINAL = re.compile(r"^(?P<doc>.+)#(?P<ordinal>[0-9]{1,18})$")


@dataclass(frozen=True)
class PassageRef:
    doc_id: str
    ordinal: int
    char_start: int
    char_end: int

    @property
    def key(self) -> str:
        return passage_key(self.doc_id, self.ordinal)


def passage_key(doc_id: str, ordinal: int) -> str:
    return f"{doc_id}#{ordinal}"


def resolve(conn, docid: str) -> PassageRef | None:
    """The current passage a judgment file names: `doc_id#ordinal`, `doc_id:start-end`, or a passage id."""
    docid = docid.strip()
    match = _ORDINAL.match(docid)
    if match:
        ordinal = int(match["ordinal"])
        return next((_ref(match["doc"], r) for r in passages_of(conn, match["doc"]) if r["ordinal"] == ordinal), None)
    match = _SPAN.match(docid)
    if match:
        span = (int(match["start"]), int(match["end"]))
        return next((_ref(match["doc"], r) for r in passages_of(conn, match["doc"]) if (r["char_start"], r["char_end"]) == span), None)
    if docid.isascii() and docid.isdigit() and is_sqlite_integer(int(docid)):
        view = passage_view(conn, int(docid))
        return PassageRef(view.doc_id, view.ordinal, view.char_start, view.char_end) if view else None
    return None


def _ref(doc_id: str, row) -> PassageRef:
    return PassageRef(doc_id, int(row["ordinal"]), int(row["char_start"]), int(row["char_end"]))


def current_passages(conn, refs) -> dict[str, tuple[int, bool]]:
    """For each stored ref: key -> (current passage id, whether its span still matches). Missing keys are gone."""
    out: dict[str, tuple[int, bool]] = {}
    by_doc: dict[str, list[PassageRef]] = {}
    for ref in refs:
        by_doc.setdefault(ref.doc_id, []).append(ref)
    for doc_id, items in by_doc.items():
        rows = {r["ordinal"]: r for r in passages_of(conn, doc_id)}
        for ref in items:
            row = rows.get(ref.ordinal)
            if row is not None:
                out[ref.key] = (int(row["passage_id"]), (row["char_start"], row["char_end"]) == (ref.char_start, ref.char_end))
    return out
