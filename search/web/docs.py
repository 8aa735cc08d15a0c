"""The API documentation page (/docs): Swagger UI served from this server's own files, so it works offline.

The assets are Swagger UI's dist files (5.x, Apache-2.0), shipped in static/swagger-ui/ (see its README); the
page's start-up script is a static file too, so the page needs no inline script and no CDN."""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

ASSETS = "/static/swagger-ui"
PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dipsearch API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css"><link rel="icon" href="{ASSETS}/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script><script src="/static/swagger-init.js"></script></body></html>"""


def install_docs(app: FastAPI) -> None:
    """GET /docs: Swagger UI over /openapi.json, every asset from /static."""

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs_page():
        return HTMLResponse(PAGE)
