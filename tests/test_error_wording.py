"""One library error, three wordings: the library names fields, the CLI its flags, the web API its parameters
and the web pages their form labels. The HTTP status and exit code come from the error's category."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from tests.fakes import FakeEmbedder  # noqa: E402
from tests.web_corpus import build_index  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    embedder = FakeEmbedder()
    folder = tmp_path_factory.mktemp("wording") / "idx"
    build_index(folder, embedder).close()
    return folder, embedder


@pytest.fixture(scope="module")
def client(built):
    from index.store import IndexStore
    from search.web.app import create_app

    store = IndexStore.open(built[0])
    with TestClient(create_app(store, lambda: built[1], allowed_hosts=["testserver"])) as c:
        yield c
    store.close()


def cli(built, *args):
    from search.cli import app
    from search.cli.app import Runtime

    result = CliRunner().invoke(app, [*args, "--index", str(built[0])], obj=Runtime(load_embedder=lambda model=None: built[1]))
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("params, library, cli_words, page_words", [
    ({"since": "2024", "until": "2020"}, "since 2024 is after until 2020; swap them",
     "--since 2024 is after --until 2020; swap them", "From 2024 is after To 2020; swap them"),
    ({"since": "2019-13"}, "since '2019-13': month must be 1-12", "--since '2019-13': month must be 1-12", "From &#39;2019-13&#39;: month must be 1-12"),
    ({"until": "next week"}, "until 'next week' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. until 2019-05)",
     "--until 'next week' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. --until 2019-05)",
     "To &#39;next week&#39; is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. To 2019-05)"),
])
def test_date_errors_by_front_end(built, client, params, library, cli_words, page_words):
    flags = [x for name, value in params.items() for x in (f"--{name}", value)]
    result = cli(built, "search", "river", "--mode", "lexical", *flags)
    assert (result.exit_code, result.stderr.strip()) == (1, f"error: {cli_words}")
    api = client.get("/api/search", params={"q": "river", "mode": "lexical", **params})
    assert (api.status_code, api.json()) == (400, {"error": library})
    page = client.get("/", params={"q": "river", "mode": "lexical", **params}, headers={"accept": "text/html"})
    assert page.status_code == 400 and f"<strong>Can't do that:</strong> {page_words}</div>" in page.text
    talking = client.get("/talking-points", params=params)
    assert talking.status_code == 400 and page_words in talking.text


@pytest.mark.parametrize("args, cli_words", [
    (["search", "river", "--per-doc", "0"], "--per-doc 0 must be at least 1"),
    (["search", "river", "-k", "1001"], "-k 1001 is out of range; use 1 to 1000"),
    (["talking-points", "--min-docs", "1"], "--min-docs 1: a talking point spans at least 2 documents"),
    (["talking-points", "--semantic-threshold", "2"], "--semantic-threshold must be in (0, 1]"),
    (["similar", "1", "-k", "0"], "-k 0 is out of range; use 1 to 200"),
    (["similar"], 'give a PASSAGE_ID or --text "...", e.g. dipsearch similar 1234'),
    (["reindex", "--type", "bogus"], "--type bogus: unknown index type; choose auto, flat, ivf, hnsw"),
    (["evalset", "export", "x", "--format", "csv"], "--format 'csv' must be one of trec, jsonl, beir"),
])
def test_cli_words_fields_as_flags(built, args, cli_words):
    result = cli(built, *args)
    assert (result.exit_code, result.stderr.strip()) == (1, f"error: {cli_words}")


def test_library_messages_name_the_fields(built):
    from search import Index
    from search.talking_points import TalkingPointOptions

    with Index.open(built[0], embedder=built[1]) as idx:
        cases = [
            (lambda: idx.search("river", per_doc=0), "per_doc 0 must be at least 1"),
            (lambda: idx.talking_points(min_docs=1), "min_docs 1: a talking point spans at least 2 documents"),
            (lambda: idx.talking_points(options=TalkingPointOptions(semantic_threshold=2)), "semantic_threshold must be in (0, 1]"),
            (lambda: idx.similar(), 'give a passage_id or text "...", e.g. dipsearch similar 1234'),
            (lambda: idx.reindex("bogus"), "index_type bogus: unknown index type; choose auto, flat, ivf, hnsw"),
            (lambda: idx.evalsets.export("x", "csv"), "format 'csv' must be one of trec, jsonl, beir"),
        ]
        for call, message in cases:
            with pytest.raises(Exception) as caught:
                call()
            assert str(caught.value) == message


def test_status_and_exit_code_come_from_the_category():
    from corpus.errors import Conflict, DipsearchError, InputProblem, InvalidInput, NotFound, Unavailable
    from index.errors import DocumentNotFound, IndexFormatError, IndexNotFound, ModelError, ModelMismatch
    from search.errors import InvalidQuery
    from search.evaluation.errors import EvalSetError, EvalSetNotFound, JudgmentFileError
    from search.talking_points.errors import PassageNotFound, TalkingPointsError
    from search.web.errors import status_for

    expected = {
        IndexNotFound("x"): (NotFound, 404), DocumentNotFound("d"): (NotFound, 404), PassageNotFound(3): (NotFound, 404),
        EvalSetNotFound("s", []): (NotFound, 404), InvalidQuery("q"): (InvalidInput, 400), EvalSetError("e"): (InvalidInput, 400),
        JudgmentFileError("j"): (InvalidInput, 400), TalkingPointsError("t"): (InvalidInput, 400),
        InputProblem("f", "r"): (InvalidInput, 400), ModelMismatch("m"): (Conflict, 409), ModelError("m"): (Unavailable, 503),
        IndexFormatError("i"): (Unavailable, 503),
    }
    for exc, (category, status) in expected.items():
        assert isinstance(exc, category) and isinstance(exc, DipsearchError), exc
        assert (status_for(exc), exc.exit_code) == (status, 1), type(exc).__name__


def test_unknown_passage_is_404_on_the_web_and_exit_1_on_the_cli(built, client):
    r = client.get("/api/passages/999999/similar")
    assert r.status_code == 404 and r.json()["error"].startswith("no passage with id 999999 in this index")
    result = cli(built, "similar", "999999")
    assert result.exit_code == 1 and result.stderr.startswith("error: no passage with id 999999 in this index")


# ---------------------------------------------------------------- options named by field in the library, by flag in the CLI

def _jsonl_without_text(folder):
    path = folder / "more.jsonl"
    path.write_text('{"id": "y", "title": "No body"}\n', encoding="utf-8")
    return path


def test_a_reader_problem_names_the_field_and_the_cli_its_flag(tmp_path):
    from search import Index

    path = _jsonl_without_text(tmp_path)
    with Index.open(tmp_path / "lib", create=True, embedder=FakeEmbedder()) as idx:
        (problem,) = idx.ingest([path]).report.problems
    assert problem.reason == "no 'text' field; map the text with field_map text=NAME"
    assert str(problem) == f"{path}:1: no 'text' field; map the text with field_map text=NAME"
    result = cli((tmp_path / "cli", FakeEmbedder()), "ingest", str(path))
    assert result.exit_code == 3 and f"skipped {path}:1: no 'text' field; map the text with --field text=NAME" in result.stderr


def test_a_bad_field_mapping_names_field_map_and_the_cli_its_flag(tmp_path):
    from corpus.errors import FieldMappingError
    from corpus.readers import parse_field_map

    with pytest.raises(FieldMappingError) as caught:
        parse_field_map(["body"])
    assert str(caught.value) == ("field_map 'body' is not FIELD=NAME with FIELD one of id, text, title, date, source, speaker, url, lang "
                                 "(e.g. field_map text=body)")
    result = cli((tmp_path / "idx", FakeEmbedder()), "ingest", str(tmp_path), "--field", "body")
    assert (result.exit_code, result.stderr.strip()) == (1, "error: --field 'body' is not FIELD=NAME with FIELD one of id, text, title, "
                                                             "date, source, speaker, url, lang (e.g. --field text=body)")


def test_an_unknown_backend_names_the_field_and_the_cli_its_flag(built):
    from index.embedding import load
    from index.errors import ModelError

    with pytest.raises(ModelError) as caught:
        load(None, "tensorrt", None, backends=lambda source, **_: built[1])
    assert str(caught.value) == "backend tensorrt: unknown backend; choose one of torch, onnx, onnx-int8"
    result = cli(built, "search", "river", "--mode", "dense", "--backend", "tensorrt")
    assert (result.exit_code, result.stderr.strip()) == (1, "error: --backend tensorrt: unknown backend; choose one of torch, onnx, onnx-int8")


@pytest.fixture()
def evalsets(tmp_path):
    """A copy of the fixture index with one set built by from-qa, named 'qa'."""
    from search import Index

    folder = tmp_path / "idx"
    embedder = FakeEmbedder()
    build_index(folder, embedder).close()
    with Index.open(folder, embedder=embedder) as idx:
        idx.evalsets.from_qa("qa")
    return folder, embedder


@pytest.mark.parametrize("call, args, library, cli_words", [
    (lambda sets: sets.from_qa("a b"), ["evalset", "from-qa", "--name", "a b"],
     "evaluation set name 'a b' is not usable; give a short name without spaces or '/', e.g. name mfa-qa",
     "evaluation set name 'a b' is not usable; give a short name without spaces or '/', e.g. --name mfa-qa"),
    (lambda sets: sets.from_qa("qa"), ["evalset", "from-qa", "--name", "qa"],
     "evaluation set 'qa' already exists; pick another name or pass replace to rebuild it",
     "evaluation set 'qa' already exists; pick another --name or pass --replace to rebuild it"),
    (lambda sets: sets.from_parallel("zh-en"), ["evalset", "from-parallel", "--name", "zh-en"],
     "give the query transcripts (files in the other language) or the language of the index's own transcripts to take "
     "questions from (query_lang)",
     "give the query transcripts (files in the other language) or the language of the index's own transcripts to take "
     "questions from (--query-lang)"),
    (lambda sets: sets.export("qa", "beir", output="beir-out", corpus="some"), ["evalset", "export", "qa", "--format", "beir", "--corpus", "some", "--output", "OUT"],
     "corpus 'some' must be 'all' or 'judged'", "--corpus 'some' must be 'all' or 'judged'"),
    (lambda sets: sets.evaluate("qa", stat_test="wilcoxon"), ["eval", "qa", "--test", "wilcoxon"],
     "stat_test 'wilcoxon' must be one of student, fisher", "--test 'wilcoxon' must be one of student, fisher"),
])
def test_evaluation_messages_name_fields_and_the_cli_its_flags(evalsets, tmp_path, call, args, library, cli_words):
    from search import Index
    from search.evaluation.errors import EvalSetError

    with Index.open(evalsets[0], embedder=evalsets[1]) as idx, pytest.raises(EvalSetError) as caught:
        call(idx.evalsets)
    assert str(caught.value) == library
    result = cli(evalsets, *[str(tmp_path / "out") if a == "OUT" else a for a in args])
    assert (result.exit_code, result.stderr.strip()) == (1, f"error: {cli_words}")


def test_another_model_is_named_by_field_in_the_library_and_by_flag_in_the_cli(built, tmp_path):
    from index.errors import ModelMismatch
    from search import Index

    other = FakeEmbedder(checksum="e" * 64)
    with Index.open(built[0], embedder=other) as idx, pytest.raises(ModelMismatch) as caught:
        idx.search("river", mode="dense")
    assert str(caught.value).endswith("; use the same model fake-hash-embedder, or build a new index with index NEW_DIR")
    result = CliRunner().invoke(__import__("search.cli", fromlist=["app"]).app, ["search", "river", "--mode", "dense", "--index", str(built[0])],
                                obj=__import__("search.cli.app", fromlist=["Runtime"]).Runtime(load_embedder=lambda source: other))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("; use the same --model fake-hash-embedder, or build a new index with --index NEW_DIR")


# ---------------------------------------------------------------- no library message names a CLI flag

# Library text that may still show flags, and why: terminal renderers that live beside the library (they print
# for the CLI only).
FLAG_TEXT_ALLOWED = {
    "search/render.py": "the terminal renderer of search results (CLI output)",
    "search/talking_points/render.py": "the terminal renderer of talking points (CLI output)",
    "search/formulas/combined.py": "the terminal renderer of formulas (CLI output)",
}


def _cli_flags() -> set[str]:
    import typer.main

    from search.cli import app

    flags, todo = set(), [typer.main.get_command(app)]
    while todo:
        command = todo.pop()
        todo.extend(getattr(command, "commands", {}).values())  # a group's commands
        for param in command.params:
            flags.update(o for o in [*param.opts, *getattr(param, "secondary_opts", [])] if o.startswith("--"))
    return flags - {"--help"}


def _strings(tree):
    """Every string in the module's code but its docstrings (an f-string's literal parts included)."""
    import ast

    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    parts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # an f-string as one text, each value a {}
            parts.update(id(v) for v in node.values)
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings | parts:
            yield node.lineno, node.value


def test_no_library_message_names_a_cli_flag():
    """A flag in a library string (outside a `quoted command` to run) would reach Python and web users as is."""
    import ast
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    flags = _cli_flags()
    assert {"--since", "--field", "--max-doc-mb", "--backend", "--replace", "--query-lang"} <= flags  # the scan sees the CLI's flags
    found = []
    for package in ("corpus", "index", "search"):
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel.startswith(("search/cli/", "search/web/")) or rel in FLAG_TEXT_ALLOWED:
                continue
            for line, text in _strings(ast.parse(path.read_text(encoding="utf-8"))):
                unquoted = re.sub(r"`[^`]*`", "", text)
                for name in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*(?![\w-])", unquoted):
                    if name in flags and f"{rel}:{name}" not in FLAG_TEXT_ALLOWED:
                        found.append(f"{rel}:{line}: {name}")
    assert found == []


def test_the_flag_scan_finds_a_flag(tmp_path):
    """The scan above can fail: a message naming --since is found, a quoted command or another tool's flag is not."""
    import ast
    import re

    source = 'raise X(f"widen --since {a}")\nraise Y("run `dipsearch ingest --index I`; or pip install --force-reinstall p")\n'
    hits = [re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*(?![\w-])", re.sub(r"`[^`]*`", "", text)) for _, text in _strings(ast.parse(source))]
    assert [h for h in hits if set(h) & _cli_flags()] == [["--since"]]


def test_where_to_find_ids_is_said_by_each_front_end_in_its_own_words(built, client):
    from index.errors import DocumentNotFound
    from search import Index

    with Index.open(built[0], embedder=built[1]) as idx, pytest.raises(DocumentNotFound) as caught:
        idx.document("no-such-doc")
    assert str(caught.value) == "no document with id 'no-such-doc' in this index; Index.documents() lists them"
    result = cli(built, "show", "no-such-doc")
    assert result.stderr.strip() == "error: no document with id 'no-such-doc' in this index; list ids with `dipsearch documents` or check --index"
    api = client.get("/api/documents/no-such-doc")
    assert (api.status_code, api.json()) == (404, {"error": "no document with id 'no-such-doc' in this index; list ids with "
                                                            "`dipsearch documents` or on the Documents page (/documents)"})
    page = client.get("/doc/no-such-doc", headers={"accept": "text/html"})
    assert page.status_code == 404 and "the Documents page (/documents) lists them" in page.text
    similar = client.get("/api/passages/999999/similar")
    assert similar.json() == {"error": "no passage with id 999999 in this index; search results carry them (passage_id)"}
    result = cli(built, "similar", "999999")
    assert result.stderr.strip() == ("error: no passage with id 999999 in this index; passage ids are printed by `dipsearch search` "
                                     "(after '#') and in its --json output (passage_id)")


def test_braces_in_an_unknown_actor_or_role_are_worded_not_formatted():
    """Found by the schemathesis run: a said_by value holding '}' went into the message template."""
    from search.errors import InvalidQuery
    from search.filters import Filters

    with pytest.raises(InvalidQuery) as actor:
        Filters.build(said_by=["Ar}den{0}"])
    assert str(actor.value).startswith("said_by 'Ar}den{0}': no such actor; known actors: ")
    with pytest.raises(InvalidQuery) as role:
        Filters.build(roles=["spokes}person"])
    assert str(role.value).startswith("role 'spokes}person' is not a role; use ")


def test_a_model_that_cannot_run_names_the_servers_option_on_the_page_and_in_the_api(built):
    """A web user cannot pick the backend: the server was started with it, so the page and the JSON API both
    name the `dipsearch serve` option (the CLI names its own flag, the library the field)."""
    from index.embedding.errors import OnnxCannotRun
    from index.store import IndexStore
    from search.web.app import create_app

    def cannot_run():
        raise OnnxCannotRun("/models/x has no tokenizer.json, which the ONNX backend needs; use {backend} torch", fields=("backend",))

    assert str(OnnxCannotRun("use {backend} torch", fields=("backend",))) == "use backend torch"
    store = IndexStore.open(built[0])
    try:
        with TestClient(create_app(store, cannot_run, allowed_hosts=["testserver"])) as c:
            api = c.get("/api/search", params={"q": "river", "mode": "dense"})
            page = c.get("/", params={"q": "river", "mode": "dense"}, headers={"accept": "text/html"})
    finally:
        store.close()
    wording = "/models/x has no tokenizer.json, which the ONNX backend needs; use dipsearch serve --backend torch"
    assert (api.status_code, api.json()) == (503, {"error": wording})  # a ModelError is Unavailable
    assert page.status_code == 503 and wording in page.text


def _worker_errors():
    from corpus.errors import FieldError
    from index.embedding.errors import OnnxCannotRun
    from index.ingest import StorageFull

    return {"FieldError": (FieldError("max_doc_mb", "nan", "the limit must be a number"), "--max-doc-mb nan: the limit must be a number"),
            "OnnxCannotRun": (OnnxCannotRun("/models/x cannot run: {problem}; use {backend} torch", fields=("backend",), problem="no session"),
                              "/models/x cannot run: no session; use --backend torch"),
            "StorageFull": (StorageFull("No space left on device", 3), None)}


@pytest.mark.parametrize("kind", ["FieldError", "OnnxCannotRun", "StorageFull"])
def test_an_error_from_another_process_keeps_its_template_and_its_class(kind):
    """Errors come back from Ray's workers pickled. A subclass whose constructor takes other arguments than a
    message (FieldError, StorageFull) could not be unpickled at all; one taking a message (OnnxCannotRun) always could."""
    import pickle

    from search.cli.app import cli_message

    error, cli_words = _worker_errors()[kind]
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error) and back.args == error.args
    assert (back.template, back.fields, back.values) == (error.template, error.fields, error.values)
    if cli_words is not None:
        assert cli_message(back) == cli_words
