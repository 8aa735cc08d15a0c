"""An index on disk: the SQLite database (authority), the FAISS file beside it, and the manifest.

Consistency: every change to passages commits in SQLite first and bumps a generation number.
The vector file is named after the generation it matches and the manifest points at it, so after
a crash at any moment a reader either finds the file for the current generation or rebuilds the
vectors from the database. Nothing committed is lost; nothing half-written is ever read.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from index.consistency import beyond_repair, database_ids, ids_checksum, read_snapshot, sqlite_header_problem, sync_vectors
from index.database import Database
from index.errors import IndexDamaged, IndexFormatError, IndexLocationError, IndexNotFound, ModelMismatch
from index.lock import WriterLock
from index.manifest import FORMAT_NAME, FORMAT_VERSION, MANIFEST_NAME, load_manifest, write_json_atomic
from index.vectors import VectorIndex

DB_NAME = "dipsearch.sqlite"
MODEL_KEYS = ("name", "checksum", "dimension", "max_tokens", "backend", "path")


class IndexStore:
    def __init__(self, folder: Path, db: Database, manifest: dict | None, readonly: bool = False,
                 manifest_problem: str | None = None):
        self.folder = folder
        self.db = db
        self.manifest = manifest
        self.manifest_problem = manifest_problem  # why manifest.json could not be read (then it is None)
        self.readonly = readonly  # opened read-only: search works, nothing is ever written
        self._vectors: VectorIndex | None = None
        self._vectors_generation: int | None = None  # the database generation the vectors are known to match
        self.rebuilt_vectors = False  # True when the vector file was stale and rebuilt from SQLite
        self.lock = WriterLock(folder)
        self.wait_for_writer = True  # a second writer waits for the first; False: raise IndexBusy
        self.on_wait: Callable[[dict | None], None] | None = None  # told once who holds the lock

    @classmethod
    def open(cls, folder: Path | str, create: bool = False, readonly: bool | None = None) -> "IndexStore":
        """Open an index. `readonly` None: read-only exactly when the folder cannot be written
        (a read-only mount, or permissions); a read-only store searches but never writes."""
        folder = Path(folder)
        db_path = folder / DB_NAME
        if not db_path.exists():
            if not create:
                raise IndexNotFound(folder)
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise IndexLocationError("cannot create the index folder {folder} ({problem}); pick another {index}", fields=("index",),
                                         folder=folder, problem=exc.strerror or exc) from exc
        manifest, problem = load_manifest(folder)
        if db_path.exists():
            _refuse_damaged_database(folder, db_path, manifest)
        if readonly is None:
            readonly = db_path.exists() and not (os.access(folder, os.W_OK) and os.access(db_path, os.W_OK))
        return cls(folder, _open_database(db_path, readonly), manifest, readonly=readonly, manifest_problem=problem)

    # ------------------------------------------------------------- one writer at a time
    @contextmanager
    def writing(self, command: str | None = None):
        """Hold the index's writer lock (waiting for another writer, or raising IndexBusy when
        `wait_for_writer` is False). Reentrant. Whatever another writer changed meanwhile is
        picked up: the vectors follow the database generation (see `vectors`)."""
        self.begin_write(command)
        try:
            yield self
        finally:
            self.end_write()

    def begin_write(self, command: str | None = None) -> None:
        if self.readonly:
            raise IndexLocationError(f"the index {self.folder} is read-only here: it can be searched, not changed; "
                                     "copy it to a writable folder to change it")
        if self.lock.acquire(self.wait_for_writer, self.on_wait, command):
            self.manifest, self.manifest_problem = _tolerant_manifest(self.folder, self.manifest, self.manifest_problem)

    def end_write(self) -> None:
        self.lock.release()

    def close(self) -> None:
        self.lock.release()
        self.db.close()

    # ------------------------------------------------------------- the model
    def model_info(self) -> dict | None:
        raw = self.db.get_setting("model")
        return json.loads(raw) if raw else None

    def check_model(self, embedder) -> None:
        """Refuse an embedder other than the one whose vectors the index holds."""
        info = self.model_info()
        if info is None:
            return
        if info["checksum"] != embedder.checksum or int(info["dimension"]) != embedder.dimension:
            raise ModelMismatch(
                "this index was built with model {built} (sha256 {built_sha}…, {built_dim} dimensions) "
                "but the model given is {given} (sha256 {given_sha}…, {given_dim} dimensions); "
                "use the same {model} {recorded}, or build a new index with {index} NEW_DIR", fields=("model", "index"),
                built=info["name"], built_sha=info["checksum"][:12], built_dim=info["dimension"], given=embedder.name,
                given_sha=embedder.checksum[:12], given_dim=embedder.dimension, recorded=info.get("path") or info["name"])
        from index.embedding.backends import vector_family

        recorded, given = info.get("backend") or "torch", getattr(embedder, "backend", None) or "torch"
        if vector_family(recorded) != vector_family(given):
            raise ModelMismatch(
                "this index holds {recorded_family} vectors from backend {recorded}, which backend {given} ({given_family}) "
                "does not reproduce; use {backend} {recorded}, or build a new index with {backend} {given} {index} NEW_DIR",
                fields=("backend", "index"), recorded=recorded, given=given, recorded_family=vector_family(recorded),
                given_family=vector_family(given))

    def bind_model(self, embedder) -> None:
        """Record the model on first use; afterwards only check it. Call inside a transaction."""
        self.check_model(embedder)
        if self.model_info() is None:
            path = getattr(embedder, "folder", None)
            info = {"name": embedder.name, "checksum": embedder.checksum, "dimension": embedder.dimension,
                    "max_tokens": embedder.max_tokens, "backend": embedder.backend, "path": str(path) if path else None,
                    **getattr(embedder, "provenance", {})}  # a packaged encoder: package, version, sha256 per weight file
            self.db.set_setting("model", json.dumps(info, sort_keys=True))

    # ------------------------------------------------------------- vectors
    def _vector_path(self, generation: int) -> Path:
        return self.folder / f"vectors-{generation}.faiss"

    def vectors(self) -> VectorIndex:
        """The vector index for the committed state: loaded from its file, or rebuilt from SQLite when
        the file is missing, damaged or holds other ids than the database. When another process has
        changed the database since (a new generation), the vectors follow it by their id difference,
        so a long-running reader (the web server) always searches what is committed."""
        with read_snapshot(self.db.conn):
            generation = self.db.generation()
            if self._vectors is not None and generation == self._vectors_generation:
                return self._vectors
            info = self.model_info()
            dimension = int(info["dimension"]) if info else 0
            db_ids = database_ids(self.db.conn)
            if self._vectors is None:
                self.manifest, self.manifest_problem = _tolerant_manifest(self.folder, self.manifest, self.manifest_problem)
                path = self._vector_path(generation)
                if self.manifest and self.manifest.get("generation") == generation and path.exists():
                    self._vectors = self._load_vectors(path, dimension)
                    if self._vectors is not None and not np.array_equal(np.sort(self._vectors.ids()), db_ids):
                        self._vectors = None  # the file holds other ids than the database: rebuilt, not used as saved
                if self._vectors is None:
                    self._vectors = self._build_vectors(dimension)
                    self.rebuilt_vectors = len(db_ids) > 0
            else:  # another process committed: follow it, and re-read the manifest it wrote
                self.manifest, self.manifest_problem = _tolerant_manifest(self.folder, self.manifest, self.manifest_problem)
                if sync_vectors(self._vectors, self.db, db_ids, dimension) is None:
                    self._vectors = self._build_vectors(dimension)
            self._vectors_generation = generation
        return self._vectors

    def vectors_follow(self, generation: int) -> None:
        """A writer (holding the lock) applied its own committed change to the vectors in memory."""
        if self._vectors is not None:
            self._vectors_generation = generation

    # ------------------------------------------------------------- index type
    def index_type_policy(self) -> str:
        """flat, ivf or hnsw when chosen with `dipsearch reindex --type`, else auto (by size)."""
        return self.db.get_setting("index_type") or "auto"

    def _wanted_type(self, count: int) -> str:
        from index.ann import auto_type

        policy = self.index_type_policy()
        return auto_type(count) if policy == "auto" else policy

    def _build_vectors(self, dimension: int) -> VectorIndex:
        kind = self._wanted_type(self.db.counts()["passages"])
        return VectorIndex.build(dimension or 1, kind, self.db.all_vectors(dimension))

    def reindex(self, index_type: str) -> dict:
        """Rebuild the vector index from SQLite as `index_type` (flat, ivf, hnsw or auto) and save."""
        from index.ann import TYPES
        from corpus.errors import InvalidInput

        if index_type not in (*TYPES, "auto"):
            raise InvalidInput("{index_type} {value}: unknown index type; choose auto, {types}", fields=("index_type",), value=index_type, types=", ".join(TYPES))
        with self.writing("reindex"):
            with self.db.transaction():
                self.db.set_setting("index_type", index_type)
            info = self.model_info()
            with read_snapshot(self.db.conn):
                self._vectors, self._vectors_generation = self._build_vectors(int(info["dimension"]) if info else 0), self.db.generation()
            return self.save()

    def _load_vectors(self, path: Path, dimension: int) -> VectorIndex | None:
        """The vector file, or None when it is damaged or does not match the database (then the
        caller rebuilds it from SQLite, the authority)."""
        try:
            loaded = VectorIndex.load(path, dimension)
        except (RuntimeError, OSError):  # faiss reports a damaged file as RuntimeError
            return None
        if loaded.index.d != dimension:
            return None
        return loaded  # its ids are compared with the database's by the caller

    def save(self) -> dict:
        """Write the vector file for the current generation, then the manifest that points at it,
        recording the checksum of the ids the file holds (checked equal to the database's first)."""
        with self.writing():
            with read_snapshot(self.db.conn):
                generation = self.db.generation()
                vectors = self.vectors()
                if self.index_type_policy() == "auto" and vectors.index_type != self._wanted_type(vectors.size):
                    info = self.model_info()  # grew past (or shrank below) the ANN threshold: switch type
                    vectors = self._vectors = self._build_vectors(int(info["dimension"]) if info else 0)
                ids = vectors.ids()
                if len(ids) != len(set(ids.tolist())) or ids_checksum(ids) != ids_checksum(database_ids(self.db.conn)):
                    raise IndexDamaged("the vectors in memory do not match the database; nothing was saved; run `dipsearch repair`")
                counts, model = self.db.counts(), self.model_info()
            path = self._vector_path(generation)
            vectors.save(path)
            manifest = {
                "format": FORMAT_NAME,
                "format_version": FORMAT_VERSION,
                "model": model,
                "index_type": vectors.index_type,
                "vectors_file": path.name,
                "generation": generation,
                "counts": counts,
                "vectors": {"count": len(ids), "ids_sha256": ids_checksum(ids), "dimension": vectors.dimension},
                "updated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            }
            write_json_atomic(self.folder / MANIFEST_NAME, manifest)
            self.manifest, self.manifest_problem = manifest, None
            self.rebuilt_vectors = False
            for old in self.folder.glob("vectors-*.faiss*"):
                if old != path:
                    old.unlink(missing_ok=True)
            for leftover in self.folder.glob(MANIFEST_NAME + ".*.tmp"):  # from a writer killed mid-write
                leftover.unlink(missing_ok=True)
            return manifest

    def vectors_current(self) -> bool:
        """The saved vector file is the one for the committed generation and holds exactly the
        database's passage ids (by the checksum the manifest records; no vectors are loaded)."""
        self.manifest, self.manifest_problem = _tolerant_manifest(self.folder, self.manifest, self.manifest_problem)
        manifest = self.manifest or {}
        if self._vectors is not None and self.rebuilt_vectors:
            return False  # this process found the file out of step when it loaded it
        with read_snapshot(self.db.conn):
            if manifest.get("generation") != self.db.generation() or not self._vector_path(self.db.generation()).exists():
                return False
            recorded = (manifest.get("vectors") or {}).get("ids_sha256")
            return recorded is not None and recorded == ids_checksum(database_ids(self.db.conn))

    def stats(self) -> dict:
        info = self.model_info() or {}
        counts = self.db.counts()
        return {
            "index": str(self.folder),
            "documents": counts["documents"],
            "passages": counts["passages"],
            "model": info.get("name"),
            "model_checksum": info.get("checksum"),
            "dimension": info.get("dimension"),
            "backend": info.get("backend"),
            "index_type": (self.manifest or {}).get("index_type", VectorIndex.index_type),
            "format_version": FORMAT_VERSION,
            "generation": self.db.generation(),
            "vectors_current": self.vectors_current(),
            "sources": {r[0] or "unknown": r[1] for r in self.db.conn.execute("SELECT source, count(*) FROM documents GROUP BY source ORDER BY count(*) DESC")},
            "date_range": list(self.db.conn.execute("SELECT min(date), max(date) FROM documents").fetchone()),
            "undated": self.db.conn.execute("SELECT count(*) FROM documents WHERE date IS NULL").fetchone()[0],
        }


def _tolerant_manifest(folder: Path, current: dict | None, problem: str | None) -> tuple[dict | None, str | None]:
    """The manifest as it is on disk now; a damaged one gives (None, why), never an error."""
    try:
        return load_manifest(folder)
    except IndexFormatError:
        return current, problem


def _refuse_damaged_database(folder: Path, db_path: Path, manifest: dict | None) -> None:
    """Never open a lost or truncated database as if it were a new or whole one."""
    problem = sqlite_header_problem(db_path)
    if problem is None:
        return
    recorded = ((manifest or {}).get("counts") or {}).get("passages") or 0
    if problem.startswith("is empty") and not recorded and not any(folder.glob("vectors-*.faiss")):
        return  # a new index whose first write never happened
    said = f" while {MANIFEST_NAME} says {recorded:,} passages" if recorded else ""
    raise IndexDamaged(f"{db_path} is not a readable dipsearch database (it {problem}{said}); {beyond_repair(folder)}")


def _open_database(db_path: Path, readonly: bool) -> Database:
    if not readonly:
        return Database(db_path)
    try:
        return Database(db_path, readonly=True)
    except IndexFormatError:
        # A WAL database in a folder nobody may write to: its -shm file cannot be made, so read it as
        # immutable (nobody can be changing it: the folder is read-only).
        return Database(db_path, readonly=True, immutable=True)
