"""Reading one input file as bytes for the document readers of binary formats (HTML, PDF): regular
files only, never more than the document limit, and the document id a file gets from its path."""
from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from corpus.errors import InputProblem

MB = 1024 * 1024  # --max-doc-mb counts in these


def over_limit(size: int, max_bytes: int) -> str:
    return f"{size / MB:.1f} MB is over the {max_bytes / MB:g} MB document limit; split it or raise --max-doc-mb"


def read_limited(file: Path, max_bytes: int) -> bytes | InputProblem:
    """The file's bytes, or a problem: not a regular file, unreadable, or over `max_bytes` (refused
    from its size before anything is parsed; a file that grows while read is cut off at the limit)."""
    origin = str(file)
    try:
        with open(file, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                return InputProblem(origin, "not a regular file")
            if info.st_size > max_bytes:
                return InputProblem(origin, over_limit(info.st_size, max_bytes))
            data = f.read(max_bytes + 1)
    except OSError as exc:
        return InputProblem(origin, f"cannot read ({exc.strerror or exc})")
    if len(data) > max_bytes:
        return InputProblem(origin, over_limit(len(data), max_bytes))
    if not data.strip():
        return InputProblem(origin, "empty file")
    return data


def document_id(file: Path, root: Path) -> str:
    """'sub/page' for root/sub/page.html: the path under the folder given, without its suffix (as for .txt)."""
    rel = file.relative_to(root) if root in file.parents else Path(file.name)
    return str(rel.with_suffix("")).replace(os.sep, "/")


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
