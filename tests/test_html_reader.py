"""HTML ingest (issue 14): the main text of a saved page, its metadata marked extracted, and one
clear line for a page that cannot be read (binary data, no body text)."""
from __future__ import annotations

import pytest

from corpus.documents import RawDocument
from corpus.errors import InputProblem
from corpus.html_reader import read_html
from corpus.prepare import prepare
from corpus.readers import ReadOptions, read_inputs
from tests import format_fixtures as fx

pytest.importorskip("trafilatura")


def _read(path, **options):
    return read_html(path, path.parent, ReadOptions(**options))


def _write(folder, name, content):
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_main_text_without_navigation_comments_share_widgets_or_footer(tmp_path):
    doc = prepare(_read(_write(tmp_path, "river.html", fx.statement_page())))
    assert doc.text == "\n\n".join(fx.ARTICLE)
    for debris in fx.NAV_AND_FOOTER:
        assert debris not in doc.text, debris


def test_metadata_from_the_page_is_marked_extracted(tmp_path):
    doc = prepare(_read(_write(tmp_path, "river.html", fx.statement_page())))
    assert (doc.doc_id, doc.title, doc.date, doc.speaker, doc.source, doc.url, doc.lang) == (
        "river", "Minister Lund on the river treaty", "2023-04-12", "Mira Lund", "Ministry of Foreign Affairs of Arden",
        "https://mfa.arden.example/statements/river-treaty", "en")
    assert doc.provenance == {name: "extracted" for name in ("title", "date", "speaker", "source", "url", "lang")}
    assert doc.meta["format"] == "html" and doc.date_precision == "day"


def test_date_from_a_time_element_and_htm_suffix(tmp_path):
    doc = prepare(_read(_write(tmp_path, "talks.htm", fx.time_only_page("2021-06-03"))))
    assert (doc.date, doc.status("date")) == ("2021-06-03", "extracted")
    assert doc.speaker is None and doc.status("speaker") == "unknown"
    assert doc.text.startswith("The envoy of Osland met the Vell delegation on Monday")


def test_date_is_not_guessed_from_the_prose(tmp_path):
    page = ("<html><body><article><p>The envoy recalled the accord signed on 4 May 1999 between Arden and Vell, which "
            "still governs the shared bay and its fishing quotas today.</p></article></body></html>")
    doc = prepare(_read(_write(tmp_path, "old.html", page)))
    assert doc.date is None  # a date the text mentions is not the page's date


def test_a_page_in_latin_1_is_decoded_by_its_declared_charset(tmp_path):
    page = fx.statement_page(title="Déclaration du ministre", paragraphs=[
        "Le ministre des Affaires étrangères d'Arden a déclaré mercredi que le traité sur la rivière du nord garantira l'eau à chaque agriculteur.",
        "Les négociations avec Vell sont entrées dans leur phase finale après de longs mois de travail patient des deux délégations.",
    ]).replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">').replace('lang="en"', 'lang="fr-FR"')
    doc = prepare(_read(_write(tmp_path, "fr.html", page.encode("latin-1"))))
    assert doc.title == "Déclaration du ministre" and doc.lang == "fr"
    assert doc.text.startswith("Le ministre des Affaires étrangères d'Arden")


def test_binary_file_named_html(tmp_path):
    problem = _read(_write(tmp_path, "photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8))
    assert isinstance(problem, InputProblem)
    assert problem.reason == "binary data (NUL bytes), not a web page; skipped"


def test_page_with_no_body_text(tmp_path):
    problem = _read(_write(tmp_path, "menu.html", fx.NAV_ONLY_PAGE))
    assert problem.reason == "no body text in the page (only navigation, scripts or forms?); skipped"
    empty_body = _read(_write(tmp_path, "blank.html", "<html><head><title>Blank</title></head><body>  </body></html>"))
    assert empty_body.reason == problem.reason


def test_text_without_markup_named_html(tmp_path):
    problem = _read(_write(tmp_path, "notes.html", "Just some notes typed by hand, with no markup at all."))
    assert problem.reason == "no HTML markup in it, not a web page; skipped (name it .txt to index it as text)"


def test_size_limit_before_parsing(tmp_path):
    problem = _read(_write(tmp_path, "big.html", fx.statement_page() * 40), max_doc_bytes=64 * 1024)
    assert problem.reason.endswith("MB is over the 0.0625 MB document limit; split it or raise max_doc_mb")


def test_a_folder_of_pages_reads_the_good_ones_and_gives_one_line_for_each_bad_one(tmp_path):
    (tmp_path / "a").mkdir()
    _write(tmp_path, "a/river.html", fx.statement_page())
    _write(tmp_path, "a/talks.htm", fx.time_only_page())
    _write(tmp_path, "a/menu.html", fx.NAV_ONLY_PAGE)
    _write(tmp_path, "a/photo.html", b"\x00\x01\x02" * 100)
    items = list(read_inputs([tmp_path / "a"]))
    assert sorted(i.doc_id for i in items if isinstance(i, RawDocument)) == ["river", "talks"]
    assert sorted((i.origin.rsplit("/", 1)[1], i.reason.split(",")[0]) for i in items if isinstance(i, InputProblem)) == [
        ("menu.html", "no body text in the page (only navigation"), ("photo.html", "binary data (NUL bytes)")]


@pytest.mark.parametrize("meta, date", [
    ('<meta name="date" content="2005-09">', "2005-09"),  # the extractor says 2005-09-01; the page says a month
    ('<meta property="article:published_time" content="2005-09-17T10:00:00Z">', "2005-09-17"),
])
def test_page_dates_keep_the_precision_the_page_states(tmp_path, meta, date):
    page = fx.time_only_page().replace("<html><body>", f"<html><head>{meta}</head><body>").replace(
        '<p>Published <time datetime="2021-06-03">3 June</time></p>', "")
    doc = prepare(_read(_write(tmp_path, "p.html", page)))
    assert (doc.date, doc.status("date")) == (date, "extracted")


def test_registry_shaped_reader_yields_the_one_document(tmp_path):
    from corpus.html_reader import html_reader

    path = _write(tmp_path, "river.html", fx.statement_page())
    assert [d.doc_id for d in html_reader(path, tmp_path, ReadOptions(), {})] == ["river"]
