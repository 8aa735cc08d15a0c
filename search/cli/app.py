"""The typer app, shared options, the runtime (how to load a model) and the error edge."""
from __future__ import annotations

import functools
import json
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from corpus.errors import DipsearchError

EXIT_ERROR, EXIT_SKIPPED = 1, 3


@dataclass
class Runtime:
    """What commands need from outside: how to load a model. Tests put a fake one in `obj`."""

    load_embedder: Callable | None = None

    def embedder(self, model: Path | None, store=None, backend: str | None = None):
        from index.embedder import load_embedder

        info = (store.model_info() or {}) if store is not None else {}
        if model is None and store is not None:
            recorded = info.get("path")
            if recorded and Path(recorded).is_dir() and info.get("name") != "sentence-transformers/all-MiniLM-L6-v2":
                model = Path(recorded)
        if self.load_embedder is not None:
            return self.load_embedder(model)
        from index.encoders import resolve_backend
        from index.errors import ModelError

        chosen = resolve_backend(backend, info.get("backend"))
        try:
            return load_embedder(model, backend=chosen)
        except ModelError:
            if backend is not None or chosen != "onnx":
                raise
            return load_embedder(model, backend="torch")  # a model ONNX cannot run: torch gives the same vectors


app = typer.Typer(
    name="dipsearch",
    help="Semantic search over diplomatic statements: ingest documents, then search them by meaning and words.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

IndexOpt = Annotated[Path, typer.Option("--index", envvar="DIPSEARCH_INDEX", help="Index folder (else $DIPSEARCH_INDEX, else ./dipsearch-index).", show_default=True)]
ModelOpt = Annotated[Optional[Path], typer.Option("--model", help="A local sentence-transformers model folder (default: bundled all-MiniLM-L6-v2, or the index's own).")]
BackendOpt = Annotated[Optional[str], typer.Option("--backend", help="Encoder: onnx (default: fp32, no torch at query time), onnx-int8 (faster, slightly different vectors) or torch. Default: the fastest one matching the index's vectors.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of the terminal view.")]
NoWaitOpt = Annotated[bool, typer.Option("--no-wait", help="If another command is writing to the index, stop (exit 1) instead of waiting for it.")]
DEFAULT_INDEX = Path("dipsearch-index")


def runtime(ctx: typer.Context) -> Runtime:
    return ctx.obj if isinstance(ctx.obj, Runtime) else Runtime()


def err_console() -> Console:
    return Console(stderr=True, highlight=False)


def edge(command):
    """Turn library errors into one clear line on stderr and a non-zero exit; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DipsearchError as exc:
            err_console().print(f"[red]error:[/] {exc}", soft_wrap=True)
            raise typer.Exit(EXIT_ERROR) from None
        except sqlite3.DatabaseError as exc:  # damage found while reading (a truncated or corrupt page)
            err_console().print(f"[red]error:[/] the index database cannot be read ({escape(str(exc))}); "
                                "run `dipsearch check` on this index for what can be done", soft_wrap=True)
            raise typer.Exit(EXIT_ERROR) from None
        except KeyboardInterrupt:
            err_console().print("interrupted: everything committed so far is kept; run the same command again to finish")
            raise typer.Exit(130) from None

    return wrapper


def open_store(index: Path, create: bool = False, no_wait: bool = False):
    """Open the index; a write to it waits for another writer (saying so once), or with `no_wait` refuses."""
    from index.lock import describe_holder
    from index.store import IndexStore

    store = IndexStore.open(index, create=create)
    store.wait_for_writer = not no_wait
    store.on_wait = lambda holder: err_console().print(f"waiting for {escape(describe_holder(holder))} to finish…", soft_wrap=True)
    return store


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def main() -> None:
    app()
