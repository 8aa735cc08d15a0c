"""The web app factory: one index, one model (loaded once), JSON API and server-rendered pages.

Nothing happens at import. `create_app(store, embedder_loader)` builds a FastAPI app whose state
holds the store, the model loader and a lock; every route makes its library call under the lock,
because the store's SQLite connection and the model are shared by the worker threads.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from corpus.errors import DipsearchError

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# FastAPI's own /docs page loads Swagger UI from a CDN with an inline bootstrap script; it shows no document text.
DOCS_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com"


class Runtime:
    """What the routes share: the store, the model (loaded once, on first need or at startup) and a lock."""

    def __init__(self, store, embedder_loader: Callable[[], object] | None):
        self.store = store
        self._loader = embedder_loader
        self._embedder = None
        self.lock = threading.RLock()

    def embedder(self):
        with self.lock:
            if self._embedder is None:
                if self._loader is None:
                    from search.errors import InvalidQuery

                    raise InvalidQuery("this server has no model; use mode=lexical")
                self._embedder = self._loader()
            return self._embedder

    def optional_embedder(self):
        """The model if this server has one (loading it on first use), else None."""
        return self.embedder() if self._loader is not None else None


def status_for(exc: DipsearchError) -> int:
    name = type(exc).__name__
    if name.endswith("NotFound"):  # DocumentNotFound, PassageNotFound, EvalSetNotFound
        return 404
    if name == "ModelMismatch":
        return 409
    if name in ("ModelError", "IndexBusy"):
        return 503
    return 400


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = [str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path")]
        parts.append(f"{'.'.join(where) or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def _same_origin(request: Request) -> bool:
    """A state-changing request must not come from another site's page. Browsers say where a request
    comes from in Sec-Fetch-Site (and Origin); clients that are not browsers send neither."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host", "")


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def create_app(store, embedder_loader: Callable[[], object] | None = None, preload: bool = False) -> FastAPI:
    """The app over `store`. `embedder_loader()` returns the model; with `preload` it runs at startup."""
    from search.web import api, judging, pages, talking
    from search.web.views import templates

    runtime = Runtime(store, embedder_loader)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if preload and embedder_loader is not None:
            runtime.embedder()
        yield

    app = FastAPI(title="dipsearch", version="0.1.0", lifespan=lifespan,
                  description="Semantic search over diplomatic statements: search, documents, similar passages, "
                              "talking points, stats, and judging evaluation sets.")
    app.state.runtime = runtime
    app.state.templates = templates()
    app.state.features = {"talking_points", "evaluation"}  # views shown in the navigation and on results
    app.include_router(api.router)
    app.include_router(talking.router)
    app.include_router(judging.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        if request.method not in ("GET", "HEAD", "OPTIONS") and not _same_origin(request):
            return JSONResponse({"error": "cross-site request refused: send it from this server's own pages"}, status_code=403)
        response = await call_next(request)
        docs = request.url.path in ("/docs", "/redoc")
        response.headers["Content-Security-Policy"] = DOCS_CSP if docs else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    def error(request: Request, status: int, message: str):
        if _wants_html(request):
            return pages.error_page(request, status, message)
        return JSONResponse({"error": message}, status_code=status)

    @app.exception_handler(DipsearchError)
    async def library_error(request: Request, exc: DipsearchError):
        return error(request, status_for(exc), str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_parameters(request: Request, exc: RequestValidationError):
        return error(request, 422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        return error(request, 500, f"internal error ({type(exc).__name__}); the server log has the details")

    return app
