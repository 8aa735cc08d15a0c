"""Shared fixtures: a fake embedder, small documents of our own, a built index."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fakes import FakeEmbedder

if os.environ.get("PYTEST_XDIST_WORKER"):
    # One xdist worker per core already: FAISS's OpenMP threads (spinning while they wait) would oversubscribe.
    os.environ.setdefault("OMP_NUM_THREADS", "1")


def _build_each_app_once():
    """typer's CliRunner builds the click command tree anew on every invoke: every option of every command, with
    its annotations evaluated (about 75 ms, paid a few hundred times a run). The tree depends only on the app, and
    click commands are made to be run many times (each run gets its own context), so one per app is kept."""
    import typer.testing

    build, built = typer.testing._get_command, {}

    def get_command(app):
        if id(app) not in built:
            built[id(app)] = (app, build(app))  # the app is kept too, so its id is not reused
        return built[id(app)][1]

    typer.testing._get_command = get_command


_build_each_app_once()

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
    """`make test` and `make test-fast` run on several workers (pytest-xdist, `--dist loadscope`: a module's
    tests stay on one worker, so its module fixtures are built once). The modules with the longest tests (marked
    `slow` or `jit`, or exporting ONNX) start first, so that no worker is left alone with one of them at the end.
    Whole modules move, in their own order, so a plain serial run also sets each module fixture up once."""
    heavy = {item.module.__name__ for item in items
             if item.get_closest_marker("slow") or item.get_closest_marker("jit") or "onnx_cache" in item.fixturenames}
    items.sort(key=lambda item: item.module.__name__ not in heavy)  # stable: otherwise the collection order
