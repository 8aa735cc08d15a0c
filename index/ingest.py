"""Ingest: prepare documents, skip what is already indexed, chunk, embed, and commit in batches.

Each batch commits in one SQLite transaction, so a crash loses at most the batch in flight;
running the same ingest again skips what was committed (by content hash) and completes the rest.

Duplicate ids in one ingest: the first occurrence of an id is the one indexed; every later document with
that id is skipped as a problem naming both positions (so the exit status says inputs were skipped). The
rule is applied as documents arrive, before batching, so it is the same whatever the batch size.
"""
from __future__ import annotations

import errno
import functools
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from corpus.actors import load_actors
from corpus.chunking import ChunkOptions
from corpus.documents import Document, Passage, RawDocument
from corpus.errors import DipsearchError, InputProblem
from corpus.normalize import fingerprint
from corpus.prepare import prepare
from corpus.span_chunking import attributed_passages
from index.errors import DocumentNotFound
from index.passage_queries import speakers as stored_speakers
from index.store import IndexStore

# Passages embedded and committed together. Larger batches sort by length over more passages, so
# less padding: measured on 100 MFA documents (onnx, quiet 2-core machine), ingest ran at 0.81x the
# raw encoder rate with 256 and 1.04x (overlapped) with 1024. A crash loses at most one batch.
DEFAULT_BATCH_PASSAGES = 1024


class StorageFull(DipsearchError):
    """The disk filled up while an ingest was writing. What was committed before stays, readable."""

    def __init__(self, cause: str, documents: int | None):
        kept = f" ({documents} {'document' if documents == 1 else 'documents'})" if documents is not None else ""
        super().__init__(f"the disk is full ({cause}); the index keeps everything committed before this batch{kept} and opens as "
                         "before. Free some space and run the same ingest again: it skips what is in and adds the rest")


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        return "disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def _storage_errors(method):
    """Turn 'database or disk is full' (SQLite) and ENOSPC (vector files) into StorageFull."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.OperationalError, OSError) as exc:
            if not _is_disk_full(exc):
                raise
            try:
                if self.store.db.conn.in_transaction:  # a failed COMMIT can leave the transaction open
                    self.store.db.conn.execute("ROLLBACK")
                documents = self.store.db.counts()["documents"]
            except Exception:  # the reason it failed may stop this too
                documents = None
            raise StorageFull(str(exc), documents) from exc

    return wrapper


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0  # changed documents whose passages were replaced
    metadata_updated: int = 0  # same text, new metadata: no re-embedding
    unchanged: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (doc id, id of the stored twin)
    problems: list[InputProblem] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)  # (origin, remark)
    passages: int = 0

    @property
    def skipped(self) -> int:
        return len(self.problems)

    def as_dict(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "metadata_updated": self.metadata_updated,
            "unchanged": self.unchanged, "duplicates": [{"doc_id": d, "same_as": s} for d, s in self.duplicates],
            "passages": self.passages, "skipped": [{"input": p.origin, "reason": p.reason} for p in self.problems],
            "notices": [{"input": o, "notice": n} for o, n in self.notices],
        }


@dataclass
class _Pending:
    doc: Document
    text_hash: str
    record_hash: str
    passages: list[Passage]
    is_update: bool


def index_actors(store: IndexStore):
    """The actor table for `store`: the built-in one, extended by an `actors.json` in the index folder."""
    extra = store.folder / "actors.json"
    return load_actors(extra if extra.exists() else None)


def record_hash(doc: Document, text_hash: str) -> str:
    fields = {k: getattr(doc, k) for k in ("title", "date", "source", "speaker", "url", "lang")}
    payload = json.dumps([text_hash, fields, doc.provenance, doc.meta], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Ingestor:
    """Feeds documents into an index. `on_progress(event, n)` gets 'document' and 'passages' events."""

    def __init__(self, store: IndexStore, embedder, batch_passages: int = DEFAULT_BATCH_PASSAGES,
                 on_progress: Callable[[str, int], None] | None = None,
                 on_problem: Callable[[InputProblem], None] | None = None, overlap: bool = False):
        """With `overlap`, a batch is embedded on a worker thread while the next one is read and
        chunked (the encoders release the GIL); batches still commit in order, on this thread."""
        self.store = store
        self.overlap = overlap
        self._executor = None
        self._inflight: tuple | None = None  # (future of vectors, its pending documents, their text hashes)
        self.embedder = embedder
        self.batch_passages = batch_passages
        self.on_progress = on_progress or (lambda event, n: None)
        self.on_problem = on_problem or (lambda problem: None)
        self.chunk_options = ChunkOptions(max_tokens=embedder.max_tokens - 2)
        self.report = IngestReport()
        self.actors = index_actors(store)  # who speaks for whom (corpus.attribution), with the index's own actors.json
        self.spokespeople = set(stored_speakers(store.db.conn))  # names that label a transcript's turns
        self._pending: list[_Pending] = []
        self._pending_hashes: dict[str, str] = {}
        self._first_seen: dict[str, str] = {}  # doc id -> origin of its first occurrence in this ingest
        store.begin_write("ingest")  # one writer at a time; released by finish() (or by the OS if this process dies)
        try:
            with store.db.transaction():
                store.bind_model(embedder)
        except BaseException:
            store.end_write()
            raise

    def _problem(self, problem: InputProblem) -> None:
        self.report.problems.append(problem)
        self.on_problem(problem)

    @_storage_errors
    def add(self, item: RawDocument | InputProblem) -> None:
        self.on_progress("document", 1)
        if isinstance(item, InputProblem):
            self._problem(item)
            return
        doc = prepare(item)
        self.report.notices.extend((doc.origin, n) for n in doc.notices)
        if not doc.text.strip():
            self._problem(InputProblem(doc.origin, "no text left after removing site debris; nothing to index"))
            return
        first = self._first_seen.get(doc.doc_id)
        if first is not None:
            self._problem(InputProblem(doc.origin, f"id {doc.doc_id!r} was already read from {first}; this later one is skipped "
                                                   "(the first occurrence of an id is indexed)"))
            return
        self._first_seen[doc.doc_id] = doc.origin
        text_hash = fingerprint(doc.text)
        rhash = record_hash(doc, text_hash)
        db = self.store.db
        stored = db.hashes(doc.doc_id)
        if stored and stored.record_hash == rhash:
            self.report.unchanged += 1
            return
        if stored and stored.text_hash == text_hash:
            with db.transaction():
                db.upsert_document(doc, text_hash, rhash)
            self.report.metadata_updated += 1
            return
        inflight_hashes = self._inflight[2] if self._inflight else {}
        twin = self._pending_hashes.get(text_hash) or inflight_hashes.get(text_hash) or db.doc_with_text(text_hash)
        if twin and twin != doc.doc_id:
            self.report.duplicates.append((doc.doc_id, twin))
            if stored:  # its text changed into a copy of another document: the old version must go
                index = self.store.vectors()
                with db.transaction():
                    removed = db.delete_document(doc.doc_id)
                    generation = db.bump_generation()
                index.remove(removed)
                self.store.vectors_follow(generation)
            return
        if doc.speaker:
            self.spokespeople.add(doc.speaker)
        passages = attributed_passages(doc, self.embedder.count_tokens, self.chunk_options, self.actors, sorted(self.spokespeople))
        self._pending.append(_Pending(doc, text_hash, rhash, passages, is_update=stored is not None))
        self._pending_hashes[text_hash] = doc.doc_id
        if sum(len(p.passages) for p in self._pending) >= self.batch_passages:
            self.flush()

    def flush(self) -> None:
        """Embed the pending documents and commit them in one transaction."""
        if not self._pending:
            return
        pending, hashes = self._pending, self._pending_hashes
        self._pending, self._pending_hashes = [], {}
        texts = [p.text for item in pending for p in item.passages]
        progress = lambda n: self.on_progress("passages", n)  # noqa: E731
        if not self.overlap:
            self._commit(pending, self.embedder.embed(texts, progress=progress))
            return
        from concurrent.futures import ThreadPoolExecutor

        self._executor = self._executor or ThreadPoolExecutor(1, thread_name_prefix="dipsearch-embed")
        previous, self._inflight = self._inflight, (self._executor.submit(self.embedder.embed, texts, progress), pending, hashes)
        if previous:  # the worker is already on the new batch while this one commits
            self._commit(previous[1], previous[0].result())

    def drain(self) -> None:
        """Wait for the batch being embedded in the background, and commit it."""
        if self._inflight:
            future, pending, _ = self._inflight
            try:
                vectors = future.result()
            finally:
                self._inflight = None
            self._commit(pending, vectors)

    def _commit(self, pending: list[_Pending], vectors) -> None:
        db, index = self.store.db, self.store.vectors()
        removed_all, added_ids = [], []
        offset = 0
        with db.transaction():
            for item in pending:
                db.upsert_document(item.doc, item.text_hash, item.record_hash)
                n = len(item.passages)
                removed, new_ids = db.replace_passages(item.doc.doc_id, item.passages, vectors[offset : offset + n])
                removed_all += removed
                added_ids += new_ids
                offset += n
            generation = db.bump_generation()
        index.remove(removed_all)
        index.add(added_ids, vectors)
        self.store.vectors_follow(generation)
        for item in pending:
            if item.is_update:
                self.report.updated += 1
            else:
                self.report.added += 1
            self.report.passages += len(item.passages)

    def abort(self) -> None:
        """Stop without finishing (an error, an interrupt): what was committed stays, the batch in flight is
        dropped, and the writer lock is released so the next ingest, even in this process, can go on."""
        try:
            if self._executor:
                self._executor.shutdown(wait=True, cancel_futures=True)
                self._executor = None
        finally:
            self.store.end_write()

    @_storage_errors
    def finish(self) -> IngestReport:
        try:
            self.flush()
            try:
                self.drain()
            finally:
                if self._executor:
                    self._executor.shutdown(wait=True)
                    self._executor = None
            self.store.save()
        finally:
            self.store.end_write()
        return self.report


def ingest(store: IndexStore, items: Iterable[RawDocument | InputProblem], embedder, **options) -> IngestReport:
    """Ingest every item; returns what happened to each."""
    ingestor = Ingestor(store, embedder, **options)
    try:
        for item in items:
            ingestor.add(item)
    except BaseException:
        ingestor.abort()
        raise
    return ingestor.finish()


def remove_document(store: IndexStore, doc_id: str) -> int:
    """Delete a document and its passages; returns how many passages went."""
    with store.writing("remove"):
        index = store.vectors()
        with store.db.transaction():
            if store.db.document(doc_id) is None:
                raise DocumentNotFound(doc_id)
            removed = store.db.delete_document(doc_id)
            generation = store.db.bump_generation()
        index.remove(removed)
        store.vectors_follow(generation)
        store.save()
    return len(removed)
