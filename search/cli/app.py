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

from corpus.errors import DipsearchError, FieldError, InvalidInput, WordedText

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
    epilog="Examples:  dipsearch ingest statements/ --index mfa   ·   dipsearch search \"grain exports\" --since 2022 --index mfa   ·   "
           "dipsearch export \"WHO funding\" --mode lexical --output who.csv --index mfa   ·   dipsearch documents --index mfa   ·   "
           "dipsearch serve --index mfa   ·   dipsearch COMMAND --help for each command's options and examples",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

IndexOpt = Annotated[Path, typer.Option("--index", envvar="DIPSEARCH_INDEX", help="Index folder (else $DIPSEARCH_INDEX, else ./dipsearch-index).", show_default=True)]
ModelOpt = Annotated[Optional[Path], typer.Option("--model", help="A model name (all-MiniLM-L6-v2, e5-multilingual, use-multilingual: `dipsearch models`) or a local sentence-transformers folder. Default: the index's own; for a new index all-MiniLM-L6-v2, or e5-multilingual when its documents hold Chinese/Japanese/Korean text.")]
BackendOpt = Annotated[Optional[str], typer.Option("--backend", help="Encoder: onnx (default: fp32, no torch at query time), onnx-int8 (faster, slightly different vectors) or torch. Default: the fastest one matching the index's vectors.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of the terminal view.")]
# The filters every command that selects documents or passages takes, declared once so they read the same everywhere.
SinceOpt = Annotated[Optional[str], typer.Option("--since", help="Only documents dated on/after: YYYY, YYYY-MM or YYYY-MM-DD.")]
UntilOpt = Annotated[Optional[str], typer.Option("--until", help="Only documents dated on/before.")]
UndatedOpt = Annotated[bool, typer.Option("--include-undated", help="With --since/--until, keep documents whose date is unknown.")]
SourceOpt = Annotated[list[str], typer.Option("--source", help="Source contains this (case-insensitive); repeat for any of several.")]
SpeakerOpt = Annotated[list[str], typer.Option("--speaker", help="The passage's speaker has these whole words (Xi: Xi Jinping, not Maxine); repeatable.")]
LangOpt = Annotated[list[str], typer.Option("--lang", help="Language code, e.g. en or zh; repeatable.")]
SaidByOpt = Annotated[list[str], typer.Option("--said-by", help="Spoken for this actor (China, Beijing, the US, ...; case-insensitive); repeatable.")]
RoleOpt = Annotated[list[str], typer.Option("--role", help="Passage role: statement, answer, question, quote, narration, procedural; repeatable.")]
ImpreciseOpt = Annotated[bool, typer.Option("--include-imprecise", help="With --since/--until, keep a year- or month-only date that only overlaps them (by default all of it must be inside).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file (never the index's own files).")]
NoWaitOpt = Annotated[bool, typer.Option("--no-wait", help="If another command is writing to the index, stop (exit 1) instead of waiting for it.")]
DEFAULT_INDEX = Path("dipsearch-index")


def runtime(ctx: typer.Context) -> Runtime:
    return ctx.obj if isinstance(ctx.obj, Runtime) else Runtime()


def err_console() -> Console:
    return Console(stderr=True, highlight=False)


# Library errors name fields; the CLI words each with its flag (or argument). Default: --field-name.
FLAGS = {"k": "-k", "index_type": "--type", "passage_id": "PASSAGE_ID", "query": "QUERY", "format": "--format",
         "field_map": "--field", "spokespeople": "--spokesperson", "run_files": "--run", "stat_test": "--test", "modes": "--mode"}


# The CLI's words for the library's hint fields (corpus.errors.DipsearchError.hints): where to find the ids.
HINTS = {"listing": "list ids with `dipsearch documents` or check --index",
         "passage_listing": "passage ids are printed by `dipsearch search` (after '#') and in its --json output (passage_id)"}


def flag(field: str) -> str:
    """The command-line name of a library field: per_doc -> --per-doc, k -> -k."""
    return FLAGS.get(field, "--" + field.replace("_", "-"))


def parameter_name(command, field: str) -> str:
    """How `command` calls its parameter `field` on the command line: '--max-doc-mb', 'QUERY'; else the field."""
    import typing

    try:
        hint = typing.get_type_hints(command, include_extras=True).get(field)
    except Exception:  # an annotation that cannot be evaluated: fall back to the field's name
        hint = None
    for info in getattr(hint, "__metadata__", ()):
        if isinstance(info, typer.models.ArgumentInfo):
            return field.upper()
        if isinstance(info, typer.models.OptionInfo):
            # In Annotated options typer keeps the first declaration in `default`: Option("-k") has no param_decls.
            given = ([info.default] if isinstance(info.default, str) else []) + list(info.param_decls or ())
            decls = [d for d in given if d.startswith("-")]
            long = [d for d in decls if d.startswith("--")]
            return max(long or decls, key=len) if decls else "--" + field.replace("_", "-")
    return field


def cli_name(command, field: str) -> str:
    """A library field in this command's words: its own parameter's flag or argument, else the usual flag."""
    name = parameter_name(command, field)
    return name if name != field else flag(field)


def cli_message(exc: DipsearchError, command=None) -> str:
    """The error's message with each field named as `command` (or, without one, the CLI at large) calls it; a hint
    field in the CLI's words (HINTS) where it has them, else the library's."""
    hints = exc.hints()
    names = {f: HINTS[f] if f in hints else cli_name(command, f) if command is not None else flag(f)
             for f in exc.fields if f in HINTS or f not in hints}
    return exc.worded(names)


def skipped_line(problem) -> str:
    """The stderr line (rich markup) for an input that was skipped (a corpus.errors.InputProblem), in the CLI's words."""
    return f"[yellow]skipped[/] {escape(str(problem.origin))}: {escape(problem.worded_reason(flag))}"


def cli_text(text: str) -> str:
    """A library note in the CLI's words: one naming fields (corpus.errors.WordedText) with its flags; other text as it is."""
    return text.worded(flag) if isinstance(text, WordedText) else text


def check_text_arguments(arguments: dict) -> None:
    """Refuse a text argument holding bytes that are not UTF-8 (Python passes them on as lone surrogates,
    which no model, database or terminal can take). File and folder paths may hold them; they are not checked."""
    from corpus.textfile import invalid_character, printable

    for name, value in arguments.items():
        for item in value if isinstance(value, (list, tuple)) else (value,):
            problem = invalid_character(item) if isinstance(item, str) else None
            if problem:
                raise FieldError(name, f"'{printable(item)}'", f"holds {problem}; give it as UTF-8 text (is the terminal's locale UTF-8?)")


def edge(command):
    """Turn library errors into one clear line on stderr (fields worded as flags) and the error's exit status; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            check_text_arguments(kwargs)
            return command(*args, **kwargs)
        except DipsearchError as exc:
            err_console().print(f"[red]error:[/] {escape(cli_message(exc, command))}", soft_wrap=True)
            raise typer.Exit(getattr(exc, "exit_code", EXIT_ERROR)) from None
        except sqlite3.DatabaseError as exc:  # damage found while reading (a truncated or corrupt page)
            err_console().print(f"[red]error:[/] the index database cannot be read ({escape(str(exc))}); "
                                "run `dipsearch check` on this index for what can be done", soft_wrap=True)
            raise typer.Exit(EXIT_ERROR) from None
        except KeyboardInterrupt:
            err_console().print("interrupted: everything committed so far is kept; run the same command again to finish")
            raise typer.Exit(130) from None

    return wrapper


def open_index(ctx: typer.Context, index: Path, model: Path | None = None, backend: str | None = None, create: bool = False,
               no_wait: bool = False):
    """The façade over the index folder; the model loads through this runtime on first need. A write waits for
    another writer (saying so once), or with `no_wait` refuses."""
    from search.api import Index

    rt = runtime(ctx)
    idx = Index.open(index, create=create, loader=lambda store: rt.embedder(model, store, backend),
                     wait_for_writer=not no_wait, on_wait=say_waiting,
                     auto_model=model is None and backend is None,
                     named_loader=lambda store, name: rt.embedder(name, store))
    ctx.call_on_close(idx.close)  # the database is closed (and its WAL checkpointed) when the command ends
    return idx


def say_waiting(holder) -> None:
    from index.lock import describe_holder

    err_console().print(f"waiting for {escape(describe_holder(holder))} to finish…", soft_wrap=True)


def output_path(path: Path, index: Path, force: bool, option: str, names: tuple[str, ...] | None = None) -> Path:
    """`path` checked as an output (`names`: the files written in it, for an output folder): refused over the
    index's files, and over an existing file without --force, worded with `option`."""
    from index.outputs import OutputRefused, safe_output_folder, safe_output_path

    try:
        return safe_output_folder(path, names, index, force) if names else safe_output_path(path, index, force)
    except OutputRefused as exc:
        raise InvalidInput(exc.worded({"output": option, "force": "--force"})) from None


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def main() -> None:
    app()
