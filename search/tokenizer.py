"""One tokenizer, CJK-aware, for lexical search, highlighting, talking points and `similar` (an object, as bm25s's
Tokenizer is: its stopwords and stemmer are its configuration, and every use asks it).

Two levels, one made of the other:
- tokens: what SQLite FTS5 indexes (unicode61 over corpus.cjk.cjk_spaced text): runs of word characters, split at
  apostrophes and hyphens, and each Chinese/Japanese/Korean character on its own. Talking points shingle and
  count them; `similar` highlights them.
- words: tokens joined by an inner apostrophe or hyphen ("china's", "non-interference"), and a run of CJK
  characters as one word. Queries are read as words (a word is an FTS5 phrase of its tokens) and highlighting
  marks them.
Text without CJK characters splits exactly as the three tokenizers this replaces did.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

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
_PLAIN_TOKEN = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(rf"[{CJK_CLASS}]|[^\W{CJK_CLASS}]+", re.UNICODE)  # a CJK character, or a run of other word characters
_CJK_CHAR = re.compile(rf"[{CJK_CLASS}]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
_PHRASE = re.compile(r'"([^"]+)"')
_ACRONYM = re.compile(r"(?<![\w'\u2019-])[A-Z]{2,6}s?(?![\w'\u2019-])")  # WHO, UN, NATO, ASEAN, WTO (and NGOs)
CJK_WORD_CHARS = 4  # most Chinese words and four-character idioms are no longer


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


class Tokenizer:
    """Tokens and words of text, their stems, and which of them carry content."""

    # Stored with the talking points: when it changes, their sentences are split again. 1 (never stored): a CJK
    # clause was one token; 2: each CJK character is one.
    version = "2"

    def __init__(self, stopwords: frozenset[str] = STOPWORDS, stemmer=stem, cjk_word_chars: int = CJK_WORD_CHARS):
        self.stopwords, self.stemmer, self.cjk_word_chars = stopwords, stemmer, cjk_word_chars

    # ---------------------------------------------------------------- tokens
    def token_spans(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each token of `text`."""
        pattern = _TOKEN if has_cjk(text) else _PLAIN_TOKEN
        for m in pattern.finditer(text):
            yield m.start(), m.end()

    def tokens(self, text: str) -> list[str]:
        """The tokens of `text`, lowercased (quotes and dashes normalised first, which never changes a token)."""
        text = text.translate(_QUOTES).lower()
        return (_TOKEN if has_cjk(text) else _PLAIN_TOKEN).findall(text)

    def normalise(self, text: str) -> str:
        """The tokens joined by spaces: equal for wordings that differ only in case, punctuation and spacing."""
        return " ".join(self.tokens(text))

    # ---------------------------------------------------------------- words
    def word_spans(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each word; a CJK run counts as one word (matched as its characters, see cjk_units)."""
        if not has_cjk(text):
            for m in _WORD.finditer(text):
                yield m.start(), m.end()
            return
        for m in _WORD.finditer(text):
            for piece in _CJK_PIECE.finditer(m.group()):
                yield m.start() + piece.start(), m.start() + piece.end()

    def words(self, text: str) -> list[str]:
        if not has_cjk(text):
            return [w.lower().strip("'\u2019-") for w in _WORD.findall(text)]
        return [text[a:b].lower().strip("'\u2019-") for a, b in self.word_spans(text)]

    def query_terms(self, query: str) -> tuple[list[str], list[str]]:
        """(phrases, words) of a query: quoted phrases kept whole; stopwords dropped unless nothing else is left."""
        phrases = [p.strip() for p in _PHRASE.findall(query) if p.strip()]
        all_words = self.words(_PHRASE.sub(" ", query))
        kept = {a.lower() for a in self.acronyms(_PHRASE.sub(" ", query))}  # WHO is no stopword
        content = [w for w in all_words if w not in self.stopwords or w in kept]
        return phrases, list(dict.fromkeys(content or all_words))

    def acronyms(self, query: str) -> list[str]:
        """The all-caps acronyms of a query (WHO, UN, NATO, ASEAN, WTO), in order: words of 2-6 capitals (a plural s
        allowed). A query typed all in capitals ("WHAT DID THE UN SAY") has none: its capitals say nothing."""
        found = list(dict.fromkeys(m.group() for m in _ACRONYM.finditer(query)))
        words = _WORD.findall(query)
        if len(words) > 2 and not any(c.islower() for c in query):
            return []
        return found

    def acronym_count(self, text: str, acronyms: Iterable[str]) -> int:
        """How many of `acronyms` `text` holds as themselves: a whole word, in capitals (WHO, not 'who')."""
        return sum(1 for a in acronyms if re.search(rf"(?<![\w'\u2019-]){re.escape(a)}(?![\w'\u2019-])", text))

    def cjk_units(self, run: str) -> list[str]:
        """The character sequences a CJK run of a query matches, each as a phrase: the run itself, and for a run
        longer than a word (a sentence typed without spaces) also each pair of adjacent characters, so passages
        sharing only some of its words are found too; bm25 ranks those sharing more, and the whole run, higher."""
        if len(run) <= self.cjk_word_chars:
            return [run]
        return [run, *dict.fromkeys(run[i : i + 2] for i in range(len(run) - 1))]

    # ---------------------------------------------------------------- stems and content
    def stem(self, word: str) -> str:
        return self.stemmer(word)

    def is_content(self, token: str) -> bool:
        """A token that says something: not a stopword, a number or a single letter; every CJK character is one."""
        if _CJK_CHAR.fullmatch(token):
            return True
        return token not in self.stopwords and not token.isdigit() and len(token) > 1

    def content_count(self, tokens: Iterable[str]) -> int:
        """Content words among `tokens`; CJK characters count one word per two (as corpus.cjk.word_count does)."""
        cjk = other = 0
        for t in tokens:
            if _CJK_CHAR.fullmatch(t):
                cjk += 1
            elif self.is_content(t):
                other += 1
        return other + (cjk + 1) // 2

    def content_stems(self, text: str) -> set[str]:
        return {self.stem(t) for t in self.tokens(text) if self.is_content(t)}


TOKENIZER = Tokenizer()  # the configuration every module uses; immutable in use
