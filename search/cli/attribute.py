"""`dipsearch attribute`: add speaker, role and actor to the passages of an index built before attribution."""
from __future__ import annotations

import typer

from search.cli.app import DEFAULT_INDEX, IndexOpt, JsonOpt, app, edge, open_index, print_json


@app.command(epilog="Example:  dipsearch attribute --index ~/indexes/mfa")
@edge
def attribute(ctx: typer.Context, index: IndexOpt = DEFAULT_INDEX, as_json: JsonOpt = False):
    """Attribute the passages stored before attribution existed: who speaks, in what role, for which actor.

    Passages keep their ids (nothing is re-chunked or re-embedded); one that runs across two speakers' turns is
    marked role `mixed`. Passages already attributed are left as they are.
    """
    data = {"index": str(index), **open_index(ctx, index).attribute()}
    if as_json:
        print_json(data)
    else:
        mixed = f" ({data['mixed']} across two speakers' turns, marked mixed)" if data["mixed"] else ""
        typer.echo(f"{index}: {data['passages']} passages of {data['documents']} documents attributed{mixed}.")
