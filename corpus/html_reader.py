"""Reading a saved web page (.html, .htm) as one document with trafilatura (Apache-2.0): the main text
only (navigation, comments, share widgets and footers dropped), and title, date, author (as the
speaker), site name (as the source) and URL from the page's own metadata (meta tags, JSON-LD,
<time>), each marked extracted. Every problem is one `InputProblem` line: over the size limit, not
a web page (binary data), or a page with no body text.
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.dates import parse_given_date
from corpus.documents import EXTRACTED, RawDocument
from corpus.errors import InputProblem
from corpus.file_input import document_id, gathered_log, read_limited, shown_path

if TYPE_CHECKING:
    from corpus.read_options import ReadOptions

HTML_SUFFIXES = (".html", ".htm")
_SNIFF = 8192
# Dates only from the page's markup (meta tags, JSON-LD, <time>, its URL), never guessed from its prose.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}
_FIELDS = (("title", "title"), ("date", "date"), ("speaker", "author"), ("source", "sitename"), ("url", "url"))


def _binary_reason(data: bytes) -> str | None:
    head = data[:_SNIFF]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with a byte-order mark
    if b"\x00" in head:
        return "binary data (NUL bytes), not a web page; skipped"
    text = head.decode("utf-8", errors="replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(text) * 0.01 or text.count("\ufffd") > len(text) * 0.05:
        return "binary data, not a web page; skipped"
    if "<" not in text:
        return "no HTML markup in it, not a web page; skipped (name it .txt to index it as text)"
    return None


_JSON_LD_DATE = re.compile(r'"date(?:Published|Created)"\s*:\s*"([^"]{4,40})"')


def _stated_date(tree, found: str) -> str:
    """`found` (a day, from the extractor) at the precision the page states it: a page whose markup
    says only "2005-09" gets "2005-09", not the first of the month the extractor fills in."""
    stated = [el.get("datetime", "") for el in tree.iter("time")]
    for el in tree.iter("meta"):
        names = " ".join(el.get(a, "") for a in ("name", "property", "itemprop")).lower()
        if any(word in names for word in ("date", "time", "published", "issued")):
            stated.append(el.get("content", ""))
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        stated += _JSON_LD_DATE.findall(str(script))
    parsed = {parse_given_date(value) for value in stated if value}
    if found in parsed:
        return found
    coarser = sorted((p for p in parsed if p and len(p) < len(found) and found.startswith(p)), key=len, reverse=True)
    return coarser[0] if coarser else found


_MENU_TEXT = "//a//text() | //nav//text() | //header//text() | //footer//text() | //button//text() | //option//text()"


def _only_menu_text(body: str, tree) -> bool:
    """True when every word of `body` is a word of the page's links, menus, header or footer: what the
    extractor's fallbacks return from a page that has no text of its own."""
    menu = {w.lower() for t in tree.xpath(_MENU_TEXT) for w in str(t).split()}
    return all(w.lower() in menu for w in body.split())


def read_html(file: Path, root: Path, options: "ReadOptions") -> RawDocument | InputProblem:
    """One document from the saved page `file`, or the problem that stops it."""
    origin = shown_path(file)
    try:
        import trafilatura
    except ImportError:
        return InputProblem(origin, "reading .html needs trafilatura, a dependency of dipsearch; reinstall it (pip install -e .)")
    data = read_limited(file, options.max_doc_bytes)
    if isinstance(data, InputProblem):
        return data
    reason = _binary_reason(data)
    if reason:
        return InputProblem(origin, reason)
    messages: list[str] = []
    try:
        with gathered_log("trafilatura", messages), gathered_log("htmldate", messages), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = trafilatura.load_html(data)
            if tree is None:
                return InputProblem(origin, "not a web page trafilatura can parse; skipped")
            lang = (tree.get("lang") or "").strip()
            page = trafilatura.bare_extraction(
                tree, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True,
                date_extraction_params=_DATE_PARAMS,
            )
    except Exception as exc:  # a library meets every kind of broken page; one line, never a traceback
        return InputProblem(origin, f"page cannot be read ({type(exc).__name__}: {exc}); skipped")
    body = (page.text or "").strip() if page is not None else ""
    if not body or _only_menu_text(body, tree):
        return InputProblem(origin, "no body text in the page (only navigation, scripts or forms?); skipped")
    given, provenance = {}, {}
    for ours, theirs in _FIELDS:
        value = getattr(page, theirs, None)
        if isinstance(value, str) and value.strip():
            given[ours], provenance[ours] = " ".join(value.split()), EXTRACTED
    if "date" in given:
        given["date"] = _stated_date(tree, given["date"])
    if lang:
        given["lang"], provenance["lang"] = lang.split("-")[0].lower(), EXTRACTED
    meta = {"format": "html"}
    for name in ("hostname", "description", "pagetype"):
        value = getattr(page, name, None)
        if isinstance(value, str) and value.strip():
            meta[name] = value.strip()
    text = "\n\n".join(line.strip() for line in body.split("\n") if line.strip())  # one block element a line
    return RawDocument(doc_id=document_id(file, root), text=text, origin=origin, given=given, meta=meta, provenance=provenance)


def html_reader(file: Path, root: Path, options: "ReadOptions", folder_cache: dict | None = None) -> Iterator[RawDocument | InputProblem]:
    """`read_html` in the shape of the suffix -> reader registry (file, root, options, per-folder cache)."""
    yield read_html(file, root, options)
