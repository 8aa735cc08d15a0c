"""One-time export of a sentence-transformers model to ONNX (needs torch), and int8 quantisation.

The transformer alone is exported (inputs: input_ids, attention_mask, token_type_ids; output:
last_hidden_state); mean pooling and L2 normalisation run in numpy at query time. We call
`torch.onnx.export` directly: optimum's exporter pins a transformers older than sentence-transformers
needs. Files are written to a temporary name and renamed, so a reader never sees half a model.
"""
from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from index.embedding.cache import export_dir
from index.embedding.errors import OnnxCannotRun
from index.errors import ModelError

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17


def export_onnx(folder: Path, dest: Path) -> Path:
    """Export the transformer in `folder` to `dest` (fp32). Takes ~10 s and imports torch."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except ImportError as exc:
        raise OnnxCannotRun("exporting the model to ONNX needs torch and transformers; install them, or use {backend} torch",
                            fields=("backend",)) from exc

    class _Transformer(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    try:
        model = AutoModel.from_pretrained(str(folder), attn_implementation="eager")
    except Exception as exc:  # transformers raises many kinds
        raise OnnxCannotRun("cannot load the model in {folder} for ONNX export: {problem}; use {backend} torch", fields=("backend",),
                            folder=folder, problem=exc) from exc
    model.eval()
    sample = torch.ones((2, 16), dtype=torch.long)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f"{dest.name}.{os.getpid()}.tmp")
    import warnings

    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(_Transformer(model), (sample, sample, torch.zeros_like(sample)), str(tmp),
                              input_names=list(INPUTS), output_names=["last_hidden_state"],
                              dynamic_axes={n: {0: "batch", 1: "sequence"} for n in (*INPUTS, "last_hidden_state")},
                              opset_version=OPSET, dynamo=False)
    except Exception as exc:  # an architecture the tracer cannot follow: torch itself still runs it
        tmp.unlink(missing_ok=True)
        raise OnnxCannotRun("cannot export the model in {folder} to ONNX: {problem}; use {backend} torch", fields=("backend",),
                            folder=folder, problem=exc) from exc
    os.replace(tmp, dest)
    return dest


def ffn_output_nodes(model_path: Path) -> list[str]:
    """MatMul nodes of each layer's feed-forward output projection (the most quantisation-sensitive)."""
    import onnx

    graph = onnx.load(str(model_path), load_external_data=False).graph
    return [n.name for n in graph.node if n.op_type == "MatMul" and "/output/dense/" in n.name and "attention" not in n.name]


def quantize_int8(src: Path, dest: Path, keep_ffn_output_fp32: bool = True, per_channel: bool = False) -> Path:
    """Dynamic int8 quantisation of `src`'s MatMul weights; activations are quantised at run time."""
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ModelError("int8 quantisation needs onnxruntime and onnx; `pip install onnxruntime onnx`, or use {backend} onnx",
                         fields=("backend",)) from exc
    exclude = ffn_output_nodes(src) if keep_ffn_output_fp32 else []
    tmp = dest.with_name(f"{dest.name}.{os.getpid()}.tmp")
    quantize_dynamic(str(src), str(tmp), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                     nodes_to_exclude=exclude, per_channel=per_channel)
    os.replace(tmp, dest)
    return dest


@cache
def exporter_key() -> str:
    """What the exported files depend on besides the weights: this module's code (the wrapped forward, the
    inputs, the opset, the quantisation choices), as a short hash. An export cached by another version of this
    file is never read: the first use after a change exports again (about 15 s, once)."""
    return "x" + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def ensure_export(folder: Path, checksum: str, int8: bool) -> Path:
    """The cached ONNX file for these weights and this exporter, exporting (and quantising) on first use."""
    base = export_dir(checksum, exporter_key())
    fp32 = base / "model.onnx"
    if not fp32.is_file():
        export_onnx(folder, fp32)
    if not int8:
        return fp32
    q = base / "model-int8.onnx"
    if not q.is_file():
        quantize_int8(fp32, q)
    return q
