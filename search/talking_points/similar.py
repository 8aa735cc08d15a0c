"""The passages nearest to one passage or to a text, with the words they share highlighted."""
from __future__ import annotations

from dataclasses import dataclass

from index.ids import is_sqlite_integer
from index.embedding.protocol import embed_queries
from index.passage_queries import passage_view, passage_views
from index.passage_view import CITATION_FIELDS, CarriesPassage, PassageView
from search.talking_points.errors import PassageNotFound, TalkingPointsError
from search.talking_points.sentences import shingles
from search.tokenizer import TOKENIZER

MAX_K = 200

@dataclass
class SimilarPassage(CarriesPassage):
    """A passage near the source one (similar.doc_id, similar.text, ... read through) and what they share."""

    rank: int
    passage: PassageView
    cosine: float
    word_overlap: float  # share of the source's content words that this passage uses too
    ngram_containment: float  # share of the shorter side's 5-grams found in the other
    shared_words: list[str]
    highlights: list[tuple[int, int]]  # character spans of the shared words in `text`

    def as_dict(self) -> dict:
        return {"rank": self.rank, **self.passage.as_dict(CITATION_FIELDS), "text": self.passage.text, "cosine": self.cosine,
                "word_overlap": self.word_overlap, "ngram_containment": self.ngram_containment, "shared_words": list(self.shared_words),
                "highlights": [list(s) for s in self.highlights]}

def similar_passages(store, embedder, passage_id: int | None = None, text: str | None = None, k: int = 10,
                     other_documents: bool = True) -> list[SimilarPassage]:
    """Nearest passages by embedding cosine to passage `passage_id` or to `text` (give exactly one).
    With `other_documents`, passages of the source passage's own document are left out."""
    if (passage_id is None) == (text is None or not text.strip()):
        raise TalkingPointsError('give a {passage_id} or {text} "...", e.g. dipsearch similar 1234', fields=("passage_id", "text"))
    if not 1 <= k <= MAX_K:
        raise TalkingPointsError("{k} {value} is out of range; use 1 to {most}", fields=("k",), value=k, most=MAX_K)
    db = store.db
    exclude_doc = None
    if passage_id is not None:
        if not is_sqlite_integer(passage_id):
            raise PassageNotFound(passage_id)
        source_view = passage_view(db.conn, passage_id)
        if source_view is None:
            raise PassageNotFound(passage_id)
        source_text = source_view.text
        info = store.model_info()
        vector = db.vectors_for([passage_id], int(info["dimension"]))
        exclude_doc = source_view.doc_id if other_documents else None
    else:
        store.check_model(embedder)
        source_text = text
        vector = embed_queries(embedder, [text])
    depth = k + 1
    while True:
        scores, ids = store.vectors().search(vector, depth)
        found = [(int(i), float(s)) for s, i in zip(scores[0], ids[0]) if i >= 0 and i != passage_id]
        views = passage_views(db.conn, [i for i, _ in found])
        kept = [(i, s) for i, s in found if i in views and views[i].doc_id != exclude_doc]
        if len(kept) >= k or depth >= store.vectors().size:
            break
        depth = min(store.vectors().size, depth * 4)
    out = []
    for rank, (pid, score) in enumerate(kept[:k], start=1):
        view = views[pid]
        shared, spans = shared_words(source_text, view.text)
        out.append(SimilarPassage(rank, view, round(score, 4), round(_overlap(source_text, shared), 4),
                                  round(containment(source_text, view.text), 4), shared, spans))
    return out

def shared_words(source: str, other: str, tokenizer=TOKENIZER) -> tuple[list[str], list[tuple[int, int]]]:
    """(shared content words by stem, their spans in `other`); words are the tokenizer's tokens."""
    wanted = tokenizer.content_stems(source)
    spans, seen = [], []
    for a, b in tokenizer.token_spans(other):
        word = other[a:b].lower()
        if tokenizer.is_content(word) and tokenizer.stem(word) in wanted:
            spans.append((a, b))
            if word not in seen:
                seen.append(word)
    return seen, spans

def _overlap(source: str, shared: list[str], tokenizer=TOKENIZER) -> float:
    wanted = tokenizer.content_stems(source)
    return len({tokenizer.stem(w) for w in shared} & wanted) / max(1, len(wanted))

def containment(a: str, b: str, n: int = 5, tokenizer=TOKENIZER) -> float:
    sa, sb = shingles(tokenizer.tokens(a), n), shingles(tokenizer.tokens(b), n)
    return len(sa & sb) / max(1, min(len(sa), len(sb)))
