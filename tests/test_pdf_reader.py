"""PDF ingest (issue 14): the text layer rebuilt as running text, and one clear line for each PDF
that cannot be read. The PDFs are written by the tests with fpdf2 (tests/format_fixtures.py)."""
from __future__ import annotations

import time

import pytest

from corpus.documents import RawDocument
from corpus.errors import InputProblem
from corpus.pdf_layout import is_page_number, rebuild_text, running_lines
from corpus.pdf_reader import NO_TEXT, read_pdf
from corpus.prepare import prepare
from corpus.readers import ReadOptions, read_inputs
from tests import format_fixtures as fx

pytest.importorskip("fpdf", reason="fpdf2 (the test extra) writes the PDFs")


def _read(path, **options):
    return read_pdf(path, path.parent, ReadOptions(**options))


@pytest.fixture(scope="module")
def statement_pdf(tmp_path_factory):
    return fx.write_statement_pdf(tmp_path_factory.mktemp("pdf") / "statement.pdf")


def test_text_comes_back_as_written_without_header_footer_or_page_numbers(statement_pdf):
    raw = _read(statement_pdf)
    assert isinstance(raw, RawDocument), raw
    assert raw.meta["pages"] == 3 and raw.meta["format"] == "pdf"
    assert raw.text.split("\n\n") == fx.pdf_paragraphs()
    assert fx.HEADER not in raw.text and "Page " not in raw.text and " of 3" not in raw.text
    assert (raw.doc_id, raw.notices) == ("statement", [])


def test_hyphenation_is_mended_but_a_hyphenated_compound_keeps_its_hyphen(statement_pdf):
    text = _read(statement_pdf).text
    assert "our neighbours in Vell" in text and "neigh-" not in text and "neigh bours" not in text
    assert "follow a well-known path" in text  # spelt "well-known" elsewhere in the document


def test_a_paragraph_cut_by_a_page_break_is_one_paragraph(statement_pdf):
    paragraphs = _read(statement_pdf).text.split("\n\n")
    assert all(p[0].isupper() for p in paragraphs)  # no paragraph starts with the tail of the one before
    assert len(paragraphs) == len(fx.pdf_paragraphs())


def test_title_from_the_document_information_is_extracted_and_the_file_author_is_not_the_speaker(statement_pdf):
    doc = prepare(_read(statement_pdf))
    assert (doc.title, doc.provenance["title"]) == (fx.PDF_TITLE, "extracted")
    assert doc.speaker is None and doc.meta["pdf_author"] == "Press Office"
    assert doc.text.startswith(fx.WRAPPED[0]) and doc.text.endswith(fx.WRAPPED[1])


def test_without_a_title_in_the_file_the_title_comes_from_the_text(tmp_path):
    doc = prepare(_read(fx.write_statement_pdf(tmp_path / "untitled.pdf", title=None)))
    assert doc.provenance["title"] == "inferred"
    assert doc.title == "The Foreign Minister of Arden said on Tuesday that the treaty on the northern river would guarantee fair shares of water for every farmer along its banks, from\u2026"


@pytest.mark.parametrize("junk", ["Microsoft Word - statement.docx", "untitled", "report.pdf", "Document1"])
def test_junk_titles_are_not_taken(tmp_path, junk):
    raw = _read(fx.write_statement_pdf(tmp_path / "s.pdf", filler=3, title=junk))
    assert "title" not in raw.given


def test_scanned_pdf_has_no_text_layer(tmp_path):
    problem = _read(fx.write_scanned_pdf(tmp_path / "scan.pdf"))
    assert isinstance(problem, InputProblem) and problem.reason == NO_TEXT
    assert problem.reason.startswith("no text layer (scanned?)")


def test_encrypted_pdf_needs_a_password(tmp_path):
    problem = _read(fx.write_encrypted_pdf(tmp_path / "locked.pdf"))
    assert isinstance(problem, InputProblem)
    assert problem.reason == "encrypted PDF: it needs a password to open; save a decrypted copy (e.g. qpdf --decrypt) and ingest that"


def test_pdf_with_only_owner_restrictions_is_read_with_a_notice(tmp_path):
    raw = _read(fx.write_encrypted_pdf(tmp_path / "restricted.pdf", user_password=None))
    assert isinstance(raw, RawDocument), raw
    assert raw.text == "The envoys of Arden and Vell met in secret to discuss the river treaty and its annex."
    assert raw.notices == ["encrypted PDF without an open password (owner restrictions only); read"]


def test_truncated_pdf_is_one_line_and_nothing_on_stderr(tmp_path, statement_pdf, capfd):
    problem = _read(fx.write_truncated_pdf(tmp_path / "cut.pdf", statement_pdf))
    assert isinstance(problem, InputProblem)
    assert problem.reason.startswith("PDF is damaged or truncated (") and problem.reason.endswith("); nothing read")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")  # pypdf's own warnings ("EOF marker not found") are not printed


def test_a_file_that_is_not_a_pdf(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_text("The minutes of the meeting of Arden and Vell, typed as plain text.")
    assert _read(path).reason == "not a PDF (no %PDF- header); skipped"
    (tmp_path / "blank.pdf").write_bytes(b"")
    assert _read(tmp_path / "blank.pdf").reason == "empty file"


def test_a_200_mb_pdf_is_refused_by_its_size_before_parsing(tmp_path, monkeypatch):
    import pypdf

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed a file over the size limit")

    monkeypatch.setattr(pypdf, "PdfReader", no_parsing)
    huge = fx.write_huge_pdf(tmp_path / "huge.pdf")
    started = time.perf_counter()
    problem = _read(huge)
    assert time.perf_counter() - started < 1
    assert problem.reason == "200.0 MB is over the 20 MB document limit; split it or raise max_doc_mb"


def test_a_folder_of_pdfs_reads_the_good_one_and_gives_one_line_for_each_bad_one(tmp_path, statement_pdf):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "statement.pdf").write_bytes(statement_pdf.read_bytes())
    fx.write_scanned_pdf(folder / "scan.pdf")
    fx.write_encrypted_pdf(folder / "locked.pdf")
    fx.write_truncated_pdf(folder / "cut.pdf", statement_pdf)
    fx.write_huge_pdf(folder / "huge.pdf")
    items = list(read_inputs([folder]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    problems = {i.origin.rsplit("/", 1)[1]: i.reason.split(" (")[0].split(";")[0] for i in items if isinstance(i, InputProblem)}
    assert [d.doc_id for d in docs] == ["statement"]
    assert problems == {"cut.pdf": "PDF is damaged or truncated", "huge.pdf": "200.0 MB is over the 20 MB document limit",
                        "locked.pdf": "encrypted PDF: it needs a password to open", "scan.pdf": "no text layer"}


# ------------------------------------------------------------------ the layout rules on lines of our own

def _page(n, body, total=4):
    return ["Arden Gazette of Statements", "", *body, "", f"- {n} -", f"www.arden.example/statements   Page {n} of {total}"]


def test_running_lines_and_page_numbers_go_body_lines_stay():
    pages = [_page(1, ["Arden Gazette of Statements is quoted here.", "First paragraph ends here."]),
             _page(2, ["Second paragraph of the statement."]), _page(3, ["Third one."]),
             _page(4, ["Fourth, the last."])]
    assert rebuild_text(pages) == ("Arden Gazette of Statements is quoted here. First paragraph ends here.\n\n"
                                   "Second paragraph of the statement.\n\nThird one.\n\nFourth, the last.")
    assert (0, "arden gazette of statements") in running_lines(pages)


def test_a_line_at_the_top_of_only_one_page_is_not_a_running_header():
    pages = [["Annex on the northern river", "The text of the annex follows."], ["Second page text."], ["Third page text."]]
    assert rebuild_text(pages).startswith("Annex on the northern river")


def test_one_page_keeps_its_lines_but_not_its_page_number():
    assert rebuild_text([["Statement of Vell", "", "The talks go on.", "", "1"]]) == "Statement of Vell\n\nThe talks go on."


@pytest.mark.parametrize("line", ["3", "- 3 -", "Page 3", "page 3 of 12", "3/12", "(iv)", "xii", "\u2013 7 \u2013"])
def test_page_numbers(line):
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["3 March", "Page three", "Article 3 of the treaty", "2023-04-12", "I met him"])
def test_not_page_numbers(line):
    assert not is_page_number(line)


def test_hyphen_rules():
    assert rebuild_text([["The delega-", "tions met.", "", "A soft hyphen: negoti\u00ad", "ations."]]) == \
        "The delegations met.\n\nA soft hyphen: negotiations."
    # a dash before a capital or a number, or with a space before it, is not a broken word
    assert rebuild_text([["Arden-", "Vell talks.", "", "In 2019-", "2020 they met.", "", "They met -", "again."]]) == \
        "Arden- Vell talks.\n\nIn 2019- 2020 they met.\n\nThey met - again."


def test_a_paragraph_tail_that_repeats_at_the_page_end_stays_with_its_paragraph():
    pages = [["Gazette", "", f"The gauge at station {name} is read in the autumn and", "published in full.", "", f"{n}"]
             for n, name in enumerate(["Alder", "Birch", "Cedar", "Dunmore"], start=1)]
    assert rebuild_text(pages).split("\n\n") == [
        f"The gauge at station {name} is read in the autumn and published in full." for name in ["Alder", "Birch", "Cedar", "Dunmore"]]


def test_a_long_document_with_a_periodic_layout_comes_back_whole(tmp_path):
    raw = _read(fx.write_statement_pdf(tmp_path / "long.pdf", filler=400))
    assert raw.meta["pages"] > 20 and raw.text.split("\n\n") == fx.pdf_paragraphs(400)


def test_registry_shaped_reader_yields_the_one_problem(tmp_path):
    from corpus.pdf_reader import pdf_reader

    path = fx.write_scanned_pdf(tmp_path / "scan.pdf")
    assert [p.reason for p in pdf_reader(path, tmp_path, ReadOptions(), {})] == [NO_TEXT]
