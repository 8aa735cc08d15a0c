"""The documents' token streams as one numpy stream, with a vocabulary and what each token is."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from search.formulas.ngrams import Hasher, Stream, sorted_unique
from search.formulas.tokens import BREAK, is_cjk, is_content


@dataclass
class Corpus:
    """Documents' tokens end to end: `stream` for the n-gram search, `offset[i]` where document i starts."""

    doc_ids: list[str]
    vocab: list[str]  # id -> norm; id 0 is the break
    stream: Stream
    offset: np.ndarray  # int64, len(doc_ids) + 1
    content: np.ndarray  # bool per vocabulary id
    cjk: np.ndarray  # bool per vocabulary id
    doc_freq: np.ndarray  # documents per vocabulary id
    name_share: np.ndarray  # per vocabulary id: share of its uses written capitalised mid-sentence (names' words)
    comma: np.ndarray | None = None  # bool per stream position: a comma follows the token
    hasher: Hasher | None = None  # the stream's window hasher, made on first need (candidates.stream_hasher)
    pair_keys: np.ndarray | None = None  # sorted keys (first id * vocabulary + second id) of adjacent CJK content characters
    pair_df: np.ndarray | None = None  # documents holding each such pair
    pair_count: np.ndarray | None = None  # how often each such pair occurs
    count: np.ndarray | None = None  # occurrences per vocabulary id

    def pair_ids(self, tokens) -> list[int]:
        """Keys of the adjacent pairs of CJK content characters in `tokens` (Chinese words are mostly two characters)."""
        v = len(self.vocab)
        return [a * v + b for a, b in zip(tokens, tokens[1:]) if self.cjk[a] and self.cjk[b] and self.content[a] and self.content[b]]

    def pair_frequencies(self, keys, occurrences: bool = False) -> np.ndarray:
        """Documents holding each pair (`occurrences`: how often it occurs)."""
        if self.pair_keys is None or not len(keys):
            return np.zeros(len(keys), dtype=np.int64)
        keys = np.asarray(keys, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.pair_keys, keys), len(self.pair_keys) - 1)
        return np.where(self.pair_keys[at] == keys, (self.pair_count if occurrences else self.pair_df)[at], 0)

    @property
    def n_docs(self) -> int:
        return len(self.doc_ids)

    def idf(self) -> np.ndarray:
        return np.log((1 + self.n_docs) / (1 + self.doc_freq))


def build_corpus(doc_ids: Sequence[str], token_lists: Sequence[Sequence[str]], capitals: Sequence[Sequence[bool]] | None = None,
                 commas: Sequence[Sequence[bool]] | None = None) -> Corpus:
    """One stream from each document's list of norms (BREAK where a phrase may not run on); `capitals`: for each
    token, whether it was written capitalised mid-sentence; `commas`: whether a comma follows it."""
    index = {BREAK: 0}
    vocab = [BREAK]
    arrays = []
    for norms in token_lists:
        ids = []
        for norm in norms:
            i = index.get(norm)
            if i is None:
                i = index[norm] = len(vocab)
                vocab.append(norm)
            ids.append(i)
        ids.append(0)  # a break after every document
        arrays.append(np.asarray(ids, dtype=np.int64))
    ids = np.concatenate(arrays) if arrays else np.zeros(0, np.int64)
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    offset = np.zeros(len(arrays) + 1, dtype=np.int64)
    offset[1:] = np.cumsum(lengths)
    doc = np.repeat(np.arange(len(arrays), dtype=np.int32), lengths)
    content = np.array([is_content(v) for v in vocab], dtype=bool)
    cjk = np.array([is_cjk(v) for v in vocab], dtype=bool)
    pairs = sorted_unique(ids * max(1, len(arrays)) + doc) if len(ids) else np.zeros(0, np.int64)
    doc_freq = np.bincount(pairs // max(1, len(arrays)), minlength=len(vocab)).astype(np.int64)
    uses = np.bincount(ids, minlength=len(vocab)).astype(np.float64)
    if capitals is not None and len(ids):
        flags = np.concatenate([np.append(np.asarray(c, dtype=bool), False) for c in capitals])
        name_share = np.bincount(ids[flags], minlength=len(vocab)) / np.maximum(1, uses)
    else:
        name_share = np.zeros(len(vocab))
    pair_keys = pair_df = pair_count = None
    if cjk.any() and len(ids) > 1:  # document frequencies of adjacent CJK content characters (Chinese specificity)
        both = cjk[ids] & content[ids]
        at = np.nonzero(both[:-1] & both[1:])[0]
        keys = ids[at] * len(vocab) + ids[at + 1]
        pairs = sorted_unique(keys * max(1, len(arrays)) + doc[at])
        pair_keys, pair_df = np.unique(pairs // max(1, len(arrays)), return_counts=True)
        counted, pair_count = np.unique(keys, return_counts=True)  # the same keys, sorted
    comma = None
    if commas is not None and len(ids):
        comma = np.concatenate([np.append(np.asarray(c, dtype=bool), False) for c in commas])
    fixed = cjk[ids] if cjk.any() else None  # a tolerant use leaves out a word, never one character of a Chinese word
    return Corpus(list(doc_ids), vocab, Stream(ids, doc, fixed), offset, content, cjk, doc_freq, name_share, comma, pair_keys=pair_keys, pair_df=pair_df,
                  pair_count=pair_count if pair_keys is not None else None, count=uses.astype(np.int64))
