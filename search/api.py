"""The Python API: one `Index` object over an index folder. The CLI and the web call it too.

    from search import Index

    idx = Index.open("mfa", create=True)           # the model loads on first need, not here
    idx.ingest(["statements/"])                    # -> IngestSummary (added, changed, skipped, ...)
    hits = idx.search("grain sanctions", k=5, since="2021")
    hits.records()                                 # plain dicts; hits.to_pandas() with the [pandas] extra
    idx.document(hits[0].doc_id)

Every method takes the index's lock, so one `Index` can be shared by threads (the web server's workers).
Errors are `corpus.errors` categories (NotFound, InvalidInput, Conflict, Unavailable) whose messages name
fields (`since`, `k`), not command-line flags.
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import InvalidInput
from search.results import ResultSet, SearchResults

ENGINES = ("local", "ray")


def load_model(store, model: Path | None = None, backend: str | None = None):
    """The embedder for `store`: the given model folder, else the index's own; backend by the index's vectors."""
    from index.embedding import load

    return load(model, backend, store.model_info() if store is not None else None)


def run_search(store, embedder, request, fold: bool, reranker=None):
    """The one retrieval entry the façade calls: search, rerank (with `reranker`), annotate talking points, fold near-duplicates."""
    from search.retrieval import search

    return search(store, embedder, request, fold=fold, reranker=reranker)


def _locked(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


@dataclass
class IngestSummary:
    """What an ingest did: the ingest report, the talking-point refresh (None when the index has none) and the counts after."""

    index: str
    report: object  # index.ingest.IngestReport
    talking_points: object | None  # search.talking_points.RefreshReport
    counts: dict

    added = property(lambda self: self.report.added)
    updated = property(lambda self: self.report.updated)
    unchanged = property(lambda self: self.report.unchanged)
    skipped = property(lambda self: self.report.skipped)
    problems = property(lambda self: self.report.problems)
    notices = property(lambda self: self.report.notices)

    def as_dict(self) -> dict:
        """The JSON of `dipsearch ingest --json`."""
        tp = {"talking_points": self.talking_points.as_dict()} if self.talking_points else {}
        return {"index": self.index, **self.report.as_dict(), **self.counts, **tp}


class Index:
    """One index: its store (SQLite + vectors), the model (loaded once, on first need) and a lock."""

    def __init__(self, store, *, model: Path | str | None = None, backend: str | None = None, embedder=None,
                 loader: Callable[[object], object] | None = None, has_model: bool = True,
                 auto_model: bool | None = None, named_loader: Callable[[object, str], object] | None = None):
        """`embedder`: a ready model; else `loader(store)` makes one on first need; else the default policy
        (`load_model`) with `model` and `backend`. With `has_model=False` nothing that needs a model is tried
        where it is optional (a talking-point topic), and `loader` says why where it is not.
        `auto_model` (default: no model, backend or embedder given): a new index meeting CJK text may switch to the
        multilingual model (index.embedding.autopick), loaded by `named_loader(store, name)` when given."""
        from search.evaluation.api import EvalSets

        self.store = store
        self._model = Path(model) if model is not None else None
        self._backend = backend
        self._embedder = embedder
        self._loader = loader
        self.has_model = has_model
        self._rerankers: dict[str, object] = {}
        self._auto_model = (model is None and backend is None and embedder is None) if auto_model is None else auto_model
        self._named_loader = named_loader
        self._lock = threading.RLock()
        self.evalsets = EvalSets(self)

    @classmethod
    def open(cls, path: Path | str, model: Path | str | None = None, backend: str | None = None, create: bool = False,
             wait_for_writer: bool = True, on_wait: Callable | None = None, **options) -> "Index":
        """The index at `path` (with `create`, a new empty one if there is none). Raises IndexNotFound otherwise.
        A write waits while another process writes (`on_wait(holder)` is told once), or with `wait_for_writer=False`
        raises IndexBusy."""
        from index.store import IndexStore

        store = IndexStore.open(path, create=create)
        store.wait_for_writer, store.on_wait = wait_for_writer, on_wait
        return cls(store, model=model, backend=backend, **options)

    @property
    def path(self) -> Path:
        return self.store.folder

    def close(self) -> None:
        self.store.close()

    # ------------------------------------------------------------- health (work on an index that may not open)
    @staticmethod
    def check(path: Path | str):
        """Verify the database, vector file and manifest of the index at `path` (reads only); a CheckReport."""
        from index.check import check_index

        return check_index(Path(path))

    @staticmethod
    def repair(path: Path | str, wait_for_writer: bool = True, on_wait: Callable | None = None):
        """Rebuild from the database what can be rebuilt (indexes, full text, vector file, manifest); a RepairReport."""
        from index.check import repair_index
        from index.store import IndexStore

        def opened(folder):
            store = IndexStore.open(folder)
            store.wait_for_writer, store.on_wait = wait_for_writer, on_wait
            return store

        return repair_index(opened, Path(path))

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Index {self.path}>"

    # ------------------------------------------------------------- the model
    def embedder(self):
        """The model, loaded on first call and kept."""
        with self._lock:
            if self._embedder is None:
                self._embedder = self._loader(self.store) if self._loader else load_model(self.store, self._model, self._backend)
            return self._embedder

    def optional_embedder(self):
        """The model if this index has one available (loading it on first use), else None."""
        return self.embedder() if self.has_model else None

    def reranker(self, folder: Path | str):
        """The cross-encoder in local `folder`, loaded on first call and kept (a batch of queries loads it once)."""
        from search.retrieval import load_cross_encoder

        with self._lock:
            key = str(folder)
            if key not in self._rerankers:
                self._rerankers[key] = load_cross_encoder(key)
            return self._rerankers[key]

    # ------------------------------------------------------------- documents in and out
    @_locked
    def ingest(self, paths, *, field_map: Mapping[str, str] | None = None, max_doc_mb: float = 20.0, talking_points: bool = False,
               engine: str = "local", batch: int | None = None, on_progress: Callable[[str, int], None] | None = None,
               on_problem: Callable | None = None) -> IngestSummary:
        """Read, clean, chunk, embed and store documents; then refresh talking points if the index has them
        (or compute them, with `talking_points`). `paths`: files or folders (or `RawDocument`s).
        `on_progress(event, n)` gets 'document', 'passages', 'talking_points' and 'formulas' (documents tokenized) events; `on_problem(problem)`
        each input that was skipped, as it happens (all are also in the summary)."""
        from corpus.documents import RawDocument
        from corpus.errors import InputProblem
        from corpus.readers import ReadOptions, doc_limit_bytes, read_inputs
        from index.ingest import ingest
        from search.talking_points.refresh import refresh_after_ingest

        if engine not in ENGINES:
            raise InvalidInput("{engine} {value!r}: choose local or ray", fields=("engine",), value=engine)
        if batch is not None and batch < 1:
            raise InvalidInput("{batch} {value} must be at least 1", fields=("batch",), value=batch)
        given = [paths] if isinstance(paths, (str, Path, RawDocument)) else list(paths)
        ready = [p for p in given if isinstance(p, (RawDocument, InputProblem))]
        files = [p for p in given if not isinstance(p, (RawDocument, InputProblem))]
        options = ReadOptions(field_map=dict(field_map or {}), max_doc_bytes=doc_limit_bytes(max_doc_mb))

        def items():
            yield from ready
            if files:
                yield from read_inputs(files, options)

        stream, model_note = self._choose_model(items())
        embedder, batching = self.embedder(), {}
        if engine == "ray":
            from index.embedding.ray_actor import RAY_BATCH_PASSAGES, RayEmbedder

            embedder, batching = RayEmbedder(embedder), {"batch_passages": RAY_BATCH_PASSAGES}
        if batch is not None:
            batching["batch_passages"] = batch
        progress = on_progress or (lambda event, n: None)
        report = ingest(self.store, stream, embedder, on_problem=on_problem, overlap=True, on_progress=progress, **batching)
        if model_note:
            report.notices.insert(0, (str(self.path), model_note))
        refreshed = refresh_after_ingest(self.store, embedder, compute=talking_points,
                                         progress=lambda event, n: progress("talking_points", n))
        from search.formulas.refresh import refresh_after_ingest as refresh_formulas  # the default list, ready for the web page

        refresh_formulas(self.store, lambda event, n: progress("formulas", n) if event == "documents" else None)
        dictionary_note = self._prepare_dictionary()
        if dictionary_note:
            report.notices.append((str(self.path), dictionary_note))
        return IngestSummary(str(self.path), report, refreshed, self.store.db.counts())

    def _prepare_dictionary(self) -> str | None:
        """With a model that reads Chinese, the dictionary hybrid translates queries with is prepared now (once per
        machine, seconds) rather than at the first search; a note when it cannot be had."""
        from index.embedding.languages import reads_cjk
        from search.translation.source import DictionaryUnavailable, installed_dictionary

        languages = getattr(self.embedder(), "languages", None)
        if not languages or not reads_cjk(languages):  # a model declaring no languages (a plain folder): not now
            return None
        try:
            installed_dictionary()
        except DictionaryUnavailable as exc:
            return f"cross-language query translation is off: {exc}"
        return None

    def _choose_model(self, items):
        """(the items, a note or None): for a new index meeting CJK text with a model that reads none, load the
        multilingual model instead (index.embedding.autopick). Reads ahead a few documents, nothing twice."""
        from corpus.documents import RawDocument
        from index.embedding.autopick import MULTILINGUAL_DEFAULT, missing_note, needs_multilingual, peek, picked_note
        from index.errors import ModelError

        if not self._auto_model or self.store.model_info() is not None:
            return items, None
        head, stream = peek(items)
        texts = [d.text for d in head if isinstance(d, RawDocument)]
        current = self.embedder()
        if not needs_multilingual(getattr(current, "languages", None), texts):
            return stream, None
        try:
            if self._named_loader is not None:
                chosen = self._named_loader(self.store, MULTILINGUAL_DEFAULT)
            else:
                chosen = load_model(self.store, MULTILINGUAL_DEFAULT)
        except ModelError as exc:
            return stream, missing_note(current.name, str(exc))
        self._embedder = chosen
        return stream, picked_note(current.name, getattr(current, "languages", None), chosen.name)

    @_locked
    def document(self, doc_id: str, query: str | None = None) -> dict:
        """A document: metadata, how each field was obtained, text and passages. With `query`, each passage
        carries `highlights`: [start, end) spans of the query's terms in its text."""
        from search.documents import get_document
        from search.highlight import highlight_spans

        doc = get_document(self.store, doc_id)
        if query and query.strip():
            for passage in doc["passages"]:
                passage["highlights"] = [list(s) for s in highlight_spans(passage["text"], query)]
        return doc

    @_locked
    def documents(self, filters=None, *, limit: int | None = None, offset: int = 0, **filter_values) -> ResultSet:
        """Documents matching `filters` (a Filters, or since/until/source/speaker/lang/include_undated values),
        oldest first, undated last: id, title, date, date_status, source, speaker, lang, url, passages."""
        from search.documents import list_documents
        from search.requests import build_filters

        if limit is not None and limit < 1:
            raise InvalidInput("{limit} {value} must be at least 1", fields=("limit",), value=limit)
        if offset < 0:
            raise InvalidInput("{offset} {value} must be 0 or more", fields=("offset",), value=offset)
        return ResultSet(list_documents(self.store, filters or build_filters(**filter_values), limit, offset))

    @_locked
    def remove(self, doc_id: str) -> int:
        """Delete a document and its passages; returns how many passages went. Raises DocumentNotFound."""
        from index.ingest import remove_document

        return remove_document(self.store, doc_id)

    @_locked
    def stats(self) -> dict:
        """Counts, model, index type, sources and date range."""
        return self.store.stats()

    @_locked
    def attribute(self) -> dict:
        """Attribute (speaker, role, actor) the passages stored before attribution existed, keeping their ids;
        returns {documents, passages, mixed}. Passages already attributed are left as they are."""
        from index.attribute_existing import attribute_stored
        from index.ingest import index_actors

        return attribute_stored(self.store.db, index_actors(self.store)).as_dict()

    @_locked
    def reindex(self, index_type: str = "auto") -> dict:
        """Rebuild the vector index from the stored vectors as flat, ivf, hnsw or auto; returns the manifest."""
        return self.store.reindex(index_type)

    # ------------------------------------------------------------- searching
    @_locked
    def search(self, query=None, /, *, fold: bool = False, **options) -> SearchResults:
        """Ranked passages for `query` (a string, with options mode, k, per_doc, since, until, source, speaker,
        lang, include_undated, exclude, highlight, rerank), or for a ready SearchRequest. With `fold`, passages
        repeating one talking point become one hit listing the others; with `rerank` (a local cross-encoder
        folder) the top candidates are reordered by it."""
        from search.retrieval import SearchRequest
        from search.requests import build_request

        if isinstance(query, SearchRequest):
            if options:
                raise InvalidInput("give a SearchRequest or options, not both (got {names})", names=", ".join(sorted(options)))
            request = query
            request.validate()
        else:
            request = build_request(query, **options)
        reranker = self.reranker(request.rerank) if request.rerank else None
        embedder = self.embedder() if request.needs_embedder else None
        return SearchResults(run_search(self.store, embedder, request, fold, reranker))

    @_locked
    def export(self, query=None, /, out=None, *, format: str = "csv", min_score: float | None = None, **options) -> int:
        """Write every hit of `query` (not just k; options as for `search`, k and per_doc aside) to the binary
        stream `out` as csv, jsonl or parquet, best first, a batch at a time; returns the number of rows.
        A lexical query writes every matching passage; a mode by meaning needs `min_score`."""
        from search.export import check_export, export_rows, write_rows
        from search.requests import build_request

        request = build_request(query, **options)
        check_export(request, format, min_score)
        embedder = self.embedder() if request.needs_embedder else None
        return write_rows(export_rows(self.store, embedder, request, min_score), format, out)

    @_locked
    def similar(self, passage_id: int | None = None, *, text: str | None = None, k: int = 10, same_document: bool = False) -> ResultSet:
        """Passages nearest in meaning to passage `passage_id` or to `text`, shared words highlighted."""
        from search.talking_points import similar_passages

        embedder = self.embedder() if text is not None else None
        return ResultSet(similar_passages(self.store, embedder, passage_id=passage_id, text=text, k=k, other_documents=not same_document))

    @_locked
    def talking_points(self, query: str | None = None, *, filters=None, min_docs: int = 2, limit: int = 20, options=None,
                       compute: bool = True, on_progress=None, **filter_values) -> ResultSet:
        """Talking points (sentences reused across documents), widest spread first, on the topic of `query` if
        given. With `compute` they are (re)computed when the index changed, which loads the model; without it
        (the web) the stored ones are read and the model is used only for a topic, when there is one."""
        from search.requests import build_filters
        from search.talking_points import TalkingPointOptions, find_talking_points
        from search.talking_points.store import is_fresh

        filters = (filters or build_filters(**filter_values)).without_questions()  # journalists' questions are no talking points
        topic = (query or "").strip() or None
        if compute:
            options = options or TalkingPointOptions()
            options.validate()
            needs_model = not options.lexical_only and (topic is not None or not is_fresh(self.store.db, options.to_json()))
            embedder = self.embedder() if needs_model else None
            found = find_talking_points(self.store, embedder, filters, topic, min_docs, limit, options, progress=on_progress)
        else:
            embedder = self.optional_embedder() if topic else None
            found = find_talking_points(self.store, embedder, filters, topic, min_docs, limit, options, refresh=topic is None)
        return ResultSet(found)

    # ------------------------------------------------------------- formulas and trends (search/formulas)
    @_locked
    def formulas(self, query: str | None = None, *, filters=None, min_docs: int = 2, limit: int = 20, on_progress=None,
                 cross_lingual: bool | None = None, **filter_values) -> ResultSet:
        """Phrases reused across documents (formulas), best first, containing `query`'s words if given. Needs no model,
        except to link a formula to its translation (`cross_lingual`; default: when the index's model is multilingual
        and the documents hold Chinese and English; search/formulas/crosslingual.py)."""
        from search.formulas import find_formulas
        from search.formulas.crosslingual import formulas_across_languages
        from search.requests import build_filters

        filters = filters or build_filters(**filter_values)
        return ResultSet(formulas_across_languages(lambda n: find_formulas(self.store, filters, query, min_docs, n, on_progress), limit,
                                                   self.store.db, self.optional_embedder, self.store.model_info(), filters, cross_lingual))

    @_locked
    def trend(self, query: str, *, filters=None, period: str = "month", match: str = "phrase", **filter_values):
        """Documents matching `query` per period and source, with each period's statement volume. Needs no model."""
        from search.formulas.trend import trend
        from search.requests import build_filters

        return trend(self.store, query, filters or build_filters(**filter_values), period, match)
