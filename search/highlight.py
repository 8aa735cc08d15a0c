"""Where the query's terms occur in a passage, and a snippet around them."""
from __future__ import annotations

import re

from corpus.cjk import CJK_CLASS, has_cjk
from search.tokenizer import TOKENIZER, Tokenizer

_START, _END = rf"(?<![^\W{CJK_CLASS}])", rf"(?![^\W{CJK_CLASS}])"  # edges of a non-CJK word (a CJK neighbour is one)


def _phrase_pattern(ws: list[str]) -> str:
    """A regex for words in a row as FTS5 matches them: CJK characters adjacent or split only by non-word characters."""
    parts = []
    for i, w in enumerate(ws):
        if i:
            parts.append(r"\W*" if has_cjk(w) or has_cjk(ws[i - 1]) else r"\W+")
        parts.append(r"\W*".join(map(re.escape, w)) if has_cjk(w) else re.escape(w))
    return ("" if has_cjk(ws[0]) else _START) + "".join(parts) + ("" if has_cjk(ws[-1]) else _END)


def highlight_spans(text: str, query: str, tokenizer: Tokenizer = TOKENIZER) -> list[tuple[int, int]]:
    """Character spans of words in `text` matching a query word (by stem), a CJK word, or a quoted phrase."""
    phrases, terms = tokenizer.query_terms(query)
    stems = {tokenizer.stem(t) for t in terms if not has_cjk(t)}
    spans = [(a, b) for a, b in tokenizer.word_spans(text) if tokenizer.stem(text[a:b]) in stems]  # CJK runs never stem to a query word
    patterns = [_phrase_pattern([unit]) for t in terms if has_cjk(t) for unit in tokenizer.cjk_units(t)]
    patterns += [_phrase_pattern(tokenizer.words(p)) for p in phrases if tokenizer.words(p)]
    for pattern in patterns:
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, text, re.I)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


# A speaker label opening a passage (`Geng Shuang:`, `MS. PSAKI:`, `问：`, a bare White House `Q`): a snippet keeps it.
_LEAD_LABEL = re.compile(r"^(?:Q(?=\s+[A-Z\u2014\u201c\"])|[^\n:\uff1a.?!]{1,40}[:\uff1a])\s*")


def snippet(text: str, spans: list[tuple[int, int]], width: int = 320) -> tuple[str, list[tuple[int, int]]]:
    """A window of about `width` characters holding the most highlights, with spans shifted into it. A speaker
    label that opens the passage is never cut off: a window starting later is shown after it (`Geng Shuang: …`)."""
    if len(text) <= width:
        return text, spans
    label = _LEAD_LABEL.match(text)
    window, window_spans = _window(text, spans, width)
    if not label or window.startswith(text[: label.end()].rstrip()) or not window.startswith("\u2026"):
        return window, window_spans
    head = text[: label.end()].rstrip() + " "
    kept = [(a, b) for a, b in spans if b <= label.end()]
    return head + window, kept + [(a + len(head), b + len(head)) for a, b in window_spans]


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[str, list[tuple[int, int]]]:
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
