"""Integer ids as SQLite stores them: signed 64-bit. A larger number names no row (and SQLite cannot even
bind it: Python raises OverflowError), so lookups check the range first and answer 'not found'."""
from __future__ import annotations

SQLITE_INT_MIN, SQLITE_INT_MAX = -(2**63), 2**63 - 1


def is_sqlite_integer(value) -> bool:
    """True for an int (not a bool) that SQLite can store."""
    return isinstance(value, int) and not isinstance(value, bool) and SQLITE_INT_MIN <= value <= SQLITE_INT_MAX
