"""Core commands: ingest, search, show, stats, remove. Each parses, makes one library call, renders."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from corpus.errors import InputProblem
from corpus.readers import formats
from search.cli.app import (DEFAULT_INDEX, EXIT_SKIPPED, BackendOpt, ImpreciseOpt, IndexOpt, JsonOpt, LangOpt, ModelOpt, NoWaitOpt,
                            RoleOpt, SaidByOpt, SinceOpt, SourceOpt, SpeakerOpt, UndatedOpt, UntilOpt, app, edge, err_console,
                            cli_text, open_index, print_json, skipped_line)
from search.cli.progress import progress_bar
from search.retrieval.modes import DEFAULT_MODE, modes_help
from search.wording import plural

# ------------------------------------------------------------------ ingest
@app.command(epilog="Examples:  dipsearch ingest statements/   ·   dipsearch ingest press.jsonl.gz --field text=body --index idx")
@edge
def ingest(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help=f"Files or folders ({formats()}); folders are read recursively.")],
    index: IndexOpt = DEFAULT_INDEX,
    model: ModelOpt = None,
    backend: BackendOpt = None,
    engine: Annotated[str, typer.Option("--engine", help="local, or ray: embed with Ray Data over an actor pool (RAY_ADDRESS picks a cluster; needs `pip install 'dipsearch\\[ray]'`).")] = "local",
    field: Annotated[list[str], typer.Option("--field", help="Map a record field: FIELD=NAME, e.g. --field text=body --field date=meta.published.")] = [],
    max_doc_mb: Annotated[float, typer.Option("--max-doc-mb", help="Refuse documents larger than this.")] = 20.0,
    talking_points: Annotated[bool, typer.Option("--talking-points", help="Also compute talking points (once computed, every ingest keeps them fresh).")] = False,
    batch: Annotated[Optional[int], typer.Option("--batch", min=1, help="Passages embedded and committed together (default 1024; Ray 8192). A crash loses at most one batch.")] = None,
    no_wait: NoWaitOpt = False,
    as_json: JsonOpt = False,
):
    """Add documents to the index: clean, chunk into passages, embed, store.

    Unchanged documents are skipped, changed ones replaced. Exit status: 0 all read, 3 some
    inputs were skipped (each is named on stderr), 1 nothing could be done.
    """
    from corpus.readers import doc_limit_bytes, parse_field_map

    from index.location import refuse_index_among_inputs

    refuse_index_among_inputs(index, paths)
    doc_limit_bytes(max_doc_mb)  # refuse a limit like nan before the index folder is created
    if engine not in ("local", "ray"):
        raise typer.BadParameter(f"{engine!r}: choose local or ray", param_hint="--engine")
    field_map = parse_field_map(field)
    if not any(os.path.lexists(p) for p in paths):  # nothing to read: refuse before an empty index is made
        from corpus.errors import InvalidInput

        raise InvalidInput("{paths}: nothing to read; {missing} does not exist (no index was created)", fields=("paths",),
                           missing=", ".join(str(p) for p in paths))
    idx = open_index(ctx, index, model, backend, create=True)
    err = err_console()
    progress = progress_bar(quiet=as_json)

    def on_problem(problem: InputProblem) -> None:
        progress.console.print(skipped_line(problem), soft_wrap=True)

    with progress:
        tasks = {"document": progress.add_task("documents read", total=None), "passages": progress.add_task("passages embedded", total=None)}

        def on_progress(event: str, n: int) -> None:
            if event not in tasks:
                tasks[event] = progress.add_task("documents tokenized (formulas)" if event == "formulas" else "passages split into sentences (talking points)", total=None)
            progress.advance(tasks[event], n)

        summary = idx.ingest(paths, field_map=field_map, max_doc_mb=max_doc_mb, talking_points=talking_points, engine=engine,
                             batch=batch, on_progress=on_progress, on_problem=on_problem)
    report, tp_report, counts = summary.report, summary.talking_points, summary.counts
    for origin, notice in report.notices:
        err.print(f"[dim]note[/] {escape(str(origin))}: {escape(cli_text(notice))}", soft_wrap=True)  # text, not markup ([multilingual])
    if as_json:
        print_json({**summary.as_dict(), "index": str(index)})
    else:
        typer.echo(
            f"{report.added} added, {report.updated} changed, {report.metadata_updated} metadata-only, {report.unchanged} unchanged, "
            f"{plural(len(report.duplicates), 'duplicate')} stored once, {report.skipped} skipped; {plural(report.passages, 'passage')} embedded. "
            f"Index {index}: {plural(counts['documents'], 'document')}, {plural(counts['passages'], 'passage')}."
        )
        if tp_report:
            typer.echo(f"Talking points refreshed: {plural(tp_report.wordings_embedded, 'new sentence')} embedded, {plural(tp_report.clusters, 'cluster')}.")
    if report.skipped:
        raise typer.Exit(EXIT_SKIPPED)


# ------------------------------------------------------------------ search
@app.command(epilog='Examples:  dipsearch search "what did China say about Ukraine?" --since 2022   ·   dipsearch search "Taiwan" --mode lexical --source "Foreign Affairs" -k 5 --json   ·   dipsearch search --queries queries.txt --json')
@edge
def search(
    ctx: typer.Context,
    query: Annotated[Optional[str], typer.Argument(help="What to look for, in plain words; \"quoted phrases\" must match exactly in lexical scoring.")] = None,
    index: IndexOpt = DEFAULT_INDEX,
    mode: Annotated[str, typer.Option("--mode", help=modes_help())] = DEFAULT_MODE,
    k: Annotated[int, typer.Option("-k", help="How many passages to return.")] = 10,
    per_doc: Annotated[int, typer.Option("--per-doc", help="At most this many passages from one document.")] = 2,
    since: SinceOpt = None,
    until: UntilOpt = None,
    include_undated: UndatedOpt = False,
    include_imprecise: ImpreciseOpt = False,
    source: SourceOpt = [],
    speaker: SpeakerOpt = [],
    lang: LangOpt = [],
    said_by: SaidByOpt = [],
    role: RoleOpt = [],
    literal: Annotated[bool, typer.Option("--literal", help="Search the words as typed: do not read \"What did China say about X?\" as said by China, about X.")] = False,
    facets: Annotated[bool, typer.Option("--facets", help="Also count actors, roles and speakers over the candidates.")] = False,
    queries: Annotated[Optional[Path], typer.Option("--queries", help="Run every query in this file (one per line, or JSONL with id, query).")] = None,
    fold: Annotated[bool, typer.Option("--fold", help="Collapse near-duplicates (passages repeating one talking point) into one result with a count.")] = False,
    rerank: Annotated[Optional[Path], typer.Option("--rerank", help="Reorder the top 50 with this local cross-encoder folder (sentence-transformers).")] = None,
    model: ModelOpt = None,
    backend: BackendOpt = None,
    as_json: JsonOpt = False,
):
    """Find passages by meaning and words, ranked, with source, date and speaker."""
    from search.batch import read_queries
    from search.errors import InvalidQuery
    from search.render import print_results
    from search.requests import build_filters, build_request

    if (query is None) == (queries is None):
        raise InvalidQuery('give one QUERY or --queries FILE, e.g. dipsearch search "sanctions on Iran"')
    filters = build_filters(since, until, source, speaker, lang, include_undated, said_by, role, include_imprecise)
    batch = read_queries(queries) if queries else [(None, query)]
    requests = [(qid, build_request(q, mode=mode, k=k, per_doc=per_doc, filters=filters, rerank=rerank and str(rerank), literal=literal,
                                    facets=facets or as_json)) for qid, q in batch]
    idx = open_index(ctx, index, model, backend)
    console = Console(highlight=False)
    for qid, request in requests:
        results = idx.search(request, fold=fold)  # the façade loads a --rerank model once for every query
        if as_json:
            print_json({**({"id": qid} if qid is not None else {}), **results.as_dict()})
        else:
            if qid is not None:
                console.rule(f"[bold]{escape(qid)}[/]: {escape(request.query)}")
            print_results(console, results.response, facets=facets)


# ------------------------------------------------------------------ show / stats / remove
@app.command(epilog="Example:  dipsearch show fmprc-en-t1558711 --json")
@edge
def show(ctx: typer.Context, doc_id: Annotated[str, typer.Argument(help="Document id, as search prints it.")], index: IndexOpt = DEFAULT_INDEX,
         as_json: JsonOpt = False):
    """Show one document: metadata (and how each field was obtained) and its passages."""
    from search.render import print_document

    doc = open_index(ctx, index).document(doc_id)
    if as_json:
        print_json(doc)
    else:
        print_document(Console(highlight=False), doc)


@app.command(epilog="Example:  dipsearch stats --index ~/indexes/mfa --json")
@edge
def stats(ctx: typer.Context, index: IndexOpt = DEFAULT_INDEX, as_json: JsonOpt = False):
    """Counts, model and index type of an index."""
    from search.render import print_stats

    data = open_index(ctx, index).stats()
    if as_json:
        print_json(data)
    else:
        print_stats(Console(highlight=False), data)


@app.command(epilog="Example:  dipsearch remove fmprc-en-t1558711")
@edge
def remove(ctx: typer.Context, doc_id: Annotated[str, typer.Argument(help="Document id to delete.")], index: IndexOpt = DEFAULT_INDEX,
           no_wait: NoWaitOpt = False, as_json: JsonOpt = False):
    """Delete a document and its passages from the index."""
    n = open_index(ctx, index, no_wait=no_wait).remove(doc_id)
    if as_json:
        print_json({"removed": doc_id, "passages": n})
    else:
        typer.echo(f"removed {doc_id} ({plural(n, 'passage')})")
