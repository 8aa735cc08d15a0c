"""The corpus's own boilerplate, found by where a phrase stands rather than by a list of phrases.

Page furniture ("Leave a Reply"), datelines, briefing times, opening announcements and sign-offs stand at a
document's edges; a formula is used anywhere in the argument. A phrase whose uses sit mostly in the first
or last tenth of their documents (expected share: a fifth) is boilerplate of the corpus, whatever it says.
Journalists' questions never reach this point: the turn parser cuts them out first (prepare.py).
"""
from __future__ import annotations

import numpy as np

EDGE = 0.1  # the first and the last tenth of a document
MAX_EDGE_SHARE = 0.6  # three times what uses spread evenly would give


def edge_share(corpus, candidate) -> float:
    """Share of a candidate's uses that start in the first or last tenth of their document's tokens."""
    if not candidate.uses:
        return 0.0
    starts = np.fromiter((s for s, _ in candidate.uses), dtype=np.int64, count=len(candidate.uses))
    docs = np.searchsorted(corpus.offset, starts, side="right") - 1
    begin, end = corpus.offset[docs], corpus.offset[docs + 1]
    where = (starts - begin) / np.maximum(1, end - begin)
    return float(np.mean((where < EDGE) | (where >= 1 - EDGE)))


def is_boilerplate(share: float, n_docs: int) -> bool:
    return share >= MAX_EDGE_SHARE
