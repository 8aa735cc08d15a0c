"""Title, date and source from the head of a raw document, with how each was obtained."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from corpus.dates import find_full_date, find_month_day, year_evidence
from corpus.documents import EXTRACTED, INFERRED
from corpus.normalize import fingerprint
from corpus.sentences import sentence_spans

HEAD_LINES = 8  # how many non-empty lines at the top can hold a title, publication lines, repeats
MAX_TITLE_CHARS = 250
INFERRED_TITLE_CHARS = 160

_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|BST|CST|EST|EDT|[+-]\d{1,2}))?", re.I)
_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
_LABELS = re.compile(r"\b(?:updated|published|posted|release[ds]?|date)\s*[:：]?", re.I)
_BYLINE = re.compile(r"(?:editor|edited\s+by|by|reporter|writer|author)\s*[:：].*$|\bby\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*$", re.I)
_SOURCE_LINE = re.compile(r"source\s*[:：]\s*(?P<source>[^|]{2,60})$", re.I)
_PUBLISHER = re.compile(r"[A-Z][\w&.'-]*(?:\s+(?:[A-Z][\w&.'-]*|of|the|and|&)){0,5}")
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{1,40}?),\s+(?P<when>[A-Za-z]{3,10}\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+[A-Za-z]{3,10}(?:\s+\d{4})?)"
    r"\s*[.,]?\s*(?:/(?P<agency1>[A-Za-z][\w .-]{1,24}?)/|\((?P<agency2>[A-Za-z][\w .-]{1,24}?)\))?\s*[.,:]?\s*(?:--|\u2014|\u2013|-)?\s*"
)


@dataclass
class Header:
    """What the head of a document says about it, and the body with those lines removed."""

    body_lines: list[str]
    title: str | None = None
    date: str | None = None
    source: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)


def _is_title_like(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words)
        and len(line) <= MAX_TITLE_CHARS
        and not line.endswith((".", ",", ";", ":"))
        and not _DATELINE.match(line)
    )


def _publication_line(line: str) -> tuple[str, str | None] | None:
    """(ISO date, publisher or None) if `line` is a publication line: a date with little else."""
    found = find_full_date(line)
    if not found:
        return None
    rest = line[: found.start] + " " + line[found.end :]
    rest = _BYLINE.sub(" ", _LABELS.sub(" ", _WEEKDAY.sub(" ", _TIME.sub(" ", rest))))
    rest = " ".join(re.sub(r"[|,;/]+", " ", rest).split()).strip(" .-\u2014\u2013")
    if len(rest.split()) > 6:
        return None
    publisher = _PUBLISHER.fullmatch(rest)
    return found.iso, (publisher.group() if publisher else None)


def read_header(lines: list[str], given_title: str | None) -> Header:
    """Find the title, publication lines and repeated titles at the top of `lines`."""
    header = Header(body_lines=list(lines))
    nonempty = [i for i, line in enumerate(lines) if line.strip()][:HEAD_LINES]
    if not nonempty:
        return header
    drop: set[int] = set()
    title = given_title
    first = nonempty[0]
    if title is None and _is_title_like(lines[first]) and _publication_line(lines[first]) is None and len(nonempty) > 1:
        title = lines[first].strip()
        header.title, header.provenance["title"] = title, EXTRACTED
        drop.add(first)
    title_key = fingerprint(title) if title else None
    for i in nonempty:
        line = lines[i].strip()
        if i in drop:
            continue
        if title_key and fingerprint(line) == title_key:
            drop.add(i)  # the title repeated below itself
            continue
        published = _publication_line(line)
        if published:
            drop.add(i)
            if header.date is None:
                header.date, header.provenance["date"] = published[0], EXTRACTED
            if published[1] and header.source is None:
                header.source, header.provenance["source"] = published[1], EXTRACTED
            continue
        source = _SOURCE_LINE.fullmatch(line)
        if source:
            drop.add(i)
            header.source, header.provenance["source"] = source["source"].strip(), EXTRACTED
            continue
        if len(line) > 300:
            break  # the body has started
    header.body_lines = [line for i, line in enumerate(lines) if i not in drop]
    return header


def strip_dateline(paragraph: str, header: Header, full_text: str) -> str:
    """Remove a wire dateline ("WASHINGTON, January 25. /TASS/.") from the first paragraph, taking
    its agency as the source and its date as the date. A dateline without a year gets its year only
    from years the document mentions, marked inferred; with no such evidence the date stays unknown."""
    m = _DATELINE.match(paragraph)
    if not m or not (m["agency1"] or m["agency2"] or re.search(r"(--|\u2014|\u2013|-)\s*$", m.group())):
        return paragraph
    agency = (m["agency1"] or m["agency2"] or "").strip()
    if agency and header.source is None:
        header.source, header.provenance["source"] = agency, EXTRACTED
    if header.date is None:
        full = find_full_date(m["when"])
        month_day = find_month_day(m["when"])
        if full:
            header.date, header.provenance["date"] = full.iso, EXTRACTED
        elif month_day:
            month, day = month_day[0], month_day[1]
            year = year_evidence(full_text)
            header.meta["dateline"] = f"--{month:02d}-{day:02d}"
            if year is not None:
                try:
                    header.date = dt.date(year, month, day).isoformat()
                    header.provenance["date"] = INFERRED
                    header.meta["date_evidence"] = f"dateline gives month and day; year {year} is mentioned in the text"
                except ValueError:
                    pass
    header.meta["place"] = m["place"].strip().title()
    return paragraph[m.end() :].lstrip()


def infer_title(body: str) -> str | None:
    """A title from the first sentence, for documents that start straight with their text."""
    spans = sentence_spans(body[:2000])
    if not spans:
        return None
    sentence = body[spans[0][0] : spans[0][1]]
    if len(sentence) <= INFERRED_TITLE_CHARS:
        return sentence
    cut = sentence[:INFERRED_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "\u2026"
