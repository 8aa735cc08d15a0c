"""Sentence boundaries for English and Chinese text, as character spans."""
from __future__ import annotations

import re

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "rep", "sen", "gov",
    "amb", "pres", "no", "nos", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "art", "para", "vol", "fig", "inc", "ltd", "co",
}
# A candidate end: terminal punctuation, optional closing quotes/brackets, then space and an opener.
_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9\u4e00-\u9fff])|[\u3002\uff01\uff1f]+[\u201d\u300d\u300f]*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of sentences in `text`, whitespace excluded; they cover all non-space text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        if m.group().startswith("."):
            word = re.search(r"([\w.]+)$", text[start : m.start()])
            token = word.group(1).lower() if word else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue  # "Mr. Zhang", "U.S. side", "J. Smith"
        end = m.end()
        _append(text, start, end, spans)
        start = end
    _append(text, start, len(text), spans)
    return spans


def _append(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def split_sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]
