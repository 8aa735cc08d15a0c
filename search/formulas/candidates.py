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
from search.formulas.ngrams import Hasher, member, shared_phrases
from search.formulas.tokens import NUMBER
from search.terms import STOPWORDS

KEEP_AT_EDGES = frozenset("would will should must can could may might not no nor never".split())
EDGE_WORDS = STOPWORDS - KEEP_AT_EDGES


@dataclass
class Candidate:
    tokens: tuple[int, ...]  # vocabulary ids, trimmed
    n_docs: int  # documents using the phrase (tolerant uses included), from the n-gram search
    specificity: float = 0.0
    cohesion: float = 0.0
    position: int = -1  # start of one exact occurrence in the stream
    enumeration: bool = False  # a list of three or more items joined by commas and "and"/"or" (enumeration())
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


def _prefix(flags: np.ndarray) -> np.ndarray:
    out = np.zeros(len(flags) + 1, dtype=np.int64)
    np.cumsum(flags, out=out[1:])
    return out


def _trimmed(corpus: Corpus, position: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[lo, hi) stream positions of each phrase with the function words at its ends trimmed (lo >= hi: nothing left)."""
    ids = corpus.stream.ids
    is_edge = np.array([v in EDGE_WORDS or v == NUMBER for v in corpus.vocab], dtype=bool)
    is_edge[0] = False
    edge = is_edge[ids]
    at = np.arange(len(ids), dtype=np.int64)
    nxt = np.minimum.accumulate(np.where(edge, len(ids), at)[::-1])[::-1]  # first non-edge position at or after i
    prv = np.maximum.accumulate(np.where(edge, -1, at))  # last non-edge position at or before i
    lo = nxt[position]
    hi = prv[position + length - 1] + 1
    return lo, hi


def find_candidates(corpus: Corpus, min_docs: int = 2, limits: Limits = Limits(), progress=None) -> list[Candidate]:
    """Maximal shared phrases that may be formulas, one per trimmed wording, most documents first.

    Trimming, the length and content rules and the grouping of equal trimmed wordings run on arrays over every
    maximal phrase; Python objects are made only for the distinct wordings that pass. A phrase holding a figure
    (a case count, a date) is no formula and is left out here."""
    ids = corpus.stream.ids
    hasher = stream_hasher(corpus)
    phrases = shared_phrases(corpus.stream, min_len=3, max_len=limits.max_cjk, min_docs=min_docs, progress=progress, hasher=hasher)
    keep = np.nonzero(phrases.maximal)[0]
    if len(keep) == 0:
        return []
    position, length, df = phrases.position[keep].astype(np.int64), phrases.length[keep].astype(np.int64), phrases.n_docs[keep]
    lo, hi = _trimmed(corpus, position, length)
    n = np.maximum(0, hi - lo)
    lo_c = np.minimum(lo, len(ids))
    hi_c = np.maximum(lo_c, hi)
    tok_content = corpus.content[ids]
    content = (_prefix(tok_content)[hi_c] - _prefix(tok_content)[lo_c])
    cjk = (_prefix(corpus.cjk[ids])[hi_c] - _prefix(corpus.cjk[ids])[lo_c])
    is_number = np.array([v == NUMBER for v in corpus.vocab], dtype=bool)[ids]
    numbers = _prefix(is_number)[hi_c] - _prefix(is_number)[lo_c]
    is_cjk = (cjk * 2 >= n) & (n > 0)
    ok = np.where(is_cjk, (limits.min_cjk <= n) & (n <= limits.max_cjk) & (content >= 3),
                  (limits.min_words <= n) & (n <= limits.max_words) & ((content >= 2) | ((content >= 1) & (n >= 4))))
    ok &= (n > 0) & (numbers == 0)
    lo, n, df = lo[ok], n[ok], df[ok]
    if len(lo) == 0:
        return []
    h = hasher.window(lo, n)
    order = np.lexsort((-df, h))  # per wording, the phrase found in most documents first
    h, lo, n, df = h[order], lo[order], n[order], df[order]
    first = np.ones(len(h), dtype=bool)
    first[1:] = h[1:] != h[:-1]
    idf = corpus.idf()
    out: dict[tuple[int, ...], Candidate] = {}
    for start, size, docs in zip(lo[first].tolist(), n[first].tolist(), df[first].tolist()):
        tokens = tuple(ids[start : start + size].tolist())
        if corpus.pair_keys is not None and corpus.cjk[list(tokens)].sum() * 2 >= size:
            start, end = _word_edges(corpus, start, size, limits.min_cjk)
            tokens, size = tuple(ids[start:end].tolist()), end - start
            if int(corpus.content[list(tokens)].sum()) < 3:
                continue
            if tokens in out:
                out[tokens].n_docs = max(out[tokens].n_docs, int(docs))
                continue
        c = Candidate(tokens, int(docs), *_specificity(corpus, tokens, int(docs), idf), position=start)
        c.enumeration = enumeration(corpus, start, size)
        out[tokens] = c
    return sorted(out.values(), key=lambda c: (-c.n_docs, -c.specificity, c.tokens))


def _word_edges(corpus: Corpus, start: int, size: int, min_len: int) -> tuple[int, int]:
    """[lo, hi) stream positions of the CJK phrase at `start` with edge characters that belong to a word outside it
    cut off. Chinese has no spaces, so a maximal shared run of characters may begin or end inside a word: 建人类命运共同体
    (from 构建 and 共建人类命运共同体). An edge character goes when it is a function character (的, 和), or when it is
    bound more tightly to its neighbour outside the phrase (at this occurrence) than to its neighbour inside: the bond
    of two characters is how often they stand together over how often the rarer of them occurs."""
    ids = corpus.stream.ids
    v = len(corpus.vocab)

    def bond(a: int, b: int) -> float:
        if not (corpus.cjk[a] and corpus.cjk[b] and corpus.content[a] and corpus.content[b]):
            return 0.0
        together = int(corpus.pair_frequencies([a * v + b], occurrences=True)[0])
        return together / max(1, min(int(corpus.count[a]), int(corpus.count[b])))

    lo, hi = start, start + size
    while hi - lo > min_len and (not corpus.content[ids[lo]] or (lo > 0 and bond(ids[lo - 1], ids[lo]) > bond(ids[lo], ids[lo + 1]))):
        lo += 1
    while hi - lo > min_len and (not corpus.content[ids[hi - 1]]
                                 or (hi < len(ids) and bond(ids[hi - 1], ids[hi]) > bond(ids[hi - 2], ids[hi - 1]))):
        hi -= 1
    return lo, hi


def _specificity(corpus: Corpus, tokens: tuple[int, ...], docs: int, idf: np.ndarray) -> tuple[float, float]:
    """(summed IDF, cohesion) over the phrase's distinct content words; in Chinese over its adjacent pairs of content
    characters, the unit closest to a word (most Chinese words are two characters): one character per token gives
    人, 类, 同 the weight of "the", so 人类命运共同体 looked generic. Cohesion: documents with the phrase over
    documents with its rarest unit."""
    pairs = sorted(set(corpus.pair_ids(tokens))) if corpus.pair_keys is not None and corpus.cjk[list(tokens)].sum() * 2 >= len(tokens) else []
    if pairs:
        df = corpus.pair_frequencies(pairs)
        df = df[df > 0]
        if len(df):
            return float(np.log((1 + corpus.n_docs) / (1 + df)).sum()), docs / max(1, int(df.min()))
    content_ids = sorted({t for t in tokens if corpus.content[t]})
    return float(idf[content_ids].sum()), docs / max(1, int(corpus.doc_freq[content_ids].min()))


COORDINATORS = frozenset(("and", "or", "\u548c", "\u53ca", "\u4e0e"))  # and, or; 和, 及, 与
MAX_ITEM = {False: 4, True: 6}  # tokens in one listed item: words, CJK characters


def enumeration(corpus: Corpus, start: int, size: int) -> bool:
    """Whether the phrase at stream position `start` is, as a whole, a list of three or more items, commas between
    them and "and"/"or" before the last (Chinese: enumeration commas 、, 和/及/与 optional): "Hong Kong, Xinjiang and
    Tibet", "stable, healthy and sustainable development". A name is a referent, said whenever its subject comes
    up; a list of three repeated in the same order is a chosen grouping, a set phrase, even when every item is a name."""
    if corpus.comma is None:
        return False
    ids = corpus.stream.ids[start : start + size].tolist()
    commas = corpus.comma[start : start + size].tolist()
    cjk = bool(corpus.cjk[ids].sum() * 2 >= size)
    items, current, joints = [], 0, []
    for i, (t, comma) in enumerate(zip(ids, commas)):
        if corpus.vocab[t] in COORDINATORS:
            if current == 0 and not (joints and joints[-1] == "comma"):
                return False
            if current:
                items.append(current)
            current = 0
            joints.append("and")
            continue
        current += 1
        if comma and i < size - 1:
            items.append(current)
            current = 0
            joints.append("comma")
    if current == 0:
        return False
    items.append(current)
    if len(items) < 3 or max(items) > MAX_ITEM[cjk] or "comma" not in joints:
        return False
    return cjk or joints[-1] == "and"


def find_uses(corpus: Corpus, candidates: list[Candidate], tolerant: bool = True) -> None:
    """Fill each candidate's `uses`: every exact window of its tokens, and (with `tolerant`) every window one
    token longer that equals it once one inner token next to an end is left out. Every such window starts with
    the candidate's first token, so only positions holding one of the candidates' first tokens are hashed."""
    ids = corpus.stream.ids
    hasher = stream_hasher(corpus)
    n_pos = len(ids)
    by_len: dict[int, dict[int, Candidate]] = {}
    for c in candidates:
        arr = np.asarray(c.tokens, dtype=np.int64)
        by_len.setdefault(len(arr), {})[_hash_tokens(hasher, arr)] = c
    for n, table in by_len.items():
        if n_pos < n:
            continue
        targets = np.sort(np.fromiter(table.keys(), dtype=np.uint64, count=len(table)))
        opens = np.zeros(len(corpus.vocab), dtype=bool)
        opens[[c.tokens[0] for c in table.values()]] = True
        at = np.nonzero(opens[ids[: n_pos - n + 1]])[0]
        starts = at[hasher.clean(at, n)]
        h = hasher.window(starts, n)
        hit = member(h, targets)
        for s, hv in zip(starts[hit].tolist(), h[hit].tolist()):
            table[hv].uses.append((s, s + n))
        if tolerant and n >= 3 and n_pos > n:
            starts = at[at < n_pos - n]
            starts = starts[hasher.clean(starts, n + 1)]
            for skip in (1, n - 1):
                kept = starts if corpus.stream.fixed is None else starts[~corpus.stream.fixed[starts + skip]]
                with np.errstate(over="ignore"):
                    hv = hasher.window(kept, skip) + hasher.window(kept + skip + 1, n - skip) * hasher.powers[skip]
                hit = member(hv, targets)
                for s, value in zip(kept[hit].tolist(), hv[hit].tolist()):
                    table[value].uses.append((s, s + n + 1))
    for c in candidates:
        c.uses.sort()


def stream_hasher(corpus: Corpus) -> Hasher:
    """The window hasher of the corpus's stream, made once per corpus."""
    if corpus.hasher is None:
        corpus.hasher = Hasher(corpus.stream.ids)
    return corpus.hasher


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
        hit = member(h, np.sort(np.fromiter(table.keys(), dtype=np.uint64, count=len(table))))
        for value, doc in set(zip(h[hit].tolist(), owner[starts[hit]].tolist())):
            out[table[value]] += 1
    return out
