"""From a raw document to a clean one: normalise, drop debris, read metadata, rebuild paragraphs."""
from __future__ import annotations

import re

from corpus.cleaning import drop_boilerplate, paragraphs_from_lines
from corpus.dates import parse_given_date, year_in_title
from corpus.documents import GIVEN, INFERRED, METADATA_FIELDS, Document, RawDocument
from corpus.metadata import infer_title, read_header, strip_dateline
from corpus.normalize import normalize_text

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_lang(text: str) -> str | None:
    """'zh' or 'en' from the script of the first few thousand characters; None when unclear."""
    sample = text[:4000]
    cjk, latin = len(_CJK.findall(sample)), len(_LATIN.findall(sample))
    if cjk + latin < 20:
        return None
    return "zh" if cjk > latin / 4 else "en"


def prepare(raw: RawDocument) -> Document:
    """Clean `raw` and fill its metadata: given fields win, then what the text states, then inference."""
    given = {k: normalize_text(v).strip() for k, v in raw.given.items() if v is not None and str(v).strip()}
    notices = list(raw.notices)
    if "date" in given:
        iso = parse_given_date(given["date"])
        if iso is None:
            notices.append(f"date {given['date']!r} is not a date I can read; shown as unknown")
            del given["date"]
        else:
            given["date"] = iso
    lines = drop_boilerplate(normalize_text(raw.text).split("\n"))
    header = read_header(lines, given.get("title"))
    paragraphs = paragraphs_from_lines(header.body_lines)
    if paragraphs:
        first = strip_dateline(paragraphs[0], header, "\n".join(paragraphs))
        paragraphs = ([first] if first else []) + paragraphs[1:]
    body = "\n\n".join(paragraphs)

    doc = Document(doc_id=raw.doc_id, text=body, origin=raw.origin, meta={**raw.meta, **header.meta}, notices=notices)
    extracted = {"title": header.title, "date": header.date, "source": header.source}
    for name in METADATA_FIELDS:
        if name in given:
            setattr(doc, name, given[name])
            doc.provenance[name] = raw.provenance.get(name, GIVEN)
        elif extracted.get(name):
            setattr(doc, name, extracted[name])
            doc.provenance[name] = header.provenance[name]
    if doc.title is None and body:
        doc.title = infer_title(body)
        if doc.title:
            doc.provenance["title"] = INFERRED
    if doc.date is None and doc.title and doc.provenance.get("title") != INFERRED:
        year = year_in_title(doc.title)
        if year is not None:
            doc.date, doc.provenance["date"] = f"{year:04d}", INFERRED
            doc.meta["date_evidence"] = f"the title says ({year})"
    if doc.lang is None:
        doc.lang = detect_lang(body)
        if doc.lang:
            doc.provenance["lang"] = INFERRED
    return doc
