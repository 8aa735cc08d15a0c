"""Maximal recurring n-grams shared by at least two documents, found level by level with numpy.

The token stream of every document is one int array (a `Stream`). Each n-gram gets a 64-bit polynomial
hash read off prefix sums, so a window's hash costs a few array operations, never a Python loop per
window. Level n keeps the windows whose phrase is in >= 2 documents; level n + 1 looks only at windows
whose two n-gram halves survived (a phrase in two documents has both halves in them: Apriori), so the
work shrinks fast with n.

Tolerance: a window one token longer, with one inner token left out, counts as a use of the shorter
phrase ("would definitely be a disaster" is a use of "would be a disaster"); only windows whose kept
halves are themselves shared are tried.

Maximal: a phrase is dropped when a phrase one token longer that contains it is in exactly as many
documents (then the longer one is in the same documents and says more).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_B = np.uint64(0x9E3779B97F4A7C15)  # odd, so invertible modulo 2**64
_B_INV = np.uint64(pow(int(_B), -1, 1 << 64))


@dataclass
class Stream:
    """All documents' tokens end to end. `ids[i]` is a vocabulary id, 0 for a break (documents are separated by one)."""

    ids: np.ndarray  # int64
    doc: np.ndarray  # int32: document number of each position (a break between documents belongs to the one before)
    fixed: np.ndarray | None = None  # bool per position: a token a tolerant use may not leave out (a CJK character: part of a word)


@dataclass
class Phrases:
    """Shared phrases: their hash, length, one exact position, and the number of documents using them."""

    hashes: np.ndarray  # uint64
    length: np.ndarray  # int32 tokens
    position: np.ndarray  # int64: start of one exact occurrence in the stream
    n_docs: np.ndarray  # int32
    maximal: np.ndarray  # bool


class Hasher:
    """Position-independent hashes of any window of a stream, from prefix sums."""

    def __init__(self, ids: np.ndarray, seed: int = 7, n_vocab: int | None = None):
        rng = np.random.default_rng(seed)
        if n_vocab is None:
            n_vocab = int(ids.max()) + 1 if len(ids) else 1
        values = rng.integers(1, np.iinfo(np.int64).max, size=n_vocab, dtype=np.int64).astype(np.uint64)
        values[0] = 0
        self.values = values
        n = len(ids)
        with np.errstate(over="ignore"):
            powers = np.empty(n + 1, dtype=np.uint64)
            powers[0] = 1
            powers[1:] = _B
            self.powers = np.cumprod(powers, dtype=np.uint64)  # B**i
            inv = np.empty(n + 1, dtype=np.uint64)
            inv[0] = 1
            inv[1:] = _B_INV
            self.inverse = np.cumprod(inv, dtype=np.uint64)  # B**-i
            self.prefix = np.zeros(n + 1, dtype=np.uint64)
            self.prefix[1:] = np.cumsum(values[ids] * self.powers[:n], dtype=np.uint64)
        self.breaks = np.zeros(n + 1, dtype=np.int64)
        self.breaks[1:] = np.cumsum(ids == 0)

    def window(self, start: np.ndarray, length) -> np.ndarray:
        """Hash of the tokens [start, start + length): the same for the same tokens anywhere."""
        with np.errstate(over="ignore"):
            return (self.prefix[start + length] - self.prefix[start]) * self.inverse[start]

    def clean(self, start: np.ndarray, length) -> np.ndarray:
        """Whether the windows hold no break."""
        return self.breaks[start + length] == self.breaks[start]


def _doc_counts(hashes: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """For each entry, in how many distinct documents its hash occurs."""
    if len(hashes) == 0:
        return np.zeros(0, dtype=np.int32)
    order = np.lexsort((docs, hashes))
    h, d = hashes[order], docs[order]
    new_hash = np.empty(len(h), dtype=bool)
    new_hash[0] = True
    new_hash[1:] = h[1:] != h[:-1]
    new_doc = new_hash.copy()
    new_doc[1:] |= d[1:] != d[:-1]
    run = np.cumsum(new_hash) - 1
    per_run = np.bincount(run, weights=new_doc).astype(np.int32)
    out = np.empty(len(h), dtype=np.int32)
    out[order] = per_run[run]
    return out


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy's hash-based unique is several times slower on millions of 64-bit hashes)."""
    s = np.sort(values)
    if len(s) < 2:
        return s
    keep = np.ones(len(s), dtype=bool)
    keep[1:] = s[1:] != s[:-1]
    return s[keep]


def member(values: np.ndarray, sorted_targets: np.ndarray) -> np.ndarray:
    """np.isin(values, sorted_targets) for sorted unique targets: a bitmap of the targets' low bits rules most values
    out, a binary search settles the rest (no sort of `values`, few random reads into `sorted_targets`)."""
    out = np.zeros(len(values), dtype=bool)
    if len(sorted_targets) == 0 or len(values) == 0:
        return out
    bits = 1 << int(min(24, max(10, np.ceil(np.log2(16 * len(sorted_targets))))))
    mask = np.uint64(bits - 1)
    table = np.zeros(bits, dtype=bool)
    table[(sorted_targets & mask).astype(np.int64)] = True
    maybe = np.nonzero(table[(values & mask).astype(np.int64)])[0]
    v = values[maybe]
    at = np.minimum(np.searchsorted(sorted_targets, v), len(sorted_targets) - 1)
    out[maybe] = sorted_targets[at] == v
    return out


def shared_phrases(stream: Stream, min_len: int = 3, max_len: int = 20, min_docs: int = 2, tolerant: bool = True,
                   progress=None, hasher: "Hasher | None" = None) -> Phrases:
    """Every phrase of min_len..max_len tokens (no break inside) used in >= `min_docs` documents."""
    ids, doc = stream.ids, stream.doc
    n_pos = len(ids)
    hasher = hasher or Hasher(ids)
    out_h, out_len, out_pos, out_df, out_max = [], [], [], [], []
    alive_prev = None  # bool per position: the (n-1)-gram starting there is shared
    prev = None  # (hashes by position for level n-1 alive positions, df) for maximality
    for n in range(min_len, max_len + 1):
        if n == min_len:
            starts = np.arange(max(0, n_pos - n + 1), dtype=np.int64)
        else:
            width = max(0, n_pos - n + 1)
            head, tail = alive_prev[:width], alive_prev[1 : width + 1]  # the first n-1 tokens are shared, or the last n-1
            starts = np.nonzero((head | tail) if tolerant else (head & tail))[0]  # (a tolerant use may share only one half)
        starts = starts[hasher.clean(starts, n)]
        hashes = hasher.window(starts, n)
        docs = doc[starts]
        gap_h, gap_docs = _tolerant_uses(hasher, doc, alive_prev, n, hashes, stream.fixed) if tolerant and n > min_len else (None, None)
        if gap_h is not None and len(gap_h):
            all_h = np.concatenate([hashes, gap_h])
            all_d = np.concatenate([docs, gap_docs])
            df = _doc_counts(all_h, all_d)[: len(hashes)]
        else:
            df = _doc_counts(hashes, docs)
        keep = df >= min_docs
        starts, hashes, df = starts[keep], hashes[keep], df[keep]
        if len(starts) == 0:
            break
        # one entry per phrase: its first exact position
        uniq, first = np.unique(hashes, return_index=True)
        maximal = np.ones(len(uniq), dtype=bool)
        out_h.append(uniq)
        out_len.append(np.full(len(uniq), n, dtype=np.int32))
        out_pos.append(starts[first])
        out_df.append(df[first])
        out_max.append(maximal)
        if prev is not None:  # an (n-1)-gram is not maximal when a shared n-gram holding it has as many documents
            p_uniq, p_df, p_max = prev
            for offset in (0, 1):
                sub = hasher.window(starts + offset, n - 1)
                at = np.searchsorted(p_uniq, sub)
                at = np.minimum(at, len(p_uniq) - 1)
                same = (p_uniq[at] == sub) & (p_df[at] == df)
                p_max[at[same]] = False
        prev = (uniq, df[first], maximal)
        alive_prev = np.zeros(n_pos + 1, dtype=bool)
        alive_prev[starts] = True
        if progress:
            progress(n)
    if not out_h:
        empty = np.zeros(0, dtype=np.int64)
        return Phrases(empty.astype(np.uint64), empty.astype(np.int32), empty, empty.astype(np.int32), empty.astype(bool))
    return Phrases(np.concatenate(out_h), np.concatenate(out_len), np.concatenate(out_pos), np.concatenate(out_df), np.concatenate(out_max))


def _tolerant_uses(hasher: Hasher, doc: np.ndarray, alive_prev: np.ndarray, n: int, exact: np.ndarray, fixed: np.ndarray | None = None):
    """(hash, document) of windows of n + 1 tokens that equal an exact n-gram once one inner token is left out."""
    n_pos = len(doc)
    if n_pos < n + 1:
        return None, None
    targets = sorted_unique(exact)
    parts_h, parts_d = [], []
    base = np.nonzero(alive_prev[: n_pos - n])[0]  # windows whose first n-1 tokens are shared ... or
    tail = np.nonzero(alive_prev[2 : n_pos - n + 2])[0]  # whose last n-1 tokens are shared (start + 2)
    for skip, starts in ((n - 1, base), (1, tail)):  # leave out the token just before the end / just after the start
        starts = starts[hasher.clean(starts, n + 1)]
        if fixed is not None:
            starts = starts[~fixed[starts + skip]]
        with np.errstate(over="ignore"):
            head = hasher.window(starts, skip)
            rest = hasher.window(starts + skip + 1, n - skip)
            h = head + rest * hasher.powers[skip]
        hit = member(h, targets)
        parts_h.append(h[hit])
        parts_d.append(doc[starts[hit]])
    return np.concatenate(parts_h), np.concatenate(parts_d)


def occurrences(stream: Stream, hasher: Hasher, phrase_hash: int, length: int, candidates: np.ndarray) -> np.ndarray:
    """Start positions among `candidates` where the phrase occurs exactly."""
    ok = candidates[candidates + length <= len(stream.ids)]
    ok = ok[hasher.clean(ok, length)]
    return ok[hasher.window(ok, length) == np.uint64(phrase_hash)]
