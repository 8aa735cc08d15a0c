"""Done-when check on the five seed reports: the formulas two different seeds share are in the top 15 items.

The list was written by reading the seeds (/work/shared/corpus/seeds); each entry is words the item's wording
(or a folded variant) must hold."""
from __future__ import annotations

import pytest

from corpus.readers import ReadOptions, read_inputs
from search.formulas import find_formulas
from tests.builders import build
from tests.conftest import shared_corpus

FOUND = [
    "respect each other's core interests and major concerns",  # TASS, China Daily
    "permanent members of the un security council and the world",  # TASS, the undated Ukraine report (largest / leading)
    "common interests and vast room for cooperation",  # TASS "extensive", China Daily "broad"
    "stable, healthy and sustainable development",  # TASS, China Daily
    "win-win cooperation",  # China Daily, NPC report
    "definitely be a disaster",  # TASS "would be a disaster", NPC report "would definitely be a disaster"
    "mutually beneficial cooperation",  # Lanting Forum report, China Daily
    "managing differences",  # Lanting Forum "properly managing differences", China Daily "properly manage differences"
    "benefit the two countries and the world",  # China Daily, NPC report
    "issues of common concern",  # China Daily, NPC report
    "confrontation and conflict",  # TASS, China Daily
    "hong kong, xinjiang and tibet",  # Lanting Forum report, Ukraine report (every word a name: a list of three, candidates.enumeration)
]


@pytest.fixture(scope="module")
def top15(tmp_path_factory):
    from tests.fakes import FakeEmbedder

    store, _ = build(tmp_path_factory.mktemp("seeds") / "idx", read_inputs([shared_corpus("seeds")], ReadOptions()), FakeEmbedder())
    items = find_formulas(store, limit=15)
    store.close()
    return [" ".join([f.text.lower(), *f.variants, *(u.text.lower() for u in f.uses)]) for f in items]


@pytest.mark.parametrize("phrase", FOUND)
def test_seed_formula_is_in_the_top_15(top15, phrase):
    assert any(phrase in item for item in top15), top15


def test_page_furniture_is_not_a_formula(top15):
    assert not any("leave a reply" in item or "will not be published" in item for item in top15)
