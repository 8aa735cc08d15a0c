"""Talking-point commands: talking-points (reused formulas across documents) and similar (nearest passages)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.text import Text

from search.cli.app import (DEFAULT_INDEX, ForceOpt, IndexOpt, JsonOpt, LangOpt, ModelOpt, RoleOpt, SaidByOpt, SinceOpt, SourceOpt,
                            SpeakerOpt, UndatedOpt, UntilOpt, app, edge, open_index, output_path, print_json)

CsvOpt = Annotated[Optional[Path], typer.Option("--csv", help="Also write the results to this CSV file.")]


@app.command("talking-points", epilog='Examples:  dipsearch talking-points --since 2019 --min-docs 3   ·   '
             'dipsearch talking-points --query "Taiwan" --source "Foreign Affairs" --json   ·   dipsearch talking-points --csv points.csv')
@edge
def talking_points(
    ctx: typer.Context,
    index: IndexOpt = DEFAULT_INDEX,
    min_docs: Annotated[int, typer.Option("--min-docs", help="A talking point must appear in at least this many documents.")] = 2,
    limit: Annotated[int, typer.Option("--limit", "-k", help="How many talking points to show, widest spread first.")] = 20,
    query: Annotated[Optional[str], typer.Option("--query", help="Only talking points on this topic (by meaning or words).")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    include_undated: UndatedOpt = False,
    source: SourceOpt = [],
    speaker: SpeakerOpt = [],
    said_by: SaidByOpt = [],
    role: RoleOpt = [],
    min_words: Annotated[int, typer.Option("--min-words", help="Ignore sentences with fewer content words.")] = 6,
    lexical_threshold: Annotated[float, typer.Option("--lexical-threshold", help="Share of word 5-grams two sentences must share.")] = 0.5,
    semantic_threshold: Annotated[float, typer.Option("--semantic-threshold", help="Embedding cosine for a paraphrase.")] = 0.8,
    overlap_guard: Annotated[float, typer.Option("--overlap-guard", help="Share of content words a paraphrase must still share.")] = 0.3,
    members: Annotated[int, typer.Option("--members", help="Member sentences shown per talking point in the terminal view.")] = 5,
    kind: Annotated[str, typer.Option("--kind", help="phrase (formulas: no model needed), sentence (clusters) or all.")] = "all",
    lexical_only: Annotated[bool, typer.Option("--lexical-only", help="Cluster sentences by shared word 5-grams alone: no model, no paraphrases.")] = False,
    period: Annotated[str, typer.Option("--period", help="History per month, quarter or year.")] = "month",
    cross_lingual: Annotated[Optional[bool], typer.Option("--cross-lingual/--no-cross-lingual", help="Show a formula and its translation (Chinese/English) as one item. Default: on when the index's model is multilingual.")] = None,
    csv: CsvOpt = None,
    force: ForceOpt = False,
    model: ModelOpt = None,
    as_json: JsonOpt = False,
):
    """Find talking points: sentences reused, verbatim or reworded, across documents.

    Clusters are stored in the index and recomputed only when the index changed or the
    thresholds differ (only new sentences are embedded). Ranked by spread: documents, sources, time.
    """
    from search.formulas.combined import merged, print_items, records, write_csv
    from search.formulas.history import check_period
    from search.requests import build_filters
    from search.talking_points import TalkingPointOptions

    if kind not in ("all", "phrase", "sentence"):
        raise typer.BadParameter("choose phrase, sentence or all", param_hint="--kind")
    check_period(period)
    filters = build_filters(since, until, source, speaker, (), include_undated, said_by, role)
    options = TalkingPointOptions(min_words=min_words, lexical_threshold=lexical_threshold, semantic_threshold=semantic_threshold,
                                  overlap_guard=overlap_guard, lexical_only=lexical_only)
    options.validate()
    csv = output_path(csv, index, force, "--csv") if csv else None
    from search.cli.progress import progress_bar

    idx = open_index(ctx, index, model)  # the model loads only if sentence clusters need it (not with --lexical-only)
    clusters = []
    if kind != "phrase":
        with progress_bar(quiet=as_json) as bar:
            task = bar.add_task("talking points: splitting and embedding new passages", total=idx.stats().get("passages"))
            clusters = idx.talking_points(query, filters=filters, min_docs=min_docs, limit=limit, options=options,
                                          on_progress=lambda event, n: bar.advance(task, n))
    if kind != "sentence":
        with progress_bar(quiet=as_json) as bar:
            task = bar.add_task("formulas: tokenizing new documents", total=None)

            def tick(event, n):
                if event == "total":
                    bar.update(task, total=n + 3, completed=0)
                elif event == "stage":
                    bar.update(task, advance=n, description="formulas: counting phrases")
                else:
                    bar.advance(task, n)
            formulas = idx.formulas(query, filters=filters, min_docs=min_docs, limit=limit, on_progress=tick, cross_lingual=cross_lingual)
    else:
        formulas = []
    items = merged(list(formulas), list(clusters))
    if csv:
        write_csv(csv, items)
    if as_json:
        print_json({"filters": filters.as_dict(), "query": query, "min_docs": min_docs, "kind": kind, "period": period,
                    "items": records(items, period), "talking_points": clusters.records() if kind != "phrase" else []})
    else:
        print_items(Console(highlight=False), items, period, members, filters.active or bool(query))


@app.command(epilog='Examples:  dipsearch trend "community with a shared future"   ·   '
             'dipsearch trend "Taiwan independence" --said-by China --period quarter --json')
@edge
def trend(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words or a phrase to follow over time.")],
    index: IndexOpt = DEFAULT_INDEX,
    period: Annotated[str, typer.Option("--period", help="Count per month, quarter or year.")] = "month",
    match: Annotated[str, typer.Option("--match", help="phrase (words in order) or all (every word in one passage).")] = "phrase",
    since: SinceOpt = None,
    until: UntilOpt = None,
    include_undated: UndatedOpt = False,
    source: SourceOpt = [],
    speaker: SpeakerOpt = [],
    lang: LangOpt = [],
    said_by: SaidByOpt = [],
    role: RoleOpt = [],
    as_json: JsonOpt = False,
):
    """How often QUERY is used per period: matching documents, the period's statement volume, and the share.

    With --said-by, --role or --speaker a document counts when a matching passage is said by them; the volume is
    then the documents in which they speak."""
    from search.formulas.history import sparkline
    from search.requests import build_filters

    filters = build_filters(since, until, source, speaker, lang, include_undated, said_by, role)
    result = open_index(ctx, index, None).trend(query, filters=filters, period=period, match=match)
    if as_json:
        print_json(result.as_dict())
        return
    console = Console(highlight=False)
    for note in result.notes:
        console.print(Text("note: ", style="yellow") + Text(note), soft_wrap=True)
    if not result.series:
        console.print(Text(f"No documents match {query!r}" + (" with these filters." if filters.active else ".")))
        return
    console.print(Text(f"{query!r} per {period}: {result.total_matches} documents  {sparkline([r['share'] for r in result.series])}"))
    for row in result.series:
        sources = ", ".join(f"{k} {v}" for k, v in row["by_source"].items())
        console.print(Text(f"  {row['period']:>8}  {row['matches']:>4} / {row['documents']:<4} {row['share']:>7.1%}  {sources}"))
    if result.undated:
        console.print(f"  (+ {result.undated} undated documents)")


@app.command(epilog='Examples:  dipsearch similar 1234   ·   dipsearch similar --text "non-interference in internal affairs" -k 5 --json')
@edge
def similar(
    ctx: typer.Context,
    passage_id: Annotated[Optional[int], typer.Argument(help="A passage id, as search prints it after '#'.")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Find passages similar to this text instead.")] = None,
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 10,
    same_document: Annotated[bool, typer.Option("--same-document", help="Also show passages of the passage's own document.")] = False,
    index: IndexOpt = DEFAULT_INDEX,
    csv: CsvOpt = None,
    force: ForceOpt = False,
    model: ModelOpt = None,
    as_json: JsonOpt = False,
):
    """The passages nearest in meaning to a passage or a text, with the words they share highlighted."""
    from search.talking_points.export import write_similar_csv
    from search.talking_points.render import print_similar

    csv = output_path(csv, index, force, "--csv") if csv else None
    hits = open_index(ctx, index, model).similar(passage_id, text=text, k=k, same_document=same_document)
    if csv:
        write_similar_csv(csv, hits)
    if as_json:
        print_json({"passage_id": passage_id, "text": text, "results": hits.records()})
    else:
        print_similar(Console(highlight=False), hits)
