"""Removing site debris from raw text and rebuilding its paragraphs.

Every rule here matches a whole line and is anchored, so that statement text is never cut: a
line is either debris as a whole (a teaser, a comment-form field, a table remnant) or kept.
"""
from __future__ import annotations

import re

from corpus.dates import find_full_date

_SHARE_WORDS = r"(?:share|facebook|twitter|x|whatsapp|telegram|linkedin|weibo|wechat|email|e-mail|print|reddit|copy link)"
BOILERPLATE = [
    re.compile(p, re.I)
    for p in (
        r"(?:also\s+)?read(?:\s+(?:more|also))?\s*\|.*",  # "READ | ...", "ALSO READ | ..."
        r"(?:also\s+read|read\s+more|read\s+also)\s*:.*",
        r"leave\s+a\s+(?:reply|comment).*",
        r"your\s+email\s+address\s+will\s+not\s+be\s+published.*",
        r"required\s+fields\s+are\s+marked.*",
        r"(?:comment|name|email|website)\s*\*?",
        r"save\s+my\s+name,?\s+email,?\s+and\s+website.*",
        r"(?:post\s+comment|cancel\s+reply|you\s+may\s+also\s+like|related\s+(?:articles|stories|news))\s*:?",
        r"most\s+(?:popular|read|viewed|shared)(?:\s+in\s+[\w ]{1,20})?",
        r"(?:app\s*\|\s*pc|pc\s*\|\s*app)",
        r"advertisement|sponsored(?:\s+content)?",
        # Copyright notices: after "©", or "Copyright"/"(c)" followed by a year (a bare "(c)" opens
        # a list item and "Copyright ..." can open a sentence of the statement), or "all rights reserved".
        r"©.{0,150}",
        r"(?:copyright|\(c\))\s*(?:©|\(c\))?\s*\d{4}(?:\s*[-\u2013]\s*\d{4})?\b.{0,150}",
        r".{0,150}\ball\s+rights\s+reserved\.?",
        _SHARE_WORDS + r"(?:\s*[|/·,]?\s*" + _SHARE_WORDS + r")*\s*:?",
        r"(?:editor|edited\s+by|reporter|writer|author)\s*[:：].{0,60}",
    )
]
# Briefing logistics: where and when a briefing or a call took place, and its closing mark. Whole lines
# only (a line with anything more is statement text), from the transcripts of the White House briefing room.
_VENUES = (
    r"james\s+s\.?\s+brady\s+press\s+briefing\s+room", r"eisenhower\s+executive\s+office\s+building", r"south\s+court\s+auditorium",
    r"(?:the\s+)?(?:east|state\s+dining|roosevelt|cabinet|indian\s+treaty|blue|green|map|diplomatic\s+reception)\s+room",
    r"(?:the\s+)?(?:oval\s+office|rose\s+garden|south\s+lawn|cross\s+hall|grand\s+foyer)",
    r"aboard\s+air\s+force\s+(?:one|two)", r"en\s+route\s+(?:to\s+)?(?-i:[A-Z][\w.'’-]*(?:,?\s+[A-Z][\w.'’-]*){0,5})", r"private\s+residence",
    r"vice\s+president[’']s\s+(?:ceremonial\s+office|residence)",
)
_CLOCK = r"[0-2]?\d:[0-5]\d\s*[ap]\.?\s?m\.?(?:\s+[a-z]{1,5})?"  # "11:48 A.M. EST", "9:05 PM", "3:16 P.M. CEST"
LOGISTICS = [
    re.compile(p, re.I)
    for p in (
        r"via\s+(?:teleconference|telephone|videoconference|video\s+conference|conference\s+call)",
        _CLOCK,
        r"end(?:\s+" + _CLOCK + r")?",  # "END", "END 1:43 P.M. CET"
        r"\(?as\s+prepared\s+for\s+delivery\)?",
        r"\*?(?:" + "|".join(_VENUES) + r")\*?(?:,\s+the\s+white\s+house)?",
    )
]
_MARKUP_ONLY = re.compile(r"(?:<[^<>]{0,200}>\s*)+")  # "<figure> </figure>", "<!-- -->": tags with no text between
# Letterless lines: table remnants ("| | |", "4391 | 0"), separators, page numbers.
_NO_LETTERS = re.compile(r"[^\w]*|[\d\W_]*", re.UNICODE)
_TERMINAL = ("." , "!", "?", ":", ";", '"', "\u201d", "\u2019", "'", ")", "\u3002", "\uff01", "\uff1f", "\u300d")


def is_boilerplate(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    if _NO_LETTERS.fullmatch(stripped):
        return find_full_date(stripped) is None  # "2020-01-01 17:15" is a publication line, not a table remnant
    return any(p.fullmatch(stripped) for p in BOILERPLATE) or is_logistics(stripped) or bool(_MARKUP_ONLY.fullmatch(stripped))


def is_logistics(line: str) -> bool:
    """A briefing logistics line: venue ("James S. Brady Press Briefing Room"), "Via Teleconference", a
    start or end time ("11:48 A.M. EST"), "END". Only a whole line; one with more is kept."""
    stripped = line.strip()
    return bool(stripped) and any(p.fullmatch(stripped) for p in LOGISTICS)


def drop_boilerplate(lines: list[str]) -> list[str]:
    """The lines with debris lines blanked (kept as empty lines so paragraph breaks survive)."""
    return ["" if is_boilerplate(line) else line for line in lines]


def paragraphs_from_lines(lines: list[str]) -> list[str]:
    """Paragraphs: blank lines separate them; inside a block a line continues the previous one
    only when that one stops mid-sentence and this one starts in lower case (hard-wrapped text)."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines + [""]:
        line = line.strip()
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and (current[-1].endswith(_TERMINAL) or not line[:1].islower()):
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
    return paragraphs
