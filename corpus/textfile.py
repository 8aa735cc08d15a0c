"""Reading files a user hands over, safely: only regular files, never more than a bound, never blocking.

- `open_regular` / `read_regular_file`: a named pipe, a socket or a device (say a link to /dev/zero named
  `.txt`) is refused instead of hanging or filling memory. The file is opened without blocking (a FIFO with
  no writer would otherwise wait forever), checked with fstat after opening (so a path swapped between a
  check and the open cannot slip through), and read up to the bound plus one byte (a file that grows while
  it is read is still caught).
- `read_text_file`: a small UTF-8 text file (queries, judgments, runs).
- `invalid_character`: where a string holds a lone surrogate, which can be neither stored nor encoded (JSON
  escapes like "\\ud800", or bytes that are not UTF-8 in a command-line argument or a file name).
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

MAX_TEXT_FILE_BYTES = 256 * 1024 * 1024

_FILE_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
_SURROGATE = re.compile("[\ud800-\udfff]")


class TextFileProblem(Exception):
    """Why the file cannot be used, in a few words; callers wrap it in their own named error."""


class NotRegularFile(TextFileProblem):
    """The path is a folder, a pipe, a socket or a device, not a file."""

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__("it is a folder" if kind == "a folder" else f"not a regular file ({kind})")


class FileTooLarge(TextFileProblem):
    """The file holds more than the bound; `size` is its size in bytes (at least bound + 1)."""

    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(f"{size / 2**20:.0f} MiB, over the {limit / 2**20:.0f} MiB limit")


def open_regular(path: Path | str) -> BinaryIO:
    """A binary file object for `path`. Raises NotRegularFile for anything but a regular file (without
    waiting on a pipe), OSError when it cannot be opened."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(next((kind for test, kind in _FILE_KINDS if test(mode)), "not a file"))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular_file(path: Path | str, max_bytes: int) -> bytes:
    """At most `max_bytes` of a regular file. Raises FileTooLarge (before reading when its size says so),
    NotRegularFile, or OSError."""
    with open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
        if size > max_bytes:
            raise FileTooLarge(size, max_bytes)
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLarge(len(data), max_bytes)
    return data


def read_text_file(path: Path | str, max_bytes: int = MAX_TEXT_FILE_BYTES) -> str:
    """The file's text (a UTF-8 byte-order mark dropped). Raises TextFileProblem for a missing or unreadable
    file, a folder or other non-file, one over `max_bytes`, binary data (NUL bytes) or text that is not UTF-8."""
    try:
        data = read_regular_file(path, max_bytes)
    except OSError as exc:
        raise TextFileProblem(exc.strerror or str(exc)) from exc
    if b"\x00" in data:
        raise TextFileProblem("binary data (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextFileProblem(f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}") from exc


def printable(text: str) -> str:
    """`text` with every character that has no UTF-8 form written as an escape: an undecodable byte
    (surrogateescape) as \\xNN, a lone surrogate as \\udNNN. Other text is returned as it is."""
    if invalid_character(text) is None:
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") if not re.search("[\ud800-\udc7f\udd00-\udfff]", text) \
        else text.encode("utf-8", "backslashreplace").decode("utf-8")


def invalid_character(text: str) -> str | None:
    """None for a string that can be stored as UTF-8; else what is wrong and where, e.g.
    "byte 0xff that is not UTF-8 at character 3" or "a lone surrogate U+D800 at character 1"."""
    match = _SURROGATE.search(text)
    if match is None:
        return None
    code = ord(match.group())
    where = f"at character {match.start() + 1}"
    if 0xDC80 <= code <= 0xDCFF:  # how Python carries an undecodable byte (surrogateescape: argv, file names)
        return f"byte 0x{code - 0xDC00:02x} that is not UTF-8 {where}"
    return f"a lone surrogate U+{code:04X} {where}"

