"""The trend of a query: documents matching it per period and source, over the statements of that period.

Matching is lexical, through the FTS5 index: `phrase` (default) needs the query's words in order (CJK
characters as a phrase of characters), `all` needs every word (stopwords aside, when others remain) anywhere in one passage. A document counts
once per period however many of its passages match. `share` is matching documents over all documents of
the period that pass the filters (the statement volume), so a busy month does not look like a rise.
Undated documents fall in no period; they are counted in `undated`.

Who speaks (`said_by`, `roles`, `speakers`) is asked of the matching passage: with said_by China a document counts
when a passage said by China matches, not when China speaks elsewhere in a document holding the words. The volume
is then the documents in which China speaks (a passage of theirs passes the filters).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from corpus.cjk import has_cjk
from index import passage_queries
from search.attribution_note import unattributed_note
from search.filters import Filters
from search.formulas.errors import EmptyIndex, FormulasError
from search.formulas.history import check_period, period_of, periods_between, sparkline
from search.terms import STOPWORDS, words

MATCHES = ("phrase", "all")


@dataclass
class Trend:
    query: str
    match: str
    period: str
    expression: str
    filters: dict
    series: list[dict] = field(default_factory=list)  # [{period, documents, matches, passages, share, by_source}]
    undated: int = 0  # matching documents without a date
    total_matches: int = 0
    notes: list[str] = field(default_factory=list)  # e.g. who-said filters on passages stored before attribution

    def sparkline(self, key: str = "share") -> str:
        return sparkline([row[key] for row in self.series])

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def fts_expression(query: str, match: str = "phrase") -> str | None:
    """The FTS5 expression for `query`: one phrase of its words, or every word (AND)."""
    ws = [w.replace('"', "") for w in words(query or "") if w.replace('"', "")]
    if not ws:
        return None
    spell = lambda w: " ".join(w) if has_cjk(w) else w  # CJK characters are single tokens in the index
    if match == "phrase":
        return '"' + " ".join(spell(w) for w in ws) + '"'
    content = [w for w in ws if w not in STOPWORDS]
    return " AND ".join('"' + spell(w) + '"' for w in content or ws)


def trend(store, query: str, filters: Filters | None = None, period: str = "month", match: str = "phrase") -> Trend:
    check_period(period)
    if match not in MATCHES:
        raise FormulasError("{match} {value!r}: choose phrase or all", fields=("match",), value=match)
    expression = fts_expression(query, match)
    if expression is None:
        raise FormulasError("{query} is empty: give a word or phrase to follow over time", fields=("query",))
    filters = filters or Filters()
    conn = store.db.conn
    if store.db.counts().get("documents", 0) == 0:
        raise EmptyIndex()
    facets = {f["doc_id"]: f for f in passage_queries.document_facets(conn, filters)}
    hits = passage_queries.documents_matching(conn, expression, filters)
    result = Trend(query, match, period, expression, filters.as_dict())
    if filters.said_by or filters.roles:  # unattributed passages have no actor or role, so they never match
        note = unattributed_note(conn)
        if note:
            result.notes.append(note)
    volume = Counter(period_of(f["date"], period) for f in facets.values() if f["date"])
    matches, passages, by_source = Counter(), Counter(), {}
    for doc_id, n in hits:
        f = facets.get(doc_id)
        if f is None:
            continue
        result.total_matches += 1
        label = period_of(f["date"], period)
        if label is None:
            result.undated += 1
            continue
        matches[label] += 1
        passages[label] += n
        by_source.setdefault(label, Counter())[f["source"] or "unknown"] += 1
    if not matches:
        return result
    dates = sorted(f["date"] for f in facets.values() if f["date"])
    for label in periods_between(dates[0], dates[-1], period):
        docs = volume.get(label, 0)
        result.series.append({"period": label, "documents": docs, "matches": matches.get(label, 0), "passages": passages.get(label, 0),
                              "share": round(matches.get(label, 0) / docs, 4) if docs else 0.0,
                              "by_source": dict(sorted(by_source.get(label, {}).items()))})
    return result
