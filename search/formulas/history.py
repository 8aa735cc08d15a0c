"""The history of an item (a formula, a sentence cluster, a query's matches): first and last use, counts per period.

A period is a month (`2019-05`), a quarter (`2019-Q2`) or a year (`2019`). Undated uses count in no period.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from search.formulas.errors import FormulasError

PERIODS = ("month", "quarter", "year")
_BARS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def check_period(period: str) -> str:
    if period not in PERIODS:
        raise FormulasError("{period} {value!r} is not a period; use month, quarter or year", fields=("period",), value=period)
    return period


def period_of(date: str | None, period: str) -> str | None:
    """'2019-05-11' -> '2019-05' (month), '2019-Q2' (quarter) or '2019' (year); None when undated, or when the
    date is less precise than the period (a year-only '1988' has no month or quarter: it counts in yearly series only)."""
    if not date:
        return None
    if period == "year":
        return date[:4]
    if len(date) < 7:
        return None
    if period == "quarter":
        return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"
    return date[:7]


def periods_between(first: str, last: str, period: str) -> list[str]:
    """Every period label from the one holding `first` to the one holding `last` (ISO dates), gaps included."""
    y, m = int(first[:4]), int(first[5:7] or 1)  # a year-only bound covers January to December
    y1, m1 = int(last[:4]), int(last[5:7] or 12)
    out: list[str] = []
    while (y, m) <= (y1, m1):
        label = period_of(f"{y:04d}-{m:02d}-01", period)
        if not out or out[-1] != label:
            out.append(label)
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


def counts_by_period(uses: Iterable[tuple[str | None, str | None]], period: str) -> dict[str, dict[str, int]]:
    """(date, source) of each use -> {period: {source: count}}, periods in order."""
    check_period(period)
    table: dict[str, Counter] = {}
    for date, source in uses:
        label = period_of(date, period)
        if label is not None:
            table.setdefault(label, Counter())[source or "unknown"] += 1
    return {p: dict(sorted(table[p].items())) for p in sorted(table)}


def series(uses: Sequence[tuple[str | None, str | None]], period: str, first: str | None = None, last: str | None = None) -> list[dict]:
    """[{period, count, by_source}] for every period from `first` to `last` (default: the uses' own span), zeros included."""
    table = counts_by_period(uses, period)
    dates = sorted(d for d, _ in uses if d)
    first, last = first or (dates[0] if dates else None), last or (dates[-1] if dates else None)
    if not first or not last:
        return []
    return [{"period": p, "count": sum(table.get(p, {}).values()), "by_source": table.get(p, {})} for p in periods_between(first, last, period)]


def sparkline(values: Sequence[float]) -> str:
    """One block character per value, scaled to the largest; a space for zero."""
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(" " if v <= 0 else _BARS[min(len(_BARS) - 1, int(round((len(_BARS) - 1) * v / top)))] for v in values)
