"""Slicing id lists for SQLite `IN (...)`: one statement may bind only so many parameters."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

SQL_BATCH = 900  # bound parameters per statement, under SQLite's historical limit of 999


def in_batches(items: Sequence) -> Iterator[tuple[list, str]]:
    """`items` in slices small enough for one `IN (...)`: (slice, its '?,?,...' placeholders)."""
    items = list(items)
    for start in range(0, len(items), SQL_BATCH):
        chunk = items[start : start + SQL_BATCH]
        yield chunk, ",".join("?" * len(chunk))
