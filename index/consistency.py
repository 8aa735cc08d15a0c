"""Proof that the vectors match the database: the sorted passage ids, their checksum, and how to
bring an in-memory vector index back in step with SQLite (the authority) by its id difference.

Passage ids come from AUTOINCREMENT and a passage's vector never changes after insertion (a changed
document gets new passages with new ids), so equal id sets mean equal contents, and a difference
in ids says exactly which vectors to add and which to drop.
"""
from __future__ import annotations

import hashlib
import sqlite3
import struct
from contextlib import contextmanager
from pathlib import Path

import numpy as np


def ids_checksum(ids: np.ndarray) -> str:
    """sha256 of the sorted ids as little-endian int64: what the manifest records beside the generation."""
    return hashlib.sha256(np.sort(np.asarray(ids, dtype="<i8")).tobytes()).hexdigest()


def database_ids(conn: sqlite3.Connection) -> np.ndarray:
    """Every passage id in the database, ascending (walks the primary key only)."""
    cur = conn.cursor()
    cur.row_factory = None
    cur.execute("SELECT passage_id FROM passages ORDER BY passage_id")
    return np.fromiter((r[0] for r in cur), dtype=np.int64)


@contextmanager
def read_snapshot(conn: sqlite3.Connection):
    """One consistent view of the database for several SELECTs (a WAL read transaction)."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def sync_vectors(vectors, db, db_ids: np.ndarray, dimension: int) -> tuple[int, int] | None:
    """Make `vectors` hold exactly `db_ids`: drop ids the database lacks, append the missing ones
    with their stored vectors. Returns (added, removed), or None (nothing changed) when a missing id
    is older than one kept: appending it would order the index unlike a clean build, whose ties in
    score then rank differently; the caller rebuilds instead. Call inside `read_snapshot`."""
    have = np.sort(vectors.ids())
    extra = np.setdiff1d(have, db_ids, assume_unique=True)
    missing = np.setdiff1d(db_ids, have, assume_unique=True)
    kept = np.setdiff1d(have, extra, assume_unique=True)
    if len(missing) and len(kept) and missing[0] < kept[-1]:
        return None
    if len(extra):
        vectors.remove(extra)
    if len(missing):
        vectors.add(missing, db.vectors_for([int(i) for i in missing], dimension))
    return len(missing), len(extra)


def sqlite_header_problem(path: Path) -> str | None:
    """Why the database file is visibly damaged (empty, shorter than its header says, not SQLite), or None."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            header = f.read(100)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if size == 0:
        return "is empty (0 bytes)"
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return "is not an SQLite database"
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages, valid_for = struct.unpack(">I", header[24:28])[0], struct.unpack(">I", header[28:32])[0], struct.unpack(">I", header[92:96])[0]
    if pages and change_counter == valid_for and size < pages * page_size:
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None  # a checkpoint may be copying pages in right now; SQLite itself judges this file
        return f"is truncated ({size:,} of {pages * page_size:,} bytes)"
    return None


def beyond_repair(folder: Path) -> str:
    """What to do when the database, the authority, is damaged."""
    return f"the database is damaged beyond repair; move {folder} aside and ingest again (or restore it from a backup)"
