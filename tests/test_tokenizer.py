"""One tokenizer object: the same tokens in lexical search, the FTS5 index, highlighting, talking points and
`similar`, English and Chinese alike; and Chinese formulas now become talking points."""
from __future__ import annotations

import json
import sqlite3

from typer.testing import CliRunner

from corpus.cjk import cjk_spaced
from search.highlight import highlight_spans
from search.lexical import fts_query
from search.talking_points.sentences import passage_sentences, tokens as tp_tokens, wording_key
from search.talking_points.similar import containment, shared_words
from search.tokenizer import TOKENIZER, Tokenizer

TEXT = "Arden's envoy said the non-interference treaty stands. 外交部发言人表示，双方将继续就河流条约保持沟通。"
TOKENS = ["arden", "s", "envoy", "said", "the", "non", "interference", "treaty", "stands",
          "外", "交", "部", "发", "言", "人", "表", "示", "双", "方", "将", "继", "续", "就", "河", "流", "条", "约", "保", "持", "沟", "通"]


def fts5_tokens(text: str) -> list[str]:
    """What SQLite FTS5 indexes for `text` as the index stores it (cjk_spaced, unicode61; no porter, to compare spellings)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    conn.execute("INSERT INTO t(text) VALUES (?)", (cjk_spaced(text),))
    return [term for term, _ in conn.execute("SELECT term, offset FROM v ORDER BY offset")]


def test_tokens_are_what_the_full_text_index_holds():
    assert TOKENIZER.tokens(TEXT) == TOKENS
    assert fts5_tokens(TEXT) == TOKENS
    assert [TEXT[a:b].lower() for a, b in TOKENIZER.token_spans(TEXT)] == TOKENS


def test_words_are_made_of_tokens():
    words = TOKENIZER.words(TEXT)
    assert words == ["arden's", "envoy", "said", "the", "non-interference", "treaty", "stands", "外交部发言人表示", "双方将继续就河流条约保持沟通"]
    assert [t for w in words for t in TOKENIZER.tokens(w)] == TOKENS


def test_every_use_sees_the_same_tokens():
    # talking points shingle and key these tokens
    assert tp_tokens(TEXT) == TOKENS
    chinese = next(s for s in passage_sentences(1, TEXT) if s.text.startswith("外交部"))
    assert wording_key(chinese.text) == wording_key(" ".join(TOKENIZER.tokens(chinese.text)))
    assert chinese.n_words == TOKENIZER.content_count(TOKENIZER.tokens(chinese.text)) == 11  # 22 characters, one word per two
    # `similar` marks them (content tokens only: no stopwords, no single letters)
    words, spans = shared_words(TEXT, TEXT)
    assert [TEXT[a:b].lower() for a, b in spans] == [t for t in TOKENS if TOKENIZER.is_content(t)] == words[:6] + TOKENS[9:]
    # lexical search asks FTS5 for a CJK word as the phrase of its tokens, an English word as itself
    assert fts_query("河流条约 treaty") == '"' + " ".join(TOKENIZER.tokens("河流条约")) + '" OR "treaty"'
    # highlighting marks whole words, each made of tokens the index matched
    marked = [(a, b) for a, b in highlight_spans(TEXT, "河流条约 treaty")]
    assert [TEXT[a:b] for a, b in marked] == ["treaty", "河流条约"]
    assert [t for a, b in marked for t in TOKENIZER.tokens(TEXT[a:b])] == ["treaty", "河", "流", "条", "约"]


def test_chinese_containment_is_measured_on_characters():
    a = "我们坚决反对任何国家以任何借口干涉中国内政。"
    assert containment(a, "外交部发言人说，" + a) == 1.0
    assert containment(a, "双方将继续就河流条约保持沟通。") == 0.0


def test_a_tokenizer_is_configured_not_patched():
    plain = Tokenizer(stopwords=frozenset({"river"}), stemmer=str.lower)
    assert plain.query_terms("the river Treaties") == ([], ["the", "treaties"])
    assert TOKENIZER.query_terms("the river Treaties") == ([], ["river", "treaties"])
    assert fts_query("river treaty", plain) == '"treaty"' and highlight_spans("River treaties", "treaties", plain) == [(6, 14)]


ZH_FORMULA = "我们坚决反对任何国家以任何借口干涉中国内政。"
ZH_DOCS = [
    {"id": "zh-1", "date": "2019-03-04", "source": "Velorian Foreign Ministry", "lang": "zh",
     "text": "外交部发言人表示，双方将继续就河流条约保持沟通。" + ZH_FORMULA},
    {"id": "zh-2", "date": "2019-09-20", "source": "Kestrand State Chancellery", "lang": "zh",
     "text": "问：边境铁路桥何时开通？\n\n答：" + ZH_FORMULA},
    {"id": "zh-3", "date": "2020-06-11", "source": "Velorian Foreign Ministry", "lang": "zh",
     "text": "新的铁路桥将在秋季收获季节之前向货运开放。"},
]


def test_a_chinese_formula_repeated_in_two_documents_is_a_talking_point(tmp_path, runtime):
    from search.cli import app

    docs = tmp_path / "zh.jsonl"
    docs.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in ZH_DOCS), encoding="utf-8")
    index = tmp_path / "idx"
    assert CliRunner().invoke(app, ["ingest", str(docs), "--index", str(index)], obj=runtime).exit_code == 0
    result = CliRunner().invoke(app, ["talking-points", "--index", str(index), "--json"], obj=runtime)
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)["talking_points"]
    assert [sorted((m["doc_id"], m["sentence"]) for m in c["members"]) for c in found] == [
        [("zh-1", ZH_FORMULA), ("zh-2", ZH_FORMULA)]]  # the answer label 答： is not part of the wording


def test_talking_points_split_with_the_old_tokenizer_are_split_again(tmp_path, fake_embedder):
    """An index whose talking points were computed before CJK characters were tokens: its Chinese sentences were
    never stored. The next refresh splits every passage again, embeds only the wordings that are new (the
    Chinese ones; English keys are unchanged) and finds the Chinese talking point."""
    from search.talking_points import TalkingPointOptions, find_talking_points, refresh_talking_points
    from search.talking_points import store as tp_store
    from tests.builders import build, raw

    english = "Both governments must respect the sovereignty of every riparian state and refrain from interference in their affairs."
    docs = [raw(d["id"], d["text"], date=d["date"], source=d["source"], lang="zh") for d in ZH_DOCS]
    docs += [raw("en-1", english, date="2019-01-01", source="A"), raw("en-2", "The envoy said that " + english, date="2019-02-01", source="B")]
    store, _ = build(tmp_path / "idx", docs, fake_embedder)
    first = refresh_talking_points(store, fake_embedder)
    # zh-2's journalist's question (问：…) is not a talking-point sentence (issue 13: questions are left out)
    assert first.wordings_embedded == 5 and tp_store.tokens_current(store.db)
    with store.db.transaction():  # what the previous tokenizer left: Chinese passages split, no Chinese sentence stored
        store.db.conn.execute("DELETE FROM tp_sentences WHERE passage_id IN (SELECT passage_id FROM passages WHERE doc_id LIKE 'zh-%')")
        store.db.conn.execute("DELETE FROM tp_texts WHERE text_id NOT IN (SELECT text_id FROM tp_sentences)")
        store.db.conn.execute("DELETE FROM meta WHERE key = ?", (tp_store.TOKENS_KEY,))
    assert not tp_store.is_fresh(store.db, TalkingPointOptions().to_json())
    again = refresh_talking_points(store, fake_embedder)
    assert (again.skipped, again.wordings_embedded, again.sentences_added) == (False, 3, 6)  # 3 Chinese wordings, 2 English reused
    found = find_talking_points(store, None)
    assert sorted(sorted(m.doc_id for m in c.members) for c in found) == [["en-1", "en-2"], ["zh-1", "zh-2"]]
    assert refresh_talking_points(store, fake_embedder).skipped
