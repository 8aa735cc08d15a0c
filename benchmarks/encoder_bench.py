"""Encoder backends side by side on real passages: torch fp32, ONNX fp32, ONNX int8 variants.

For each backend: passages/s and tokens/s embedding the same passages (one run each, same
process, the backends interleaved in one order), one short query's latency (median of 30), and
fidelity to torch fp32: mean/min cosine of passage vectors, and top-10 overlap of retrieval over
those passages for real journalists' questions from the corpus (queries and passages both
embedded by the backend under test, against torch's top 10).

    .venv/bin/python benchmarks/encoder_bench.py ../shared/corpus/mfa_pressconf.jsonl.gz --passages 1500 --json-out /tmp/enc.json
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from benchcommon import corpus_questions, machine, short_query, table, write_json  # noqa: E402


def real_passages(corpus: Path, n: int, count_tokens, max_tokens: int) -> list[str]:
    """The first `n` passages of the corpus, chunked as ingest chunks them."""
    from corpus.chunking import ChunkOptions, chunk
    from corpus.documents import RawDocument
    from corpus.prepare import prepare
    from corpus.readers import read_inputs

    out: list[str] = []
    for item in read_inputs([corpus]):
        if isinstance(item, RawDocument):
            out += [p.text for p in chunk(prepare(item).text, count_tokens, ChunkOptions(max_tokens=max_tokens - 2))]
        if len(out) >= n:
            return out[:n]
    return out


def embedders(cache: Path):
    """(label, embedder) for every backend and int8 variant, exported into `cache`."""
    from index.embedding import load
    from index.embedding.onnx_backend import OnnxEmbedder
    from index.embedding.onnx_export import ensure_export, quantize_int8

    os.environ["DIPSEARCH_CACHE"] = str(cache)
    torch_e = load(None, "torch")
    fp32 = ensure_export(torch_e.folder, torch_e.checksum, int8=False)
    variants = {
        "onnx-int8 (FFN out fp32, shipped)": dict(keep_ffn_output_fp32=True),
        "onnx-int8 (all MatMul)": dict(keep_ffn_output_fp32=False),
        "onnx-int8 (all MatMul, per-channel)": dict(keep_ffn_output_fp32=False, per_channel=True),
    }
    yield "torch fp32", torch_e
    yield "onnx fp32", OnnxEmbedder(None)
    for label, opts in variants.items():
        path = cache / f"{abs(hash(label))}.onnx"
        quantize_int8(fp32, path, **opts)
        yield label, OnnxEmbedder(None, int8=True, model_path=path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--passages", type=int, default=1500)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--json-out")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    queries = [short_query(q) for q in corpus_questions(args.corpus, args.queries)]
    rows, results, ref = [], {}, None
    with tempfile.TemporaryDirectory(prefix="dipsearch-enc-") as tmp:
        for label, emb in embedders(Path(tmp)):
            if ref is None:
                passages = real_passages(args.corpus, args.passages, emb.count_tokens, emb.max_tokens)
                tokens = sum(min(n + 2, emb.max_tokens) for n in emb.count_tokens(passages))
            emb.embed(passages[:32])  # warm-up
            t = time.perf_counter()
            vecs = emb.embed(passages)
            seconds = time.perf_counter() - t
            qv = emb.embed(queries)
            lat = []
            for q in queries[:30]:
                t = time.perf_counter()
                emb.embed([q])
                lat.append(time.perf_counter() - t)
            top = np.argsort(-(qv @ vecs.T), axis=1)[:, :10]
            if ref is None:
                ref = (vecs, top)
            cos = (vecs * ref[0]).sum(1)
            overlap = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(top, ref[1])]))
            r = {"passages_per_s": round(len(passages) / seconds, 1), "tokens_per_s": round(tokens / seconds),
                 "query_ms_p50": round(statistics.median(lat) * 1000, 1), "cosine_mean": round(float(cos.mean()), 4),
                 "cosine_min": round(float(cos.min()), 4), "top10_overlap": round(overlap, 3)}
            results[label] = r
            rows.append([label, *r.values()])
            print(f"{label}: {r}", flush=True)
    print(f"\n{len(passages)} MFA passages, {tokens} tokens (mean {tokens / len(passages):.0f}), {len(queries)} queries\n")
    print(table(rows, ["backend", "passages/s", "tokens/s", "query ms", "cos mean", "cos min", "top-10 overlap"]))
    write_json(args.json_out, {"machine": machine(), "passages": len(passages), "tokens": tokens, "queries": len(queries), "backends": results})


if __name__ == "__main__":
    main()
