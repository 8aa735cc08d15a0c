"""Query terms: the words, quoted phrases, stopwords and stems of search.tokenizer's one Tokenizer, by their old names."""
from __future__ import annotations

from search.tokenizer import CJK_WORD_CHARS, STOPWORDS, TOKENIZER, stem

word_spans = TOKENIZER.word_spans
words = TOKENIZER.words
query_terms = TOKENIZER.query_terms
cjk_units = TOKENIZER.cjk_units

__all__ = ["CJK_WORD_CHARS", "STOPWORDS", "cjk_units", "query_terms", "stem", "word_spans", "words"]
