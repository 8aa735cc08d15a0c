"""Formulas: phrases reused across documents, ranked by spread and specificity, with their history.

    find_formulas(store, filters, query, min_docs, limit) -> list[Formula]

Steps: tokens of new or changed documents are stored (store.refresh_tokens); the documents passing the
filters become one stream; maximal shared n-grams become candidates (candidates.py); the most promising
are located in every document; boilerplate is dropped (boilerplate.py); the rest are ranked, and
phrases contained in a better-ranked one are folded into it as variants.

Rank: log2(documents) x (1 + specificity, capped at 10) x (0.5 + cohesion) x name factor x (0.6 + 0.4 x time
span share) x source factor. The name factor lowers phrases whose content words are mostly written
capitalised mid-sentence (people's names and titles are not formulas); the time span share is the
phrase's first-to-last span over the corpus's. In transcripts, a phrase the journalists use too is a topic
everyone names ("Iranian nuclear issue", "oil and gas"), not the speaker's formula: the score is multiplied
by documents using it / (those + documents whose questions use it).
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date

import numpy as np

from corpus.dates import date_range
from index import passage_queries
from search.filters import Filters
from search.formulas import store as fm_store
from search.formulas.boilerplate import edge_share, is_boilerplate
from search.formulas.candidates import Candidate, documents_using, find_candidates, find_uses
from search.formulas.corpus_stream import Corpus, build_corpus
from search.formulas.errors import EmptyIndex, FormulasError
from search.formulas.history import series
from search.formulas.scope import by_passage, within
from search.formulas.tokens import NUMBER, is_content, tokenize

RANKING = 5  # bump when the ranking changes: stored lists of another ranking are not read
SHORTLIST = 400
_QUOTES = re.compile("[\"\u201c\u201d]")  # candidates located in full (at least 20 per item asked for)
SPECIFICITY_CAP = 10.0
NAME_WEIGHT = 0.8  # how much a phrase of names' words is lowered (by its words' usual case, then by its own uses' case)
SAME_PLACES = 0.5  # a phrase whose uses mostly overlap a better one's is folded into it
SPREAD_POWER = 1.0  # tried 1.5 on MFA: generic idioms and titles with many documents rose (23 of 30 real, against 26)


@dataclass
class Use:
    doc_id: str
    date: str | None
    source: str | None
    speaker: str | None
    title: str | None
    text: str  # the words as written there
    context: str = ""  # the words around them (about 80 characters either side), for reading the use

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Formula:
    text: str  # the most common wording
    n_documents: int
    n_sources: int
    first: Use | None  # earliest dated use (None when every use is undated)
    last: Use | None
    score: float
    specificity: float
    cohesion: float
    uses: list[Use] = field(default_factory=list)  # one per document, oldest first
    variants: list[str] = field(default_factory=list)  # contained or containing phrases folded into this one
    kind: str = "phrase"
    rank: int = 0

    @property
    def documents(self) -> list[str]:
        return sorted({u.doc_id for u in self.uses})

    @property
    def first_seen(self) -> str | None:
        return self.first.date if self.first else None

    @property
    def last_seen(self) -> str | None:
        return self.last.date if self.last else None

    def history(self, period: str = "month") -> list[dict]:
        """Documents using it per period: [{period, count, by_source}]."""
        return series([(u.date, u.source) for u in self.uses], period)

    def stored(self) -> dict:
        """Everything needed to make it again (`from_stored`)."""
        return {"text": self.text, "n_documents": self.n_documents, "n_sources": self.n_sources, "score": self.score,
                "specificity": self.specificity, "cohesion": self.cohesion, "variants": self.variants, "rank": self.rank,
                "uses": [u.as_dict() for u in self.uses], "first": self.first.as_dict() if self.first else None,
                "last": self.last.as_dict() if self.last else None}

    @classmethod
    def from_stored(cls, data: dict) -> "Formula":
        use = lambda d: Use(**d) if d else None  # noqa: E731
        return cls(data["text"], data["n_documents"], data["n_sources"], use(data["first"]), use(data["last"]), data["score"],
                   data["specificity"], data["cohesion"], [Use(**u) for u in data["uses"]], list(data["variants"]), rank=data["rank"])

    def as_dict(self, period: str = "month") -> dict:
        return {"kind": self.kind, "rank": self.rank, "text": self.text, "n_documents": self.n_documents, "n_sources": self.n_sources,
                "first_seen": self.first_seen, "last_seen": self.last_seen, "first": self.first.as_dict() if self.first else None,
                "last": self.last.as_dict() if self.last else None, "score": round(self.score, 3), "specificity": round(self.specificity, 3),
                "cohesion": round(self.cohesion, 3), "variants": list(self.variants), "documents": self.documents,
                "uses": [u.as_dict() for u in self.uses], "period": period, "history": self.history(period)}


def find_formulas(store, filters: Filters | None = None, query: str | None = None, min_docs: int = 2, limit: int = 20,
                  progress: Callable[[str, int], None] | None = None) -> list[Formula]:
    """Phrases of 3-20 words or 4-20 CJK characters used in at least `min_docs` documents passing `filters`, containing
    the content words of `query` if given, best first."""
    if min_docs < 2:
        raise FormulasError("{min_docs} {value}: a formula spans at least 2 documents", fields=("min_docs",), value=min_docs)
    if limit < 1:
        raise FormulasError("{limit} {value} must be at least 1", fields=("limit",), value=limit)
    db = store.db
    if db.counts().get("documents", 0) == 0:
        raise EmptyIndex()
    fm_store.refresh_tokens(db, progress)
    request = json.dumps({"filters": (filters or Filters()).as_dict(), "query": (query or "").strip(), "min_docs": min_docs,
                          "limit": limit, "version": [fm_store.VERSION, RANKING]}, sort_keys=True)
    stored = fm_store.cached(db, request)
    if stored is not None:
        return [Formula.from_stored(f) for f in stored]
    found = _compute(db, filters, query, min_docs, limit, progress)
    fm_store.save(db, request, [f.stored() for f in found])
    return found


def _compute(db, filters, query, min_docs, limit, progress) -> list[Formula]:
    facets = passage_queries.document_facets(db.conn, filters or Filters())
    if len(facets) < min_docs:
        return []
    tokens = fm_store.load_tokens(db, [f["doc_id"] for f in facets])
    if by_passage(filters):  # only what the passages passing the filters say
        spans = passage_queries.passage_spans(db.conn, filters)
        tokens = {d: within(t, spans.get(d, [])) for d, t in tokens.items()}
    facets = [f for f in facets if f["doc_id"] in tokens]
    corpus = build_corpus([f["doc_id"] for f in facets], [tokens[f["doc_id"]].norms for f in facets],
                          [tokens[f["doc_id"]].capital for f in facets], [tokens[f["doc_id"]].comma for f in facets])
    if progress:
        progress("stage", 1)
    candidates = find_candidates(corpus, min_docs)
    if progress:
        progress("stage", 1)
    wanted = _query_norms(query)
    vocab_id = {v: i for i, v in enumerate(corpus.vocab)}
    if wanted is not None:
        need = {vocab_id.get(w, -1) for w in wanted}
        run = tuple(vocab_id.get(n, -1) for n in tokenize(query).norms if n in wanted)
        cjk = any(corpus.cjk[t] for t in run if t >= 0)  # Chinese words are runs of characters: keep them in order
        candidates = [c for c in candidates if (_contains(c.tokens, run) if cjk else need <= set(c.tokens))]
    first_score = {c.tokens: _prelim(corpus, c) for c in candidates}
    prelim = sorted(candidates, key=lambda c: (-first_score[c.tokens], c.tokens))[: max(SHORTLIST, 20 * limit)]
    prelim = [c for c in prelim if first_score[c.tokens] > 0]
    find_uses(corpus, prelim)
    if progress:
        progress("stage", 1)
    dates = [f["date"] for f in facets]
    ordinals = [Date.fromisoformat(date_range(d)[0]).toordinal() if d else None for d in dates]  # a year or month: its first day
    known = [o for o in ordinals if o is not None]
    corpus_span = (max(known) - min(known)) if known else 0
    asked = documents_using(corpus, [tokens[f["doc_id"]].question_norms for f in facets], prelim)
    scored = []
    for c, in_questions in zip(prelim, asked):
        docs = _docs_of(corpus, c)
        if len(set(docs)) < min_docs or is_boilerplate(edge_share(corpus, c), len(set(docs))):
            continue
        days = [ordinals[d] for d in set(docs) if ordinals[d] is not None]
        span = (max(days) - min(days)) / corpus_span if corpus_span and days else 0.0
        n_sources = max(1, len({facets[d]["source"] for d in set(docs)} - {None}))  # a document without a source adds none
        speakers_own = len(set(docs)) / (len(set(docs)) + in_questions)  # 1 when journalists never use it
        named = 0.0 if c.enumeration else _capitalised_share(corpus, c, docs, facets, tokens)
        score = (1 - NAME_WEIGHT * named * named) * first_score[c.tokens] * (0.6 + 0.4 * span) * (1 + 0.25 * (min(n_sources, 5) - 1)) * speakers_own
        scored.append((score, c, docs, n_sources))
    scored.sort(key=lambda s: (-s[0], s[1].tokens))
    kept: list[tuple[float, Candidate, list[int], int, list[tuple[int, ...]]]] = []
    for score, c, docs, n_sources in scored:
        home = next((k for k in kept if _contains(k[1].tokens, c.tokens) or _contains(c.tokens, k[1].tokens)
                     or _covered_share(c.uses, k[1].uses) >= SAME_PLACES), None)
        if home is not None:
            home[4].append(c.tokens)
            continue
        kept.append((score, c, docs, n_sources, []))
        if len(kept) >= limit:
            break
    out = _formulas(db, corpus, facets, tokens, kept)
    for rank, f in enumerate(out, start=1):
        f.rank = rank
    return out


def _query_norms(query: str | None) -> set[str] | None:
    if not query or not query.strip():
        return None
    norms = {n for n in tokenize(query).norms if is_content(n)}
    return norms or None


def _prelim(corpus: Corpus, c: Candidate) -> float:
    if any(corpus.vocab[t] == NUMBER for t in c.tokens):
        return 0.0  # a figure inside: a report of numbers (case counts, dates), not a formula
    content = [t for t in c.tokens if corpus.content[t]]
    named = 0.0 if c.enumeration else sum(1 for t in content if corpus.name_share[t] > 0.5) / max(1, len(content))
    name_factor = 1 - NAME_WEIGHT * named * named
    return math.log2(max(2, c.n_docs)) ** SPREAD_POWER * (1 + min(c.specificity, SPECIFICITY_CAP)) * (0.5 + min(1.0, c.cohesion)) * name_factor


def _capitalised_share(corpus: Corpus, c: Candidate, docs: list[int], facets, tokens) -> float:
    """Share of the content words written capitalised mid-sentence, over the phrase's uses: near 1 for a name or a
    title ("President Xi Jinping", "Lunar New Year"), low for a formula, which is written in running text."""
    ids = corpus.stream.ids
    caps = total = 0
    for (s, e), d in zip(c.uses, docs):
        flags = tokens[facets[d]["doc_id"]].capital
        base = int(corpus.offset[d])
        for pos in range(s, e):
            if corpus.content[ids[pos]]:
                total += 1
                caps += flags[pos - base]
    return caps / total if total else 0.0


def _docs_of(corpus: Corpus, c: Candidate) -> list[int]:
    starts = np.fromiter((s for s, _ in c.uses), dtype=np.int64, count=len(c.uses))
    return (np.searchsorted(corpus.offset, starts, side="right") - 1).tolist()


def _contains(big: tuple[int, ...], small: tuple[int, ...]) -> bool:
    n, m = len(big), len(small)
    return m <= n and any(big[i : i + m] == small for i in range(n - m + 1))


def _covered_share(uses: list[tuple[int, int]], other: list[tuple[int, int]]) -> float:
    """Share of `uses` (stream spans) that overlap a use of `other`. Two wordings standing mostly in the same places
    are one formula found twice ("average of hospital admissions" with its tolerant uses, and "seven-day average
    of hospital admissions"): the second is folded into the first."""
    if not uses or not other:
        return 0.0
    starts = np.fromiter((s for s, _ in other), dtype=np.int64, count=len(other))
    reach = np.maximum.accumulate(np.fromiter((e for _, e in other), dtype=np.int64, count=len(other)))
    mine = np.asarray(uses, dtype=np.int64)
    before = np.searchsorted(starts, mine[:, 1], side="left") - 1  # the last use of `other` starting before this one ends
    hit = (before >= 0) & (reach[np.maximum(before, 0)] > mine[:, 0])
    return float(hit.mean())


def _formulas(db, corpus: Corpus, facets, tokens, kept) -> list[Formula]:
    needed = sorted({corpus.doc_ids[d] for _, _, docs, _, _ in kept for d in docs})
    texts = {r["doc_id"]: r["text"] for r in passage_queries.documents_with_text(db.conn, needed)}
    out = []
    for score, c, docs, n_sources, folded in kept:
        uses: dict[int, Use] = {}
        wordings: Counter = Counter()
        for (s, e), d in zip(c.uses, docs):
            f = facets[d]
            t = tokens[f["doc_id"]]
            lo, hi = s - int(corpus.offset[d]), e - int(corpus.offset[d]) - 1
            whole = texts.get(f["doc_id"], "")
            text = " ".join(_QUOTES.sub("", whole[t.starts[lo] : t.ends[hi]]).split())  # a quote opened inside is not part of the words
            wordings[text] += 1
            if d not in uses:
                uses[d] = Use(f["doc_id"], f["date"], f["source"], f["speaker"], f["title"], text,
                              _context(whole, t.starts[lo], t.ends[hi]))
        ordered = sorted(uses.values(), key=lambda u: (u.date is None, u.date or "", u.doc_id))
        dated = [u for u in ordered if u.date]
        text = _best_wording(wordings)
        variants = [_spelled(corpus, v) for v in folded]
        out.append(Formula(text, len(uses), n_sources, dated[0] if dated else None, dated[-1] if dated else None, score,
                           c.specificity, c.cohesion, ordered, variants))
    return out


def _context(text: str, start: int, end: int, width: int = 80) -> str:
    """The use with up to `width` characters either side, cut at spaces, within its paragraph."""
    lo = max(text.rfind("\n\n", 0, start) + 2, start - width, 0)
    hi = min(len(text), end + width)
    para_end = text.find("\n\n", end)
    if para_end != -1:
        hi = min(hi, para_end)
    if lo > 0 and lo < start and not text[lo - 1].isspace():
        lo = text.find(" ", lo, start) + 1 or lo
    if hi < len(text) and hi > end and not text[hi].isspace():
        hi = text.rfind(" ", end, hi) if text.rfind(" ", end, hi) > end else hi
    return ("\u2026" if lo > 0 else "") + " ".join(text[lo:hi].split()) + ("\u2026" if hi < len(text) else "")


def _spelled(corpus: Corpus, tokens) -> str:
    """A folded variant in its normalised tokens: CJK characters run together, words spaced."""
    out = ""
    for t in tokens:
        norm = corpus.vocab[t]
        out += norm if corpus.cjk[t] and (not out or out[-1] != " ") and (not out or not out[-1].isascii()) else (" " + norm if out else norm)
    return out


def _best_wording(wordings: Counter) -> str:
    """The most used wording, case aside (its most common casing)."""
    by_lower: Counter = Counter()
    for w, n in wordings.items():
        by_lower[w.lower()] += n
    top = by_lower.most_common(1)[0][0]
    return max((w for w in wordings if w.lower() == top), key=lambda w: wordings[w])
