"""Rebuilding running text from the lines of PDF pages: running headers and footers and page numbers
out, lines wrapped by the layout joined, words hyphenated at a line end mended, paragraphs kept.

Input: one list of lines per page, as a layout-preserving extractor gives them (a blank line where
the page has a vertical gap). Output: paragraphs separated by one blank line.
"""
from __future__ import annotations

import math
import re
from collections import Counter

EDGE_LINES = 3  # lines at the top and at the bottom of a page that can be a running header or footer
REPEATED_SHARE = 0.6  # a line at the edge of this share of pages (and of two at least) runs on every page
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"(?:page\s+)?[-\u2013\u2014(\[]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-\u2013\u2014)\]]?(?:\s*(?:/|of)\s*\d{1,4})?", re.I
)
_TERMINAL = (".", "!", "?", ":", ";", '"', "\u201d", "\u2019", ")", "\u3002")
_HYPHENATED_END = re.compile(r"(\w+)[-\u00ad]$")
_FIRST_WORD = re.compile(r"^([a-z]\w*)")


def _key(line: str) -> str:
    """A line with its numbers folded, so 'Page 3 of 9' and 'Page 4 of 9' are the same running line."""
    return _DIGITS.sub("#", " ".join(line.split()).lower())


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.fullmatch(line.strip()))


def _edges(lines: list[str]) -> dict[int, int]:
    """{line index: position} for the lines that can be running headers or footers: among the first
    and last EDGE_LINES filled lines of a page, those whose block (the run of lines between blank
    lines) lies wholly at that edge; never the end of a paragraph that flows into the page. The
    position counts from the top (0, 1, 2) or from the bottom (-1, -2, -3), where a running line keeps its place."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edges = {i: -n for n, i in enumerate(reversed(filled[-EDGE_LINES:]), start=1)}
    edges.update({i: n for n, i in enumerate(filled[:EDGE_LINES])})
    block: list[int] = []
    for i in filled + [len(lines) + 1]:
        if block and i != block[-1] + 1:
            if not all(j in edges for j in block):
                for j in block:
                    edges.pop(j, None)
            block = []
        block.append(i)
    return edges


def running_lines(pages: list[list[str]]) -> set[tuple[int, str]]:
    """(position, key) of the lines that stand at the same place at the top or bottom of most pages:
    running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[tuple[int, str]] = Counter()
    for lines in pages:
        counts.update({(pos, _key(lines[i])) for i, pos in _edges(lines).items()})
    needed = max(2, math.ceil(REPEATED_SHARE * len(pages)))
    return {place for place, n in counts.items() if n >= needed and place[1].strip("# ")}


def _line_blocks(lines: list[str]) -> list[list[int]]:
    """Indices of the filled lines, in runs between blank lines."""
    blocks: list[list[int]] = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if blocks and blocks[-1][-1] == i - 1:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    return blocks


def strip_page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Each page's lines without its running headers and footers (a block at the edge whose lines all
    run on most pages: the tail of a paragraph that happens to repeat stays with its paragraph) and
    its page numbers (the first or last line)."""
    running = running_lines(pages)
    out = []
    for lines in pages:
        edges = _edges(lines)
        drop = set()
        for block in _line_blocks(lines):
            if all(i in edges and ((edges[i], _key(lines[i])) in running or is_page_number(lines[i])) for i in block):
                drop.update(block)
        filled = [i for i, line in enumerate(lines) if line.strip()]
        drop.update(i for i in filled[:1] + filled[-1:] if is_page_number(lines[i]))
        out.append(["" if i in drop else line for i, line in enumerate(lines)])
    return out


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        line = " ".join(line.split())
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _join(left: str, right: str, text_words: set[str]) -> str:
    """`left` and the line `right` that continues it, mending a word hyphenated at the end of `left`.
    The hyphen stays when the document spells the word with a hyphen elsewhere ('well-known')."""
    end = _HYPHENATED_END.search(left)
    start = _FIRST_WORD.match(right)
    if end and start:
        head, tail = end.group(1), start.group(1)
        if left.endswith("\u00ad") or f"{head}-{tail}".lower() not in text_words:
            return left[: end.start()] + head + right
        return left[:-1] + "-" + right
    return left + " " + right


def rebuild_text(pages: list[list[str]]) -> str:
    """Running text of the pages: furniture out, lines of a block joined, a paragraph cut by a page
    break joined again (when the page's last block stops mid-sentence), hyphenation mended."""
    pages = strip_page_furniture(pages)
    text_words = {w.lower() for lines in pages for line in lines for w in re.findall(r"\w+-\w+", line)}
    paragraphs: list[str] = []
    for page_no, lines in enumerate(pages):
        for block_no, block in enumerate(_blocks(lines)):
            text = block[0]
            for line in block[1:]:
                text = _join(text, line, text_words)
            continues = page_no > 0 and block_no == 0 and paragraphs and not paragraphs[-1].endswith(_TERMINAL)
            if continues:
                paragraphs[-1] = _join(paragraphs[-1], text, text_words)
            else:
                paragraphs.append(text)
    return "\n\n".join(paragraphs)
