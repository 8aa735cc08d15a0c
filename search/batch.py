"""Reading many queries from a file: one per line, or JSONL objects with `id` and `query`."""
from __future__ import annotations

import json
from pathlib import Path

from corpus.textfile import TextFileProblem, invalid_character, read_text_file
from search.errors import InvalidQuery


def read_queries(path: Path) -> list[tuple[str, str]]:
    """(id, query) pairs in file order. Blank lines are skipped; ids default to the line number."""
    try:
        text = read_text_file(path)
    except TextFileProblem as exc:
        raise InvalidQuery(f"cannot read queries from {path} ({exc}); give a UTF-8 text or JSONL file") from exc
    queries = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidQuery(f"{path}:{lineno}: malformed JSON ({exc.msg}); fix the line or use one plain query per line") from exc
            query = record.get("query") if isinstance(record, dict) else None
            if not isinstance(query, str) or not query.strip():
                raise InvalidQuery(f"{path}:{lineno}: no 'query' text in this JSON line")
            qid = str(record.get("id", lineno))
            for part, value in (("id", qid), ("query", query)):
                if invalid_character(value):
                    raise InvalidQuery(f"{path}:{lineno}: the {part} holds {invalid_character(value)} (a broken \\u escape); fix the line")
            queries.append((qid, query.strip()))
        else:
            queries.append((str(lineno), line))
    if not queries:
        raise InvalidQuery(f"{path} holds no queries; put one per line")
    return queries
