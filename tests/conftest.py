"""Shared fixtures: a fake embedder, small documents of our own, a built index."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fakes import FakeEmbedder

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
