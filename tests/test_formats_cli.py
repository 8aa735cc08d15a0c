"""Issue 14 through the real command line (CliRunner, fake embedder): a folder of saved pages and
PDFs made here ingests with the right title, date, speaker and text, one line for each bad file,
and the UN General Debate sample gets year dates that --since finds."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests import format_fixtures as fx
from tests.conftest import shared_corpus
from tests.cli_invoke import invoke

pytest.importorskip("fpdf", reason="fpdf2 (the test extra) writes the PDFs")
pytest.importorskip("trafilatura")




@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "saved"
    (docs / "pages").mkdir(parents=True)
    (docs / "pdf").mkdir()
    (docs / "pages" / "river.html").write_text(fx.statement_page(), encoding="utf-8")
    (docs / "pages" / "talks.htm").write_text(fx.time_only_page("2021-06-03"), encoding="utf-8")
    (docs / "pages" / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (docs / "pages" / "menu.html").write_text(fx.NAV_ONLY_PAGE, encoding="utf-8")
    statement = fx.write_statement_pdf(docs / "pdf" / "statement.pdf")
    fx.write_scanned_pdf(docs / "pdf" / "scan.pdf")
    fx.write_encrypted_pdf(docs / "pdf" / "locked.pdf")
    fx.write_truncated_pdf(docs / "pdf" / "cut.pdf", statement)
    fx.write_huge_pdf(docs / "pdf" / "huge.pdf")
    return docs


def test_a_folder_of_pages_and_pdfs_ingests_with_its_metadata_and_one_line_per_bad_file(tmp_path, folder, runtime):
    index = tmp_path / "idx"
    result = invoke(runtime, "ingest", folder, "--index", index)
    assert result.exit_code == 3, result.output
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert skipped == [
        f"skipped {folder / 'pages' / 'menu.html'}: no body text in the page (only navigation, scripts or forms?); skipped",
        f"skipped {folder / 'pages' / 'photo.html'}: binary data (NUL bytes), not a web page; skipped",
        f"skipped {folder / 'pdf' / 'cut.pdf'}: PDF is damaged or truncated (Stream has ended unexpectedly); nothing read",
        f"skipped {folder / 'pdf' / 'huge.pdf'}: 200.0 MB is over the 20 MB document limit; split it or raise --max-doc-mb",
        f"skipped {folder / 'pdf' / 'locked.pdf'}: encrypted PDF: it needs a password to open; save a decrypted copy (e.g. qpdf --decrypt) and ingest that",
        f"skipped {folder / 'pdf' / 'scan.pdf'}: no text layer (scanned?); run OCR on it first (e.g. ocrmypdf) and ingest the result",
    ]
    assert "3 added" in result.stdout and "6 skipped" in result.stdout

    page = json.loads(invoke(runtime, "show", "pages/river", "--index", index, "--json").stdout)
    assert (page["title"], page["date"], page["speaker"], page["source"], page["url"]) == (
        "Minister Lund on the river treaty", "2023-04-12", "Mira Lund", "Ministry of Foreign Affairs of Arden",
        "https://mfa.arden.example/statements/river-treaty")
    assert {page["status"][k] for k in ("title", "date", "speaker", "source", "url")} == {"extracted"}
    assert page["text"] == "\n\n".join(fx.ARTICLE)
    for debris in fx.NAV_AND_FOOTER:
        assert debris not in page["text"], debris

    talks = json.loads(invoke(runtime, "show", "pages/talks", "--index", index, "--json").stdout)
    assert (talks["date"], talks["status"]["date"]) == ("2021-06-03", "extracted")

    pdf = json.loads(invoke(runtime, "show", "pdf/statement", "--index", index, "--json").stdout)
    assert (pdf["title"], pdf["status"]["title"]) == (fx.PDF_TITLE, "extracted")
    assert pdf["text"] == "\n\n".join(fx.pdf_paragraphs())
    assert "our neighbours in Vell" in pdf["text"] and fx.HEADER not in pdf["text"] and "Page 2 of 3" not in pdf["text"]

    hits = json.loads(invoke(runtime, "search", "neighbours", "--mode", "lexical", "--index", index, "--json").stdout)["results"]
    assert [h["doc_id"] for h in hits] == ["pdf/statement"]
    assert "neighbours" in hits[0]["text"]


def _first_lines(text: str, limit: int = 3000) -> str:
    cut = text.rfind("\n", 0, limit)
    return text if len(text) <= limit else text[:cut if cut > 0 else limit]


def test_un_general_debate_speeches_get_year_dates_that_since_finds(tmp_path, runtime):
    # Every speech of the sample with its id, title and metadata, but only its first lines (the whole speeches are
    # 20 times more text: 12 s of ingest here). The dates come from the titles, and the filters read only the dates:
    # the claim does not depend on the length of the speeches (tests/test_dates_precision.py reads them whole).
    records = [json.loads(line) for line in open(shared_corpus("ungdc_sample.jsonl"), encoding="utf-8")]
    sample = tmp_path / "ungdc_heads.jsonl"
    sample.write_text("".join(json.dumps(r | {"text": _first_lines(r["text"])}) + "\n" for r in records), encoding="utf-8")
    index = tmp_path / "un"
    result = invoke(runtime, "ingest", sample, "--index", index)
    assert result.exit_code == 0, result.output
    stats = json.loads(invoke(runtime, "stats", "--index", index, "--json").stdout)
    assert (stats["documents"], stats["undated"]) == (200, 0)
    years = {r["id"]: r["meta"]["year"] for r in records}
    since_2000 = {doc_id for doc_id, year in years.items() if year >= 2000}
    hits = json.loads(invoke(runtime, "search", "General Assembly", "--mode", "lexical", "-k", "500", "--per-doc", "1",
                             "--since", "2000", "--source", "General Debate", "--index", index, "--json").stdout)["results"]
    found = {h["doc_id"] for h in hits}
    assert found and found <= since_2000
    # Every speech from 2000 on, and none before: the year dates compare at their precision (issue 14).
    listed = json.loads(invoke(runtime, "documents", "--since", "2000", "--source", "General Debate", "--index", index, "--json").stdout)
    assert {d["doc_id"] for d in listed["documents"]} == since_2000 and listed["count"] == len(since_2000) > 50
    exported = invoke(runtime, "export", "General Assembly", "--mode", "lexical", "--format", "jsonl", "--since", "2000",
                      "--source", "General Debate", "--index", index).stdout.splitlines()
    assert {json.loads(line)["doc_id"] for line in exported} == found  # k 500 held every hit
    assert {h["date"] for h in hits} <= {str(y) for y in range(2000, 2030)}
    assert all(h["date_status"] == "inferred" for h in hits)
    shown = json.loads(invoke(runtime, "show", "ungdc-AFG-68-2013", "--index", index, "--json").stdout)
    assert (shown["date"], shown["status"]["date"]) == ("2013", "inferred")


def test_field_date_from_a_json_year(tmp_path, runtime):
    sample = shared_corpus("ungdc_sample.jsonl")
    subset = tmp_path / "un20.jsonl"
    subset.write_text("".join(open(sample, encoding="utf-8").readlines()[:20]), encoding="utf-8")
    index = tmp_path / "un20"
    result = invoke(runtime, "ingest", subset, "--field", "date=meta.year", "--index", index)
    assert result.exit_code == 0, result.output
    assert "not a date I can read" not in result.stderr
    shown = json.loads(invoke(runtime, "show", "ungdc-AFG-68-2013", "--index", index, "--json").stdout)
    assert (shown["date"], shown["status"]["date"]) == ("2013", "given")
