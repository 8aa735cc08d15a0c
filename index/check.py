"""Check an index and repair what can be rebuilt from the SQLite authority.

`check_index` reads only (it works on a read-only index) and reports each problem with what to do:
- the database: visibly damaged (empty, truncated, not SQLite), `PRAGMA integrity_check`, the
  stored vectors (one per passage, of the model's dimension), the full-text index (one entry per passage);
- the vector file: present for the committed generation, the model's dimension, exactly the
  database's passage ids (count and checksum);
- the manifest: parses, and matches the database (generation, counts, model, ids checksum).

`repair_index` rebuilds the derived parts (b-tree indexes with REINDEX, the full-text index, the
vector file, the manifest) under the writer lock. The database itself is the authority: when it is
damaged beyond what REINDEX mends, nothing can be saved and the report says so.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from index.consistency import beyond_repair, database_ids, ids_checksum, sqlite_header_problem
from index.errors import IndexDamaged, IndexNotFound
from index.manifest import MANIFEST_NAME, load_manifest

DB_NAME = "dipsearch.sqlite"
INDEX_ONLY = ("missing from index", "wrong # of entries in index", "non-unique entry in index")


@dataclass
class Finding:
    part: str  # database, full-text, vectors, manifest
    problem: str
    action: str  # what to do about it
    repairable: bool  # `repair_index` fixes it


@dataclass
class CheckReport:
    index: str
    findings: list[Finding] = field(default_factory=list)
    passages: int | None = None
    generation: int | None = None

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def repairable(self) -> bool:
        return all(f.repairable for f in self.findings)

    def as_dict(self) -> dict:
        return {"index": self.index, "ok": self.ok, "repairable": self.repairable, "passages": self.passages,
                "generation": self.generation, "problems": [asdict(f) for f in self.findings]}


def check_index(folder: Path | str) -> CheckReport:
    """Every problem found in the index at `folder`, each with what to do. Writes nothing."""
    folder = Path(folder)
    db_path = folder / DB_NAME
    if not db_path.exists():
        raise IndexNotFound(folder)
    report = CheckReport(str(folder))
    manifest, manifest_problem = _manifest(folder, report)
    problem = sqlite_header_problem(db_path)
    if problem:
        recorded = ((manifest or {}).get("counts") or {}).get("passages")
        said = f" while {MANIFEST_NAME} says {recorded:,} passages" if recorded else ""
        report.findings.append(Finding("database", f"{db_path} {problem}{said}", beyond_repair(folder), False))
        return report
    try:
        conn = _connect_readonly(db_path)
        try:
            _check_database(conn, folder, report, manifest, manifest_problem)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        report.findings.append(Finding("database", f"{db_path} cannot be read ({exc})", beyond_repair(folder), False))
    return report


def _connect_readonly(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:  # a WAL database in a folder nobody may write (no -shm file can be made)
        conn.close()
        return sqlite3.connect(f"file:{db_path}?mode=ro&immutable=1", uri=True, timeout=30)


def _manifest(folder: Path, report: CheckReport) -> tuple[dict | None, str | None]:
    from index.errors import IndexFormatError

    try:
        manifest, problem = load_manifest(folder)
    except IndexFormatError as exc:
        report.findings.append(Finding("manifest", str(exc), "point the index option at a dipsearch index", False))
        return None, str(exc)
    if problem:
        report.findings.append(Finding("manifest", problem, "run `dipsearch repair`: it rewrites the manifest from the database", True))
    elif manifest is None:
        report.findings.append(Finding("manifest", f"{folder / MANIFEST_NAME} is missing", "run `dipsearch repair`: it writes the manifest from the database", True))
    return manifest, problem


def _check_database(conn: sqlite3.Connection, folder: Path, report: CheckReport, manifest: dict | None, manifest_problem: str | None) -> None:
    messages = [r[0] for r in conn.execute("PRAGMA integrity_check(100)")]
    if messages != ["ok"]:
        fixable = all(any(m in msg for m in INDEX_ONLY) for msg in messages)
        shown = "; ".join(messages[:3]) + (f" (and {len(messages) - 3} more)" if len(messages) > 3 else "")
        action = "run `dipsearch repair`: it rebuilds the database's indexes (REINDEX)" if fixable else beyond_repair(folder)
        report.findings.append(Finding("database", f"integrity check failed: {shown}", action, fixable))
        if not fixable:
            return
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    generation = int(meta.get("generation") or 0)
    model = json.loads(meta["model"]) if meta.get("model") else None
    db_ids = database_ids(conn)
    report.passages, report.generation = len(db_ids), generation
    dimension = int(model["dimension"]) if model else None
    if dimension:
        bad = conn.execute("SELECT count(*) FROM passages WHERE vector IS NULL OR length(vector) != ?", (4 * dimension,)).fetchone()[0]
        if bad:
            report.findings.append(Finding("database", f"{bad} passages have no stored vector of {dimension} dimensions",
                                           "remove their documents and ingest them again, or " + beyond_repair(folder), False))
    indexed = conn.execute("SELECT count(*) FROM passages_fts_docsize").fetchone()[0]
    unindexed = conn.execute("SELECT count(*) FROM passages p WHERE NOT EXISTS (SELECT 1 FROM passages_fts_docsize d WHERE d.id = p.passage_id)").fetchone()[0]
    if unindexed or indexed != len(db_ids):
        report.findings.append(Finding("full-text", f"the full-text index holds {indexed} entries for {len(db_ids)} passages ({unindexed} passages missing)",
                                       "run `dipsearch repair`: it rebuilds the full-text index from the passages", True))
    _check_vectors(folder, report, manifest, manifest_problem, generation, model, db_ids)


def _check_vectors(folder: Path, report: CheckReport, manifest: dict | None, manifest_problem: str | None, generation: int,
                   model: dict | None, db_ids: np.ndarray) -> None:
    rebuild = "run `dipsearch repair`: it rebuilds the vector file from the vectors stored in the database (no re-embedding)"
    if manifest is None:
        return  # already reported; repair writes both
    if manifest.get("generation") != generation:
        report.findings.append(Finding("manifest", f"the manifest is for generation {manifest.get('generation')}, the database is at {generation} "
                                       "(a write did not finish saving, or another program changed the database)", rebuild, True))
    counts = manifest.get("counts") or {}
    if counts.get("passages") != len(db_ids):
        report.findings.append(Finding("manifest", f"the manifest counts {counts.get('passages')} passages, the database holds {len(db_ids)}", rebuild, True))
    if model and (manifest.get("model") or {}).get("checksum") != model.get("checksum"):
        report.findings.append(Finding("manifest", "the manifest names another model than the database records", rebuild, True))
    recorded = (manifest.get("vectors") or {}).get("ids_sha256")
    if recorded is None:
        report.findings.append(Finding("manifest", "the manifest records no checksum of the passage ids (written by an older dipsearch)", rebuild, True))
    elif recorded != ids_checksum(db_ids):
        report.findings.append(Finding("manifest", "the manifest's checksum of passage ids differs from the database's", rebuild, True))
    path = folder / str(manifest.get("vectors_file") or f"vectors-{generation}.faiss")
    if not path.exists():
        report.findings.append(Finding("vectors", f"{path.name} is missing", rebuild, True))
        return
    from index.vectors import VectorIndex

    try:
        vectors = VectorIndex.load(path, int(model["dimension"]) if model else 0)
    except (RuntimeError, OSError) as exc:
        report.findings.append(Finding("vectors", f"{path.name} cannot be read ({str(exc).splitlines()[0][:200]})", rebuild, True))
        return
    if model and vectors.index.d != int(model["dimension"]):
        report.findings.append(Finding("vectors", f"{path.name} has {vectors.index.d} dimensions, the model {model['dimension']}", rebuild, True))
    ids = np.sort(vectors.ids())
    if not np.array_equal(ids, db_ids):
        extra = len(np.setdiff1d(ids, db_ids))
        missing = len(np.setdiff1d(db_ids, ids))
        report.findings.append(Finding("vectors", f"{path.name} holds {len(ids)} vectors for {len(db_ids)} passages: "
                                       f"{extra} ids not in the database, {missing} passages without a vector", rebuild, True))


@dataclass
class RepairReport:
    index: str
    before: CheckReport
    actions: list[str] = field(default_factory=list)
    after: CheckReport | None = None

    def as_dict(self) -> dict:
        return {"index": self.index, "actions": self.actions, "problems_before": self.before.as_dict()["problems"],
                "problems_after": self.after.as_dict()["problems"] if self.after else None, "ok": bool(self.after and self.after.ok)}


def repair_index(store_opener, folder: Path | str) -> RepairReport:
    """Rebuild what can be rebuilt from the database. `store_opener(folder)` opens the IndexStore (so
    the caller sets how to wait for another writer). Raises IndexDamaged when nothing can be saved."""
    folder = Path(folder)
    before = check_index(folder)
    report = RepairReport(str(folder), before)
    fatal = [f for f in before.findings if not f.repairable]
    if fatal:
        raise IndexDamaged(f"{fatal[0].problem}: {fatal[0].action}")
    if before.ok:
        report.after = before
        return report  # nothing to do, and nothing written (a read-only index can be healthy too)
    store = store_opener(folder)
    try:
        with store.writing("repair"):
            if any(f.part == "database" for f in before.findings):
                store.db.conn.execute("REINDEX")
                report.actions.append("rebuilt the database's indexes (REINDEX)")
            if any(f.part == "full-text" for f in before.findings):
                rebuild_full_text(store.db)
                report.actions.append(f"rebuilt the full-text index ({store.db.counts()['passages']} passages)")
            if any(f.part in ("vectors", "manifest") for f in before.findings) or not store.vectors_current():
                manifest = store.reindex(store.index_type_policy())
                report.actions.append(f"rebuilt {manifest['vectors_file']} from the stored vectors ({manifest['vectors']['count']} passages) and rewrote the manifest")
    finally:
        store.close()
    report.after = check_index(folder)
    return report


def rebuild_full_text(db) -> None:
    """The FTS5 index again from the passages. Not FTS5's own 'rebuild', which would index the raw
    text: the triggers index cjk_spaced(text) (each CJK character a token; index/sql_functions.py)."""
    with db.transaction() as conn:
        conn.execute("INSERT INTO passages_fts(passages_fts) VALUES ('delete-all')")
        conn.execute("INSERT INTO passages_fts(rowid, text) SELECT passage_id, cjk_spaced(text) FROM passages")
