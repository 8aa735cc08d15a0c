"""The model-choice figures of the README (issue 12), through the real CLI: for each model, index the English and the
Chinese MFA press conferences, build the evaluation sets, score them, and fuse two encoders' rankings.

    python benchmarks/crosslingual_bench.py --work /tmp/xl --models use-multilingual,all-MiniLM-L6-v2
    python benchmarks/crosslingual_bench.py --work /tmp/xl --fuse all-MiniLM-L6-v2+use-multilingual --steps fuse,table

Steps (each skips what WORK already holds, so a rerun resumes; `--redo` rebuilds):
- `ingest`: `dipsearch ingest mfa_pressconf.jsonl.gz --index WORK/idx-MODEL-en --model MODEL` (and the Chinese file
  into WORK/idx-MODEL-zh); wall and CPU seconds to WORK/results/MODEL.ingest-LANG.json.
- `sets`: on the English index `evalset from-qa` (en-qa) and `evalset from-parallel mfa_pressconf_zh.jsonl.gz`
  (zh-en: Chinese questions, the same-date English transcript relevant); on the Chinese index `evalset from-qa`
  (zh-qa) and `evalset from-parallel mfa_pressconf.jsonl.gz` (en-zh). `--sample SET=N` keeps N queries (seed 0).
- `eval`: `dipsearch eval` of each set (en-qa `--answers-only`, all modes; the cross-lingual sets dense and hybrid:
  lexical alone finds nothing there, and hybrid's lexical side is the query translated by dictionary, the query's
  own-language lexical ranking covering its own language only), runs saved beside.
- `fuse A+B`: reciprocal rank fusion (k = 60) of model A's and model B's saved rankings of the same queries, scored
  against A's judgments (rank fusion of two indexes; the e5-use-multilingual model fuses by score in one): each model cuts
  passages with its own tokenizer, so each of B's passages is mapped to the passage of A's index (same document)
  it overlaps most, and A's excluded passages (questions) are dropped after mapping. Two fusions: `A+B dense`
  (the two dense rankings) and `A+B hybrid` (both dense rankings and A's lexical one).
- `table`: every result in WORK/results as one table (also WORK/results/table.json).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = {"en": "mfa_pressconf.jsonl.gz", "zh": "mfa_pressconf_zh.jsonl.gz", "zhs": "zh-shared-dates.jsonl"}
# zhs: the Chinese transcripts of the dates the English corpus has (written to WORK by `shared_dates_file`)
# set name -> (index language, how it is built, eval options)
SETS = {
    "en-qa": ("en", ["from-qa"], ["--answers-only"]),
    "zh-en": ("en", ["from-parallel", "@zh"], ["--mode", "dense", "--mode", "hybrid"]),
    "zh-qa": ("zh", ["from-qa"], []),
    "en-zh": ("zh", ["from-parallel", "@en"], ["--mode", "dense", "--mode", "hybrid"]),
    "en-zhs": ("zhs", ["from-parallel", "@en"], ["--mode", "dense", "--mode", "hybrid"]),  # the same, searching only the shared dates' transcripts
}
METRICS = ("ndcg@10", "mrr@10", "recall@100")


def cli(args: list[str], out: Path | None = None) -> dict:
    """Run `dipsearch ARGS` (this checkout's code); its --json output (to `out` too) with wall and CPU seconds added."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from search.cli import main; main()", *args], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 3):
        raise SystemExit(f"dipsearch {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout)
    result["_wall_s"] = wall
    result["_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["_load"] = os.getloadavg()[0]
    if out:
        out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return result


def shared_dates_file(work: Path, corpus: Path) -> Path:
    """WORK/zh-shared-dates.jsonl: the Chinese corpus's records whose date is one of the English corpus's dates."""
    import gzip

    out = work / FILES["zhs"]
    if not out.exists():
        with gzip.open(corpus / FILES["en"], "rt", encoding="utf-8") as f:
            dates = {json.loads(line).get("date") for line in f}
        with gzip.open(corpus / FILES["zh"], "rt", encoding="utf-8") as f, open(out, "w", encoding="utf-8") as o:
            o.writelines(line for line in f if json.loads(line).get("date") in dates)
    return out


def corpus_file(work: Path, corpus: Path, lang: str) -> Path:
    return shared_dates_file(work, corpus) if lang == "zhs" else corpus / FILES[lang]


def index_dir(work: Path, model: str, lang: str) -> Path:
    return work / f"idx-{model}-{lang}"


def ingest(work: Path, corpus: Path, model: str, redo: bool, langs=tuple(FILES)) -> None:
    for lang, name in FILES.items():
        if lang not in langs:
            continue
        out = work / "results" / f"{model}.ingest-{lang}.json"
        if out.exists() and not redo:
            continue
        print(f"ingest {name} with {model}", flush=True)
        cli(["ingest", str(corpus_file(work, corpus, lang)), "--index", str(index_dir(work, model, lang)), "--model", model, "--json"], out)


def build_sets(work: Path, corpus: Path, model: str, samples: dict[str, int], redo: bool, only: set[str] | None) -> None:
    for name, (lang, how, _) in SETS.items():
        out = work / "results" / f"{model}.{name}.build.json"
        if (out.exists() and not redo) or not (index_dir(work, model, lang) / "manifest.json").exists() or (only and name not in only):
            continue
        args = ["evalset", how[0], *[str(corpus_file(work, corpus, a[1:])) for a in how[1:]], "--name", name,
                "--index", str(index_dir(work, model, lang)), "--replace", "--json"]
        if name in samples:
            args += ["--sample", str(samples[name]), "--seed", "0"]
        print(f"evalset {name} on {model}", flush=True)
        cli(args, out)


def evaluate(work: Path, model: str, redo: bool, only: set[str] | None) -> None:
    for name, (lang, _, options) in SETS.items():
        out = work / "results" / f"{model}.{name}.eval.json"
        built = work / "results" / f"{model}.{name}.build.json"
        if (out.exists() and not redo) or not built.exists() or (only and name not in only):
            continue
        print(f"eval {name} on {model}", flush=True)
        cli(["eval", name, "--index", str(index_dir(work, model, lang)), *options, "--json"], out)


def _spans(conn) -> dict[str, list[tuple[int, int, int]]]:
    from index.passage_queries import document_rows, passages_of

    return {r["doc_id"]: [(p["ordinal"], p["char_start"], p["char_end"]) for p in passages_of(conn, r["doc_id"])] for r in document_rows(conn, None)}


def _mapper(spans_a, spans_b):
    """B's passage key -> the key of A's passage in the same document it overlaps most."""
    from search.evaluation.keys import passage_key

    table: dict[str, str] = {}
    for doc, b_passages in spans_b.items():
        a_passages = spans_a.get(doc, [])
        for ordinal, s, e in b_passages:
            best = max(a_passages, key=lambda a: min(e, a[2]) - max(s, a[1]), default=None)
            if best is not None and min(e, best[2]) - max(s, best[1]) > 0:
                table[passage_key(doc, ordinal)] = passage_key(doc, best[0])
    return table


def fuse(work: Path, a: str, b: str, stored: dict[str, str] | None = None) -> None:
    """`stored`: set -> the name it is stored under, where not the set's own (indexes built by hand)."""
    from index.store import IndexStore
    from search.evaluation import sets
    from search.evaluation.evaluate import current_qrels
    from search.evaluation.keys import passage_key
    from search.evaluation.qrels_io import read_run
    from search.evaluation.scoring import score_runs
    from search.fusion import reciprocal_rank_fusion

    stored = stored or {}
    for label, (lang, _, options) in SETS.items():
        name = stored.get(label, label)
        runs_a, runs_b = index_dir(work, a, lang) / "eval-runs", index_dir(work, b, lang) / "eval-runs"
        prefix = name + (".answers-only" if "--answers-only" in options else "")
        if not (runs_a / f"{prefix}.dense.trec").exists() or not (runs_b / f"{prefix}.dense.trec").exists():
            continue
        store_a = IndexStore.open(index_dir(work, a, lang))
        store_b = IndexStore.open(index_dir(work, b, lang))
        to_a = _mapper(_spans(store_a.db.conn), _spans(store_b.db.conn))
        conn = store_a.db.conn
        qrels, _ = current_qrels(store_a, name)
        info = sets.get_set(conn, name)
        always = {passage_key(q[0], q[1]) for q in info["params"].get("question_passages", [])} if (
            info["kind"] == "parallel" or "--answers-only" in options) else set()
        excluded = {q.qid: always | {r.key for r in q.exclude} for q in sets.queries(conn, name)}
        dense_a = read_run(runs_a / f"{prefix}.dense.trec")
        dense_b_raw = read_run(runs_b / f"{prefix}.dense.trec")
        dense_b = {}
        for qid, ranking in dense_b_raw.items():
            seen, mapped = set(), []
            for key, score in ranking:
                key = to_a.get(key)
                if key and key not in seen and key not in excluded.get(qid, ()):
                    seen.add(key)
                    mapped.append((key, score))
            dense_b[qid] = mapped
        qids = [q for q in dense_a if q in qrels]
        runs = {f"{a} dense": dense_a, f"{b} dense (mapped)": dense_b,
                "fused dense": {q: reciprocal_rank_fusion([dense_a[q], dense_b.get(q, [])])[:100] for q in qids}}
        lexical = runs_a / f"{prefix}.lexical.trec"
        if lexical.exists() and label not in ("zh-en", "en-zh"):
            lex = read_run(lexical)
            runs["fused hybrid"] = {q: reciprocal_rank_fusion([dense_a[q], dense_b.get(q, []), lex.get(q, [])])[:100] for q in qids}
            runs[f"{a} lexical"] = lex
            hybrid = runs_a / f"{prefix}.hybrid.trec"
            if hybrid.exists():
                runs[f"{a} hybrid"] = read_run(hybrid)
        table = score_runs({q: qrels[q] for q in qids}, {k: {q: r.get(q, []) for q in qids} for k, r in runs.items()})
        out = work / "results" / f"fuse.{a}+{b}.{label}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"set": label, "queries": len(qids), "mapped_b_passages": len(to_a), **table.as_dict()}, indent=1))
        print(f"fused {a}+{b} on {label}: {len(qids)} queries", flush=True)
        for run, scores in table.as_dict()["scores"].items():
            print(f"  {run:40s} " + "  ".join(f"{m} {scores[m]:.3f}" for m in METRICS))


def table(work: Path) -> None:
    rows = []
    for path in sorted((work / "results").glob("*.json")):
        if path.name == "table.json":
            continue
        data = json.loads(path.read_text())
        if path.name.endswith(".eval.json"):
            model, name = path.name.removesuffix(".eval.json").rsplit(".", 1)
            build = json.loads((work / "results" / f"{model}.{name}.build.json").read_text())
            for run, scores in data["table"]["scores"].items():
                rows.append({"model": model, "set": name, "run": run, "queries": data["queries"],
                             "sampled_from": build.get("sampled_from"), **{m: round(scores[m], 4) for m in METRICS},
                             "eval_wall_s": round(data["_wall_s"])})
        elif path.name.startswith("fuse."):
            for run, scores in data["scores"].items():
                rows.append({"model": path.name.split(".")[1], "set": data["set"], "run": run, "queries": data["queries"],
                             **{m: round(scores[m], 4) for m in METRICS}})
        elif ".ingest-" in path.name:
            model, lang = path.name.removesuffix(".json").split(".ingest-")
            rows.append({"model": model, "set": f"ingest {lang}", "passages": data.get("passages"), "documents": data.get("documents"),
                         "wall_s": round(data["_wall_s"]), "cpu_s": data["_cpu_s"] and round(data["_cpu_s"]),
                         "passages_per_s": round(data.get("passages", 0) / data["_wall_s"], 1),
                         "passages_per_cpu_s": data["_cpu_s"] and round(data.get("passages", 0) / data["_cpu_s"], 1)})
    for r in rows:
        print("  ".join(f"{k}={v}" for k, v in r.items()))
    (work / "results" / "table.json").write_text(json.dumps(rows, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/xl"))
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--models", default="use-multilingual")
    ap.add_argument("--steps", default="ingest,sets,eval,table")
    ap.add_argument("--langs", default="en,zh", help="ingest: which corpora (en, zh; zhs: the Chinese transcripts of the "
                    "English corpus's dates)")
    ap.add_argument("--sample", action="append", default=[], metavar="SET=N", help="e.g. zh-qa=1000 (seed 0)")
    ap.add_argument("--sets", help="build and eval only these sets (comma-separated)")
    ap.add_argument("--fuse", action="append", default=[], metavar="A+B")
    ap.add_argument("--set-name", action="append", default=[], metavar="SET=NAME", help="fuse: SET is stored as NAME")
    ap.add_argument("--redo", action="store_true")
    args = ap.parse_args()
    (args.work / "results").mkdir(parents=True, exist_ok=True)
    samples = {k: int(v) for k, v in (s.split("=") for s in args.sample)}
    steps = set(args.steps.split(","))
    for model in args.models.split(","):
        if "ingest" in steps:
            ingest(args.work, args.corpus, model, args.redo, args.langs.split(","))
        if "sets" in steps:
            build_sets(args.work, args.corpus, model, samples, args.redo, set(args.sets.split(",")) if args.sets else None)
        if "eval" in steps:
            evaluate(args.work, model, args.redo, set(args.sets.split(",")) if args.sets else None)
    for pair in args.fuse:
        fuse(args.work, *pair.split("+"), stored=dict(s.split("=") for s in args.set_name))
    if "table" in steps:
        table(args.work)


if __name__ == "__main__":
    main()
