"""The `dipsearch` command line. `app.py` holds the typer app; each module of commands registers on it."""
from search.cli.app import app, main
from search.cli import commands  # noqa: F401,E402  (registers every command on `app`)

__all__ = ["app", "main"]
