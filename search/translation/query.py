"""Dictionary query translation: a query in one language as an FTS5 expression over the other language's passages.

Classic dictionary-based cross-language retrieval. The dense side of hybrid finds the other language by meaning,
but on press-conference transcripts the words that tell one briefing from the next are names, places and
formulas, which a lexical ranking finds best (on English MFA questions lexical beats every encoder's dense
ranking). A dictionary carries those across:

- Chinese -> English: each run of Chinese characters is cut into dictionary words (fewest pieces), and each word
  becomes its first English senses (a name's first); a single character that is no name gives its first sense
  only (的, 对 and 是 say little). Latin words and numbers in the query are kept.
- English -> Chinese: the longest runs of query words (up to four) that are a sense of some Chinese word are
  replaced by those words; of the candidates the ones the searched passages use most are kept (corpus-based
  choice among a word's translations: 'Japan' is 日本 in ministry transcripts, not the slang 霓虹国).

Each source word's translations form one OR group; bm25 over the groups ranks passages sharing more of them.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from corpus.cjk import CJK_CLASS, has_cjk
from search.tokenizer import STOPWORDS, TOKENIZER
from search.translation.dictionary import Dictionary, english_key, exact_key

_EN_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019-][A-Za-z0-9]+)*")
_ACRONYM = re.compile(r"[A-Z]{2,6}")
MAX_PHRASE_WORDS = 4
CHINESE_PER_PHRASE = 1  # translations kept per English phrase: the most used of the first candidates (2 added noise: dev MRR 0.208 vs 0.217)
CANDIDATES_CONSIDERED = 8


@dataclass(frozen=True)
class Translation:
    """What a query became: one group of alternatives per source word (source, [alternatives])."""
    groups: tuple[tuple[str, tuple[str, ...]], ...]

    def expression(self) -> str | None:
        """An FTS5 expression matching any alternative (each a phrase; CJK words spelled as their characters)."""
        parts: list[str] = []
        for _, alternatives in self.groups:
            for alt in alternatives:
                phrase = _fts_phrase(alt)
                if phrase and phrase not in parts:
                    parts.append(phrase)
        return " OR ".join(parts) if parts else None

    def words(self) -> list[str]:
        return [alt for _, alts in self.groups for alt in alts]


def _fts_phrase(text: str) -> str | None:
    if has_cjk(text):
        tokens = TOKENIZER.tokens(text)
    else:
        tokens = re.findall(r"[a-z0-9]+", text.lower())
    return '"' + " ".join(tokens) + '"' if tokens else None


def chinese_to_english(query: str, dictionary: Dictionary, senses: int = 3) -> Translation:
    groups: list[tuple[str, tuple[str, ...]]] = []
    for piece in re.finditer(rf"[{CJK_CLASS}]+|[A-Za-z0-9][A-Za-z0-9'-]*", query):
        text = piece.group()
        if not has_cjk(text):
            if text.lower() not in STOPWORDS:
                groups.append((text, (text,)))
            continue
        for word in dictionary.segment(text):
            proper = dictionary.is_name(word)
            found = dictionary.senses(word, senses if len(word) > 1 or proper else 1, names_only=proper and len(word) == 1)
            alternatives: list[str] = []
            for sense in found:
                content = [w for w in re.findall(r"[a-z0-9]+(?:'[a-z]+)?", sense.lower()) if w not in STOPWORDS]
                if not content:
                    continue
                if len(content) > 1 and len(sense.split()) <= MAX_PHRASE_WORDS:
                    alternatives.append(sense)  # the phrase ranks above its words, which are also kept
                alternatives += content
            if alternatives:
                groups.append((word, tuple(dict.fromkeys(alternatives))))
    return Translation(tuple(groups))


def english_to_chinese(query: str, dictionary: Dictionary, usage: Callable[[str], int]) -> Translation:
    """`usage(word)`: how many searched passages hold a Chinese word (the choice among its candidates)."""
    words = _EN_WORD.findall(query)
    keys = [english_key(w) for w in words]
    groups: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(words):
        matched = False
        if words[i].isdigit():  # numbers are written in digits in Chinese transcripts too (10月2日)
            groups.append((words[i], (words[i],)))
            i += 1
            continue
        for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
            if n == 1 and words[i].lower() in STOPWORDS:
                break
            gram = words[i : i + n]
            if n == 1 and _ACRONYM.fullmatch(gram[0]):  # US is not 'us'
                found = _choose(dictionary.chinese_for(gram[0]), usage)
            else:  # the words as written first ('new'), then stemmed ('talks' -> 'talk')
                found = (_choose(dictionary.chinese_for(exact_key(" ".join(gram))), usage)
                         or _choose(dictionary.chinese_for(" ".join(keys[i : i + n])), usage))
            if found:
                groups.append((" ".join(words[i : i + n]), tuple(found)))
                i, matched = i + n, True
                break
        if not matched:
            i += 1
    return Translation(tuple(groups))


def _choose(candidates: list[str], usage: Callable[[str], int]) -> list[str]:
    """Of a phrase's first candidate words, the most used ones; single characters only when no longer word is used."""
    considered = candidates[:CANDIDATES_CONSIDERED]
    longer = [(usage(w), w) for w in considered if len(w) > 1]
    used = [w for n, w in sorted(longer, key=lambda t: -t[0]) if n > 0][:CHINESE_PER_PHRASE]
    if used:
        return used
    single = [(usage(w), w) for w in considered if len(w) == 1]
    return [w for n, w in sorted(single, key=lambda t: -t[0]) if n > 0][:1]


def translate(query: str, dictionary: Dictionary, match_count: Callable[[str], int]) -> Translation | None:
    """`query` in the other language: Chinese (any CJK text) -> English, otherwise English -> Chinese;
    `match_count(fts_expression)` counts the searched passages matching an expression. None: no word translated."""
    if has_cjk(query):
        found = chinese_to_english(query, dictionary)
    else:
        counts: dict[str, int] = {}

        def usage(word: str) -> int:
            if word not in counts:
                phrase = _fts_phrase(word)
                counts[word] = match_count(phrase) if phrase else 0
            return counts[word]

        found = english_to_chinese(query, dictionary, usage)
    return found if found.groups else None
