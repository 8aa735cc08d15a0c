"""The web front end and HTTP API: `create_app(store, embedder_loader)` in app.py; `dipsearch serve` runs it."""
