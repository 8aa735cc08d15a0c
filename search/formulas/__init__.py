"""Formulas: short phrases reused across documents ("win-win cooperation", "core interests and major concerns"),
with their history, and the trend of any query over time.

Library API:
- `find_formulas(store, filters, query, min_docs, limit)` -> list[Formula]
- `Formula.history(period)` -> [{period, count, by_source}]
- `search.formulas.trend.trend(store, query, filters, period)` -> Trend
"""
from search.formulas.find import Formula, Use, find_formulas

__all__ = ["Formula", "Use", "find_formulas"]
