"""The note shown when an index holds passages stored before speaker attribution (migration 0005)."""
from __future__ import annotations

from index.passage_queries import unattributed_count


def unattributed_note(conn) -> str | None:
    """One line naming the fix, or None when every passage has its own speaker, role and actor."""
    n = unattributed_count(conn)
    if not n:
        return None
    return (f"{n} passages were indexed before speaker attribution and have no speaker, role or actor of "
            "their own: run `dipsearch attribute` on this index to add them")
