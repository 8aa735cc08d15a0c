"""Reading JSON Lines files (.jsonl, .jsonl.gz): one document per line, read line by line (a line over the
document limit is skipped unread), each bad line one problem while the rest goes on."""
from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path

from corpus.documents import RawDocument
from corpus.errors import InputProblem
from corpus.file_input import MB, shown_path, unreadable
from corpus.read_options import ReadOptions
from corpus.record_reader import MAX_RECORD_DEPTH, record_to_document
from corpus.textfile import NotRegularFile, open_regular

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")


def _lines(raw, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """(line number, line) for each line of a binary stream, reading at most `limit` + 1 bytes of any
    line: a longer one comes as (number, its length in bytes) and is skipped to its end unread."""
    lineno = 0
    while True:
        line = raw.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) <= limit or line.endswith(b"\n"):
            yield lineno, line
            continue
        size = len(line)
        while line and not line.endswith(b"\n"):
            line = raw.readline(1 << 20)
            size += len(line)
        yield lineno, size


def _read_jsonl(file: Path, options: ReadOptions) -> Iterator[RawDocument | InputProblem]:
    name = shown_path(file)
    try:
        handle = open_regular(file)
    except (NotRegularFile, OSError) as exc:
        yield unreadable(name, exc)
        return
    raw = gzip.GzipFile(fileobj=handle, mode="rb") if file.name.lower().endswith(".gz") else handle
    stem = shown_path(file.name.split(".")[0])
    seen_any = False
    lineno = 0
    try:
        with handle, raw:
            for lineno, line in _lines(raw, options.max_doc_bytes * 2):
                origin = f"{name}:{lineno}"
                if isinstance(line, int):
                    seen_any = True
                    yield InputProblem(origin, f"line of {line / MB:.1f} MB is over the document limit; skipped")
                    continue
                if not line.strip():
                    continue
                seen_any = True
                try:
                    record = json.loads(line.decode("utf-8-sig"))
                except UnicodeDecodeError:
                    yield InputProblem(origin, "not valid UTF-8; line skipped (re-save the file as UTF-8)")
                    continue
                except json.JSONDecodeError as exc:
                    yield InputProblem(origin, f"malformed JSON ({exc.msg} at column {exc.colno}); line skipped")
                    continue
                except RecursionError:
                    yield InputProblem(origin, f"JSON nested more than {MAX_RECORD_DEPTH} levels deep; line skipped")
                    continue
                yield record_to_document(record, origin, f"{stem}-{lineno}", options)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield InputProblem(f"{name}:{lineno + 1}", f"file is damaged or truncated ({exc}); the lines before it were read")
        return
    if not seen_any:
        yield InputProblem(name, "empty file")


def jsonl_reader(file: Path, root: Path, options: ReadOptions, folder_cache: dict) -> Iterator[RawDocument | InputProblem]:
    return _read_jsonl(file, options)
