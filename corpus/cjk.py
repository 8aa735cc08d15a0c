"""CJK characters as words: Chinese, Japanese and Korean run many words together without spaces.

A word tokenizer (SQLite's unicode61, `\\w+`) sees a whole clause of Han characters as one word, so
no query shorter than the clause can match it. Indexing each CJK character as its own token, and
querying CJK words as phrases of characters, finds a word anywhere inside a clause.
"""
from __future__ import annotations

import re

# The body of a regex character class: Han (with the iteration marks 々 and 〇), kana and hangul.
# Letters only: punctuation such as the katakana middle dot is left to the tokenizer as a separator.
CJK_CLASS = (
    "\u3005\u3007"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U0003134f"  # Han
    "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # kana
    "\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff"  # hangul
)
_CJK = re.compile(f"[{CJK_CLASS}]")
_CJK_RUN = re.compile(f"[{CJK_CLASS}]+")


def _spaced_run(match: re.Match) -> str:
    return " " + "  ".join(match.group()) + " "


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def cjk_spaced(text):
    """`text` with a space either side of each CJK character, so a word tokenizer makes each one a token.

    Deterministic, and the identity on text without CJK characters (English is indexed as before).
    Anything that is not a string (SQL NULL) comes back unchanged.
    """
    if not isinstance(text, str) or not has_cjk(text):
        return text
    return _CJK_RUN.sub(_spaced_run, text)  # per run, not per character: the same text, 8x faster on Chinese


def word_count(text: str) -> int:
    """Words in `text`: whitespace-separated words, where a CJK run counts one word per two characters (a
    Chinese word is one to three characters, most often two) and CJK punctuation counts nothing. Text without
    CJK characters: exactly len(text.split())."""
    cjk = len(_CJK.findall(text))
    if not cjk:
        return len(text.split())
    rest = [w for w in _CJK.sub(" ", text).split() if any(c.isalnum() for c in w)]
    return len(rest) + (cjk + 1) // 2
