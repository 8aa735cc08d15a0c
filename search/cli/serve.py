"""`dipsearch serve`: the web page and JSON API over one index, the model loaded once."""
from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.markup import escape

from corpus.errors import Unavailable
from search.cli.app import DEFAULT_INDEX, BackendOpt, IndexOpt, ModelOpt, app, edge, err_console, open_index


class PortBusy(Unavailable):
    def __init__(self, host: str, port: int, reason: str):
        super().__init__("{host} {value}:{number} cannot be listened on ({reason}); is another server running there? "
                         "Stop it or choose another {port}", fields=("host", "port"), value=host, number=port, reason=reason)


def check_port(host: str, port: int) -> None:
    """Refuse a port another server holds (or one this user may not take), before anything is loaded or printed.
    Anything else (a name that does not resolve, an address not on this machine) is left to the server to word."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError:
        return
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: a port in TIME_WAIT is free
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise PortBusy(host, port, exc.strerror or str(exc)) from None


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
    allowed_host: Annotated[Optional[list[str]], typer.Option(
        "--allowed-host", metavar="NAME", help="Another host name clients reach this server by (repeatable). Requests naming any other "
                               "host than these, --host and 127.0.0.1/localhost/::1 are refused (DNS rebinding).")] = None,
    max_body_kb: Annotated[int, typer.Option("--max-body-kb", metavar="KIB", help="Refuse request bodies larger than this many KiB.", min=1, max=1024 * 1024)] = 1024,
):
    """Serve a search page and a JSON API (OpenAPI at /docs) over an index."""
    import uvicorn

    from search.web.app import create_app

    check_port(host, port)  # a busy port is said first, before anything is loaded or "serving on" is printed
    idx = open_index(ctx, index, model, backend, no_wait=True)  # a request never waits for an ingest: stale talking points serve meanwhile
    extra = [host, *(allowed_host or [])]
    web = create_app(idx.store if lexical_only else idx, preload=not lexical_only,  # a bare store: no model, lexical only
                     allowed_hosts=extra, max_body_bytes=max_body_kb * 1024)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console().print(f"[yellow]warning:[/] listening on {escape(host)}: anyone who can reach it can read the index")
        if not allowed_host:
            err_console().print("[yellow]note:[/] requests are answered only when they name this host as "
                                f"{escape(host)}, 127.0.0.1 or localhost; add --allowed-host NAME for the names clients use")
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    err_console().print(f"dipsearch: serving {escape(str(index))} on {escape(url)}  (Ctrl-C stops)")
    uvicorn.run(web, host=host, port=port, log_level="warning")
