"""Formulas kept ready after an ingest: the new documents are tokenized and the default list is counted and stored,
so the first view of the talking-points page (and `dipsearch talking-points` without filters) reads it back instead
of counting inside the request. Lists with filters or a query are still counted on first request, then stored."""
from __future__ import annotations

from collections.abc import Callable

from search.filters import Filters
from search.formulas.crosslingual import links_by_default, pool_size
from search.formulas.find import find_formulas

DEFAULT_MIN_DOCS = 2  # what the web page and the CLI ask for when given nothing
DEFAULT_LIMIT = 20


def refresh_after_ingest(store, progress: Callable[[str, int], None] | None = None) -> int | None:
    """Tokenize new or changed documents and store the list the default view reads (on a Chinese-English index with a
    multilingual model, the larger pool it links from); returns its length (None: fewer
    than two documents, nothing to count). `progress(event, n)` as find_formulas reports it."""
    if store.db.counts().get("documents", 0) < DEFAULT_MIN_DOCS:
        return None
    find = lambda n: find_formulas(store, Filters(), None, DEFAULT_MIN_DOCS, n, progress)
    if links_by_default(store.db, store.model_info(), Filters(), find, DEFAULT_LIMIT):
        return len(find(pool_size(DEFAULT_LIMIT)))  # the default view of a Chinese-English index links from this larger list
    return len(find(DEFAULT_LIMIT))
