"""Finding publication dates in text, in the formats news sites and ministries use, and dates at their precision.

A date is kept as an ISO string at the precision it was stated: "1988" (year), "1988-09" (month) or
"1988-09-23" (day). `date_range` turns any of them into the days it covers, for filters.
"""
from __future__ import annotations

import calendar
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


YEAR, MONTH, DAY = "year", "month", "day"  # the precisions of a stored date
_PRECISION_BY_LENGTH = {4: YEAR, 7: MONTH, 10: DAY}
_GIVEN_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d{1,2}))?")
_GIVEN_MONTH_NAME_YEAR = re.compile(_MONTH + r",?\s+" + r"(?P<year>\d{4})", re.I)
_TITLE_YEAR = re.compile(r"\((1[89]\d\d|20\d\d)\)")
MIN_YEAR, MAX_YEAR = 1000, 2999  # a four-digit year stated by the input


def _year_month(year: int, month: int | None) -> str | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None


def parse_given_date(value) -> str | None:
    """Normalise a date stated in metadata to an ISO string at its precision: 'YYYY-MM-DD' for a full
    date (ISO, or any full format above), 'YYYY-MM' for a month ('1988-09', 'September 1988'), 'YYYY'
    for a year ('1988', or the number 1988 from a JSON field). None when it is not a date."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _year_month(value, None)
    value = str(value).strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", value)
    if m:
        return _valid(int(m[1]), int(m[2]), int(m[3]))
    m = _GIVEN_YEAR_MONTH.fullmatch(value.removesuffix(".0"))  # "1988.0": a year read as a float by a CSV tool
    if m:
        return _year_month(int(m[1]), int(m[2]) if m[2] else None)
    found = find_full_date(value)
    if found:
        return found.iso
    m = _GIVEN_MONTH_NAME_YEAR.fullmatch(value)
    return _year_month(int(m["year"]), _month_number(m["month"])) if m else None


def date_precision(value: str | None) -> str | None:
    """'year', 'month' or 'day' for a stored date ('1988', '1988-09', '1988-09-23'); None for no date."""
    if not value:
        return None
    precision = _PRECISION_BY_LENGTH.get(len(value))
    if precision is None:
        raise ValueError(f"{value!r} is not a stored date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return precision


def date_range(value: str) -> tuple[str, str, str]:
    """(first day, last day, precision) that a stored date covers, days in ISO:
    '1988' -> ('1988-01-01', '1988-12-31', 'year'); '1988-02' -> ('1988-02-01', '1988-02-29', 'month');
    '1988-09-23' -> ('1988-09-23', '1988-09-23', 'day'). Raises ValueError for anything else."""
    precision = date_precision(value)
    if precision is None:
        raise ValueError("no date")
    try:
        if precision == DAY:
            day = dt.date.fromisoformat(value).isoformat()
            return day, day, DAY
        year = int(value[:4])
        if precision == YEAR:
            return f"{year:04d}-01-01", f"{year:04d}-12-31", YEAR
        month = int(value[5:7])
        last = calendar.monthrange(year, month)[1]
        if value[4] != "-":
            raise ValueError(value)
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}", MONTH
    except (ValueError, calendar.IllegalMonthError) as exc:
        raise ValueError(f"{value!r} is not a stored date (YYYY, YYYY-MM or YYYY-MM-DD)") from exc


def date_within(value: str, since: str | None, until: str | None, include_imprecise: bool = False) -> bool:
    """Whether the stored date `value` is inside the bounds `since`..`until` (ISO days, inclusive; None
    is open). A date is inside when every day it covers is; a year or month that only overlaps the
    bounds ('1988' for 1988-06-01..1988-12-31) is inside only with `include_imprecise`."""
    first, last, _ = date_range(value)
    if (since is None or first >= since) and (until is None or last <= until):
        return True
    return include_imprecise and (since is None or last >= since) and (until is None or first <= until)


def year_in_title(title: str | None) -> int | None:
    """The year a title states in parentheses, as in 'General Debate, session 60 (2005): ...'; None if none
    or if it names two different years."""
    years = {int(y) for y in _TITLE_YEAR.findall(title or "")}
    return years.pop() if len(years) == 1 else None


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
