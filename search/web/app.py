"""The web app factory: one index, one model (loaded once), JSON API and server-rendered pages.

Nothing happens at import. `create_app(index)` (or `create_app(store, embedder_loader)`) builds a FastAPI
app whose state holds the `search.api.Index` façade; every route makes one call on it, and the façade
takes its lock, because the store's SQLite connection and the model are shared by the worker threads.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from corpus.errors import DipsearchError
from search.web.docs import DOCS_PATHS, install_docs
from search.web.errors import api_message, page_message, status_for
from search.web.guards import DEFAULT_MAX_BODY, BodyLimit, TrustedHosts, allowed_host_names
from search.web.schemas import exact_bounds

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# /docs and /redoc serve Swagger UI and ReDoc from this server (search/web/docs.py); both set inline styles, and
# ReDoc runs its search index in a worker made from a blob.
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            "worker-src 'self' blob:; object-src 'none'; frame-ancestors 'none'")


def _no_model(store):
    from search.errors import InvalidQuery

    raise InvalidQuery("this server has no model; use mode=lexical")


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


def create_app(source, embedder_loader: Callable[[], object] | None = None, preload: bool = False, *,
               allowed_hosts: Iterable[str] = (), max_body_bytes: int = DEFAULT_MAX_BODY) -> FastAPI:
    """The app over `source`: an Index, or a store with `embedder_loader()` returning the model (None: lexical only).
    With `preload` the model loads at startup. It answers requests whose Host is a loopback name or one of
    `allowed_hosts` (the address it listens on, names it is reached by), and refuses request bodies over `max_body_bytes`."""
    from search.api import Index
    from search.web import api, browse, judging, pages, talking
    from search.web.views import templates

    if isinstance(source, Index):
        index = source
    else:
        loader = (lambda store: embedder_loader()) if embedder_loader is not None else _no_model
        index = Index(source, loader=loader, has_model=embedder_loader is not None)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if preload and index.has_model:
            index.embedder()
        yield

    app = FastAPI(title="dipsearch", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Semantic search over diplomatic statements: search, documents, similar passages, "
                              "talking points, stats, and judging evaluation sets.")
    app.state.index = index
    app.state.runtime = index  # the name earlier code used
    app.openapi = lambda: app.openapi_schema or exact_bounds(FastAPI.openapi(app))  # ids up to 2**63-1, exactly
    app.state.templates = templates()
    app.state.features = {"talking_points", "evaluation"}  # views shown in the navigation and on results
    app.include_router(api.router)
    app.include_router(talking.router)
    app.include_router(judging.router)
    app.include_router(pages.router)
    app.include_router(browse.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    install_docs(app)  # /docs with local Swagger UI assets

    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        if request.method not in ("GET", "HEAD", "OPTIONS") and not _same_origin(request):
            return JSONResponse({"error": "cross-site request refused: send it from this server's own pages"}, status_code=403)
        response = await call_next(request)
        docs = request.url.path in DOCS_PATHS
        response.headers["Content-Security-Policy"] = DOCS_CSP if docs else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    # The Host check runs first (outermost, added last). The body limit sits inside the headers middleware,
    # so a body found too large while it streams is raised inside the route and answered by the handlers below.
    app.add_middleware(TrustedHosts, names=allowed_host_names(allowed_hosts))

    def error(request: Request, status: int, message: str, headers: dict | None = None):
        response = pages.error_page(request, status, message) if _wants_html(request) else JSONResponse({"error": message}, status_code=status)
        response.headers.update(headers or {})
        return response

    @app.exception_handler(DipsearchError)
    async def library_error(request: Request, exc: DipsearchError):
        return error(request, status_for(exc), page_message(exc) if _wants_html(request) else api_message(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_parameters(request: Request, exc: RequestValidationError):
        return error(request, 422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # routes and static files name their methods; never answer 405 without Allow
            headers.setdefault("Allow", "GET, HEAD")
        return error(request, exc.status_code, str(exc.detail), headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        return error(request, 500, f"internal error ({type(exc).__name__}); the server log has the details")

    return app
