"""An index on disk: the SQLite database (authority), the FAISS file beside it, and the manifest.

Consistency: every change to passages commits in SQLite first and bumps a generation number.
The vector file is named after the generation it matches and the manifest points at it, so after
a crash at any moment a reader either finds the file for the current generation or rebuilds the
vectors from the database. Nothing committed is lost; nothing half-written is ever read.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from index.database import Database
from index.errors import IndexLocationError, IndexNotFound, ModelMismatch
from index.manifest import FORMAT_NAME, FORMAT_VERSION, MANIFEST_NAME, read_manifest, write_json_atomic
from index.vectors import VectorIndex

DB_NAME = "dipsearch.sqlite"
MODEL_KEYS = ("name", "checksum", "dimension", "max_tokens", "backend", "path")


class IndexStore:
    def __init__(self, folder: Path, db: Database, manifest: dict | None):
        self.folder = folder
        self.db = db
        self.manifest = manifest
        self._vectors: VectorIndex | None = None
        self.rebuilt_vectors = False  # True when the vector file was stale and rebuilt from SQLite

    @classmethod
    def open(cls, folder: Path | str, create: bool = False) -> "IndexStore":
        folder = Path(folder)
        if not (folder / DB_NAME).exists():
            if not create:
                raise IndexNotFound(folder)
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise IndexLocationError(f"cannot create the index folder {folder} ({exc.strerror or exc}); pick another --index") from exc
        manifest = read_manifest(folder)
        return cls(folder, Database(folder / DB_NAME), manifest)

    def close(self) -> None:
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
                f"this index was built with model {info['name']} (sha256 {info['checksum'][:12]}…, {info['dimension']} dimensions) "
                f"but the model given is {embedder.name} (sha256 {embedder.checksum[:12]}…, {embedder.dimension} dimensions); "
                f"use the same --model {info.get('path') or info['name']}, or build a new index with --index NEW_DIR"
            )
        from index.embedding.backends import vector_family

        recorded, given = info.get("backend") or "torch", getattr(embedder, "backend", None) or "torch"
        if vector_family(recorded) != vector_family(given):
            raise ModelMismatch(
                f"this index holds {vector_family(recorded)} vectors from backend {recorded}, which backend {given} "
                f"({vector_family(given)}) does not reproduce; use --backend {recorded}, "
                f"or build a new index with --backend {given} --index NEW_DIR"
            )

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
        """The vector index for the committed state, loaded from its file or rebuilt from SQLite."""
        if self._vectors is None:
            info = self.model_info()
            dimension = int(info["dimension"]) if info else 0
            generation = self.db.generation()
            path = self._vector_path(generation)
            if self.manifest and self.manifest.get("generation") == generation and path.exists():
                self._vectors = self._load_vectors(path, dimension)
            if self._vectors is None:
                self._vectors = self._build_vectors(dimension)
                self.rebuilt_vectors = self.db.counts()["passages"] > 0
        return self._vectors

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
        with self.db.transaction():
            self.db.set_setting("index_type", index_type)
        info = self.model_info()
        self._vectors = self._build_vectors(int(info["dimension"]) if info else 0)
        return self.save()

    def _load_vectors(self, path: Path, dimension: int) -> VectorIndex | None:
        """The vector file, or None when it is damaged or does not match the database (then the
        caller rebuilds it from SQLite, the authority)."""
        try:
            loaded = VectorIndex.load(path, dimension)
        except (RuntimeError, OSError):  # faiss reports a damaged file as RuntimeError
            return None
        if loaded.index.d != dimension or loaded.size != self.db.counts()["passages"]:
            return None
        return loaded

    def save(self) -> dict:
        """Write the vector file for the current generation, then the manifest that points at it."""
        generation = self.db.generation()
        vectors = self.vectors()
        if self.index_type_policy() == "auto" and vectors.index_type != self._wanted_type(vectors.size):
            info = self.model_info()  # grew past (or shrank below) the ANN threshold: switch type
            vectors = self._vectors = self._build_vectors(int(info["dimension"]) if info else 0)
        path = self._vector_path(generation)
        vectors.save(path)
        manifest = {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "model": self.model_info(),
            "index_type": vectors.index_type,
            "vectors_file": path.name,
            "generation": generation,
            "counts": self.db.counts(),
            "updated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        write_json_atomic(self.folder / MANIFEST_NAME, manifest)
        self.manifest = manifest
        self.rebuilt_vectors = False
        for old in self.folder.glob("vectors-*.faiss*"):
            if old != path:
                old.unlink(missing_ok=True)
        for leftover in self.folder.glob(MANIFEST_NAME + ".*.tmp"):  # from a writer killed mid-write
            leftover.unlink(missing_ok=True)
        return manifest

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
            "vectors_current": bool(self.manifest and self.manifest.get("generation") == self.db.generation()),
            "sources": {r[0] or "unknown": r[1] for r in self.db.conn.execute("SELECT source, count(*) FROM documents GROUP BY source ORDER BY count(*) DESC")},
            "date_range": list(self.db.conn.execute("SELECT min(date), max(date) FROM documents").fetchone()),
            "undated": self.db.conn.execute("SELECT count(*) FROM documents WHERE date IS NULL").fetchone()[0],
        }
