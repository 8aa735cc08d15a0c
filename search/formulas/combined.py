"""Formulas (phrases) and talking points (sentence clusters) as one list: terminal, JSON and CSV views.

The two kinds are ranked each by its own measure; the list takes them in turn by rank (phrase 1, sentence 1,
phrase 2, ...), each item saying its `kind`.
"""
from __future__ import annotations

import csv
from pathlib import Path

from index.passage_view import CITATION_FIELDS
from search.formulas.errors import FormulasError
from search.formulas.history import series, sparkline

COLUMNS = ["kind", "rank", "cluster_id", "representative", "n_documents", "n_sources", "first_seen", "last_seen",
           *CITATION_FIELDS, "sentence", "similarity"]


def cluster_history(cluster, period: str) -> list[dict]:
    """Documents per period of a sentence cluster (each document once)."""
    seen, uses = set(), []
    for m in cluster.members:
        if m.doc_id not in seen:
            seen.add(m.doc_id)
            uses.append((m.date, m.source))
    return series(uses, period)


def merged(formulas, clusters) -> list[tuple[str, object]]:
    """(kind, item) in turn by rank."""
    out = []
    for i in range(max(len(formulas), len(clusters))):
        if i < len(formulas):
            out.append(("phrase", formulas[i]))
        if i < len(clusters):
            out.append(("sentence", clusters[i]))
    return out


def records(items, period: str) -> list[dict]:
    out = []
    for position, (kind, item) in enumerate(items, start=1):
        if kind == "phrase":
            data = item.as_dict(period)
        else:
            data = {"kind": "sentence", **item.as_dict(), "text": item.representative, "period": period,
                    "history": cluster_history(item, period)}
        data["position"] = position
        out.append(data)
    return out


def write_csv(path: Path, items) -> int:
    """One row per use (phrase) or member sentence (sentence)."""
    try:
        f = open(path, "w", newline="", encoding="utf-8")
    except OSError as exc:
        raise FormulasError(f"cannot write {path}: {exc.strerror}; choose another csv path") from exc
    rows = 0
    with f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for kind, item in items:
            if kind == "phrase":
                for u in item.uses:
                    cite = {k: "" for k in CITATION_FIELDS}
                    cite.update({k: getattr(u, k) or "" for k in ("doc_id", "title", "source", "date", "speaker")})
                    out.writerow(["phrase", item.rank, "", item.text, item.n_documents, item.n_sources, item.first_seen or "",
                                  item.last_seen or "", *cite.values(), u.text, ""])
                    rows += 1
            else:
                for m in item.members:
                    cite = ["" if v is None else v for v in m.passage.as_dict(CITATION_FIELDS).values()]
                    out.writerow(["sentence", item.rank, item.cluster_id, item.representative, item.n_documents, item.n_sources,
                                  item.first_seen or "", item.last_seen or "", *cite, m.sentence, m.similarity])
                    rows += 1
    return rows


def _use_line(label: str, use) -> str:
    who = f" \u00b7 {use.speaker}" if use.speaker else ""
    return f"      {label} {use.date} {use.source or 'source unknown'}{who} \u00b7 {use.doc_id}"


def print_items(console, items, period: str, members_shown: int = 5, filtered: bool = False) -> None:
    from rich.text import Text

    if not items:
        console.print("No formulas or talking points found.")
        if filtered:
            console.print("Filters or --query are on; try widening them, or lower --min-docs.")
        return
    for position, (kind, item) in enumerate(items, start=1):
        text = item.text if kind == "phrase" else item.representative
        history = item.history(period) if kind == "phrase" else cluster_history(item, period)
        head = Text(f"{position:>2}. ", style="bold")
        head.append(f"[{kind}] ", style="yellow")
        head.append(text, style="bold cyan")
        console.print(head, highlight=False)
        span = f"{item.first_seen} \u2192 {item.last_seen}" if item.first_seen else "dates unknown"
        spark = sparkline([row["count"] for row in history])
        console.print(Text(f"    {item.n_documents} documents \u00b7 {item.n_sources} sources \u00b7 {span}"
                           + (f" \u00b7 per {period}: {spark}" if spark.strip() else ""), style="magenta"), highlight=False)
        if kind == "phrase":
            if item.first:
                console.print(Text(_use_line("first:", item.first), style="dim"), highlight=False)
                console.print(Text(_use_line("last: ", item.last), style="dim"), highlight=False)
            for u in item.uses[:members_shown]:
                console.print(Text(f"      {u.date or 'undated'} {u.doc_id}: {u.context or u.text}"), highlight=False)
        else:
            seen = []
            for m in item.members:
                if m.doc_id in seen:
                    continue
                seen.append(m.doc_id)
                if len(seen) > members_shown:
                    break
                console.print(Text(f"      {m.date or 'undated'} {m.source or 'source unknown'} \u00b7 {m.doc_id} #{m.passage_id}: {m.sentence}"),
                              highlight=False)
        rest = item.n_documents - min(members_shown, item.n_documents)
        if rest > 0:
            console.print(Text(f"      \u2026 and {rest} more documents (--json or --csv for all)", style="dim"), highlight=False)
        console.print()
