"""The bad-input table: every hostile or careless input found so far, run through the real CLI (CliRunner).

Ingest cases: a folder of two good documents plus the bad input. Each must give no traceback, leave the
good documents in the index, exit with the documented status (0 all read, 3 some inputs skipped, 1 error)
and print the documented line. Command cases: odd arguments to the other commands on a built index.
"""
from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from search.cli import app

GOOD = {"river": "The river treaty binds Arden and Vell to share the water of the northern river.",
        "fish": "Vell and Osland signed a fisheries accord limiting trawler catches in the shared bay."}
EXTRA = "Osland and Arden agreed to reopen the mountain pass to trade in the spring."


@dataclass
class Case:
    name: str
    make: Callable[[Path], list[str] | None]  # writes the bad input into the folder; returns extra CLI args
    exit: int
    line: str  # expected stderr line; {d} is the folder
    docs: set[str] = field(default_factory=set)  # documents expected besides the good ones
    fault: Callable | None = None  # (monkeypatch, folder) -> None, for faults a test must inject


def _write(name: str, data: bytes | str):
    def make(d: Path):
        path = d / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    return make


def _jsonl(*records: str):
    return _write("more.jsonl", "".join(r + "\n" for r in records))


def _fifo(d: Path):
    os.mkfifo(d / "pipe.txt")


def _link(name: str, target: str):
    def make(d: Path):
        (d / name).symlink_to(target)
    return make


def _deep(levels: int) -> str:
    return '{"id": "deep", "text": "Deep text.", "m": ' + "[" * levels + "]" * levels + "}"


def _big_line(d: Path):
    (d / "more.jsonl").write_text(json.dumps({"id": "big", "text": "word " * (1024 * 1024)}) + "\n" + json.dumps({"id": "x", "text": EXTRA}) + "\n")
    return ["--max-doc-mb", "1"]


def _huge(d: Path):
    (d / "huge.txt").write_bytes(b"The treaty. " * (2 * 1024 * 1024 // 12 + 1))
    return ["--max-doc-mb", "1"]


def _truncated_gz(d: Path):
    data = gzip.compress((json.dumps({"id": "x", "text": EXTRA}) + "\n").encode() * 50)
    (d / "more.jsonl.gz").write_bytes(data[: len(data) // 2])


def _locked_folder(d: Path):
    (d / "locked").mkdir()
    (d / "locked" / "inside.txt").write_text(EXTRA)


def _deny_locked(monkeypatch, d: Path):
    """As root, chmod 000 does not stop listing a folder: make listing `locked` fail as it would for a user."""
    real = os.scandir

    def scandir(path="."):
        if Path(path) == d / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def _disk_full(monkeypatch, d: Path):
    from index.database import Database

    real, calls = Database.replace_passages, []

    def replace(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # the two good documents are committed (one per batch), the third batch fails
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Database, "replace_passages", replace)


def _surrogate_name(d: Path):
    (d / os.fsdecode(b"caf\xe9.txt")).write_text(EXTRA)


def _sidecar_surrogate(d: Path):
    (d / "extra.txt").write_text(EXTRA)
    (d / "extra.txt.meta.json").write_text('{"title": "Pass \\ud800 reopened"}')


def _linked_folder(d: Path):
    (d.parent / "elsewhere").mkdir()
    (d.parent / "elsewhere" / "x.txt").write_text(EXTRA)
    (d / "linked").symlink_to(d.parent / "elsewhere")


SKIP = "skipped {d}/"
INGEST_CASES = [
    # the earlier bad inputs (tests/test_readers.py, tests/test_cli.py)
    Case("empty file", _write("empty.txt", ""), 3, SKIP + "empty.txt: empty file"),
    Case("binary file", _write("binary.txt", b"\x00\xff" * 100), 3, SKIP + "binary.txt: binary file (contains NUL bytes); only text is indexed"),
    Case("wrong encoding", _write("latin.txt", "Caf\xe9 talks between Arden and Vell resumed.".encode("latin-1")), 0,
         "note {d}/latin.txt: not valid UTF-8; read as Windows-1252/latin-1", {"latin"}),
    Case("malformed JSON line", _jsonl("{oops", json.dumps({"id": "x", "text": EXTRA})), 3,
         SKIP + "more.jsonl:1: malformed JSON (Expecting property name enclosed in double quotes at column 2); line skipped", {"x"}),
    Case("missing text", _jsonl(json.dumps({"id": "y", "title": "No body"})), 3, SKIP + "more.jsonl:1: no 'text' field; map the text with --field text=NAME"),
    Case("huge file", _huge, 3, SKIP + "huge.txt: 2.0 MB is over the 1 MB document limit; split it or raise --max-doc-mb"),
    Case("huge JSON line", _big_line, 3, SKIP + "more.jsonl:1: line of 5.0 MB is over the document limit; skipped", {"x"}),
    Case("unsupported type", _write("notes.docx", b"PK\x03\x04"), 3,
         SKIP + "notes.docx: unsupported file type '.docx'; dipsearch reads .txt .md .jsonl .jsonl.gz .csv .html .htm .pdf"),
    Case("dangling link", _link("dangling.txt", "nowhere.txt"), 3, SKIP + "dangling.txt: cannot read (No such file or directory)"),
    Case("truncated gzip", _truncated_gz, 3, SKIP + "more.jsonl.gz:"),
    Case("CSV without text column", _write("rows.csv", "id,body\nc1,Hello\n"), 3,
         SKIP + "rows.csv: no 'text' column (columns: id, body); map the text with --field text=NAME"),
    Case("only site debris", _write("junk.txt", "Leave a Reply\n\nMost popular in 24h\nAPP | PC\n"), 3,
         SKIP + "junk.txt: no text left after removing site debris; nothing to index"),
    # issue 15, item 6: an id given twice
    Case("duplicate id", _jsonl(json.dumps({"id": "river", "text": EXTRA})), 3,
         SKIP + "more.jsonl:1: id 'river' was already read from {d}/a.jsonl:1; this later one is skipped (the first occurrence of an id is indexed)"),
    # item 7: rich markup in a path
    Case("markup in a path", _write("x[/b].txt", ""), 3, SKIP + "x[/b].txt: empty file"),
    # item 8: inputs that aborted the whole ingest
    Case("lone surrogate in JSON", _jsonl(json.dumps({"id": "x", "text": EXTRA}), '{"id": "bad", "text": "lone \\ud800 here"}'), 3,
         SKIP + "more.jsonl:2: holds a lone surrogate U+D800 at character 6 (a broken \\u escape or bytes that are not UTF-8); skipped", {"x"}),
    Case("CSV row with extra cells", _write("rows.csv", f'id,text\nc1,"{EXTRA}"\nc2,too,many,cells\n'), 3,
         SKIP + "rows.csv:3: row has 4 cells, the header 2; row skipped (quote cells holding commas)", {"c1"}),
    Case("JSON nested 100k deep", _jsonl(_deep(100_000), json.dumps({"id": "x", "text": EXTRA})), 3,
         SKIP + "more.jsonl:1: JSON nested more than 64 levels deep; line skipped", {"x"}),
    Case("JSON nested 500 deep", _jsonl(_deep(500)), 3, SKIP + "more.jsonl:1: nested more than 64 levels deep; skipped"),
    Case("surrogate in a sidecar", _sidecar_surrogate, 0,
         "note {d}/extra.txt: sidecar extra.txt.meta.json ignored (holds a lone surrogate U+D800 at character 6 "
         "(a broken \\u escape or bytes that are not UTF-8))", {"extra"}),
    Case("file name not UTF-8", _surrogate_name, 0, "note {d}/caf\\xe9.txt: file name is not UTF-8; its id is caf\\xe9", {"caf\\xe9"}),
    # item 9: inputs that hung or blew up
    Case("FIFO", _fifo, 3, SKIP + "pipe.txt: not a regular file (a named pipe); only regular files are read"),
    Case("link to /dev/zero", _link("zero.txt", "/dev/zero"), 3, SKIP + "zero.txt: not a regular file (a character device); only regular files are read"),
    Case("link to /dev/zero as JSONL", _link("zero.jsonl", "/dev/zero"), 3,
         SKIP + "zero.jsonl: not a regular file (a character device); only regular files are read"),
    # item 10: a folder that cannot be listed, and a link to a folder
    Case("unreadable folder", _locked_folder, 3, SKIP + "locked: cannot read folder (Permission denied); the files in it were skipped",
         fault=_deny_locked),
    Case("link to a folder", _linked_folder, 3, SKIP + "linked: is a link to a folder, not followed; give the folder itself to read it"),
    # item 11: odd numbers, and a disk that fills up (the good documents committed before it stay)
    Case("max-doc-mb nan", lambda d: ["--max-doc-mb", "nan"], 1,
         "error: --max-doc-mb nan: the document size limit must be a finite number of megabytes above 0, e.g. 20", docs={"-"}),
    Case("max-doc-mb inf", lambda d: ["--max-doc-mb", "inf"], 1,
         "error: --max-doc-mb inf: the document size limit must be a finite number of megabytes above 0, e.g. 20", docs={"-"}),
    Case("disk full", lambda d: _write("z.txt", EXTRA)(d) or ["--batch", "1"], 1,
         "error: the disk is full (database or disk is full); the index keeps everything committed before this batch (2 documents) "
         "and opens as before. Free some space and run the same ingest again: it skips what is in and adds the rest", fault=_disk_full),
]


class Hung(BaseException):
    """Raised by the alarm in a command that runs too long; not an OSError, so no reader can swallow it."""


def invoke(runtime, *args, seconds: int = 60):
    def too_long(signum, frame):
        raise Hung(f"the command ran over {seconds} s (it hangs)")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(seconds)
    try:
        result = CliRunner().invoke(app, [str(a) for a in args], obj=runtime)
    except Hung as exc:
        pytest.fail(str(exc))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "Error:" not in result.output, result.output
    return result


def _good_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.jsonl").write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in GOOD.items()))
    return folder


@pytest.mark.parametrize("case", INGEST_CASES, ids=[c.name for c in INGEST_CASES])
def test_bad_input(tmp_path, runtime, monkeypatch, case):
    folder = _good_folder(tmp_path)
    extra = case.make(folder) or []
    if case.fault:
        case.fault(monkeypatch, folder)
    result = invoke(runtime, "ingest", folder, "--index", tmp_path / "idx", *extra)
    assert result.exit_code == case.exit, result.output
    expected = case.line.format(d=folder)
    lines = result.stderr.splitlines()
    assert any(line == expected or (expected.endswith(":") and line.startswith(expected)) for line in lines), lines
    monkeypatch.undo()
    if case.docs == {"-"}:  # refused before anything was read: no index is made
        assert not (tmp_path / "idx").exists()
        return
    shown = invoke(runtime, "search", "river treaty fisheries", "--mode", "lexical", "--index", tmp_path / "idx", "--json")
    assert {"river", "fish"} <= {r["doc_id"] for r in json.loads(shown.stdout)["results"]}
    stats = json.loads(invoke(runtime, "stats", "--index", tmp_path / "idx", "--json").stdout)
    expected_docs = 2 if case.name == "disk full" else 2 + len(case.docs)
    assert stats["documents"] == expected_docs
    for doc_id in case.docs:
        assert invoke(runtime, "show", doc_id, "--index", tmp_path / "idx").exit_code == 0


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from search.cli.app import Runtime
    from tests.fakes import FakeEmbedder

    embedder = FakeEmbedder()
    runtime = Runtime(load_embedder=lambda model=None: embedder)
    tmp = tmp_path_factory.mktemp("built")
    folder = _good_folder(tmp)
    assert invoke(runtime, "ingest", folder, "--index", tmp / "idx").exit_code == 0
    (tmp / "q.jsonl").write_text(json.dumps({"id": "[/b]", "query": "zzqxv"}) + "\n")
    (tmp / "bad-q.jsonl").write_text('{"id": "q1", "query": "river \\ud800"}\n')
    return runtime, tmp


COMMAND_CASES = [
    (["search", "zzqxv [/zzqq]", "--mode", "lexical"], 0, "No passages match zzqxv [/zzqq] (lexical).", "stdout"),
    (["show", "[/b]"], 1, "error: no document with id '[/b]' in this index; list ids with `dipsearch documents` or check --index", "stderr"),
    (["search", "--queries", "{t}/q.jsonl", "--mode", "lexical"], 0, "No passages match zzqxv (lexical).", "stdout"),
    (["search", "--queries", "{t}/bad-q.jsonl", "--mode", "lexical"], 1,
     "error: {t}/bad-q.jsonl:1: the query holds a lone surrogate U+D800 at character 7 (a broken \\u escape); fix the line", "stderr"),
    (["search", "\udcff river", "--mode", "dense"], 1,
     "error: QUERY '\\xff river': holds byte 0xff that is not UTF-8 at character 1; give it as UTF-8 text (is the terminal's locale UTF-8?)", "stderr"),
    (["search", "\udcff river", "--mode", "hybrid"], 1,
     "error: QUERY '\\xff river': holds byte 0xff that is not UTF-8 at character 1; give it as UTF-8 text (is the terminal's locale UTF-8?)", "stderr"),
    (["similar", "99999999999999999999"], 1,
     "error: no passage with id 99999999999999999999 in this index; passage ids are printed by `dipsearch search` (after '#') and in its --json output (passage_id)",
     "stderr"),
    (["talking-points", "--csv", "{t}/idx/dipsearch.sqlite", "--force"], 1,
     "error: --csv {t}/idx/dipsearch.sqlite would be written among the index's own files in {t}/idx; nothing was written, choose a path outside the index folder",
     "stderr"),
    (["evalset", "export", "none", "--output", "{t}/q.jsonl"], 1,
     "error: --output {t}/q.jsonl already exists; nothing was written (overwrite it with --force, or choose another path)", "stderr"),
]


@pytest.mark.parametrize("args, status, line, stream", COMMAND_CASES, ids=[" ".join(c[0][:2]) for c in COMMAND_CASES])
def test_bad_command_input(built, args, status, line, stream):
    runtime, tmp = built
    result = invoke(runtime, *[a.format(t=tmp) for a in args], "--index", tmp / "idx")
    assert result.exit_code == status
    assert line.format(t=tmp) in getattr(result, stream).splitlines()
    assert json.loads(invoke(runtime, "stats", "--index", tmp / "idx", "--json").stdout)["documents"] == 2  # the index is intact
