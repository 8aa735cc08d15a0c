"""Where the query's terms occur in a passage, and a snippet around them."""
from __future__ import annotations

import re

from search.terms import query_terms, stem, words

_TOKEN = re.compile(r"[\w][\w'\u2019-]*", re.UNICODE)


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans of words in `text` matching a query word (by stem) or a quoted phrase."""
    phrases, terms = query_terms(query)
    stems = {stem(t) for t in terms}
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text) if stem(m.group()) in stems]
    for phrase in phrases:
        pattern = r"\b" + r"\W+".join(re.escape(w) for w in words(phrase)) + r"\b"
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, text, re.I)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def snippet(text: str, spans: list[tuple[int, int]], width: int = 320) -> tuple[str, list[tuple[int, int]]]:
    """A window of about `width` characters holding the most highlights, with spans shifted into it."""
    if len(text) <= width:
        return text, spans
    best_start, best_count = 0, -1
    for s, _ in spans or [(0, 0)]:
        start = max(0, min(s - width // 4, len(text) - width))
        count = sum(1 for a, b in spans if a >= start and b <= start + width)
        if count > best_count:
            best_start, best_count = start, count
    start = best_start
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    prefix, suffix = ("\u2026" if start > 0 else ""), ("\u2026" if end < len(text) else "")
    shifted = [(a - start + len(prefix), b - start + len(prefix)) for a, b in spans if a >= start and b <= end]
    return prefix + text[start:end] + suffix, shifted
