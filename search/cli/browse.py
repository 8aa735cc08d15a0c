"""Commands that take documents and hits away or look over them: export (every hit of a query to a file)
and documents (the documents of an index, filtered, with counts)."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from search.cli.app import (DEFAULT_INDEX, ForceOpt, ImpreciseOpt, IndexOpt, JsonOpt, LangOpt, ModelOpt, RoleOpt, SaidByOpt, SinceOpt, SourceOpt, SpeakerOpt,
                            UndatedOpt, UntilOpt, app, edge, err_console, open_index, output_path, print_json)
from search.retrieval.modes import DEFAULT_MODE, modes_help


def write_atomically(path: Path, write) -> int:
    """`write(stream)` into a temporary file beside `path`, moved over it only when complete."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as stream:
            n = write(stream)
        os.replace(tmp, path)
        return n
    except BaseException:
        os.unlink(tmp)
        raise


@app.command(epilog='Examples:  dipsearch export "grain corridor" --mode lexical --output grain.csv   ·   '
             'dipsearch export "Taiwan" --since 2020 --format jsonl > taiwan.jsonl   ·   '
             'dipsearch export "sanctions relief" --mode dense --min-score 0.5 --format parquet --output relief.parquet')
@edge
def export(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for, as for dipsearch search.")],
    index: IndexOpt = DEFAULT_INDEX,
    fmt: Annotated[str, typer.Option("--format", help="csv, jsonl, or parquet (needs pyarrow).")] = "csv",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (default: standard output).")] = None,
    mode: Annotated[str, typer.Option("--mode", help=modes_help())] = DEFAULT_MODE,
    min_score: Annotated[Optional[float], typer.Option("--min-score", help="Only hits scoring at least this (needed for modes by meaning; lexical scores are -bm25).")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    include_undated: UndatedOpt = False,
    include_imprecise: ImpreciseOpt = False,
    source: SourceOpt = [],
    speaker: SpeakerOpt = [],
    lang: LangOpt = [],
    said_by: SaidByOpt = [],
    role: RoleOpt = [],
    force: ForceOpt = False,
    model: ModelOpt = None,
):
    """Write every hit of a query, not just the best k, as CSV, JSON lines or Parquet.

    A lexical query exports every passage that matches it; dense and hybrid export every passage scoring at
    least --min-score. Same filters as search. Columns: rank, score, the passage (text, offsets) and its
    document's provenance (title, source, date, date status, speaker, URL). Rows are streamed, best first.
    """
    from search.requests import build_filters

    filters = build_filters(since, until, source, speaker, lang, include_undated, said_by, role, include_imprecise=include_imprecise)
    if fmt == "parquet" and output is None:
        raise typer.BadParameter("Parquet is written to a file: add --output FILE", param_hint="--format")
    target = output_path(output, index, force, "--output") if output is not None else None
    idx = open_index(ctx, index, model)
    options = dict(format=fmt, min_score=min_score, mode=mode, filters=filters)
    if target is None:
        n = idx.export(query, sys.stdout.buffer, **options)
        sys.stdout.flush()
    else:
        n = write_atomically(target, lambda stream: idx.export(query, stream, **options))
    err_console().print(f"{n:,} {'row' if n == 1 else 'rows'} written{f' to {escape(str(target))}' if target else ''}", soft_wrap=True)


@app.command(epilog='Examples:  dipsearch documents --since 2020 --source "Foreign Affairs"   ·   dipsearch documents --speaker Lund --json')
@edge
def documents(
    ctx: typer.Context,
    index: IndexOpt = DEFAULT_INDEX,
    since: SinceOpt = None,
    until: UntilOpt = None,
    include_undated: UndatedOpt = False,
    include_imprecise: ImpreciseOpt = False,
    source: SourceOpt = [],
    speaker: SpeakerOpt = [],
    lang: LangOpt = [],
    said_by: SaidByOpt = [],
    role: RoleOpt = [],
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", help="Show at most this many (default: all).")] = None,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
    as_json: JsonOpt = False,
):
    """List the documents of an index (ids, titles, dates, sources, passage counts), oldest first, undated last."""
    from search.render import print_documents
    from search.requests import build_filters

    filters = build_filters(since, until, source, speaker, lang, include_undated, said_by, role, include_imprecise=include_imprecise)
    docs = open_index(ctx, index).documents(filters, limit=limit, offset=offset)
    rows = docs.records()
    if as_json:
        print_json({"filters": filters.as_dict(), "documents": rows, "count": len(rows),
                    "passages": sum(d["passages"] for d in rows)})
    else:
        print_documents(Console(highlight=False), rows, filters.active)
