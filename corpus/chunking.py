"""Splitting a clean document into passages: its paragraphs, fragments merged, long ones split.

Token counts come from the caller (the embedding model's tokenizer) so a passage never exceeds
what the model reads; this module stays free of any model code.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from corpus.cjk import word_count
from corpus.documents import Passage
from corpus.sentences import sentence_spans

TokenCounter = Callable[[Sequence[str]], list[int]]


@dataclass(frozen=True)
class ChunkOptions:
    max_tokens: int = 254  # the model's limit (256) less its two special tokens
    min_words: int = 8  # a paragraph with fewer words (and no full sentence) is a fragment


def whitespace_tokens(texts: Sequence[str]) -> list[int]:
    """A rough token counter (words); the index passes the model's real tokenizer instead."""
    return [len(t.split()) for t in texts]


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph; paragraphs are separated by one blank line."""
    spans, start = [], 0
    while start < len(text):
        end = text.find("\n\n", start)
        end = len(text) if end == -1 else end
        if text[start:end].strip():
            spans.append((start, end))
        start = end + 2
    return spans


def _is_fragment(text: str, min_words: int) -> bool:
    """Shorter than a sentence: few words and no sentence end (a heading, a speaker tag, a stub). Chinese and
    Japanese words are counted in characters (see cjk.word_count): they are not separated by spaces."""
    words = word_count(text)
    if words >= min_words:
        return False
    return not text.rstrip("\"'\u201d\u2019)\u300d\u300f\uff09").endswith((".", "!", "?", "\u3002", "\uff01", "\uff1f")) or words < 3


def _merge_fragments(spans: list[tuple[int, int]], text: str, min_words: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None  # fragment waiting to be joined to the next paragraph
    for start, end in spans:
        if pending:
            start = pending[0]
            pending = None
        if _is_fragment(text[start:end], min_words):
            pending = (start, end)
            continue
        merged.append((start, end))
    if pending:
        if merged:
            merged[-1] = (merged[-1][0], pending[1])
        else:
            merged.append(pending)
    return merged


def _split_long(text: str, start: int, end: int, limit: int, count: TokenCounter) -> list[tuple[int, int]]:
    """Split text[start:end] at sentence boundaries into pieces of at most `limit` tokens;
    a single sentence over the limit is cut between words."""
    units: list[tuple[int, int]] = []
    sentences = [(start + s, start + e) for s, e in sentence_spans(text[start:end])]
    counts = count([text[s:e] for s, e in sentences])
    for (s, e), n in zip(sentences, counts):
        if n <= limit:
            units.append((s, e))
            continue
        words = [(s + i, s + i + len(w)) for i, w in _word_positions(text[s:e])]
        word_counts = count([text[a:b] for a, b in words])
        piece_start, prev_end, used = words[0][0], words[0][1], 0
        for (a, b), wn in zip(words, word_counts):
            if used + wn > limit and used:
                units.append((piece_start, prev_end))
                piece_start, used = a, 0
            used += wn
            prev_end = b
        units.append((piece_start, prev_end))
    pieces: list[tuple[int, int]] = []
    unit_counts = count([text[s:e] for s, e in units])
    piece, used = None, 0
    for (s, e), n in zip(units, unit_counts):
        if piece and used + n <= limit:
            piece, used = (piece[0], e), used + n
        else:
            if piece:
                pieces.append(piece)
            piece, used = (s, e), n
    if piece:
        pieces.append(piece)
    # Joining sentences can add a token at a seam; re-check and split any piece that went over.
    final = []
    for (s, e), n in zip(pieces, count([text[s:e] for s, e in pieces])):
        if n > limit and len(sentence_spans(text[s:e])) > 1:
            mid_units = [(s + a, s + b) for a, b in sentence_spans(text[s:e])]
            half = len(mid_units) // 2
            final += [(mid_units[0][0], mid_units[half - 1][1]), (mid_units[half][0], mid_units[-1][1])]
        else:
            final.append((s, e))
    return final


def _word_positions(text: str):
    i = 0
    for word in text.split():
        i = text.index(word, i)
        yield i, word
        i += len(word)


def chunk(text: str, count: TokenCounter = whitespace_tokens, options: ChunkOptions = ChunkOptions()) -> list[Passage]:
    """Passages of `text`, in order, each a verbatim slice text[char_start:char_end]."""
    spans = _merge_fragments(paragraph_spans(text), text, options.min_words)
    counts = count([text[s:e] for s, e in spans])
    out: list[tuple[int, int, int | None]] = []
    for (s, e), n in zip(spans, counts):
        if n <= options.max_tokens:
            out.append((s, e, n))
        else:
            out.extend((a, b, None) for a, b in _split_long(text, s, e, options.max_tokens, count))
    missing = [i for i, (_, _, n) in enumerate(out) if n is None]
    if missing:
        filled = count([text[out[i][0] : out[i][1]] for i in missing])
        for i, n in zip(missing, filled):
            out[i] = (out[i][0], out[i][1], n)
    return [Passage(ordinal=i, char_start=s, char_end=e, text=text[s:e], n_tokens=n) for i, (s, e, n) in enumerate(out)]
