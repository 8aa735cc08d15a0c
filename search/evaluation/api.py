"""`Index.evalsets`: the evaluation sets of one index, as the Python API (and the CLI and web) use them.

Each method takes the index's lock and makes one call into `search.evaluation`; the model is loaded only
for modes that need it.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from search.evaluation.errors import EvalSetError


def _locked(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self.index._lock:
            return method(self, *args, **kwargs)

    return wrapper


def _needs_model(modes) -> bool:
    """Whether any of `modes` needs the model (read from the mode registry)."""
    from search.retrieval.modes import need_embedder

    return need_embedder(modes)


class EvalSets:
    def __init__(self, index):
        self.index = index

    @property
    def store(self):
        return self.index.store

    # ------------------------------------------------------------- the sets
    @_locked
    def names(self) -> list[str]:
        from search.evaluation.sets import set_names

        return set_names(self.store.db.conn)

    @_locked
    def list(self) -> list[dict]:
        """Every set with its counts (queries, candidates, judged, relevant, skipped, to judge)."""
        from search.evaluation.sets import set_names, summary

        conn = self.store.db.conn
        return [summary(conn, n) for n in set_names(conn)]

    @_locked
    def summary(self, name: str) -> dict:
        from search.evaluation.sets import summary

        return summary(self.store.db.conn, name)

    @_locked
    def delete(self, name: str) -> None:
        """Delete a set with its queries, candidates and judgments (one transaction). Raises EvalSetNotFound."""
        from search.evaluation.sets import delete_set

        with self.store.db.transaction() as conn:
            delete_set(conn, name)

    # ------------------------------------------------------------- building
    @_locked
    def pool(self, name: str, queries: list[tuple[str, str]], depth: int = 10, modes=None, per_doc: int | None = None,
             on_query: Callable[[int, int], None] | None = None):
        """Pool the top `depth` of each mode for `queries` [(id, text)] into set `name` (created or extended)."""
        from search.evaluation.pool import POOL_MODES, pool

        modes = list(modes) if modes is not None else list(POOL_MODES)
        embedder = self.index.embedder() if _needs_model(modes) else None
        return pool(self.store, embedder, name, queries, depth=depth, modes=modes, per_doc=per_doc, on_query=on_query)

    @_locked
    def import_judgments(self, name: str, path: Path, fmt: str | None = None, queries: list[tuple[str, str]] | None = None,
                         skip_unknown: bool = False):
        from search.evaluation.importing import import_judgments

        return import_judgments(self.store, name, Path(path), fmt, queries, skip_unknown)

    @_locked
    def from_qa(self, name: str, spokespeople=(), source: str | None = None, sample: int | None = None, seed: int = 0,
                follow_ups: bool = True, replace: bool = False):
        """A set from the press-conference transcripts in the index: questions -> queries, answers -> relevant."""
        from search.evaluation.from_qa import build_from_qa

        return build_from_qa(self.store, name, spokespeople, source, sample, seed, follow_ups, replace)

    @_locked
    def from_parallel(self, name: str, paths=(), *, query_lang: str | None = None, field_map=None, spokespeople=(),
                      any_source: bool = False, sample: int | None = None, seed: int = 0, replace: bool = False, on_problem=None):
        """A cross-lingual set: questions of the transcripts in `paths` (or of the index's documents in `query_lang`)
        are queries, the answers of the index's other-language transcript of the same date and source are relevant."""
        from search.evaluation.from_parallel import build_from_parallel, read_transcripts

        transcripts = read_transcripts(paths, field_map, on_problem) if paths else None
        return build_from_parallel(self.store, name, transcripts, query_lang, spokespeople, any_source, sample, seed, replace)

    @_locked
    def export(self, name: str, fmt: str = "trec", output: Path | None = None, corpus: str = "all"):
        """trec and jsonl: the lines (without newlines); beir: writes the folder `output`, returns its report."""
        import json

        from search.evaluation.exporting import EXPORT_FORMATS, export_beir, jsonl_records, trec_lines

        if fmt not in EXPORT_FORMATS:
            raise EvalSetError("{format} {value!r} must be one of {formats}", fields=("format",), value=fmt, formats=", ".join(EXPORT_FORMATS))
        if fmt == "beir":
            if output is None:
                raise EvalSetError("{format} beir writes a folder: give it with {output} DIR", fields=("format", "output"))
            return export_beir(self.store, name, Path(output), corpus)
        if fmt == "trec":
            return trec_lines(self.store, name)
        return [json.dumps(r, ensure_ascii=False) for r in jsonl_records(self.store, name)]

    @_locked
    def evaluate(self, name: str, modes=None, *, k: int = 100, per_doc: int | None = None, stat_test: str = "student",
                 alpha: float = 0.05, run_files=(), runs_dir: Path | None = None, answers_only: bool = False,
                 on_query: Callable[[int, int], None] | None = None):
        """Score `modes` (default all, or none when `run_files` are given) on set `name`; runs saved in `runs_dir`
        (default INDEX/eval-runs)."""
        from search.evaluation.evaluate import EVAL_MODES, evaluate_set

        modes = list(modes) if modes else ([] if run_files else list(EVAL_MODES))
        embedder = self.index.embedder() if _needs_model(modes) else None
        return evaluate_set(self.store, embedder, name, modes, k=k, per_doc=per_doc, stat_test=stat_test, alpha=alpha,
                            run_files=list(run_files), runs_dir=Path(runs_dir) if runs_dir else self.store.folder / "eval-runs",
                            answers_only=answers_only, on_query=on_query)

    # ------------------------------------------------------------- judging (every step commits at once)
    @_locked
    def next(self, name: str):
        """The next candidate to judge, or None when all are done."""
        from search.evaluation.judging import next_candidate

        return next_candidate(self.store, name)

    @_locked
    def candidate(self, name: str, candidate_id: int):
        from search.evaluation.judging import get_candidate

        return get_candidate(self.store, name, candidate_id)

    @_locked
    def judge(self, name: str, candidate_id: int, grade: int | None) -> None:
        """Grade a candidate 0, 1 or 2; None skips it."""
        from search.evaluation.judging import record_judgment, skip_candidate

        if grade is None:
            skip_candidate(self.store, name, candidate_id)
        else:
            record_judgment(self.store, name, candidate_id, grade)

    @_locked
    def undo(self, name: str):
        """Take back the latest judgment or skip; returns that candidate, open again (None: nothing to undo)."""
        from search.evaluation.judging import undo_last

        return undo_last(self.store, name)

    @_locked
    def progress(self, name: str) -> dict:
        from search.evaluation.judging import progress

        return progress(self.store, name)

    @_locked
    def revisit_skipped(self, name: str) -> int:
        from search.evaluation.judging import revisit_skipped

        return revisit_skipped(self.store, name)

    @_locked
    def session(self, name: str, read_key: Callable[[], str], show: Callable, revisit_skipped: bool = False):
        """The key-driven judging loop (terminal): `show(candidate, message)`, `read_key()` -> one key."""
        from search.evaluation.judging import revisit_skipped as reopen
        from search.evaluation.session import run_session

        if revisit_skipped:
            reopen(self.store, name)
        return run_session(self.store, name, read_key, show)
