"""Shared helpers for the benchmark scripts: memory sampling, phase timing, queries, tables, JSON.

Nothing here reimplements the pipeline: the scripts call the library (corpus.*, index.*, search.*)
and only measure around it. Heavy imports (torch, faiss) happen in the library, when first used.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import resource
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without `pip install -e .`
    sys.path.insert(1, str(REPO))

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int:
    """Current resident set size of this process (Linux /proc; falls back to the high-water mark)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except OSError:
        return max_rss_bytes()


def max_rss_bytes() -> int:
    """Process RSS high-water mark since start (getrusage ru_maxrss; KiB on Linux, bytes on macOS)."""
    value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return value if sys.platform == "darwin" else value * 1024


def mib(n: float | None) -> float | None:
    return None if n is None else round(n / (1024 * 1024), 1)


class PhaseClock:
    """Exclusive wall time, item counts and peak RSS per named phase.

    Phases nest (an ingest batch is flushed from inside `add`): a parent's time excludes its
    children's. Each thread has its own stack, so a phase run on a worker thread (overlapped
    embedding) is timed on its own; then phase times add up to more than the wall time.
    Peak RSS per phase is the highest RSS seen while that phase was innermost on some thread, from
    a sampling thread (every `interval` s) plus a sample at every phase boundary.
    """

    def __init__(self, interval: float = 0.01):
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}  # process CPU time (all threads); exclusive like `seconds`
        self.calls: dict[str, int] = {}
        self.items: dict[str, dict[str, int]] = {}
        self.peak: dict[str, int] = {}
        self._stacks: dict[int, list[list]] = {}  # thread id -> [[name, start, child s, cpu start, child cpu s], ...]
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._interval = interval
        self._thread = threading.Thread(target=self._sample_loop, daemon=True)

    def start(self) -> "PhaseClock":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _note(self, rss: int) -> None:
        with self._lock:
            names = {stack[-1][0] for stack in self._stacks.values() if stack} or {"(between phases)"}
            for name in names:
                if rss > self.peak.get(name, 0):
                    self.peak[name] = rss

    def _sample_loop(self) -> None:
        while not self._stop.wait(self._interval):
            self._note(rss_bytes())

    def count(self, phase: str, **items: int) -> None:
        with self._lock:
            bucket = self.items.setdefault(phase, {})
            for key, n in items.items():
                bucket[key] = bucket.get(key, 0) + int(n)

    @contextmanager
    def phase(self, name: str):
        self._note(rss_bytes())
        with self._lock:
            stack = self._stacks.setdefault(threading.get_ident(), [])
            stack.append([name, time.perf_counter(), 0.0, time.process_time(), 0.0])
        try:
            yield
        finally:
            self._note(rss_bytes())
            with self._lock:
                frame = stack.pop()
                elapsed, cpu = time.perf_counter() - frame[1], time.process_time() - frame[3]
                self.seconds[name] = self.seconds.get(name, 0.0) + elapsed - frame[2]
                self.cpu_seconds[name] = self.cpu_seconds.get(name, 0.0) + cpu - frame[4]
                self.calls[name] = self.calls.get(name, 0) + 1
                if stack:
                    stack[-1][2] += elapsed
                    stack[-1][4] += cpu

    def wrap(self, name: str, fn, counter=None):
        """`fn` timed as phase `name`; `counter(args, kwargs, result)` may call self.count."""

        def timed(*args, **kwargs):
            with self.phase(name):
                result = fn(*args, **kwargs)
            if counter:
                counter(args, kwargs, result)
            return result

        return timed

    def wrap_iter(self, name: str, iterable, per_item: str = "items"):
        """Yield from `iterable`, timing each step of it as phase `name`."""
        it = iter(iterable)
        while True:
            with self.phase(name):
                try:
                    item = next(it)
                except StopIteration:
                    return
            self.count(name, **{per_item: 1})
            yield item


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolation percentile (like numpy's default), q in [0, 100]."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def latency_summary(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 2), "p95_ms": round(percentile(ms, 95), 2),
            "mean_ms": round(sum(ms) / len(ms), 2) if ms else None, "max_ms": round(max(ms), 2) if ms else None}


# ------------------------------------------------------------------ queries from the corpus
QUESTION_PREFIXES = ("Q:", "Q :", "Question:")


def corpus_questions(corpus: Path, n: int = 150, limit_docs: int | None = None) -> list[str]:
    """Up to `n` distinct journalists' questions from the corpus, built at run time (never stored).

    Paragraphs of the cleaned text (library reader + prepare) that start with "Q:"; the prefix is
    stripped. Order is deterministic and spread over the whole corpus: sorted by sha1 of the text.
    """
    from corpus.documents import RawDocument
    from corpus.prepare import prepare
    from corpus.readers import read_inputs

    found: set[str] = set()
    for i, item in enumerate(read_inputs([corpus])):
        if limit_docs is not None and i >= limit_docs:
            break
        if not isinstance(item, RawDocument):
            continue
        for para in prepare(item).text.split("\n\n"):
            para = para.strip()
            for prefix in QUESTION_PREFIXES:
                if para.startswith(prefix):
                    question = " ".join(para[len(prefix):].split())
                    if len(question.split()) >= 3:
                        found.add(question)
                    break
    ordered = sorted(found, key=lambda q: hashlib.sha1(q.encode("utf-8")).hexdigest())
    return ordered[:n]


def short_query(question: str, max_words: int = 8) -> str:
    """A search-box-length query: the first `max_words` words of the question's first sentence."""
    first = question
    for end in ("? ", ". ", "?", "."):
        cut = question.find(end)
        if cut > 0:
            first = question[:cut]
            break
    return " ".join(first.split()[:max_words])


# ------------------------------------------------------------------ environment and output
def machine() -> dict:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (None, None, None)
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "loadavg_1_5_15": [round(x, 2) for x in load] if load[0] is not None else None,
            "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    for mod in ("torch", "faiss", "sentence_transformers"):
        m = sys.modules.get(mod)
        if m is not None:
            info[f"{mod}_version"] = getattr(m, "__version__", None)
    torch = sys.modules.get("torch")
    if torch is not None:
        info["torch_threads"] = torch.get_num_threads()
    return info


def table(rows: list[list], header: list[str]) -> str:
    """A plain fixed-width table (readable in a terminal and pasteable as markdown)."""
    cells = [[("" if c is None else str(c)) for c in row] for row in [header] + rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def write_json(path: str | None, data: dict) -> None:
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nJSON results written to {path}")
