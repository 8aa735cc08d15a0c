"""Reading one input file as bytes for the document readers of binary formats (HTML, PDF): regular
files only, never more than the document limit, and the document id a file gets from its path."""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from corpus.errors import InputProblem
from corpus.textfile import FileTooLarge, NotRegularFile, printable, read_regular_file

MB = 1024 * 1024  # the document limit (max_doc_mb) counts in these


def shown_path(path: str | Path) -> str:
    """A path as text that can be printed and stored: bytes of a file name that are not UTF-8 (which Python
    carries as lone surrogates) are written as \\xNN."""
    return printable(str(path))


def over_limit(origin: str, what: str, max_bytes: int) -> InputProblem:
    """`what` (e.g. '2.0 MB') is over the document limit: the reason names the limit's field, max_doc_mb."""
    return InputProblem(origin, "{what} is over the {limit} MB document limit; split it or raise {max_doc_mb}",
                        fields=("max_doc_mb",), what=what, limit=f"{max_bytes / MB:g}")


def unreadable(origin: str, exc: Exception) -> InputProblem:
    """The problem for a file that cannot be opened: not a regular file (NotRegularFile), or an OSError."""
    if isinstance(exc, NotRegularFile):
        return InputProblem(origin, f"{exc}; only regular files are read")
    return InputProblem(origin, f"cannot read ({getattr(exc, 'strerror', None) or exc})")


def read_bounded(file: Path, max_bytes: int) -> bytes | InputProblem:
    """The bytes of a regular file of at most `max_bytes`, or the problem: not a regular file (a pipe is
    never waited on), unreadable, or over the limit (refused from its size before anything is read)."""
    try:
        return read_regular_file(file, max_bytes)
    except FileTooLarge as exc:
        return over_limit(shown_path(file), f"{exc.size / MB:.1f} MB", max_bytes)
    except (NotRegularFile, OSError) as exc:
        return unreadable(shown_path(file), exc)


def read_limited(file: Path, max_bytes: int) -> bytes | InputProblem:
    """As `read_bounded`, and an empty (or all-blank) file is a problem too."""
    data = read_bounded(file, max_bytes)
    if isinstance(data, bytes) and not data.strip():
        return InputProblem(shown_path(file), "empty file")
    return data


def document_id(file: Path, root: Path) -> str:
    """'sub/page' for root/sub/page.html: the path under the folder given, without its suffix (as for .txt)."""
    rel = file.relative_to(root) if root in file.parents else Path(file.name)
    return shown_path(str(rel.with_suffix("")).replace(os.sep, "/"))


@contextmanager
def gathered_log(logger_name: str, into: list[str]) -> Iterator[None]:
    """Messages (warnings and worse) that a parsing library logs while it repairs a file, gathered into
    `into` instead of printed on stderr by Python's last-resort handler; the logger is restored after."""
    logger = logging.getLogger(logger_name)

    class Gather(logging.Handler):
        def emit(self, record):
            into.append(record.getMessage())

    handler, propagate = Gather(level=logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
