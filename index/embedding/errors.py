"""The one embedding error the loading policy acts on; every other model error is index.errors.ModelError."""
from __future__ import annotations

from index.errors import ModelError


class OnnxCannotRun(ModelError):
    """ONNX cannot run this model (no tokenizer.json, no onnxruntime, the export or the session failed).
    The weights themselves may be fine, so torch, which gives the same fp32 vectors, may still load them."""
