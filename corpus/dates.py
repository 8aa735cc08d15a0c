"""Finding publication dates in text, in the formats news sites and ministries use."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?\s*"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

# Full dates, most specific first. Each has named groups year, month, day.
_FULL_DATE_PATTERNS = [
    re.compile(r"\b" + _YEAR + r"-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),
    re.compile(r"\b" + _YEAR + r"/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)\b"),
    re.compile(r"\b" + _YEAR + r"\.(?P<month>[01]?\d)\.(?P<day>[0-3]?\d)\b"),
    re.compile(_YEAR + r"\s*年\s*(?P<month>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*日"),
    re.compile(r"\b(?:" + _WEEKDAY + r")?" + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b(?:" + _WEEKDAY + r")?" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I),
]
# Month and day without a year, as in datelines ("WASHINGTON, January 25.").
_PARTIAL_DATE_PATTERNS = [
    re.compile(_MONTH + r"\s+" + _DAY + r"\b", re.I),
    re.compile(_DAY + r"\s+" + _MONTH + r"\b", re.I),
]
_YEAR_MENTION = re.compile(r"(?<![\d/.-])(19[4-9]\d|20\d\d)(?![\d/-])")
_FORWARD_LOOKING = re.compile(r"\b(?:by|until|till|before|through|towards?|to)\s+(?:the\s+(?:end\s+of\s+)?(?:year\s+)?)?$", re.I)


@dataclass(frozen=True)
class DateMatch:
    iso: str
    start: int
    end: int


def _month_number(token: str) -> int:
    return int(token) if token.isdigit() else MONTHS[token.lower().rstrip(".")]


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_full_date(text: str) -> DateMatch | None:
    """The first complete date (day, month and year) in `text`, in any supported format."""
    best: DateMatch | None = None
    for pattern in _FULL_DATE_PATTERNS:
        for m in pattern.finditer(text):
            iso = _valid(int(m["year"]), _month_number(m["month"]), int(m["day"]))
            if iso and (best is None or m.start() < best.start):
                best = DateMatch(iso, m.start(), m.end())
                break
    return best


def find_month_day(text: str) -> tuple[int, int, int, int] | None:
    """(month, day, start, end) of the first month-and-day mention without a year."""
    for pattern in _PARTIAL_DATE_PATTERNS:
        m = pattern.search(text)
        if m and 1 <= int(m["day"]) <= 31:
            return _month_number(m["month"]), int(m["day"]), m.start(), m.end()
    return None


def parse_given_date(value: str) -> str | None:
    """Normalise a date stated in metadata (ISO, or any full format above) to YYYY-MM-DD."""
    value = value.strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", value)
    if m:
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    found = find_full_date(value)
    return found.iso if found else None


def year_evidence(text: str) -> int | None:
    """The year a text is most plausibly written in, from the years it mentions.

    The latest year mentioned wins, except years that follow forward-looking words
    ("by 2030", "until 2035"), which name targets rather than the present.
    """
    years = []
    for m in _YEAR_MENTION.finditer(text):
        if _FORWARD_LOOKING.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        years.append(int(m.group(1)))
    return max(years) if years else None
