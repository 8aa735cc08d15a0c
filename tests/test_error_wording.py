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
