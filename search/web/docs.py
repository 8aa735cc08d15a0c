"""The API documentation page (/docs): Swagger UI served from this server's own files, so it works offline.

The assets come from the swagger-ui-bundle package (Swagger UI's dist files, Apache-2.0); the page's start-up
script is a static file too, so the page needs no inline script and no CDN. Without the package the page says
how to install it instead of staying blank."""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dipsearch API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"><link rel="icon" href="/docs-assets/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script><script src="/static/swagger-init.js"></script></body></html>"""
MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dipsearch API</title></head>
<body><h1>dipsearch API</h1><p>The API explorer needs the swagger-ui-bundle package: <code>pip install swagger-ui-bundle</code>.
The schema itself is at <a href="/openapi.json">/openapi.json</a>.</p></body></html>"""


def swagger_ui_folder() -> str | None:
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return swagger_ui_bundle.swagger_ui_path


def install_docs(app: FastAPI) -> None:
    """GET /docs (Swagger UI over /openapi.json) and its assets under /docs-assets."""
    folder = swagger_ui_folder()
    if folder is not None:
        app.mount("/docs-assets", StaticFiles(directory=folder), name="docs-assets")

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs_page():
        return HTMLResponse(PAGE if folder is not None else MISSING)
