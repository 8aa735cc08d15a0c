"""Cleaning (debris out, statement text kept), normalisation, metadata with provenance, and the seeds."""
from __future__ import annotations

import pytest

from corpus.cleaning import drop_boilerplate, is_boilerplate, paragraphs_from_lines
from corpus.documents import RawDocument
from corpus.normalize import fingerprint, normalize_text
from corpus.prepare import prepare
from corpus.readers import read_inputs
from tests.conftest import shared_corpus


def _prep(text, **given):
    return prepare(RawDocument(doc_id="d", text=text, origin="d.txt", given=given))


@pytest.mark.parametrize("line", [
    "Leave a Reply", "Leave a comment", "Your email address will not be published. Required fields are marked *",
    "Required fields are marked *", "READ | Minister visits the northern dam", "ALSO READ | Storm hits the coast",
    "Read more: Talks collapse", "Most popular in 24h", "Most read", "APP | PC", "| | |", "4391 | 0", "----",
    "Comment", "Name *", "Email *", "Website", "Save my name, email, and website in this browser for the next time I comment.",
    "Post Comment", "Share", "Facebook Twitter WhatsApp", "Advertisement", "Copyright \u00a9 2024 Arden Herald. All rights reserved.",
    "\u00a9 2021 Vell News", "Copyright 2019-2024 Osland Wire", "Editor: Li Yan",
])
def test_debris_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "Read the statement carefully, the minister said.",
    "Most popular measures were adopted by consensus in 2020.",
    "The app developers met the trade minister on Monday.",
    "Copyright theft costs our economy billions, the spokesperson said.",
    "(c) The two sides shall exchange notes on the boundary.",
    "Leaders reply to critics: the treaty stands.",
    "Name the day and we will come, the envoy said.",
    "2021 was a difficult year for the talks.",
    "",
])
def test_statement_lines_are_kept(line):
    assert not is_boilerplate(line)


def test_drop_boilerplate_keeps_paragraph_breaks():
    assert drop_boilerplate(["A sentence.", "READ | x", "Another sentence."]) == ["A sentence.", "", "Another sentence."]


def test_paragraphs_join_hard_wrapped_lines_only():
    lines = ["The minister said the talks", "would resume on Monday.", "New paragraph starts here.", "", "Third one."]
    assert paragraphs_from_lines(lines) == [
        "The minister said the talks would resume on Monday.", "New paragraph starts here.", "Third one.",
    ]


def test_normalize_text():
    raw = "Caf\u0065\u0301\u00a0talks\u200b  resumed\t now.\r\nSecond\u3000line.  \r\n"
    assert normalize_text(raw) == "Caf\u00e9 talks resumed now.\nSecond line.\n"
    # Typographic quotes stay in the text; the fingerprint folds them with case and spacing.
    assert normalize_text("\u201cYes,\u201d he said") == "\u201cYes,\u201d he said"
    assert fingerprint("\u201cYes,\u201d  he SAID") == fingerprint('"yes," he said')
    assert fingerprint("yes he said") != fingerprint("no he said")


def test_prepare_news_page():
    text = (
        "Ministers meet in Arden\n\n2024-03-05 Arden Herald Editor:Tam Lo\nMinisters meet in Arden\n\n"
        "The Foreign Minister of Arden met her counterpart on Tuesday. They talked for hours.\n\n"
        "READ | Something else entirely\n\nA second paragraph, about the dam on the northern river, follows.\n\n"
        "Most popular in 24h\nAPP | PC\n| | |\n12 | 0\n"
    )
    doc = _prep(text)
    assert doc.title == "Ministers meet in Arden"
    assert (doc.date, doc.source) == ("2024-03-05", "Arden Herald")
    assert doc.provenance == {"title": "extracted", "date": "extracted", "source": "extracted", "lang": "inferred"}
    assert doc.text == ("The Foreign Minister of Arden met her counterpart on Tuesday. They talked for hours.\n\n"
                        "A second paragraph, about the dam on the northern river, follows.")
    assert doc.lang == "en"


def test_time_and_weekday_publication_line():
    doc = _prep("Talks resume in Vell\n\n09:30, Friday, 4 June, 2021\nTalks resume in Vell\n\nThe delegations met again on the border.")
    assert (doc.title, doc.date, doc.source) == ("Talks resume in Vell", "2021-06-04", None)
    assert doc.status("date") == "extracted" and doc.status("source") == "unknown"
    assert doc.text == "The delegations met again on the border."


def test_dateline_year_is_inferred_only_from_evidence():
    with_year = _prep("OSLAND, March 3. /Nordwire/. The envoy said the accord of 2019 stands.\n\nTalks run until 2031 at least.")
    assert (with_year.date, with_year.source) == ("2019-03-03", "Nordwire")
    assert with_year.provenance["date"] == "inferred" and with_year.provenance["source"] == "extracted"
    assert with_year.meta["place"] == "Osland" and with_year.meta["dateline"] == "--03-03"
    assert with_year.text.startswith("The envoy said")
    without = _prep("OSLAND, March 3. /Nordwire/. The envoy said the accord stands.\n\nMore talks are planned.")
    assert without.date is None and without.date_status == "unknown" and without.source == "Nordwire"
    impossible = _prep("OSLAND, February 30. /Nordwire/. In 2020 the accord was signed.\n\nMore talks are planned.")
    assert impossible.date is None


def test_given_metadata_wins_and_bad_given_date_is_a_notice():
    doc = _prep("Title X here\n\n2024-03-05 Arden Herald\n\nBody text of this statement goes on.", date="5 May 2019", source="Given Source")
    assert (doc.date, doc.source, doc.title) == ("2019-05-05", "Given Source", "Title X here")
    assert doc.provenance["date"] == "given" and doc.provenance["source"] == "given"
    bad = _prep("Body text of this statement goes on and on.", date="sometime")
    assert bad.date is None and bad.notices == ["date 'sometime' is not a date I can read; shown as unknown"]


def test_title_inferred_from_first_sentence_when_text_starts_straight_away():
    doc = _prep("The council adopted the resolution without a vote. Delegates applauded.")
    assert doc.title == "The council adopted the resolution without a vote."
    assert doc.provenance["title"] == "inferred"


def test_source_line_and_chinese_language():
    doc = _prep("Title here now\n\nSource: Vell News Agency\n\n\u5916\u4ea4\u90e8\u53d1\u8a00\u4eba\u5728\u4f8b\u884c\u8bb0\u8005\u4f1a\u4e0a\u8868\u793a\uff0c\u53cc\u65b9\u5c06\u7ee7\u7eed\u5bf9\u8bdd\u3002\u8fd9\u662f\u91cd\u8981\u7684\u4e00\u6b65\u3002")
    assert doc.source == "Vell News Agency" and doc.lang == "zh"


# ------------------------------------------------------------------ the seeds

SEED_EXPECTED = {
    "000_a413f336df630bb5": ("TASS", "2025-01-25", "inferred"),
    "001_3aab13d212854ff5": (None, "2021-02-22", "extracted"),
    "002_b7294e8fb0d4a7ee": ("China Daily", "2025-01-18", "extracted"),
    "003_5b5f81df33b5cc07": (None, None, "unknown"),
    "004_acc348ebf58bf56f": (None, None, "unknown"),
}
SEED_TITLES = {
    "001_3aab13d212854ff5": "China is ready to resume dialogue with the United States",
    "002_b7294e8fb0d4a7ee": "Xi tells Trump nations can be partners, friends",
    "004_acc348ebf58bf56f": "Xi calls for US-China cooperation to end Ukraine conflict in video conference with Biden",
}
DEBRIS = ("Leave a Reply", "Required fields are marked", "will not be published", "READ |", "Most popular",
          "APP | PC", "| |", "4391 | 0", "Editor:")


@pytest.fixture(scope="module")
def seeds():
    return {raw.doc_id: prepare(raw) for raw in read_inputs([shared_corpus("seeds")])}


def test_seed_dates_and_sources(seeds):
    assert {k: (d.source, d.date, d.date_status) for k, d in seeds.items()} == SEED_EXPECTED
    assert seeds["000_a413f336df630bb5"].provenance["source"] == "extracted"
    assert seeds["002_b7294e8fb0d4a7ee"].provenance["source"] == "extracted"


def test_seed_titles(seeds):
    for doc_id, title in SEED_TITLES.items():
        assert seeds[doc_id].title == title and seeds[doc_id].provenance["title"] == "extracted"
    # 003's first line is its (long) headline; 000 starts with a dateline, so its title is its first sentence.
    assert seeds["003_5b5f81df33b5cc07"].title.startswith("Latest news from China and the US! China\u2019s NPC:")
    assert seeds["003_5b5f81df33b5cc07"].provenance["title"] == "extracted"
    assert seeds["000_a413f336df630bb5"].title.startswith("Beijing and Washington should boost cooperation")
    assert seeds["000_a413f336df630bb5"].provenance["title"] == "inferred"


def test_seed_bodies_have_no_debris_no_repeated_title_and_keep_statement_text(seeds):
    from corpus.chunking import chunk
    from tests.fakes import FakeEmbedder

    for doc_id, doc in seeds.items():
        for bad in DEBRIS:
            assert bad not in doc.text, (doc_id, bad)
        passages = chunk(doc.text, FakeEmbedder().count_tokens)
        assert len(passages) >= 6, doc_id
        for passage in passages:
            assert not any(bad in passage.text for bad in DEBRIS), (doc_id, passage.text)
            assert doc.text[passage.char_start:passage.char_end] == passage.text
        if doc.provenance["title"] == "extracted":
            assert doc.title not in doc.text, doc_id
    assert seeds["000_a413f336df630bb5"].text.startswith("Beijing and Washington should boost cooperation")
    assert seeds["002_b7294e8fb0d4a7ee"].text.endswith("if Washington always defines China as a rival in strategic competition, Su said.")
    assert seeds["004_acc348ebf58bf56f"].text.endswith("steadily advance our comprehensive strategic coordination partnership for a new era,\u201d he added.")
    assert seeds["001_3aab13d212854ff5"].text.endswith("build a good environment for people-to-people exchanges,\" he said.")


@pytest.mark.parametrize("head, iso", [("2020-01-01", "2020-01-01"), ("2021/03/04 17:15", "2021-03-04"), ("2019.11.07", "2019-11-07")])
def test_publication_line_of_digits_alone_gives_the_date(head, iso):
    assert not is_boilerplate(head)
    doc = _prep(f"Talks end in Vell\n\n{head}\n\nThe delegations left the border town on Monday evening.")
    assert (doc.title, doc.date, doc.date_status) == ("Talks end in Vell", iso, "extracted")
    assert doc.text == "The delegations left the border town on Monday evening."
    untitled = _prep(f"{head}\n\nThe delegations left the border town on Monday evening.")
    assert untitled.date == iso and untitled.text == "The delegations left the border town on Monday evening."
