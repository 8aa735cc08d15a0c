"""Query terms: words, quoted phrases, stopwords, and a light stemmer shared by search and highlighting."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from corpus.cjk import CJK_CLASS, has_cjk

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between both
    but by can could did do does doing down during each few for from further had has have having he her here hers
    him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
    ours out over own said same say says she should so some such than that the their theirs them then there these
    they this those through to too under until up very was we were what when where which while who whom why will
    with would you your yours""".split()
)
_WORD = re.compile(r"[\w][\w'\u2019-]*", re.UNICODE)
# Within a word holding CJK characters (which have no spaces between words): its CJK runs and the words between.
_CJK_PIECE = re.compile(rf"[{CJK_CLASS}]+|[^\W{CJK_CLASS}](?:[^\W{CJK_CLASS}]|['\u2019-])*")
CJK_WORD_CHARS = 4  # most Chinese words and four-character idioms are no longer
_PHRASE = re.compile(r'"([^"]+)"')


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each word; a CJK run counts as one word (matched as characters, see cjk_units).
    Text without CJK characters splits exactly as it always did."""
    if not has_cjk(text):
        for m in _WORD.finditer(text):
            yield m.start(), m.end()
        return
    for m in _WORD.finditer(text):
        for piece in _CJK_PIECE.finditer(m.group()):
            yield m.start() + piece.start(), m.start() + piece.end()


def words(text: str) -> list[str]:
    if not has_cjk(text):
        return [w.lower().strip("'\u2019-") for w in _WORD.findall(text)]
    return [text[a:b].lower().strip("'\u2019-") for a, b in word_spans(text)]


@functools.lru_cache(maxsize=1 << 16)  # pure; highlighting stems every word of every hit
def stem(word: str) -> str:
    """Crude English stemming, enough to match 'sanctions' with 'sanction' and 'talks' with 'talk'."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in ("ational", "ization", "ations", "ation", "ments", "ment", "ings", "ing", "edly", "ies", "ied", "es", "ed", "ly", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w


def query_terms(query: str) -> tuple[list[str], list[str]]:
    """(phrases, words) of a query: quoted phrases kept whole; stopwords dropped unless nothing else is left."""
    phrases = [p.strip() for p in _PHRASE.findall(query) if p.strip()]
    rest = _PHRASE.sub(" ", query)
    all_words = words(rest)
    content = [w for w in all_words if w not in STOPWORDS]
    kept = content or all_words
    seen, unique = set(), []
    for w in kept:
        if w not in seen:
            seen.add(w)
            unique.append(w)
    return phrases, unique


def cjk_units(run: str) -> list[str]:
    """The character sequences a CJK run of a query matches, each as a phrase: the run itself, and for a run
    longer than a word (a sentence typed without spaces) also each pair of adjacent characters, so passages
    sharing only some of its words are found too; bm25 ranks those sharing more, and the whole run, higher."""
    if len(run) <= CJK_WORD_CHARS:
        return [run]
    return [run, *dict.fromkeys(run[i : i + 2] for i in range(len(run) - 1))]
