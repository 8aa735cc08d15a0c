"""Unicode and whitespace normalisation, and the content fingerprint used for de-duplication."""
from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\v\f]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MULTI_SPACE = re.compile(r" {2,}")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def normalize_text(text: str) -> str:
    """NFC, one kind of space, no invisible or control characters, Unix newlines, no trailing spaces.

    Typographic quotes and dashes are kept: they are part of the text as published.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _CONTROL.sub("", text)
    return "\n".join(_MULTI_SPACE.sub(" ", line).strip() for line in text.split("\n"))


def fingerprint(text: str) -> str:
    """Hash of the text with case, quotes, dashes and whitespace folded: equal for the 'same' document."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    folded = " ".join(folded.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()
