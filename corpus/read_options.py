"""How inputs are read (ReadOptions): which record field holds what, and the largest document accepted;
and the checks of the two options a front end passes in (a field mapping, a size limit in megabytes)."""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from corpus.documents import METADATA_FIELDS
from corpus.errors import FieldError, FieldMappingError
from corpus.file_input import MB

DEFAULT_MAX_DOC_BYTES = 20 * MB
RECORD_FIELDS = ("id", "text") + METADATA_FIELDS


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs: field names in the records, and the largest document accepted."""

    field_map: dict[str, str] = field(default_factory=dict)  # our name -> name in the input (dots for nesting)
    max_doc_bytes: int = DEFAULT_MAX_DOC_BYTES

    def source_name(self, name: str) -> str:
        return self.field_map.get(name, name)


def doc_limit_bytes(max_doc_mb: float) -> int:
    """The document size limit in bytes for a limit in megabytes. Raises FieldError unless it is a finite
    number above 0 (nan and inf gave tracebacks)."""
    try:
        limit = float(max_doc_mb)
    except (TypeError, ValueError):
        limit = math.nan
    if not math.isfinite(limit) or limit <= 0 or limit * MB < 1:
        raise FieldError("max_doc_mb", max_doc_mb, "the document size limit must be a finite number of megabytes above 0, e.g. 20")
    return int(limit * MB)


def parse_field_map(pairs: Iterable[str]) -> dict[str, str]:
    """['text=body', 'date=published'] -> {'text': 'body', 'date': 'published'}."""
    mapping = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not theirs.strip() or ours.strip() not in RECORD_FIELDS:
            raise FieldMappingError("{field_map} {pair!r} is not FIELD=NAME with FIELD one of {names} (e.g. {field_map} text=body)",
                                    fields=("field_map",), pair=pair, names=", ".join(RECORD_FIELDS))
        mapping[ours.strip()] = theirs.strip()
    return mapping
