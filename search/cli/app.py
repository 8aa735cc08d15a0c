"""The typer app, shared options, the runtime (how to load a model) and the error edge."""
from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from corpus.errors import DipsearchError

EXIT_ERROR, EXIT_SKIPPED = 1, 3


@dataclass
class Runtime:
    """What commands need from outside: how to load a model. Tests put a fake one in `obj`:
    `load_embedder(source)` then stands in for every backend, behind the same policy."""

    load_embedder: Callable | None = None

    def embedder(self, model: Path | None, store=None, backend: str | None = None):
        from index.embedding import load

        stand_in = None if self.load_embedder is None else (lambda source, **_: self.load_embedder(source))
        return load(model, backend, store.model_info() if store is not None else None, backends=stand_in)


app = typer.Typer(
    name="dipsearch",
    help="Semantic search over diplomatic statements: ingest documents, then search them by meaning and words.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

IndexOpt = Annotated[Path, typer.Option("--index", envvar="DIPSEARCH_INDEX", help="Index folder (else $DIPSEARCH_INDEX, else ./dipsearch-index).", show_default=True)]
ModelOpt = Annotated[Optional[Path], typer.Option("--model", help="A model name (all-MiniLM-L6-v2, e5-multilingual, use-multilingual: `dipsearch models`) or a local sentence-transformers folder. Default: the index's own; for a new index all-MiniLM-L6-v2, or e5-multilingual when its documents hold Chinese/Japanese/Korean text.")]
BackendOpt = Annotated[Optional[str], typer.Option("--backend", help="Encoder: onnx (default: fp32, no torch at query time), onnx-int8 (faster, slightly different vectors) or torch. Default: the fastest one matching the index's vectors.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of the terminal view.")]
DEFAULT_INDEX = Path("dipsearch-index")


def runtime(ctx: typer.Context) -> Runtime:
    return ctx.obj if isinstance(ctx.obj, Runtime) else Runtime()


def err_console() -> Console:
    return Console(stderr=True, highlight=False)


# Library errors name fields; the CLI words each with its flag (or argument). Default: --field-name.
FLAGS = {"k": "-k", "index_type": "--type", "passage_id": "PASSAGE_ID", "query": "QUERY", "format": "--format",
         "field_map": "--field", "spokespeople": "--spokesperson", "run_files": "--run", "stat_test": "--test"}


def flag(field: str) -> str:
    """The command-line name of a library field: per_doc -> --per-doc, k -> -k."""
    return FLAGS.get(field, "--" + field.replace("_", "-"))


def cli_message(exc: DipsearchError) -> str:
    return exc.worded(flag)


def edge(command):
    """Turn library errors into one clear line on stderr (fields worded as flags) and the error's exit status; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DipsearchError as exc:
            err_console().print(f"[red]error:[/] {cli_message(exc)}", soft_wrap=True)
            raise typer.Exit(getattr(exc, "exit_code", EXIT_ERROR)) from None
        except KeyboardInterrupt:
            err_console().print("interrupted: everything committed so far is kept; run the same command again to finish")
            raise typer.Exit(130) from None

    return wrapper


def open_store(index: Path, create: bool = False):
    from index.store import IndexStore

    return IndexStore.open(index, create=create)


def open_index(ctx: typer.Context, index: Path, model: Path | None = None, backend: str | None = None, create: bool = False):
    """The façade over the index folder; the model loads through this runtime on first need."""
    from search.api import Index

    rt = runtime(ctx)
    return Index.open(index, create=create, loader=lambda store: rt.embedder(model, store, backend),
                      auto_model=model is None and backend is None, named_loader=lambda store, name: rt.embedder(name, store))


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def main() -> None:
    app()
