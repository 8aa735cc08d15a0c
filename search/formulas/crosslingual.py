"""Same formula in Chinese and English: a formula found in one language's documents and its translation found in the
other's (构建人类命运共同体 / "building a community with a shared future for mankind") become one item.

    link_languages(formulas, db, embedder, filters) -> list[Formula]   (linked pairs as CrossLingualFormula)
    formulas_across_languages(find, limit, db, embedder, model_info, filters, enabled) -> list[Formula]

Two pieces of evidence, both measured on the MFA transcripts (README, "Same formula in Chinese and English"):

- Wording: the index's own encoder, when it reads both languages (`use-multilingual`, `e5-multilingual`, or a folder
  whose card declares them), embeds each item's wording. A monolingual model (all-MiniLM-L6-v2) puts a Chinese
  phrase nowhere near its translation, so with such an index nothing is linked.
- Use: parallel transcripts (a press conference published in both languages) put a formula and its translation in
  the documents of the same date and source. Over the (date, source) keys that have documents in both languages,
  `shared` keys hold both items and `overlap` = shared / the smaller item's keys; `z` is how far shared stands above
  what two unrelated items of those sizes would share (hypergeometric mean and spread). The dates agree when
  shared >= MIN_SHARED, overlap >= MIN_OVERLAP and z >= MIN_Z.

Cosines are read against the model's own scale: each model spreads unrelated wordings differently (USE: cross-language
mean 0.13, sd 0.11; e5: mean 0.78, sd 0.02, where a translation scores 0.80-0.91), so a pair's `wording_z` is
(cosine - mean) / sd of unrelated pairs of that model, measured once on MFA (CALIBRATION); for another multilingual
model they are estimated from the list itself (most pairs in a list are unrelated), given MIN_PAIRS pairs.

A pair is linked when both items have at least MIN_SHARED parallel keys (the documents can tell), the dates agree
and wording_z >= Z_WITH_DATES; or when the dates cannot tell (corpora that are not parallel, rare items) and
wording_z >= Z_ALONE. Where the dates can tell and disagree, no wording links them ("全天候战略合作伙伴" /
"comprehensive strategic partnership", USE cosine 0.76). Pairs are taken strongest first (wording_z / Z_ALONE +
overlap), each item in one pair; then an item passing with a member of a pair joins it if its wording is also close
to the member in its own language (z >= Z_SAME_LANGUAGE on the same-language scale): three English cuts of 反恐和去极端化
become one item, but "places of worship registered for religious activities" does not join 宗教信仰自由 / "freedom of
religious belief". The linked item stands at its best part's rank, and the list is renumbered.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from corpus.cjk import has_cjk
from search.formulas.errors import FormulasError
from search.formulas.find import Formula, Use
from search.formulas.history import counts_by_period, series

# Measured on the MFA pair, 200 formulas (README): with USE, linked pairs had wording_z >= 2.1 and overlap >= 0.77;
# pairs whose dates agree but which only share a topic (COVID-19 terms, Xinjiang) had wording_z <= 1.9.
Z_WITH_DATES = 2.0
Z_ALONE = 6.5  # when the dates cannot tell (USE cosine 0.82); the closest unrelated pair seen had 5.9
Z_SAME_LANGUAGE = 4.5  # a second wording joining a pair (USE: true cuts 4.7-6.8; "places of worship ..." 1.9)
# model -> (mean, sd) of the cosine of unrelated wordings, across the two languages and within one (MFA, 200 formulas)
CALIBRATION = {"use-multilingual": ((0.134, 0.106), (0.16, 0.117)), "e5-multilingual": ((0.777, 0.020), (0.83, 0.022))}
MIN_PAIRS = 50  # cross-language pairs needed to estimate another model's scale from the list
MIN_SHARED = 2
MIN_OVERLAP = 0.7  # true pairs 0.83-1.0; topic neighbours 0.5-0.6
MIN_Z = 3.0
POOL = 3  # with linking on, the formulas looked at are POOL x the list asked for: a partner may rank lower
MAX_POOL = 300


@dataclass
class Link:
    """Why two items were linked."""

    cosine: float
    wording_z: float  # (cosine - mean) / sd of unrelated cross-language pairs, for this model
    shared: int  # (date, source) keys using both
    overlap: float  # shared / the smaller item's keys
    expected: float  # keys two unrelated items of those sizes would share
    z: float  # (shared - expected) / its spread
    dated: bool  # both items have MIN_SHARED parallel keys: the dates can tell

    @property
    def dates_agree(self) -> bool:
        return self.shared >= MIN_SHARED and self.overlap >= MIN_OVERLAP and self.z >= MIN_Z

    @property
    def passes(self) -> bool:
        if self.dated:
            return self.dates_agree and self.wording_z >= Z_WITH_DATES
        return self.wording_z >= Z_ALONE

    @property
    def strength(self) -> float:
        return self.wording_z / Z_ALONE + (self.overlap if self.dates_agree else 0.0)

    def as_dict(self) -> dict:
        return {"cosine": round(self.cosine, 3), "wording_z": round(self.wording_z, 1), "shared_dates": self.shared,
                "overlap": round(self.overlap, 3), "expected_by_chance": round(self.expected, 2), "z": round(self.z, 1),
                "evidence": "wording and dates" if self.dated else "wording"}


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
    from index.embedding.registry import packaged_languages

    languages = embedder_languages
    if languages is None and model_info:
        languages = packaged_languages(model_info.get("name"))
        if languages is None and model_info.get("path"):
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
    languages and the documents hold both; False never; True whenever the model reads both (a FormulasError when
    it does not: a monolingual model cannot compare a formula with its translation)."""
    if enabled is True and not is_multilingual(model_info):
        raise FormulasError("{cross_lingual} needs an index whose {model} reads Chinese and English (use-multilingual, "
                            "e5-multilingual); this index's model is {name}", fields=("cross_lingual", "model"),
                            name=(model_info or {}).get("name") or "not recorded yet")
    if enabled is False or not is_multilingual(model_info):
        return find(limit)
    if enabled is None and not links_by_default(db, model_info, filters, find, limit):
        return find(limit)  # by default, formulas never fail for want of the model's package: they need no model
    model = embedder()
    if model is None or not is_multilingual(model_info, getattr(model, "languages", None)):
        return find(limit)
    return link_languages(find(pool_size(limit)), db, model, filters)[:limit]


def pool_size(limit: int) -> int:
    """How many formulas linking looks at for a list of `limit`."""
    return min(MAX_POOL, max(limit, POOL * limit))


def links_by_default(db, model_info: dict | None, filters, find: Callable[[int], list[Formula]], limit: int) -> bool:
    """Whether a request for `limit` formulas with no explicit choice links languages (and so asks for the pool)."""
    return is_multilingual(model_info) and _installed(model_info) and _both_scripts(db, filters, find, limit)


def _installed(model_info: dict) -> bool:
    """Whether a packaged model's package is installed (a folder model: assumed, its loading says otherwise)."""
    from index.embedding.registry import card

    entry = card(model_info.get("name") or "")
    return entry is None or entry.installed


def _both_scripts(db, filters, find, limit) -> bool:
    """Whether the documents passing `filters` hold CJK and other languages (by their `lang`; where no document
    says, by the scripts of the list asked for)."""
    from search.query_language import is_cjk_lang

    kinds = {is_cjk_lang(r["lang"]) for r in _document_rows(db, filters) if r["lang"]}
    if kinds:
        return len(kinds) == 2
    return len({_script(f) for f in find(limit)}) == 2


def link_languages(formulas: Sequence[Formula], db, embedder, filters=None, model: str | None = None) -> list[Formula]:
    """`formulas` (best first) with linked items merged, renumbered from 1. `model`: the name whose CALIBRATION
    applies (default: the embedder's)."""
    formulas = list(formulas)
    scripts = [_script(f) for f in formulas]
    if len(set(scripts)) < 2:
        return formulas
    rows = _document_rows(db, filters)
    doc_lang = {r["doc_id"]: (r["lang"] or None) for r in rows}
    langs = [_language(f, doc_lang) for f in formulas]
    vectors = _embed(embedder, [f.text for f in formulas])
    cos = vectors @ vectors.T
    scale = _calibration(model or getattr(embedder, "name", None), cos, scripts)
    if scale is None:
        return formulas
    (cross_mean, cross_sd), same = scale
    parallel = _parallel_keys(rows)
    keys = [{_key(u, parallel.groups) for u in f.uses} & parallel.keys for f in formulas]
    passing: dict[tuple[int, int], Link] = {}
    for i in range(len(formulas)):
        for j in range(i + 1, len(formulas)):
            if scripts[i] != scripts[j]:
                c = float(cos[i, j])
                link = _evidence(c, (c - cross_mean) / cross_sd, keys[i], keys[j], len(parallel.keys))
                if link.passes:
                    passing[(i, j)] = link
    groups = _match(passing, (cos - same[0]) / same[1], scripts)
    return _assemble(formulas, langs, doc_lang, groups, passing)


def _calibration(name: str | None, cos: np.ndarray, scripts: list[str]):
    """((mean, sd) across languages, (mean, sd) within one) of unrelated wordings for this model; estimated from the
    list for a model not in CALIBRATION (None when the list is too small to tell)."""
    if name in CALIBRATION:
        return CALIBRATION[name]
    cjk = np.array([s == "cjk" for s in scripts])
    cross = cos[np.ix_(cjk, ~cjk)].ravel()
    same = np.concatenate([cos[np.ix_(m, m)][np.triu_indices(int(m.sum()), 1)] for m in (cjk, ~cjk)])
    if len(cross) < MIN_PAIRS or len(same) < MIN_PAIRS or cross.std() == 0 or same.std() == 0:
        return None
    return (float(cross.mean()), float(cross.std())), (float(same.mean()), float(same.std()))


# ------------------------------------------------------------------ evidence
def _evidence(cosine: float, wording_z: float, a: set, b: set, n_keys: int) -> Link:
    shared, small = len(a & b), min(len(a), len(b))
    expected = len(a) * len(b) / n_keys if n_keys else 0.0
    spread = 0.0
    if n_keys > 1:
        p = len(a) / n_keys
        spread = math.sqrt(len(b) * p * (1 - p) * (n_keys - len(b)) / (n_keys - 1))
    z = (shared - expected) / spread if spread > 0 else 0.0  # an item on every key (or none) tells nothing
    return Link(cosine, wording_z, shared, shared / small if small else 0.0, expected, z, small >= MIN_SHARED)


def _match(passing: dict[tuple[int, int], Link], same_z: np.ndarray, scripts: list[str]) -> list[list[int]]:
    """Groups of linked items: pairs strongest first, each item in one; then an item passing with a member of a pair
    joins it when its wording is close to the member of its own language too."""
    group_of: dict[int, int] = {}
    groups: list[list[int]] = []
    for (i, j), _ in sorted(passing.items(), key=lambda kv: (-kv[1].strength, kv[0])):
        if i not in group_of and j not in group_of:
            group_of[i] = group_of[j] = len(groups)
            groups.append([i, j])
    joins: dict[int, tuple[float, int]] = {}
    for (i, j), link in passing.items():
        for item, partner in ((i, j), (j, i)):
            if item in group_of or partner not in group_of:
                continue
            g = group_of[partner]
            if not all(same_z[item, m] >= Z_SAME_LANGUAGE for m in groups[g] if scripts[m] == scripts[item]):
                continue
            if item not in joins or link.strength > joins[item][0]:
                joins[item] = (link.strength, g)
    for item, (_, g) in sorted(joins.items()):
        groups[g].append(item)
    return [sorted(g) for g in groups]


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
    """The strongest evidence tying `k` to a member of the other language."""
    pairs = [(min(m, k), max(m, k)) for m in group if m != k]
    return max((passing[p] for p in pairs if p in passing), key=lambda link: link.strength)


def _merge(parts: list[Formula], langs: list[str], doc_lang: dict, links: list[Link]) -> CrossLingualFormula:
    uses: dict[str, Use] = {}
    for part in parts:
        for u in part.uses:
            uses.setdefault(u.doc_id, u)
    ordered = sorted(uses.values(), key=lambda u: (u.date is None, u.date or "", u.doc_id))
    dated = [u for u in ordered if u.date]
    shown = {}  # language -> its best ranked wording
    for p, lang in zip(parts, langs):
        shown.setdefault(lang, p.text)
    others = [p.text for p in parts if p.text not in shown.values()]
    best = parts[0]
    return CrossLingualFormula(" / ".join(shown.values()), len(ordered), len({u.source for u in ordered} - {None}) or 1,
                               dated[0] if dated else None, dated[-1] if dated else None, max(p.score for p in parts),
                               best.specificity, best.cohesion, ordered, others + [v for p in parts for v in p.variants],
                               parts=list(parts), part_languages=list(langs), links=links,
                               languages={u.doc_id: doc_lang.get(u.doc_id) or lang for p, lang in zip(parts, langs) for u in p.uses})


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


def _document_rows(db, filters):
    from index.passage_queries import document_rows

    return document_rows(db.conn, filters)


@dataclass
class _Parallel:
    keys: set  # (date, source group) with documents in both scripts' languages
    groups: dict  # source -> its group (sources naming the same web domain are one)


def _parallel_keys(rows) -> _Parallel:
    from search.evaluation.from_parallel import same_source

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
