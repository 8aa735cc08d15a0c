"""`dipsearch serve`: the web page and JSON API over one index, the model loaded once."""
from __future__ import annotations

from typing import Annotated

import typer

from search.cli.app import DEFAULT_INDEX, BackendOpt, IndexOpt, ModelOpt, app, edge, err_console, open_store, runtime


@app.command(epilog="Examples:  dipsearch serve --index idx   ·   dipsearch serve --port 8080 --lexical-only")
@edge
def serve(
    ctx: typer.Context,
    index: IndexOpt = DEFAULT_INDEX,
    model: ModelOpt = None,
    backend: BackendOpt = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on. Loopback by default; anything else exposes the index to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8000,
    lexical_only: Annotated[bool, typer.Option("--lexical-only", help="Load no model; only exact-word search works.")] = False,
):
    """Serve a search page and a JSON API (OpenAPI at /docs) over an index."""
    import uvicorn

    from search.web.app import create_app

    store = open_store(index)
    store.wait_for_writer = False  # a request never waits for an ingest: stale talking points serve meanwhile
    rt = runtime(ctx)
    loader = None if lexical_only else (lambda: rt.embedder(model, store, backend))
    web = create_app(store, loader, preload=not lexical_only)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console().print(f"[yellow]warning:[/] listening on {host}: anyone who can reach it can read the index")
    err_console().print(f"dipsearch: serving {index} on http://{'[' + host + ']' if ':' in host else host}:{port}/  (Ctrl-C stops)")
    uvicorn.run(web, host=host, port=port, log_level="warning")
