"""Same formula in Chinese and English: a formula found in one language's documents and its translation found in the
other's (构建人类命运共同体 / "building a community with a shared future for mankind") become one item.

    link_languages(formulas, db, embedder, filters) -> list[Formula]   (linked pairs as CrossLingualFormula)
    formulas_across_languages(find, limit, db, embedder, model_info, filters, enabled) -> list[Formula]

Two pieces of evidence, both measured on the MFA transcripts (README, "Same formula in Chinese and English"):

- Wording: the index's own encoder, when it reads both languages (`use-multilingual`, `e5-multilingual`, or a folder
  whose card declares them), embeds each item's wording; the pair's cosine must reach COSINE_WITH_DATES, or
  COSINE_ALONE where the documents give no date evidence. A monolingual model (all-MiniLM-L6-v2) puts a Chinese
  phrase nowhere near its translation, so with such an index nothing is linked.
- Use: parallel transcripts (a press conference published in both languages) put a formula and its translation in
  the documents of the same date and source. Over the (date, source) keys that have documents in both languages,
  `shared` keys hold both items, and `overlap` = shared / the smaller item's keys. Date evidence holds when
  shared >= MIN_SHARED, overlap >= MIN_OVERLAP and shared is at least LIFT x what two unrelated items of those
  sizes would share by chance (|A| |B| / keys).

A pair is linked when (cosine >= COSINE_WITH_DATES and date evidence) or cosine >= COSINE_ALONE. Pairs are taken
strongest first (cosine, plus overlap where the dates agree), each item in one pair at most: a second English
wording of a Chinese formula stays its own item (letting it join linked "places of worship registered for
religious activities" to 宗教信仰自由 on MFA). The linked item stands at its better part's rank and the list is
renumbered.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from corpus.cjk import has_cjk
from search.formulas.find import Formula, Use
from search.formulas.history import counts_by_period, series

COSINE_WITH_DATES = 0.35  # with date evidence (README: measured on the MFA pair)
COSINE_ALONE = 0.75  # without it: corpora that are not parallel, or a pair too rare to show it
MIN_SHARED = 2
MIN_OVERLAP = 0.5
LIFT = 3.0
POOL = 3  # with linking on, the formulas looked at are POOL x the list asked for: a partner may rank lower
MAX_POOL = 300


@dataclass
class Link:
    """Why two items were linked."""

    cosine: float
    shared: int  # (date, source) keys using both
    overlap: float  # shared / the smaller item's keys
    expected: float  # keys two unrelated items of those sizes would share

    def as_dict(self) -> dict:
        return {"cosine": round(self.cosine, 3), "shared_dates": self.shared, "overlap": round(self.overlap, 3),
                "expected_by_chance": round(self.expected, 2)}


@dataclass
class CrossLingualFormula(Formula):
    """One formula in several languages: its parts (the items found per language), merged uses and history."""

    parts: list[Formula] = field(default_factory=list)  # best ranked first
    languages: dict[str, str] = field(default_factory=dict)  # doc id -> language of each use
    part_languages: list[str] = field(default_factory=list)  # of each part
    links: list[Link] = field(default_factory=list)  # evidence for each part after the first

    @property
    def wordings(self) -> dict[str, list[str]]:
        """Language -> its wordings (each part's most common wording; folded variants stay in `variants`)."""
        out: dict[str, list[str]] = {}
        for part, lang in zip(self.parts, self.part_languages):
            out.setdefault(lang, []).append(part.text)
        return out

    def history(self, period: str = "month") -> list[dict]:
        """Documents using it per period, by source and by language."""
        rows = series([(u.date, u.source) for u in self.uses], period)
        by_lang = counts_by_period([(u.date, self.languages.get(u.doc_id)) for u in self.uses], period)
        for row in rows:
            row["by_language"] = by_lang.get(row["period"], {})
        return rows

    def as_dict(self, period: str = "month") -> dict:
        data = super().as_dict(period)
        data["wordings"] = self.wordings
        data["by_language"] = {lang: _language_summary([u for u in self.uses if self.languages.get(u.doc_id) == lang])
                               for lang in dict.fromkeys(self.part_languages)}
        data["links"] = [{"text": part.text, "language": lang, "rank_alone": part.rank, **link.as_dict()}
                         for part, lang, link in zip(self.parts[1:], self.part_languages[1:], self.links)]
        return data


def is_multilingual(model_info: dict | None, embedder_languages=None) -> bool:
    """Whether the index's model reads Chinese and English: a packaged multilingual encoder, or a model whose card
    declares both (or `multilingual`). Unknown (no card) is not multilingual: nothing says it reads both."""
    from index.embedding.registry import MULTILINGUAL_LANGUAGES, E5_MODEL, USE_MODEL

    languages = embedder_languages
    if languages is None and model_info:
        name = model_info.get("name")
        if name == E5_MODEL:
            languages = MULTILINGUAL_LANGUAGES["e5"]
        elif name == USE_MODEL:
            languages = MULTILINGUAL_LANGUAGES["use"]
        elif model_info.get("path"):
            from index.embedding.languages import declared_languages

            languages = declared_languages(model_info["path"])
    if not languages:
        return False
    base = {str(lang).lower().split("-")[0].split("_")[0] for lang in languages}
    return "multilingual" in base or {"en", "zh"} <= base


def formulas_across_languages(find: Callable[[int], list[Formula]], limit: int, db, embedder: Callable[[], object | None],
                              model_info: dict | None, filters=None, enabled: bool | None = None) -> list[Formula]:
    """The formulas list with each formula and its translation as one item. `find(n)` gives the best n formulas;
    `embedder()` the index's model (called only when linking). `enabled`: None links when the model reads both
    languages and the list holds both; False never; True whenever the model reads both."""
    if enabled is False or not is_multilingual(model_info):
        return find(limit)
    pool = find(min(MAX_POOL, max(limit, POOL * limit)))
    if enabled is None and len({_script(f) for f in pool}) < 2:
        return pool[:limit]
    model = embedder()
    if model is None or not is_multilingual(model_info, getattr(model, "languages", None)):
        return pool[:limit]
    return link_languages(pool, db, model, filters)[:limit]


def link_languages(formulas: Sequence[Formula], db, embedder, filters=None) -> list[Formula]:
    """`formulas` (best first) with linked pairs merged, renumbered from 1."""
    formulas = list(formulas)
    doc_lang = _document_languages(db, filters)
    langs = [_language(f, doc_lang) for f in formulas]
    scripts = [_script(f) for f in formulas]
    if len(set(scripts)) < 2:
        return formulas
    vectors = _embed(embedder, [f.text for f in formulas])
    cos = vectors @ vectors.T
    parallel = _parallel_keys(db, filters)
    keys = [{_key(u, parallel.groups) for u in f.uses} & parallel.keys for f in formulas]
    passing: dict[tuple[int, int], Link] = {}
    for i in range(len(formulas)):
        for j in range(i + 1, len(formulas)):
            if scripts[i] == scripts[j]:
                continue
            link = _evidence(float(cos[i, j]), keys[i], keys[j], len(parallel.keys))
            if _passes(link):
                passing[(i, j)] = link
    groups = _match(passing)
    return _assemble(formulas, langs, doc_lang, groups, passing)


# ------------------------------------------------------------------ evidence
def _evidence(cosine: float, a: set, b: set, n_keys: int) -> Link:
    shared = len(a & b)
    small = min(len(a), len(b))
    return Link(cosine, shared, shared / small if small else 0.0, len(a) * len(b) / n_keys if n_keys else 0.0)


def dates_agree(link: Link) -> bool:
    return link.shared >= MIN_SHARED and link.overlap >= MIN_OVERLAP and link.shared >= LIFT * link.expected


def _passes(link: Link) -> bool:
    return (link.cosine >= COSINE_WITH_DATES and dates_agree(link)) or link.cosine >= COSINE_ALONE


def _strength(link: Link) -> float:
    return link.cosine + (link.overlap if dates_agree(link) else 0.0)


def _match(passing: dict[tuple[int, int], Link]) -> list[list[int]]:
    """Linked pairs, strongest first, each item in one pair at most."""
    taken: set[int] = set()
    pairs: list[list[int]] = []
    for (i, j), _ in sorted(passing.items(), key=lambda kv: (-_strength(kv[1]), kv[0])):
        if i not in taken and j not in taken:
            taken |= {i, j}
            pairs.append([i, j])
    return pairs


def _assemble(formulas, langs, doc_lang, groups, passing) -> list[Formula]:
    lead = {g[0]: g for g in groups}
    members = {i for g in groups for i in g[1:]}
    out: list[Formula] = []
    for i, f in enumerate(formulas):
        if i in lead:
            g = lead[i]
            f = _merge([formulas[k] for k in g], [langs[k] for k in g], doc_lang, [_link_of(passing, g, k) for k in g[1:]])
        elif i in members:
            continue
        out.append(f)
    for rank, f in enumerate(out, start=1):
        f.rank = rank
    return out


def _link_of(passing, group, k) -> Link:
    """The strongest evidence tying `k` to another member of its group."""
    pairs = [(min(m, k), max(m, k)) for m in group if m != k]
    return max((passing[p] for p in pairs if p in passing), key=_strength)


def _merge(parts: list[Formula], langs: list[str], doc_lang: dict, links: list[Link]) -> CrossLingualFormula:
    uses: dict[str, Use] = {}
    for part in parts:
        for u in part.uses:
            uses.setdefault(u.doc_id, u)
    ordered = sorted(uses.values(), key=lambda u: (u.date is None, u.date or "", u.doc_id))
    dated = [u for u in ordered if u.date]
    text = " / ".join(dict.fromkeys(p.text for p in parts))
    best = parts[0]
    return CrossLingualFormula(text, len(ordered), len({u.source for u in ordered} - {None}) or 1, dated[0] if dated else None,
                               dated[-1] if dated else None, max(p.score for p in parts), best.specificity, best.cohesion, ordered,
                               [v for p in parts for v in p.variants], parts=list(parts),
                               languages={u.doc_id: doc_lang.get(u.doc_id) or lang for p, lang in zip(parts, langs) for u in p.uses},
                               part_languages=list(langs), links=links)


def _language_summary(uses: list[Use]) -> dict:
    dated = [u for u in uses if u.date]
    return {"n_documents": len(uses), "first_seen": dated[0].date if dated else None, "last_seen": dated[-1].date if dated else None}


# ------------------------------------------------------------------ languages, keys, vectors
def _script(f: Formula) -> str:
    return "cjk" if has_cjk(f.text) else "other"


def _language(f: Formula, doc_lang: dict[str, str | None]) -> str:
    """The most common `lang` of the documents using it; its script where none is known."""
    counts = Counter(doc_lang.get(u.doc_id) for u in f.uses)
    counts.pop(None, None)
    return counts.most_common(1)[0][0] if counts else ("cjk" if has_cjk(f.text) else "unknown")


def _document_languages(db, filters) -> dict[str, str | None]:
    from index.passage_queries import document_rows

    return {r["doc_id"]: (r["lang"] or None) for r in document_rows(db.conn, filters)}


@dataclass
class _Parallel:
    keys: set  # (date, source group) with documents in both scripts' languages
    groups: dict  # source -> its group (sources naming the same web domain are one)


def _parallel_keys(db, filters) -> _Parallel:
    from index.passage_queries import document_rows
    from search.evaluation.from_parallel import same_source

    rows = document_rows(db.conn, filters)
    groups: dict = {}
    heads: list[str] = []
    for source in sorted({r["source"] for r in rows if r["source"]}):
        head = next((h for h in heads if same_source(h, source)), None)
        if head is None:
            heads.append(source)
            head = source
        groups[source] = head
    sides: dict[tuple, set] = {}
    for r in rows:
        if r["date"] and r["lang"]:
            sides.setdefault((r["date"], groups.get(r["source"])), set()).add(_cjk_lang(r["lang"]))
    return _Parallel({k for k, v in sides.items() if len(v) == 2}, groups)


def _cjk_lang(lang: str) -> bool:
    from search.query_language import is_cjk_lang

    return bool(is_cjk_lang(lang))


def _key(u: Use, groups: dict) -> tuple:
    return (u.date, groups.get(u.source))


def _embed(embedder, texts: list[str]) -> np.ndarray:
    """Unit vectors of the wordings; as queries where the model tells queries apart (e5: `query:`, for similarity)."""
    encode = getattr(embedder, "embed_queries", None) or embedder.embed
    v = np.asarray(encode(texts), dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms == 0, 1.0, norms)


__all__ = ["CrossLingualFormula", "Link", "formulas_across_languages", "is_multilingual", "link_languages"]
