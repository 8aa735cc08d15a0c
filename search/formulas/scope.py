"""Formulas of one speaker or actor: a document's tokens outside the passages passing the filters are left out.

Document filters (dates, sources, languages) choose documents. Who speaks (`said_by`, `roles`, `speakers`) is a
property of passages: with such a filter a phrase counts only where a passage passing it says the phrase, not
wherever it stands in a document in which that actor speaks somewhere. Left-out tokens become breaks, so no
phrase runs across them, and every position keeps its character span (uses are still shown as written).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from search.formulas.prepare import DocumentTokens
from search.formulas.tokens import BREAK


def by_passage(filters) -> bool:
    """Whether `filters` ask who speaks (conditions on passages, not documents)."""
    return filters is not None and bool(filters.speakers or filters.said_by or filters.roles)


def within(tokens: DocumentTokens, spans: list[tuple[int, int]]) -> DocumentTokens:
    """`tokens` with every token that starts outside all of `spans` (character ranges of the document) made a break."""
    if not tokens.norms:
        return tokens
    starts = np.asarray(tokens.starts, dtype=np.int64)
    inside = np.zeros(len(starts), dtype=bool)
    for lo, hi in spans:
        inside[np.searchsorted(starts, lo, "left") : np.searchsorted(starts, hi, "left")] = True
    if inside.all():
        return tokens
    norms = [n if keep else BREAK for n, keep in zip(tokens.norms, inside.tolist())]
    return replace(tokens, norms=norms)
