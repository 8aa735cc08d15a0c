"""The records that flow from reading to indexing."""
from __future__ import annotations

from dataclasses import dataclass, field

from corpus.dates import date_precision

# How a metadata field was obtained. The front ends show it next to the value.
GIVEN = "given"  # stated by the input (a JSONL field, a sidecar, a CSV column)
EXTRACTED = "extracted"  # read from the document text (a publication line, a dateline)
INFERRED = "inferred"  # deduced from indirect evidence (a year mentioned in the text)
UNKNOWN = "unknown"

METADATA_FIELDS = ("title", "date", "source", "speaker", "url", "lang")


@dataclass
class RawDocument:
    """A document as read from disk, before cleaning: text plus whatever metadata the input gave."""

    doc_id: str
    text: str
    origin: str  # file path, with ":LINE" for line-based formats
    given: dict[str, str] = field(default_factory=dict)  # metadata fields stated by the input
    meta: dict = field(default_factory=dict)  # anything else the input carried
    notices: list[str] = field(default_factory=list)  # non-fatal remarks (e.g. decoded as latin-1)
    # How a field of `given` was obtained when the reader did not find it stated as such: an HTML page's
    # metadata or a PDF's document information are EXTRACTED. Fields not named here are GIVEN.
    provenance: dict[str, str] = field(default_factory=dict)


@dataclass
class Document:
    """A cleaned document with its metadata and how each field was obtained."""

    doc_id: str
    text: str  # cleaned body; paragraphs separated by one blank line
    origin: str
    title: str | None = None
    date: str | None = None  # ISO at its precision: YYYY-MM-DD, YYYY-MM or YYYY (see corpus.dates.date_range)
    source: str | None = None
    speaker: str | None = None
    url: str | None = None
    lang: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def status(self, name: str) -> str:
        """How field `name` was obtained: given, extracted, inferred or unknown."""
        if getattr(self, name) in (None, ""):
            return UNKNOWN
        return self.provenance.get(name, GIVEN)

    @property
    def date_status(self) -> str:
        return self.status("date")

    @property
    def date_precision(self) -> str | None:
        """'day', 'month' or 'year' (None when the date is unknown)."""
        return date_precision(self.date)


@dataclass(frozen=True)
class Passage:
    """A span of a document's cleaned text: the unit that is embedded and retrieved."""

    ordinal: int
    char_start: int
    char_end: int
    text: str
    n_tokens: int
    # Who speaks in the passage (corpus.attribution); None where not attributed. Each *_status is given,
    # extracted, inferred or unknown. `answers` is the ordinal of the first passage of the question an answer
    # passage answers, `question_span` that question's characters.
    speaker: str | None = None
    speaker_status: str | None = None
    role: str | None = None
    actor: str | None = None
    actor_status: str | None = None
    answers: int | None = None
    question_span: tuple[int, int] | None = None
