"""A document's token stream for formulas: journalists' questions left out, the rest tokenized.

Questions in press-conference transcripts (found by the turn parser, corpus/turns.py) are not the
speaker's formulas, so their characters are cut out and a break stands in their place.
"""
from __future__ import annotations

from dataclasses import dataclass

from corpus.turns import find_turns
from search.formulas.tokens import BREAK, tokenize


@dataclass(frozen=True)
class DocumentTokens:
    norms: list[str]
    starts: list[int]
    ends: list[int]
    capital: list[bool]
    question_norms: list[str] = ()  # the journalists' questions' tokens, BREAK between questions (not part of the stream)
    comma: list[bool] = ()  # a comma follows the token (tokens.commas)


def left_out_spans(text: str, speaker: str | None = None) -> list[tuple[int, int]]:
    """Character spans of the journalists' questions in a transcript (none in other text)."""
    scan = find_turns(text, [speaker] if speaker else ())
    return sorted(t.question_span for t in scan.turns)


def document_tokens(text: str, speaker: str | None = None) -> DocumentTokens:
    """The tokens of a document outside its questions, a break wherever a question was cut out."""
    spans = left_out_spans(text, speaker)
    if not spans:
        t = tokenize(text)
        return DocumentTokens(t.norms, t.starts, t.ends, t.capital, [], t.comma)
    norms, starts, ends, capital, comma = [], [], [], [], []
    cursor = 0
    for lo, hi in spans + [(len(text), len(text))]:
        if lo > cursor:
            t = tokenize(text[cursor:lo])
            norms += t.norms
            starts += [s + cursor for s in t.starts]
            ends += [e + cursor for e in t.ends]
            capital += t.capital
            comma += t.comma
        if norms and norms[-1] != BREAK:
            norms.append(BREAK)
            starts.append(lo)
            ends.append(lo)
            capital.append(False)
            comma.append(False)
        cursor = max(cursor, hi)
    asked: list[str] = []
    for lo, hi in spans:
        asked += tokenize(text[lo:hi]).norms + [BREAK]
    return DocumentTokens(norms, starts, ends, capital, asked, comma)
