"""Terminal views of evaluation sets: one candidate to judge, and the comparison table of an evaluation."""
from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from search.evaluation.session import KEYS_HELP


def show_candidate(console: Console, cand, message: str = "") -> None:
    console.rule(f"[bold]{cand.done + 1}/{cand.total}[/]  query {escape(str(cand.qid))}")
    if message:
        console.print(Text(message, style="dim"))
    console.print(Text(cand.query, style="bold"))
    console.print()
    meta = Text()
    meta.append(cand.source or "source unknown", style="green" if cand.source else "dim")
    meta.append(" \u00b7 ")
    meta.append(cand.date or "date unknown", style="magenta" if cand.date else "dim")
    if cand.title:
        meta.append(f" \u00b7 {cand.title}")
    meta.append(f" \u00b7 {cand.key} (pooled by {', '.join(cand.modes)}, best rank {cand.best_rank})", style="dim")
    console.print(meta)
    if cand.text is None:
        console.print(Text("this passage is no longer in the index: press s to skip it", style="red"))
    else:
        if cand.changed:
            console.print(Text("note: the document was re-ingested and this passage now spans other text", style="yellow"))
        body = Text(cand.text)
        for start, end in cand.highlights:
            body.stylize("bold yellow", start, end)
        console.print(body)
    console.print(Text(KEYS_HELP, style="cyan"))


def print_eval(console: Console, report) -> None:
    t = report.table
    only = ", questions kept out (answers only)" if report.answers_only else ""
    table = Table(title=f"{escape(report.name)}: {t.queries} queries with relevant judgments, top {report.k}, at most {report.per_doc} per document{only}")
    letters = {run: chr(ord("a") + i) for i, run in enumerate(t.runs)}
    table.add_column("run")
    for metric in t.metrics:
        table.add_column(metric, justify="right")
    for run in t.runs:
        cells = []
        for metric in t.metrics:
            value = f"{t.scores[run][metric]:.3f}"
            sup = "".join(letters[o] for o in t.beats.get(run, {}).get(metric, []))
            cells.append(value + (f" [green]{sup}[/]" if sup else ""))
        table.add_row(Text(f"({letters[run]}) {run}"), *cells)
    console.print(table)
    console.print(f"Letters: significantly better than that run ({t.stat_test} test, p < {t.alpha}). judged@10: share of the top 10 carrying a judgment.")
    ndcg = t.p_values.get("ndcg@10", {})
    pairs = sorted({tuple(sorted((a, b))) for a in ndcg for b in ndcg[a]})
    if pairs:
        shown = lambda p: "identical" if p is None else f"{p:.3g}"  # noqa: E731
        console.print(Text("p-values, nDCG@10: " + "; ".join(f"{a} vs {b}: {shown(ndcg[a][b])}" for a, b in pairs)))
    if report.stale_judgments:
        console.print(f"[yellow]{report.stale_judgments} judgments left out: their passage is gone or was re-chunked since judging.[/]")
    if report.run_files:
        console.print(Text("runs saved: " + ", ".join(map(str, report.run_files))))
