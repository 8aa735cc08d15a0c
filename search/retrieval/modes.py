"""The search modes, registered in one place: the CLI help, the web form and schema, evaluation, pooling and
the benchmarks read their names, labels and needs from here. Light to import (the CLI's --help reads it):
a mode builds its retriever, and imports it, when a search runs."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def _hybrid():
    from search.retrieval.retrievers import (DenseRetriever, FusionRetriever, LexicalRetriever, SameLanguageRetriever,
                                             TranslatedLexicalRetriever)

    # per language: the lexical ranking covers the query's own language's passages, the dense side all, and the
    # query translated by dictionary (when one is installed) the other language's passages
    return FusionRetriever(DenseRetriever(), SameLanguageRetriever(LexicalRetriever()), TranslatedLexicalRetriever())


def _dense():
    from search.retrieval.retrievers import DenseRetriever

    return DenseRetriever()


def _lexical():
    from search.retrieval.retrievers import LexicalRetriever

    return LexicalRetriever()


@dataclass(frozen=True)
class Mode:
    name: str
    label: str  # what the web form shows
    description: str  # what the CLI help says
    needs_embedder: bool
    build: Callable[[], object]  # -> a Retriever (search.retrieval.retrievers)
    parts: tuple[str, ...] = ()  # the modes a fused mode combines


MODES: tuple[Mode, ...] = (
    Mode("hybrid", "Meaning + words", "dense + lexical, fused", True, _hybrid, parts=("dense", "lexical")),
    Mode("dense", "Meaning", "the query's embedding against the passages'", True, _dense),
    Mode("lexical", "Exact words", "SQLite FTS5 bm25; needs no model", False, _lexical),
)
DEFAULT_MODE = "hybrid"


def mode_names() -> tuple[str, ...]:
    """Every mode, the default first: the order users see them in."""
    return tuple(m.name for m in MODES)


def get_mode(name: str) -> Mode | None:
    return next((m for m in MODES if m.name == name), None)


def evaluation_order() -> tuple[str, ...]:
    """Every mode, each fused one after the modes it combines, so a score table reads from parts to whole."""
    return tuple(m.name for m in MODES if not m.parts) + tuple(m.name for m in MODES if m.parts)


def modes_help() -> str:
    """'hybrid (dense + lexical, fused), dense, or lexical.' for a command's --mode help."""
    words = [f"{m.name} ({m.description})" if m.parts else m.name for m in MODES]
    return ", ".join(words[:-1]) + ", or " + words[-1] + "."


def need_embedder(names) -> bool:
    """Whether searching in any of the modes `names` needs the model (a name not registered counts as needing it)."""
    return any(mode is None or mode.needs_embedder for mode in map(get_mode, names))
