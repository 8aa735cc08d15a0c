"""A passage with its document's metadata, as the store returns it: the one definition of that row.

Search hits, talking-point members, similar passages, the web schema and the CSV exports all carry
this view (or the citation part of it) instead of spelling the columns out again.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class PassageView:
    passage_id: int
    doc_id: str
    title: str | None
    source: str | None
    date: str | None
    date_status: str = field(metadata={"description": "given, extracted, inferred or unknown"})
    speaker: str | None
    lang: str | None
    url: str | None
    ordinal: int
    text: str
    char_start: int
    char_end: int
    # Who speaks in this passage (corpus.attribution): the passage's own speaker (the document's while the passage is
    # unattributed), its role and the actor spoken for, each *_status given, extracted, inferred or unknown; role None
    # means not yet attributed (`dipsearch attribute`). `answers`: for an answer, the ordinal of the question's first
    # passage, and `question`: that passage's text.
    speaker_status: str | None = None
    role: str | None = None
    actor: str | None = None
    actor_status: str | None = None
    answers: int | None = None
    question: str | None = None
    doc_speaker: str | None = None

    def as_dict(self, keys: tuple[str, ...] | None = None) -> dict:
        """The fields named in `keys` (default: all), in that order."""
        return {k: getattr(self, k) for k in (keys or VIEW_FIELDS)}

    @property
    def date_label(self) -> str:
        return date_label(self.date, self.date_status)

    @property
    def attribution_label(self) -> str:
        """'Geng Shuang · answer · China', with '(inferred)' after a value that was inferred; '' when unattributed."""
        return attribution_label(self.speaker, self.speaker_status, self.role, self.actor, self.actor_status)


VIEW_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PassageView))
# What a talking-point member, a similar passage and their CSV rows show of a passage: where it is and who said it when.
CITATION_FIELDS: tuple[str, ...] = ("passage_id", "doc_id", "title", "source", "speaker", "role", "actor", "actor_status", "date")


def date_label(date: str | None, status: str | None) -> str:
    """'2019-05-11', '2019-05-11 (inferred)' or 'date unknown'."""
    if not date:
        return "date unknown"
    return f"{date} (inferred)" if status == "inferred" else date


def attribution_label(speaker, speaker_status, role, actor, actor_status) -> str:
    if role is None:
        return ""
    mark = lambda value, status: f"{value} ({status})" if status in ("inferred", "extracted") else value  # noqa: E731
    parts = [mark(speaker, speaker_status) if speaker else "speaker unknown", role, mark(actor, actor_status) if actor else "no actor"]
    return " \u00b7 ".join(parts)


def field_status(provenance_json: str | None, field_name: str, value) -> str:
    """How a document field was obtained: its provenance entry, 'given' when none, 'unknown' when empty."""
    if value in (None, ""):
        return "unknown"
    return json.loads(provenance_json or "{}").get(field_name, "given")


class CarriesPassage:
    """Mixin for results that hold a `passage: PassageView`: its fields read as the result's own (hit.doc_id)."""

    def __getattr__(self, name: str):
        if name in VIEW_FIELDS:
            try:
                passage = object.__getattribute__(self, "passage")
            except AttributeError:
                raise AttributeError(name) from None
            return getattr(passage, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
