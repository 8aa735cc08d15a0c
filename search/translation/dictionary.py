"""A Chinese-English dictionary (CC-CEDICT) prepared for query translation: Chinese words with their English
senses, and English phrases with the Chinese words that have them as a sense.

CC-CEDICT lines read `TRADITIONAL SIMPLIFIED [pin1 yin1] /sense/sense/.../`. A sense is cleaned to the words a
passage would use for it: no parenthesised notes, classifiers or pinyin, no "variant of" and "surname" senses,
its first clause only, and "abbr. for 日本[Ri4 ben3], Japan" is read as the senses of the word it abbreviates
(美 gives America, 俄 Russia).

Parsing the 120,000 entries and indexing them by English takes seconds, so it is done once: `prepare(source,
out)` writes both tables to a small SQLite file (atomically), and `Dictionary(path)` answers lookups from it
without loading it (a query's lookups are a few hundred point reads). `Dictionary.from_text` prepares a
dictionary in memory (the tests' own entries).
"""
from __future__ import annotations

import functools
import gzip
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus.cjk import has_cjk
from search.tokenizer import STOPWORDS, stem

FORMAT = "3"  # of the prepared tables (bump when their preparation changes): another format is prepared again
_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_DROP_SENSE = re.compile(r"^(CL:|surname |(old |archaic |Japanese |erroneous )?variant of |see |used in |Taiwan pr\.|also pr\.|also written|"
                         r"\(onom\.\)|\(dialect\)|\(old\)|\(archaic\)|\(literary\)|\(Tw\)|\(Cantonese\)|pr\. )", re.I)
_PAREN = re.compile(r"\([^()]*\)")
_BRACKETS = re.compile(r"\[[^\]]*\]")
_CJK_REF = re.compile(r"\S*[\u3400-\u9fff]\S*")
_FILLER = re.compile(r"\b(sb|sth|sb's|sth's|one's|oneself|etc|lit\.|fig\.|i\.e\.|e\.g\.|esp\.|usu\.|abbr\.)(?=\W|$)", re.I)
_ACRONYM = re.compile(r"[A-Z]{2,6}")
_LEADING_TO = re.compile(r"^\s*to\s+")
_PUNCT = re.compile(r"[~:\"/?!.]+")
_LEADING_ABBR = re.compile(r"^(\(bound form\)\s*)?abbr\. for [^,]*")  # not '(abbr. for ...)' after the sense itself
_EN_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
MAX_SENSES = 3  # a word's first senses carry its common meanings; later ones are rare uses
MAX_WORD_CHARS = 8  # longer entries (idioms, titles) are not cut out of queries
MAX_KEY_WORDS = 4  # English senses longer than this are not looked up
SEP = "\x1f"
MEMO_WORDS = 100_000  # lookups remembered by one Dictionary


def clean_sense(sense: str) -> list[str]:
    """A sense as the plain English phrases it gives, its first clause only: 'to comment on' -> ['comment on'],
    'Biden (name)' -> ['Biden'], 'country; nation; state' -> ['country', 'nation', 'state'],
    'Xi Jinping (1953-), PRC politician, ...' -> ['Xi Jinping']."""
    return list(_clean(sense))


@functools.lru_cache(maxsize=1 << 18)  # pure; a sense is met again in its traditional entry and its reverse index
def _clean(sense: str) -> tuple[str, ...]:
    text = _BRACKETS.sub("", sense)
    while "(" in text and _PAREN.search(text):
        text = _PAREN.sub(" ", text)
    text = _FILLER.sub(" ", _CJK_REF.sub(" ", text.replace("|", " ")))
    out: list[str] = []
    for part in text.split(";"):
        part = _LEADING_TO.sub("", part.split(",")[0])
        part = " ".join(_PUNCT.sub(" ", part).split()).strip(" -'")
        if part and not has_cjk(part) and part.lower() not in (o.lower() for o in out):
            out.append(part)
    return tuple(out)


def exact_key(text: str) -> str:
    """An English phrase as the reverse index also keys it unstemmed (lower case), looked up first: 'new' is not
    'news', though both stem alike."""
    return "=" + " ".join(_EN_WORD.findall(text.lower()))


def english_key(text: str) -> str:
    """An English phrase as the reverse index keys it: lower case, each word stemmed, stopwords kept."""
    return " ".join(stem(w) for w in _EN_WORD.findall(text.lower()))


@dataclass
class Entry:
    word: str
    proper: bool  # a name (its pinyin is capitalised): Wang Yi, Ukraine, 美 (USA)
    senses: list[str] = field(default_factory=list)  # raw, in dictionary order
    abbreviates: list[str] = field(default_factory=list)  # the (simplified) words it abbreviates
    simplified: bool = True  # False: the traditional form of an entry whose simplified form differs
    plain: list[str] | None = None  # its senses cleaned (_plain_senses), once


def parse_lines(lines: Iterable[str]) -> Iterator[Entry]:
    """The entries of CC-CEDICT lines (comments and lines of another shape skipped), simplified and traditional."""
    for line in lines:
        m = _LINE.match(line.rstrip("\n")) if line and not line.startswith("#") else None
        if not m:
            continue
        trad, simp, pinyin, body = m.groups()
        senses = [s.strip() for s in body.split("/") if s.strip()]
        abbreviates = [a.group(1).split("|")[-1] for s in senses if (a := re.search(r"abbr\. for ([^\[\],\s]+)", s))]
        proper = pinyin[:1].isupper()
        yield Entry(simp, proper, senses, abbreviates)
        if trad != simp:
            yield Entry(trad, proper, senses, abbreviates, simplified=False)


def _plain_senses(entry: Entry) -> list[str]:
    """The entry's senses as cleaned phrases, in order (dropped kinds of sense left out); worked out once."""
    if entry.plain is None:
        entry.plain = list(_plain(entry))
    return entry.plain


def _plain(entry: Entry) -> Iterator[str]:
    for sense in entry.senses:
        if _DROP_SENSE.match(sense):
            continue
        if _LEADING_ABBR.match(sense):  # 'abbr. for 日本[Ri4 ben3], Japan': what it says besides the word abbreviated
            sense = _LEADING_ABBR.sub("", sense, count=1).lstrip(", ").strip()
        yield from _clean(sense)


def _tables(entries: Iterable[Entry]) -> tuple[dict[str, tuple[bool, list[str], list[str]]], dict[str, list[tuple[int, str]]]]:
    """word -> (is a name, first senses, first name senses); English key -> [(sense rank, word)]."""
    by_word: dict[str, list[Entry]] = {}
    for entry in entries:
        by_word.setdefault(entry.word, []).append(entry)

    def senses_of(word: str, names_only: bool, depth: int = 0) -> list[str]:
        """Its entries' senses, names' entries first, each entry's abbreviated word's first sense in its place."""
        out: list[str] = []
        for entry in sorted(by_word.get(word, ()), key=lambda e: not e.proper):
            if names_only and not entry.proper:
                continue
            found = [p for t in entry.abbreviates if t != word and depth < 2 for p in senses_of(t, False, depth + 1)[:1]]
            for phrase in [*found, *_plain_senses(entry)]:
                if phrase.lower() not in (o.lower() for o in out):
                    out.append(phrase)
            if len(out) >= MAX_SENSES:
                break
        return out[:MAX_SENSES]

    words = {}
    for word, entries_of in by_word.items():
        proper = any(e.proper for e in entries_of)
        words[word] = (proper, senses_of(word, False), senses_of(word, True) if proper else [])

    english: dict[str, list[tuple[int, str]]] = {}
    for word, entries_of in by_word.items():
        if len(word) > MAX_WORD_CHARS:
            continue
        for entry in entries_of:
            if not entry.simplified:
                continue  # translations into Chinese are given in simplified characters
            for rank, phrase in enumerate(p for s in entry.senses if not _DROP_SENSE.match(s) and not _LEADING_ABBR.match(s)
                                          for p in _clean(s)):
                key = english_key(phrase)
                if key and key.count(" ") < MAX_KEY_WORDS and not all(w in STOPWORDS for w in key.split()):
                    english.setdefault(key, []).append((rank, word))
                    english.setdefault(exact_key(phrase), []).append((rank, word))
                    if entry.proper and _ACRONYM.fullmatch(phrase):  # US, UN, EU: kept apart from 'us', 'un'
                        english.setdefault(phrase, []).append((rank, word))
    return words, english


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE words (word TEXT PRIMARY KEY, proper INTEGER NOT NULL, senses TEXT NOT NULL, name_senses TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE english (key TEXT PRIMARY KEY, words TEXT NOT NULL) WITHOUT ROWID;
"""


def _write(conn: sqlite3.Connection, entries: Iterable[Entry], meta: dict[str, str]) -> None:
    words, english = _tables(entries)
    conn.executescript(_SCHEMA)
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), *meta.items()])
    conn.executemany("INSERT INTO words VALUES (?, ?, ?, ?)",
                     ((w, int(p), SEP.join(s), SEP.join(n)) for w, (p, s, n) in words.items()))
    conn.executemany("INSERT INTO english VALUES (?, ?)",
                     ((k, SEP.join(dict.fromkeys(w for _, w in sorted(v, key=lambda t: t[0])))) for k, v in english.items()))
    conn.commit()


def prepare(source: Path, out: Path, meta: dict[str, str] | None = None) -> Path:
    """Write the prepared tables of the CC-CEDICT file `source` (.txt or .txt.gz) to `out`, atomically."""
    opener = gzip.open if source.name.endswith(".gz") else open
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        with opener(source, "rt", encoding="utf-8") as f:
            conn = sqlite3.connect(tmp)
            try:
                _write(conn, parse_lines(f), {"source": str(source), **(meta or {})})
            finally:
                conn.close()
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


class Dictionary:
    """Lookups in prepared tables (a file from `prepare`, or an in-memory connection)."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        self._memo: dict[str, tuple[bool, list[str], list[str]] | None] = {}

    @classmethod
    def open(cls, path: Path) -> Dictionary:
        return cls(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))

    @classmethod
    def from_text(cls, text: str) -> Dictionary:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        _write(conn, parse_lines(text.splitlines()), {})
        return cls(conn)

    def meta(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT key, value FROM meta"))

    def close(self) -> None:
        self._conn.close()

    def _word(self, word: str) -> tuple[bool, list[str], list[str]] | None:
        if word not in self._memo:
            if len(self._memo) >= MEMO_WORDS:  # a long-running server meets endless substrings: start afresh
                self._memo.clear()
            row = self._conn.execute("SELECT proper, senses, name_senses FROM words WHERE word = ?", (word,)).fetchone()
            self._memo[word] = None if row is None else (bool(row[0]), _split(row[1]), _split(row[2]))
        return self._memo[word]

    def __contains__(self, word: str) -> bool:
        return self._word(word) is not None

    def is_name(self, word: str) -> bool:
        """Whether some entry of `word` is a name (capitalised pinyin): 美 (USA), 王毅, 乌克兰."""
        found = self._word(word)
        return bool(found and found[0])

    def senses(self, word: str, limit: int = MAX_SENSES, names_only: bool = False) -> list[str]:
        """The first `limit` cleaned English senses of a Chinese word, names' first; [] if unknown. `names_only`:
        those of its name entries alone (美: America, United States; not 'beautiful')."""
        found = self._word(word)
        if found is None:
            return []
        return (found[2] if names_only else found[1])[:limit]

    def segment(self, run: str) -> list[str]:
        """A run of Chinese characters cut into dictionary words, fewest pieces (a character the dictionary lacks is
        a piece of its own): 中美关系 -> 中美, 关系."""
        n = len(run)
        best: list[tuple[int, int] | None] = [None] * (n + 1)  # (pieces, start of the last piece)
        best[0] = (0, 0)
        for end in range(1, n + 1):
            for start in range(max(0, end - MAX_WORD_CHARS), end):
                if best[start] is None or (end - start > 1 and run[start:end] not in self):
                    continue
                if best[end] is None or best[start][0] + 1 < best[end][0]:
                    best[end] = (best[start][0] + 1, start)
        pieces, end = [], n
        while end > 0:
            start = best[end][1]
            pieces.append(run[start:end])
            end = start
        return pieces[::-1]

    def chinese_for(self, key: str) -> list[str]:
        """The Chinese words with a sense whose `english_key` (or `exact_key`) is `key`, or an acronym itself ('US');
        those whose earlier sense it is first."""
        row = self._conn.execute("SELECT words FROM english WHERE key = ?", (key,)).fetchone()
        return _split(row[0]) if row else []


def _split(joined: str) -> list[str]:
    return joined.split(SEP) if joined else []
