"""Querying, ranking, and the front ends (CLI, web). The Python API is `search.Index` (search/api.py).

Nothing heavy is imported here: `Index` is loaded on first use of the name.
"""
from __future__ import annotations

__all__ = ["Index", "SearchResults", "ResultSet"]


def __getattr__(name: str):
    if name == "Index":
        from search.api import Index

        return Index
    if name in ("SearchResults", "ResultSet"):
        from search import results

        return getattr(results, name)
    raise AttributeError(f"module 'search' has no attribute {name!r}")
