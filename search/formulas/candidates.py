"""From shared n-grams to formula candidates: trimmed, merged, scored for specificity, occurrences found.

- Edges: function words at a phrase's ends are trimmed ("of the one-China principle and" is "one-China
  principle"); modal verbs and negations stay, they carry the stance ("would be a disaster").
- Stopword runs do not count: a candidate needs two content tokens (three for CJK characters), or one
  content word in a phrase of four or more words.
- Specificity: the summed inverse document frequency of its distinct content tokens (rare words make a
  specific phrase), times cohesion: the share of the documents using its rarest content token that use
  the whole phrase (a PMI-like measure: near 1 for a fixed expression, small for words that merely co-occur).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from search.formulas.corpus_stream import Corpus
from search.formulas.ngrams import Hasher, shared_phrases
from search.terms import STOPWORDS

KEEP_AT_EDGES = frozenset("would will should must can could may might not no nor never".split())
EDGE_WORDS = STOPWORDS - KEEP_AT_EDGES


@dataclass
class Candidate:
    tokens: tuple[int, ...]  # vocabulary ids, trimmed
    n_docs: int  # documents using the phrase (tolerant uses included), from the n-gram search
    specificity: float = 0.0
    cohesion: float = 0.0
    lengths: set[int] = field(default_factory=set)  # untrimmed lengths it was found at (for finding its uses)
    uses: list[tuple[int, int]] = field(default_factory=list)  # (start, end) stream positions of each use

    @property
    def key(self) -> tuple[int, ...]:
        return self.tokens


@dataclass(frozen=True)
class Limits:
    min_words: int = 3
    max_words: int = 20  # a longer maximal phrase would lose every part of it (its parts are not maximal)
    min_cjk: int = 4
    max_cjk: int = 20


def _is_cjk_phrase(corpus: Corpus, tokens) -> bool:
    return bool(corpus.cjk[list(tokens)].sum() * 2 >= len(tokens))


def _trim(corpus: Corpus, tokens: list[int]) -> list[int]:
    edge = lambda t: corpus.vocab[t] in EDGE_WORDS or corpus.vocab[t] == "#"
    lo, hi = 0, len(tokens)
    while lo < hi and edge(tokens[lo]):
        lo += 1
    while hi > lo and edge(tokens[hi - 1]):
        hi -= 1
    return tokens[lo:hi]


def _counts(corpus: Corpus, tokens, limits: Limits) -> bool:
    n = len(tokens)
    content = int(corpus.content[list(tokens)].sum()) if n else 0
    if _is_cjk_phrase(corpus, tokens):
        return limits.min_cjk <= n <= limits.max_cjk and content >= 3
    return limits.min_words <= n <= limits.max_words and (content >= 2 or (content >= 1 and n >= 4))


def find_candidates(corpus: Corpus, min_docs: int = 2, limits: Limits = Limits(), progress=None) -> list[Candidate]:
    """Maximal shared phrases that may be formulas, one per trimmed wording, most documents first."""
    phrases = shared_phrases(corpus.stream, min_len=3, max_len=limits.max_cjk, min_docs=min_docs, progress=progress)
    keep = np.nonzero(phrases.maximal)[0]
    ids = corpus.stream.ids
    idf = corpus.idf()
    by_key: dict[tuple[int, ...], Candidate] = {}
    for i in keep.tolist():
        start, length = int(phrases.position[i]), int(phrases.length[i])
        tokens = _trim(corpus, ids[start : start + length].tolist())
        if not tokens or not _counts(corpus, tokens, limits):
            continue
        key = tuple(tokens)
        c = by_key.get(key)
        if c is None:
            c = by_key[key] = Candidate(key, int(phrases.n_docs[i]))
        c.n_docs = max(c.n_docs, int(phrases.n_docs[i]))
        c.lengths.add(length)
    for c in by_key.values():
        content = sorted({t for t in c.tokens if corpus.content[t]})
        c.specificity = float(idf[content].sum())
        c.cohesion = c.n_docs / max(1, int(corpus.doc_freq[content].min()))
    return sorted(by_key.values(), key=lambda c: (-c.n_docs, -c.specificity, c.tokens))


def find_uses(corpus: Corpus, candidates: list[Candidate], tolerant: bool = True) -> None:
    """Fill each candidate's `uses`: every exact window of its tokens, and (with `tolerant`) every window one
    token longer that equals it once one inner token next to an end is left out."""
    ids = corpus.stream.ids
    hasher = Hasher(ids)
    n_pos = len(ids)
    by_len: dict[int, dict[int, Candidate]] = {}
    for c in candidates:
        arr = np.asarray(c.tokens, dtype=np.int64)
        by_len.setdefault(len(arr), {})[_hash_tokens(hasher, arr)] = c
    for n, table in by_len.items():
        if n_pos < n:
            continue
        targets = np.fromiter(table.keys(), dtype=np.uint64, count=len(table))
        starts = np.arange(n_pos - n + 1, dtype=np.int64)
        starts = starts[hasher.clean(starts, n)]
        h = hasher.window(starts, n)
        hit = np.isin(h, targets)
        for s, hv in zip(starts[hit].tolist(), h[hit].tolist()):
            table[hv].uses.append((s, s + n))
        if tolerant and n >= 3 and n_pos > n:
            starts = np.arange(n_pos - n, dtype=np.int64)
            starts = starts[hasher.clean(starts, n + 1)]
            for skip in (1, n - 1):
                with np.errstate(over="ignore"):
                    hv = hasher.window(starts, skip) + hasher.window(starts + skip + 1, n - skip) * hasher.powers[skip]
                hit = np.isin(hv, targets)
                for s, value in zip(starts[hit].tolist(), hv[hit].tolist()):
                    table[value].uses.append((s, s + n + 1))
    for c in candidates:
        c.uses.sort()


def _hash_tokens(hasher: Hasher, tokens: np.ndarray) -> int:
    """The hash `hasher.window` gives any window holding exactly these tokens."""
    values = hasher.values[tokens]
    with np.errstate(over="ignore"):
        return int(np.sum(values * hasher.powers[: len(tokens)], dtype=np.uint64))


def documents_using(corpus: Corpus, token_lists, candidates: list[Candidate]) -> list[int]:
    """For each candidate, in how many of `token_lists` (norms per document, another text of the same documents,
    e.g. their questions) it occurs exactly."""
    index = {v: i for i, v in enumerate(corpus.vocab)}
    parts, owners = [], []
    for number, norms in enumerate(token_lists):
        if norms:
            parts.append(np.fromiter((index.get(n, 0) for n in norms), dtype=np.int64, count=len(norms)))
            parts.append(np.zeros(1, np.int64))
            owners.append(np.full(len(norms) + 1, number, dtype=np.int64))
    if not parts or not candidates:
        return [0] * len(candidates)
    ids, owner = np.concatenate(parts), np.concatenate(owners)
    hasher = Hasher(ids, n_vocab=len(corpus.vocab))
    out = [0] * len(candidates)
    by_len: dict[int, dict[int, int]] = {}
    for i, c in enumerate(candidates):
        if len(c.tokens) > len(ids):  # longer than all the texts together: it occurs in none (and cannot be hashed here)
            continue
        by_len.setdefault(len(c.tokens), {})[_hash_tokens(hasher, np.asarray(c.tokens, dtype=np.int64))] = i
    for n, table in by_len.items():
        if len(ids) < n:
            continue
        starts = np.arange(len(ids) - n + 1, dtype=np.int64)
        starts = starts[hasher.clean(starts, n)]
        h = hasher.window(starts, n)
        hit = np.isin(h, np.fromiter(table.keys(), dtype=np.uint64, count=len(table)))
        for value, doc in set(zip(h[hit].tolist(), owner[starts[hit]].tolist())):
            out[table[value]] += 1
    return out
