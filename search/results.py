"""Result sets of the Python API: a list of results that converts to plain records, or to a pandas DataFrame.

pandas is optional (`pip install 'dipsearch[pandas]'`); it is imported only when `to_pandas()` is called.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from corpus.errors import Unavailable


class PandasMissing(Unavailable):
    def __init__(self):
        super().__init__("to_pandas() needs pandas, which is not installed; install the extra: pip install 'dipsearch[pandas]'")


def record(item) -> dict:
    """One result as a plain dict (JSON types only)."""
    if isinstance(item, dict):
        return dict(item)
    return item.as_dict()


class ResultSet(Sequence):
    """Results in rank order: index, iterate and `len()` them like a list; `.records()` gives dicts."""

    def __init__(self, items):
        self.items = list(items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def __iter__(self) -> Iterator:
        return iter(self.items)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self.items)}>"

    def records(self) -> list[dict]:
        return [record(i) for i in self.items]

    def to_pandas(self):
        """A DataFrame with one row per result (columns: the record's keys)."""
        try:
            import pandas as pd
        except ImportError:
            raise PandasMissing() from None
        return pd.DataFrame.from_records(self.records())


class SearchResults(ResultSet):
    """The hits of one search, with what the query was and how it ran (`query`, `mode`, `filters`, `notes`)."""

    def __init__(self, response):
        super().__init__(response.results)
        self.response = response

    @property
    def results(self) -> list:
        return self.items

    query = property(lambda self: self.response.query)
    mode = property(lambda self: self.response.mode)
    filters = property(lambda self: self.response.filters)
    notes = property(lambda self: self.response.notes)

    def as_dict(self) -> dict:
        """The JSON shape of `dipsearch search --json` and /api/search: query, mode, filters, results, notes."""
        return self.response.as_dict()
