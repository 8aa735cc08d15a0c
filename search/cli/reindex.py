"""`dipsearch reindex`: rebuild the vector index from SQLite as another type (flat, ivf, hnsw, auto)."""
from __future__ import annotations

import time
from typing import Annotated

import typer

from search.cli.app import DEFAULT_INDEX, IndexOpt, JsonOpt, NoWaitOpt, app, edge, open_index, print_json


@app.command(epilog="Examples:  dipsearch reindex --type ivf   ·   dipsearch reindex --type auto --index ~/indexes/mfa")
@edge
def reindex(
    ctx: typer.Context,
    index: IndexOpt = DEFAULT_INDEX,
    type_: Annotated[str, typer.Option("--type", help="flat (exact), ivf or hnsw (approximate, for large indexes), or auto: flat up to 100k passages, ivf above.")] = "auto",
    no_wait: NoWaitOpt = False,
    as_json: JsonOpt = False,
):
    """Rebuild the vector index from the stored vectors (no re-embedding) as the chosen type.

    The choice is remembered: later ingests add to the same type; with auto the type follows the size.
    """
    idx = open_index(ctx, index, no_wait=no_wait)
    started = time.perf_counter()
    manifest = idx.reindex(type_)
    seconds = time.perf_counter() - started
    data = {"index": str(index), "index_type": manifest["index_type"], "policy": type_, "passages": manifest["counts"]["passages"],
            "seconds": round(seconds, 2)}
    if as_json:
        print_json(data)
    else:
        typer.echo(f"{index}: {data['passages']} passages, vector index type {data['index_type']} (policy {type_}), rebuilt in {seconds:.1f} s.")
