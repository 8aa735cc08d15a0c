"""The one tokenizer of formulas: words (light stems) and CJK characters, with their character spans.

Everything in search/formulas that cuts text into tokens calls `tokenize`, so swapping in another
tokenizer (a shared CJK-aware one) is one change here. English words are lower-cased and lightly
stemmed ("managing" and "manage" meet), numbers become one token `#`; each CJK character is a token
of its own, because Chinese runs words together without spaces. A `BREAK` token stands where a
phrase may not run on: sentence ends, paragraph breaks and the left-out spans (journalists' questions).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from corpus.cjk import CJK_CLASS
from search.terms import STOPWORDS, stem

BREAK = ""  # the norm of a boundary token
_COMMA_RE = re.compile("[,\uff0c\u3001]")
NUMBER = "#"
# A word, a CJK character, or a stop (sentence end / Chinese full stop, semicolon, colon, paragraph break).
_TOKEN = re.compile(rf"(?P<cjk>[{CJK_CLASS}])|(?P<abbr>(?:[A-Za-z]\.){{2,}})|(?P<word>[^\W{CJK_CLASS}_]+(?:['\u2019]s\b)?)"
                    rf"|(?P<stop>[.!?;:]+(?=\s|$|[\"'\u201d\u2019)\]])|[\u3002\uff01\uff1f\uff1b\uff1a]+|\n\s*\n)")
_NO_BREAK_AFTER = frozenset("mr mrs ms dr st no prof gen".split())  # "Mr. Zhang" is one sentence
# CJK characters that are grammatical glue, the Chinese counterpart of stopwords: a phrase of only these is no formula.
CJK_FUNCTION_CHARS = frozenset("的了是在和与及或也都就而并对把被从向为以于之其这那个们我你他她它有要会将能所等着过")


@dataclass(frozen=True)
class Tokens:
    norms: list[str]  # normalised form of each token; BREAK at boundaries
    starts: list[int]  # character span of each token in the text
    ends: list[int]
    capital: list[bool]  # written with a capital letter, not at a sentence start (a name's word, mostly)
    comma: list[bool] = ()  # a comma (, \uff0c \u3001) stands between this token and the next: the joints of a list


@functools.lru_cache(maxsize=200_000)
def normalise_word(word: str) -> str:
    """A word's norm (the same word always gets the same norm, so norms are cached: a corpus repeats its words)."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]  # China's = China
    if w.isdigit():
        return NUMBER
    if w in STOPWORDS:
        return w
    s = stem(w)
    return s[:-1] if len(s) > 3 and s.endswith("e") else s  # "principle", "principles" and "share", "shared" meet


def tokenize(text: str) -> Tokens:
    """The tokens of `text` with their character spans."""
    norms, starts, ends, capital = [], [], [], []
    add_norm, add_start, add_end, add_capital = norms.append, starts.append, ends.append, capital.append
    last = BREAK  # the norm before this token
    for m in _TOKEN.finditer(text):
        kind, word = m.lastgroup, m.group()
        if kind == "word":
            norm = normalise_word(word)
        elif kind == "cjk":
            norm = word
        elif kind == "abbr":  # U.S. = US
            norm = word.replace(".", "").lower()
        elif last == BREAK or (word == "." and last in _NO_BREAK_AFTER):
            continue
        else:
            norm = BREAK
        add_capital(kind != "cjk" and norm != BREAK and last != BREAK and word[:1].isupper())
        add_norm(norm)
        start, end = m.span()
        add_start(start)
        add_end(end)
        last = norm
    return Tokens(norms, starts, ends, capital, commas(text, starts, ends))


def commas(text: str, starts: list[int], ends: list[int]) -> list[bool]:
    """For each token, whether a comma stands between it and the next token (or, for the last, just after it)."""
    out = [False] * len(starts)
    if not starts:
        return out
    import bisect

    for m in _COMMA_RE.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1  # the token before the comma
        if i >= 0 and ends[i] <= m.start() and (i + 1 == len(starts) or m.start() < starts[i + 1]):
            out[i] = True
    return out


def is_content(norm: str) -> bool:
    """Whether a token carries meaning of its own (not a stopword, number, single letter or CJK function character)."""
    if norm in (BREAK, NUMBER):
        return False
    if len(norm) == 1:
        return norm not in CJK_FUNCTION_CHARS and not norm.isascii()
    return norm not in STOPWORDS


def is_cjk(norm: str) -> bool:
    return len(norm) == 1 and not norm.isascii() and re.match(f"[{CJK_CLASS}]", norm) is not None
