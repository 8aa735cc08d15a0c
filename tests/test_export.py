"""`dipsearch export` and `dipsearch documents` (issue 14): every hit of a query, not just k, streamed to CSV,
JSON lines or Parquet with provenance columns; the documents of an index listed with filters and counts."""
from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from search.cli import app
from search.export import EXPORT_FIELDS
from tests.builders import build, raw
from tests.cli_invoke import invoke

STATES = ["Arden", "Vell", "Osland", "Korvath", "Ostravia", "Selva"]


def _docs():
    """60 documents, 3 passages each; 'harbour' is in every passage of the first 20."""
    docs = []
    for i in range(60):
        a, b = STATES[i % 6], STATES[(i + 1) % 6]
        word = "harbour" if i < 20 else "mountain"
        paras = [f"{a} and {b} spoke of the {word} dues, round {i} paragraph {j}, " + "and the weather " * (j + 1) +
                 ("under the old treaty." if i < 40 else "without any accord.") for j in range(3)]
        docs.append(raw(f"doc-{i:02d}", "\n\n".join(paras), title=f"Note {i} from {a}", source=f"{a} Ministry",
                        date=f"{2000 + i % 20}-0{1 + i % 9}-1{i % 9}", speaker=f"Minister of {a}", url=f"https://{a.lower()}.example/{i}"))
    return docs


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from tests.fakes import FakeEmbedder

    folder = tmp_path_factory.mktemp("export") / "idx"
    store, _ = build(folder, _docs(), FakeEmbedder())
    store.close()
    return folder




def passage_count(index, word_docs=range(20)):
    from index.store import IndexStore

    store = IndexStore.open(index)
    try:
        return store.db.conn.execute("SELECT count(*) FROM passages WHERE doc_id IN (%s)" % ",".join(
            f"'doc-{i:02d}'" for i in word_docs)).fetchone()[0]
    finally:
        store.close()


def test_export_csv_writes_every_lexical_hit_beyond_k(index, runtime, tmp_path):
    out = tmp_path / "harbour.csv"
    result = invoke(runtime, "export", "harbour", "--mode", "lexical", "--output", out, "--index", index)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(open(out, encoding="utf-8", newline="")))
    expected = passage_count(index)
    assert len(rows) == expected and expected > 40
    assert f"{expected:,} rows written to {out}" in result.stderr
    assert tuple(rows[0]) == EXPORT_FIELDS
    assert {r["doc_id"] for r in rows} == {f"doc-{i:02d}" for i in range(20)}
    assert [int(r["rank"]) for r in rows] == list(range(1, expected + 1))
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    first = rows[0]
    assert first["source"].endswith("Ministry") and first["speaker"].startswith("Minister of") and first["url"].startswith("https://")
    assert first["date_status"] == "given" and int(first["char_end"]) > int(first["char_start"]) >= 0
    # The head of the export is the search's own ranking, at the search's limit.
    search = json.loads(invoke(runtime, "search", "harbour", "--mode", "lexical", "-k", "1000", "--per-doc", "100",
                               "--index", index, "--json").stdout)["results"]
    assert len(search) == expected
    assert [h["passage_id"] for h in search] == [int(r["passage_id"]) for r in rows]


def test_export_applies_search_filters_and_min_score(index, runtime):
    result = invoke(runtime, "export", "harbour", "--mode", "lexical", "--format", "jsonl", "--since", "2010", "--source", "Arden",
                    "--index", index)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(r["source"] == "Arden Ministry" and r["date"] >= "2010" for r in rows)
    arden_since_2010 = {f"doc-{i:02d}" for i in range(0, 20, 6) if 2000 + i % 20 >= 2010}
    assert {r["doc_id"] for r in rows} == arden_since_2010
    all_rows = [json.loads(line) for line in invoke(runtime, "export", "harbour", "--mode", "lexical", "--format", "jsonl",
                                                    "--index", index).stdout.splitlines()]
    cut = all_rows[len(all_rows) // 2]["score"]
    above = [json.loads(line) for line in invoke(runtime, "export", "harbour", "--mode", "lexical", "--format", "jsonl", "--min-score",
                                                 str(cut), "--index", index).stdout.splitlines()]
    assert above == [r for r in all_rows if r["score"] >= cut] and 0 < len(above) < len(all_rows)


def test_export_by_meaning_needs_min_score(index, runtime):
    result = invoke(runtime, "export", "harbour dues", "--mode", "dense", "--index", index)
    assert result.exit_code == 1
    assert "export in mode --mode 'dense' needs --min-score" in result.stderr
    rows = [json.loads(line) for line in invoke(runtime, "export", "harbour dues", "--mode", "dense", "--min-score", "0.2",
                                                "--format", "jsonl", "--index", index).stdout.splitlines()]
    assert rows and all(r["score"] >= 0.2 for r in rows)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_export_output_is_safe(index, runtime, tmp_path):
    out = tmp_path / "x.csv"
    out.write_text("keep me")
    result = invoke(runtime, "export", "harbour", "--mode", "lexical", "--output", out, "--index", index)
    assert result.exit_code == 1 and "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_text() == "keep me"
    assert invoke(runtime, "export", "harbour", "--mode", "lexical", "--output", out, "--force", "--index", index).exit_code == 0
    assert out.read_text().startswith("rank,score,")
    into_index = invoke(runtime, "export", "harbour", "--mode", "lexical", "--output", index / "dipsearch.sqlite", "--force",
                        "--index", index)
    assert into_index.exit_code == 1 and "among the index's own files" in into_index.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]  # no temporary file left behind


def test_export_parquet(index, runtime, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "h.parquet"
    assert invoke(runtime, "export", "harbour", "--mode", "lexical", "--format", "parquet", "--output", out, "--index", index).exit_code == 0
    table = pq.read_table(out)
    assert table.num_rows == passage_count(index) and tuple(table.column_names) == EXPORT_FIELDS


def test_parquet_without_pyarrow_names_the_package(index, runtime, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    result = invoke(runtime, "export", "harbour", "--mode", "lexical", "--format", "parquet", "--output", tmp_path / "h.parquet",
                    "--index", index)
    assert result.exit_code == 1
    assert "Parquet needs the pyarrow package: pip install pyarrow (or choose --format csv or jsonl)" in result.stderr
    assert not (tmp_path / "h.parquet").exists()


def test_export_streams_in_batches(index, fake_embedder, monkeypatch):
    from search import export as ex
    from search.api import Index

    monkeypatch.setattr(ex, "BATCH", 7)
    seen = []
    real = ex.passage_views
    monkeypatch.setattr(ex, "passage_views", lambda conn, ids: seen.append(len(ids)) or real(conn, ids))
    buffer = io.BytesIO()
    with Index.open(index, embedder=fake_embedder) as idx:
        n = idx.export("harbour", buffer, format="jsonl", mode="lexical")
    assert n == passage_count(index) and max(seen) == 7 and sum(seen) == n
    assert len(buffer.getvalue().decode().splitlines()) == n


def test_documents_command(index, runtime):
    result = invoke(runtime, "documents", "--since", "2015", "--source", "Vell", "--json", "--index", index)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = sorted((f"doc-{i:02d}" for i in range(1, 60, 6) if 2000 + i % 20 >= 2015), key=lambda d: (2000 + int(d[4:]) % 20, d))
    ids = [d["doc_id"] for d in data["documents"]]
    assert sorted(ids) == sorted(expected) and data["count"] == len(expected)
    assert data["passages"] == sum(d["passages"] for d in data["documents"])
    assert [d["date"] for d in data["documents"]] == sorted(d["date"] for d in data["documents"])
    text = invoke(runtime, "documents", "--limit", "1", "--index", index).stdout
    assert "1 document, " in text and "1 documents" not in text
    none = invoke(runtime, "documents", "--source", "Nowhere", "--index", index)
    assert none.exit_code == 0 and "No documents match. Filters are on" in none.stdout


def test_missing_document_points_to_documents_command(index, runtime):
    result = invoke(runtime, "show", "nope", "--index", index)
    assert result.exit_code == 1 and "list ids with `dipsearch documents`" in result.stderr


def test_export_asks_who_speaks_of_each_exported_passage_as_search_does(tmp_path):
    """--said-by / --role keep the passages said by that actor (or in that role), not every matching passage of a
    document where the actor speaks somewhere."""
    from tests.fakes import FakeEmbedder
    from tests.test_formulas_said_by import DOCS

    store, _ = build(tmp_path / "idx", DOCS, FakeEmbedder())
    expected = {pid for (pid,) in store.db.conn.execute(
        """SELECT p.passage_id FROM passages_fts JOIN passages p ON p.passage_id = passages_fts.rowid
           WHERE passages_fts MATCH '"Taiwan independence"' AND p.actor = 'China'""")}
    everyone = store.db.conn.execute("""SELECT count(*) FROM passages_fts WHERE passages_fts MATCH '"Taiwan independence"'""").fetchone()[0]
    store.close()
    assert 0 < len(expected) < everyone  # the fixture has the words said by others in documents where China speaks
    out = CliRunner().invoke(app, ["export", '"Taiwan independence"', "--mode", "lexical", "--format", "jsonl", "--said-by", "China",
                                   "--index", str(tmp_path / "idx")])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert {r["passage_id"] for r in rows} == expected
