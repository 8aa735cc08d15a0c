"""SQL functions the index's triggers call; every connection registers them before it touches passages.

The FTS triggers (migration 0004_cjk_lexical) index `cjk_spaced(text)`, not the raw text. A connection
without the function (the sqlite3 shell, a script) fails with "no such function: cjk_spaced" on any
write to `passages`, which is the safe outcome: it must never write passages, since the external-content
FTS index can only delete what it indexed from the same transformed text. For the same reason never run
the FTS 'rebuild' command on passages_fts: it would reindex the raw text and undo the CJK tokens.
"""
from __future__ import annotations

import re
import sqlite3

from corpus.cjk import cjk_spaced

_WORD = re.compile(r"\w+")


def name_tokens_match(name: str | None, wanted: str | None) -> bool:
    """`wanted`'s words appear in `name` as whole words, in order and together: "Xi" matches "Xi Jinping" and
    "President Xi", not "Maxine McClean"; case-insensitive."""
    if not name or not wanted:
        return False
    have, want = _WORD.findall(name.lower()), _WORD.findall(wanted.lower())
    if not want:
        return False
    return any(have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1))


def register_functions(conn: sqlite3.Connection) -> None:
    conn.create_function("cjk_spaced", 1, cjk_spaced, deterministic=True)
    conn.create_function("name_tokens_match", 2, name_tokens_match, deterministic=True)
