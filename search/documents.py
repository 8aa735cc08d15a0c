"""A stored document with its metadata, provenance and passages, for display."""
from __future__ import annotations

import json

from index.errors import DocumentNotFound


def get_document(store, doc_id: str) -> dict:
    row = store.db.document(doc_id)
    if row is None:
        raise DocumentNotFound(doc_id)
    provenance = json.loads(row["provenance"] or "{}")
    fields = ("title", "date", "source", "speaker", "url", "lang")
    return {
        "doc_id": row["doc_id"],
        **{name: row[name] for name in fields},
        "status": {name: (provenance.get(name, "given") if row[name] not in (None, "") else "unknown") for name in fields},
        "date_status": provenance.get("date", "given") if row["date"] else "unknown",
        "meta": json.loads(row["meta"] or "{}"),
        "origin": row["origin"],
        "added_at": row["added_at"],
        "text": row["text"],
        "passages": [dict(p) for p in store.db.passages_of(doc_id)],
    }
