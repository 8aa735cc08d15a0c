"""The API documentation pages, /docs (Swagger UI) and /redoc (ReDoc), served from this server's own files, so
they work offline.

The assets are Swagger UI's dist files (5.x, Apache-2.0) in static/swagger-ui/ and ReDoc's standalone bundle
(2.x, MIT) in static/redoc/ (see their READMEs); Swagger UI's start-up script is a static file too, so neither
page needs an inline script or a CDN."""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

ASSETS = "/static/swagger-ui"
PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dipsearch API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css"><link rel="icon" href="{ASSETS}/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script><script src="/static/swagger-init.js"></script></body></html>"""


REDOC_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dipsearch API</title></head>
<body><redoc spec-url="/openapi.json"></redoc><script src="/static/redoc/redoc.standalone.js"></script></body></html>"""
DOCS_PATHS = ("/docs", "/redoc")


def install_docs(app: FastAPI) -> None:
    """GET /docs (Swagger UI) and /redoc (ReDoc) over /openapi.json, every asset from /static."""

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs_page():
        return HTMLResponse(PAGE)

    @app.get("/redoc", include_in_schema=False, response_class=HTMLResponse)
    def redoc_page():
        return HTMLResponse(REDOC_PAGE)
