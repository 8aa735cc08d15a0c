"""ASGI guards in front of the app: the Host header must name this server, and a request body has a size limit.

Both answer before the app sees the request, with the same {"error": ...} JSON body as every other error.
- Host: a page on another site can point its own host name at 127.0.0.1 (DNS rebinding) and then read and
  post to this server as if same-origin; only the names the server is reached by are accepted.
- Body: the limit is checked against Content-Length before anything is read, and the bytes of a body that
  streams in (chunked, or lying about its length) are counted as they arrive, so an oversized body is
  refused with 413 after reading at most the limit plus one chunk, never the whole of it.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.exceptions import HTTPException

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
DEFAULT_MAX_BODY = 1024 * 1024  # 1 MiB: a judgment or a form is a few hundred bytes


def host_name(header: str) -> str:
    """The host of a Host header, lower-case, without the port: 'LocalHost:8000' -> 'localhost', '[::1]:80' -> '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    if header.count(":") == 1:
        return header.split(":", 1)[0]
    return header


def allowed_host_names(extra: Iterable[str] = ()) -> frozenset[str]:
    """The loopback names and the names given (the address the server listens on, names it is reached by)."""
    return frozenset({*LOOPBACK_HOSTS, *(host_name(h) for h in extra if h.strip())})


async def _answer(send, status: int, message: str, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"x-content-type-options", b"nosniff"), *headers]})
    await send({"type": "http.response.body", "body": body})


class TrustedHosts:
    """Refuse (400) a request whose Host header is missing or not one of `names`."""

    def __init__(self, app, names: Iterable[str]):
        self.app = app
        self.names = frozenset(n.lower() for n in names)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        raw = dict(scope.get("headers") or ()).get(b"host", b"").decode("latin-1")
        if host_name(raw) not in self.names:
            shown = raw[:100] or "(none)"
            return await _answer(send, 400, f"host not allowed: {shown!r}; this server answers to "
                                            f"{', '.join(sorted(self.names))} (add a name with `dipsearch serve --allowed-host NAME`)")
        return await self.app(scope, receive, send)


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes the limit. An HTTPException, so the app's own
    error handler words it (FastAPI re-raises HTTPExceptions met while reading a body, where it turns any
    other exception into a 400)."""

    def __init__(self, max_bytes: int):
        super().__init__(413, f"request body too large: at most {max_bytes:,} bytes", headers={"Connection": "close"})


class BodyLimit:
    """Refuse (413) a request body over `max_bytes`: by its Content-Length up front, or by counting as it streams."""

    def __init__(self, app, max_bytes: int = DEFAULT_MAX_BODY):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None:
            if not length.strip().isdigit():  # bytes: ASCII digits only
                return await _answer(send, 400, "Content-Length is not a number")
            if int(length) > self.max_bytes:
                return await _answer(send, 413, BodyTooLarge(self.max_bytes).detail, [(b"connection", b"close")])
        seen = 0
        started = False

        async def counted_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracked_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge as exc:  # raised where no handler catches it (e.g. outside a route)
            if started:
                raise
            await _answer(send, 413, exc.detail, [(b"connection", b"close")])
