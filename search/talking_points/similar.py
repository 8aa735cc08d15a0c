"""The passages nearest to one passage or to a text, with the words they share highlighted."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from index.database import in_batches
from search.talking_points.errors import PassageNotFound, TalkingPointsError
from search.talking_points.sentences import shingles
from search.tokenizer import TOKENIZER

MAX_K = 200

@dataclass
class SimilarPassage:
    rank: int
    passage_id: int
    doc_id: str
    title: str | None
    source: str | None
    speaker: str | None
    date: str | None
    text: str
    cosine: float
    word_overlap: float  # share of the source's content words that this passage uses too
    ngram_containment: float  # share of the shorter side's 5-grams found in the other
    shared_words: list[str]
    highlights: list[tuple[int, int]]  # character spans of the shared words in `text`

    def as_dict(self) -> dict:
        data = asdict(self)
        data["highlights"] = [list(s) for s in self.highlights]
        return data

def similar_passages(store, embedder, passage_id: int | None = None, text: str | None = None, k: int = 10,
                     other_documents: bool = True) -> list[SimilarPassage]:
    """Nearest passages by embedding cosine to passage `passage_id` or to `text` (give exactly one).
    With `other_documents`, passages of the source passage's own document are left out."""
    if (passage_id is None) == (text is None or not text.strip()):
        raise TalkingPointsError('give a PASSAGE_ID or --text "...", e.g. dipsearch similar 1234')
    if not 1 <= k <= MAX_K:
        raise TalkingPointsError(f"-k {k} is out of range; use 1 to {MAX_K}")
    db = store.db
    exclude_doc = None
    if passage_id is not None:
        row = db.conn.execute("SELECT passage_id, doc_id, text FROM passages WHERE passage_id = ?", (passage_id,)).fetchone()
        if row is None:
            raise PassageNotFound(passage_id)
        source_text = row["text"]
        info = store.model_info()
        vector = db.vectors_for([passage_id], int(info["dimension"]))
        exclude_doc = row["doc_id"] if other_documents else None
    else:
        store.check_model(embedder)
        source_text = text
        vector = embedder.embed([text])
    depth = k + 1
    while True:
        scores, ids = store.vectors().search(vector, depth)
        found = [(int(i), float(s)) for s, i in zip(scores[0], ids[0]) if i >= 0 and i != passage_id]
        rows = _rows(db, [i for i, _ in found])
        kept = [(i, s) for i, s in found if i in rows and rows[i]["doc_id"] != exclude_doc]
        if len(kept) >= k or depth >= store.vectors().size:
            break
        depth = min(store.vectors().size, depth * 4)
    out = []
    for rank, (pid, score) in enumerate(kept[:k], start=1):
        row = rows[pid]
        shared, spans = shared_words(source_text, row["text"])
        out.append(SimilarPassage(rank, pid, row["doc_id"], row["title"], row["source"], row["speaker"], row["date"], row["text"],
                                  round(score, 4), round(_overlap(source_text, shared), 4), round(containment(source_text, row["text"]), 4),
                                  shared, spans))
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

def _rows(db, ids: list[int]) -> dict:
    out = {}
    for chunk, marks in in_batches(ids):
        for r in db.conn.execute(f"""SELECT p.passage_id, p.doc_id, p.text, d.title, d.source, d.speaker, d.date
                                    FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE p.passage_id IN ({marks})""", chunk):
            out[r["passage_id"]] = r
    return out
