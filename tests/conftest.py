"""Shared fixtures: a fake embedder, small documents of our own, a built index."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fakes import FakeEmbedder

if os.environ.get("PYTEST_XDIST_WORKER"):
    # One xdist worker per core already: FAISS's OpenMP threads (spinning while they wait) would oversubscribe.
    os.environ.setdefault("OMP_NUM_THREADS", "1")

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SAMPLE = Path(__file__).resolve().parents[1] / "sample"


@pytest.fixture
def fake_embedder():
    return FakeEmbedder()


@pytest.fixture
def runtime(fake_embedder):
    """A CLI runtime whose model loader returns the fake embedder."""
    from search.cli.app import Runtime

    return Runtime(load_embedder=lambda model=None: fake_embedder)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    monkeypatch.delenv("DIPSEARCH_INDEX", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def shared_corpus(name: str) -> Path:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} not present (the shared corpus sits beside the checkout)")
    return path


def pytest_collection_modifyitems(config, items):
    """For `make test`/`make test-fast`, which run on several workers (pytest-xdist, `--dist loadgroup`): the
    tests of a module that builds a module- or session-wide fixture of its own stay on one worker, so the fixture
    is built once (the ONNX export of tests/model_cache.py, used by three modules, is one group, and so are the
    `jit` tests, which compile ranx's numba kernels in the process they run in); and the modules with the
    longest tests (marked `slow` or `jit`, or exporting ONNX) are started first, so no worker is left alone
    with one of them at the end. Whole modules move, in their own order, so module fixtures are still set up once
    in a plain serial run too."""
    heavy = {item.module.__name__ for item in items
             if item.get_closest_marker("slow") or item.get_closest_marker("jit") or "onnx_cache" in item.fixturenames}
    items.sort(key=lambda item: item.module.__name__ not in heavy)  # stable: otherwise the collection order
    for item in items:
        group = _shared_fixture_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def _shared_fixture_group(item) -> str | None:
    if "onnx_cache" in item.fixturenames:
        return "onnx-cache"
    if item.get_closest_marker("jit"):
        return "ranx-jit"  # numba compiles (or loads from its cache) ranx's kernels once per process: one worker
    for defs in item._fixtureinfo.name2fixturedefs.values():
        fixture = defs[-1]
        if fixture.scope != "function" and getattr(fixture.func, "__module__", "").startswith("tests"):
            return item.nodeid.split("::")[0]
    return None
