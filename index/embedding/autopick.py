"""The model for a new index that meets Chinese, Japanese or Korean text: the multilingual encoder, when the
model about to be used declares no such language.

Policy (chosen: pick, do not refuse): on the first ingest into an index that has no model yet, and when no model
or backend was asked for, the first `PEEK_DOCUMENTS` documents are looked at before anything is embedded. If any
holds CJK text and the default model's card declares no CJK language (all-MiniLM-L6-v2: `en`), the index is
built with `MULTILINGUAL_DEFAULT` instead, and the ingest says so in one line with the override. If the
multilingual extra is not installed, the default model is kept and the line says how to install it. An index
that already has a model keeps it (its vectors decide), and a model asked for is always used.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence

from corpus.cjk import has_cjk
from corpus.errors import WordedText
from index.embedding.languages import reads_cjk
from index.embedding.registry import DEFAULT_MODEL, E5_MODEL, MULTILINGUAL_EXTRA

PEEK_DOCUMENTS = 200
MULTILINGUAL_DEFAULT = E5_MODEL  # measured best cross-lingual and on Chinese (README: Choosing a model)


def peek(items: Iterable, n: int = PEEK_DOCUMENTS) -> tuple[list, Iterator]:
    """The first `n` items, and an iterator over all of them (those first, then the rest), reading nothing twice."""
    iterator = iter(items)
    head = list(itertools.islice(iterator, n))
    return head, itertools.chain(head, iterator)


def needs_multilingual(languages: frozenset[str] | None, texts: Sequence[str]) -> bool:
    """Whether texts with CJK characters are about to be embedded by a model declaring no CJK language."""
    return not reads_cjk(languages) and any(has_cjk(t) for t in texts)


def picked_note(current: str, languages: frozenset[str] | None, picked: str) -> str:
    declared = ", ".join(sorted(languages or ())) or "no languages"
    return WordedText("the documents include Chinese/Japanese/Korean text and {current} declares {declared} only, so this new "
                      "index is built with the multilingual model {picked}; to keep {current}, ingest with {model} {default}",
                      fields=("model",), current=current, declared=declared, picked=picked, default=DEFAULT_MODEL)


def missing_note(current: str, reason: str) -> str:
    return WordedText("the documents include Chinese/Japanese/Korean text, which {current} does not read, and no multilingual "
                      "model could be loaded ({reason}); built with {current}, so CJK text is searched by its words only. "
                      "Install one with `{extra}` and rebuild the index with {model} {multilingual}", fields=("model",),
                      current=current, reason=reason, extra=MULTILINGUAL_EXTRA, multilingual=MULTILINGUAL_DEFAULT)
