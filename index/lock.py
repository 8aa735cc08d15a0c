"""One writer at a time per index: an OS file lock (flock) on `INDEX/writer.lock`.

The lock belongs to an open file, so the operating system releases it when the writer exits, even
after `kill -9`; no stale lock files to clean up. The file also says who holds it (pid, what, since
when) so a second writer can say what it is waiting for. Readers never take it: SQLite (WAL) and
the atomic rename of vector files and the manifest keep what they read consistent.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from index.errors import IndexBusy, IndexLocationError

LOCK_NAME = "writer.lock"
POLL_SECONDS = 0.2


def describe_holder(holder: dict | None) -> str:
    if not holder:
        return "another writer"
    return f"another writer (pid {holder.get('pid', '?')}, {holder.get('command', 'a write')} since {holder.get('since', '?')})"


class WriterLock:
    """An exclusive lock on one index folder; reentrant within one holder (`acquire` counts)."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / LOCK_NAME
        self._fd: int | None = None
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._fd is not None

    def holder(self) -> dict | None:
        """Who holds the lock, as it wrote itself into the file (None if unknown)."""
        try:
            return json.loads(self.path.read_text(encoding="utf-8") or "null")
        except (OSError, ValueError):
            return None

    def acquire(self, wait: bool = True, on_wait: Callable[[dict | None], None] | None = None,
                command: str | None = None, timeout: float | None = None) -> bool:
        """Take the lock. Busy: with `wait`, call `on_wait(holder)` once and block until free (or
        `timeout` seconds, then IndexBusy); without, raise IndexBusy. Returns True when newly taken
        (the caller must then re-read what other writers may have changed)."""
        if self._fd is not None:
            self._depth += 1
            return False
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise IndexLocationError(f"cannot write to the index folder {self.path.parent} ({exc.strerror or exc}); "
                                     "it is read-only here: search it, or copy it somewhere writable to change it") from exc
        started, told = time.monotonic(), False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = self.holder()
                if not wait or (timeout is not None and time.monotonic() - started >= timeout):
                    os.close(fd)
                    raise IndexBusy(holder, describe_holder(holder)) from None
                if not told and on_wait is not None:
                    on_wait(holder)
                told = True
                time.sleep(POLL_SECONDS)
            except BaseException:
                os.close(fd)
                raise
        info = {"pid": os.getpid(), "command": command or _command_name(),
                "since": dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        self._fd, self._depth = fd, 1
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        self._depth -= 1
        if self._depth > 0:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _command_name() -> str:
    args = [a for a in sys.argv[1:2] if not a.startswith("-")]
    return args[0] if args else Path(sys.argv[0]).name or "python"
