"""Terminal rendering of results, documents and stats with rich."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from index.passage_view import attribution_label, date_label
from search.wording import plural
from search.retrieval import SearchResponse


def highlighted(text: str, spans) -> Text:
    out = Text(text)
    for start, end in spans:
        out.stylize("bold yellow", start, end)
    return out


def passage_header(rank: int, title: str | None, doc_id: str, tag: str) -> Text:
    """' 1. Title  [tag]': the first line of a ranked passage."""
    header = Text()
    header.append(f"{rank:>2}. ", style="bold")
    header.append(title or doc_id, style="bold cyan")
    header.append(f"  [{tag}]", style="dim")
    return header


def passage_meta(source: str | None, date: str | None, date_status: str, speaker: str | None, doc_id: str, passage_id: int) -> Text:
    """'    Source · date · speaker · doc #passage': the second line of a ranked passage."""
    meta = Text("    ")
    meta.append(source or "source unknown", style="green" if source else "dim")
    meta.append(" \u00b7 ")
    meta.append(date_label(date, date_status), style="magenta" if date else "dim")
    if speaker:
        meta.append(f" \u00b7 {speaker}")
    meta.append(f" \u00b7 {doc_id} #{passage_id}", style="dim")
    return meta


def attribution_line(hit) -> Text | None:
    """'    who: Geng Shuang · answer · China (inferred)', or None for an unattributed passage."""
    label = attribution_label(hit.speaker, hit.speaker_status, hit.role, hit.actor, hit.actor_status)
    return Text("    who: ", style="dim") + Text(label) if label else None


def answering_line(question: str | None, width: int = 100) -> Text | None:
    """'    ↳ answering: <the question, cut at a word, …>': the question an answer answers, on one line."""
    if not question:
        return None
    flat = " ".join(question.split())
    if len(flat) > width:
        flat = flat[:width].rsplit(" ", 1)[0] + "…"
    return Text("    ↳ answering: ", style="dim") + Text(flat, style="italic")


def facets_table(facets: dict) -> Text:
    out = Text()
    for name in ("actor", "role", "speaker"):
        values = facets.get(name) or []
        out.append(f"{name}: ", style="bold")
        out.append(", ".join(f"{value} {n}" for value, n in values[:8]) or "none")
        out.append("\n")
    return out


def print_results(console: Console, response: SearchResponse, facets: bool = False) -> None:
    if response.interpretation:
        console.print(Text(response.interpretation, style="cyan") + Text("  (--literal to search the words as typed)", style="dim"),
                      soft_wrap=True)
    for note in response.notes:
        console.print(Text("note: ", style="yellow") + Text(note), soft_wrap=True)
    if facets and response.facets:
        console.print(facets_table(response.facets), highlight=False)
    if not response.results:
        console.print(f"No passages match [bold]{escape(response.query)}[/] ({escape(response.mode)}).", highlight=False)
        if response.filters.active:
            console.print("Filters are on; try widening --since/--until, --source or --speaker, or add --include-undated.")
        return
    best = max(hit.score for hit in response.results)
    for hit in response.results:
        # The score relative to the best hit's (raw fusion or bm25 values mean nothing to a reader; --json has them).
        relative = hit.score / best if best > 0 and hit.score > 0 else 0.0
        console.print(passage_header(hit.rank, hit.title, hit.doc_id, f"{relative:.0%} of best"), highlight=False)
        console.print(passage_meta(hit.source, hit.date, hit.date_status, hit.speaker, hit.doc_id, hit.passage_id), highlight=False)
        for line in (attribution_line(hit), answering_line(hit.question)):
            if line is not None:
                console.print(line, highlight=False, soft_wrap=True)
        if getattr(hit, "talking_point", None) or getattr(hit, "folded", None):
            console.print(talking_point_line(hit), highlight=False)
        body = highlighted(hit.snippet, hit.snippet_highlights)
        body.pad_left(4)
        console.print(body, highlight=False)
        console.print()


def talking_point_line(hit) -> Text:
    """'also said in 7 other documents, 2018-05 → 2020-06' and how many near-duplicates were folded."""
    line = Text("    ")
    tp = hit.talking_point
    if tp and tp["other_documents"]:
        n = tp["other_documents"]
        span = f", {tp['first'][:7]} \u2192 {tp['last'][:7]}" if tp.get("first") else ""
        line.append(f"also said in {n} other document{'s' if n != 1 else ''}{span}", style="blue")
    if hit.folded:
        line.append(f"{' · ' if len(line) > 4 else ''}+{len(hit.folded)} near-duplicate{'s' if len(hit.folded) != 1 else ''} folded", style="blue")
    return line


def print_document(console: Console, doc: dict) -> None:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for name in ("doc_id", "title", "date", "source", "speaker", "lang", "url", "origin"):
        value = doc.get(name)
        status = doc["status"].get(name) if name in doc["status"] else None
        label = "unknown" if value in (None, "") else str(value)
        if status and status not in ("given",) and value not in (None, ""):
            label += f"  ({status})"
        table.add_row(name, Text(label))
    if doc["meta"].get("date_evidence"):
        table.add_row("date evidence", Text(str(doc["meta"]["date_evidence"])))
    console.print(table, highlight=False)
    console.print()
    for p in doc["passages"]:
        who = attribution_label(p.get("speaker"), p.get("speaker_status"), p.get("role"), p.get("actor"), p.get("actor_status"))
        answers = f", answering [{p['answers_passage']}]" if p.get("answers_passage") is not None else ""
        console.print(Text(f"[{p['ordinal']}] #{p['passage_id']}  chars {p['char_start']}-{p['char_end']}, {p['n_tokens']} tokens"
                           + (f"  \u00b7 {who}{answers}" if who else ""), style="dim"))
        console.print(Text(p["text"]), highlight=False)
        console.print()


def print_stats(console: Console, stats: dict) -> None:
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    for key in ("index", "documents", "passages", "model", "dimension", "backend", "index_type", "format_version", "undated"):
        table.add_row(key, Text(str(stats.get(key))))
    lo, hi = stats.get("date_range") or (None, None)
    table.add_row("dates", Text(f"{lo} \u2192 {hi}" if lo else "none known"))
    top = list(stats.get("sources", {}).items())[:8]
    table.add_row("sources", Text("\n".join(f"{n:>6}  {s}" for s, n in top) or "none"))
    console.print(table, highlight=False)


def print_documents(console: Console, docs: list[dict], filtered: bool) -> None:
    """The `dipsearch documents` table: id, date, source, title, passages; then the counts."""
    if not docs:
        console.print("No documents match." + (" Filters are on; try widening --since/--until, --source or --speaker." if filtered else ""))
        return
    table = Table(box=None, pad_edge=False)
    for name in ("id", "date", "source", "title", "passages"):
        table.add_column(name, justify="right" if name == "passages" else "left", overflow="fold")
    for d in docs:
        table.add_row(Text(d["doc_id"]), Text(date_label(d["date"], d["date_status"])), Text(d["source"] or "unknown"),
                      Text(d["title"] or ""), str(d["passages"]))
    console.print(table, highlight=False)
    console.print(f"{plural(len(docs), 'document')}, {plural(sum(d['passages'] for d in docs), 'passage')}", highlight=False)
