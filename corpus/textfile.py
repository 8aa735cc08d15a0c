"""Reading a small text file a user hands over (queries, judgments, runs): UTF-8, not binary, not huge."""
from __future__ import annotations

from pathlib import Path

MAX_TEXT_FILE_BYTES = 256 * 1024 * 1024


class TextFileProblem(Exception):
    """Why the file cannot be used, in a few words; callers wrap it in their own named error."""


def read_text_file(path: Path | str, max_bytes: int = MAX_TEXT_FILE_BYTES) -> str:
    """The file's text (a UTF-8 byte-order mark dropped). Raises TextFileProblem for a missing or unreadable
    file, a folder, one over `max_bytes`, binary data (NUL bytes) or text that is not UTF-8."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise TextFileProblem("it is a folder")
        if size > max_bytes:
            raise TextFileProblem(f"{size / 2**20:.0f} MiB, over the {max_bytes / 2**20:.0f} MiB limit")
        data = path.read_bytes()
    except OSError as exc:
        raise TextFileProblem(exc.strerror or str(exc)) from exc
    if b"\x00" in data:
        raise TextFileProblem("binary data (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextFileProblem(f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}") from exc
