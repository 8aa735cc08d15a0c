"""Sentence units for talking points: split passages, normalise, count content words, shingle."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from corpus.sentences import sentence_spans
from search.tokenizer import TOKENIZER

_EDGE = "\"'\u201c\u201d\u2018\u2019()[]{}\u300c\u300d\u300e\u300f-\u2013\u2014 "
_LABEL = re.compile(r"(?:Q|A)\s*:\s+|[问答]\s*[:：]\s*")  # transcript turn labels ("Q: ...", "答：...") are not part of the wording
STORED_MIN_WORDS = 3  # sentences with fewer content words are never stored; options.min_words filters further


@dataclass(frozen=True)
class Sentence:
    passage_id: int
    char_start: int  # within the passage text
    char_end: int
    text: str
    key: str  # hash of the normalised wording: equal keys are the same wording
    n_words: int  # content words


# The words of a sentence are search.tokenizer's tokens (each CJK character one, so Chinese formulas shingle too).
normalise = TOKENIZER.normalise
tokens = TOKENIZER.tokens
content_stems = TOKENIZER.content_stems
content_word_count = TOKENIZER.content_count


def wording_key(text: str) -> str:
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


def shingles(words: list[str], n: int) -> set[int]:
    """Hashes of the word n-grams of a sentence (the whole sentence when shorter than n)."""
    if len(words) < n:
        return {hash(" ".join(words))} if words else set()
    return {hash(" ".join(words[i : i + n])) for i in range(len(words) - n + 1)}


def passage_sentences(passage_id: int, text: str) -> Iterable[Sentence]:
    """The sentences of a passage worth comparing, quotes and brackets trimmed from their edges."""
    for start, end in sentence_spans(text):
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        label = _LABEL.match(text, start, end)
        if label:
            start = label.end()
            while start < end and text[start] in _EDGE:
                start += 1
        piece = text[start:end]
        n_words = content_word_count(tokens(piece))
        if n_words >= STORED_MIN_WORDS:
            yield Sentence(passage_id, start, end, piece, wording_key(piece), n_words)
