"""The actor table: aliases, capitals and adjectives, source rules, a user file extending it, and unknown names."""
from __future__ import annotations

import json

import pytest

from corpus.actors import ActorTableError, UnknownActorError, actor_for_source, load_actors, resolve_actor, resolve_said_by


@pytest.fixture(scope="module")
def table():
    return load_actors()


@pytest.mark.parametrize("name, actor", [
    ("China", "China"), ("Beijing", "China"), ("Chinese", "China"), ("PRC", "China"), ("中方", "China"), ("我国", "China"),
    ("the White House", "United States"), ("Washington", "United States"), ("the US", "United States"),
    ("U.S.", "United States"), ("American", "United States"), ("Americans", "United States"), ("美方", "United States"),
    ("Moscow", "Russia"), ("the Kremlin", "Russia"), ("Russian Federation", "Russia"), ("Kyiv", "Ukraine"),
    ("Kiev", "Ukraine"), ("Ukrainian", "Ukraine"), ("New Delhi", "India"), ("UN", "United Nations"),
    ("EU", "European Union"), ("Iran (Islamic Republic of)", "Iran"), ("China's", "China"), ("Beijing\u2019s", "China"),
])
def test_aliases_resolve_to_the_canonical_actor(table, name, actor):
    assert table.resolve(name) == actor


def test_all_capital_aliases_must_be_written_so_in_text(table):
    assert table.resolve("us") is None and table.resolve("US") == "United States"
    assert table.resolve("who") is None and table.resolve("WHO") == "World Health Organization"
    assert resolve_actor("Narnia") is None and resolve_actor("") is None and resolve_actor(None) is None


def test_source_rules(table):
    assert actor_for_source("Ministry of Foreign Affairs of the People's Republic of China (fmprc.gov.cn)", table=table) == "China"
    assert actor_for_source("中华人民共和国外交部 Ministry of Foreign Affairs of the PRC (fmprc.gov.cn, Chinese)", table=table) == "China"
    assert actor_for_source("The White House, Briefing Room (whitehouse.gov)", table=table) == "United States"
    un = "United Nations General Assembly, General Debate (UN General Debate Corpus)"
    assert actor_for_source(un, {"country_iso3": "UKR", "country": "Ukraine"}, table=table) == "Ukraine"
    assert actor_for_source(un, {"country": "Russian Federation"}, table=table) == "Russia"
    assert actor_for_source(un, {}, table=table) is None
    assert actor_for_source("China Daily", table=table) is None and actor_for_source(None, table=table) is None


def test_said_by_lists_are_case_insensitive_with_aliases_and_unknown_names_are_refused(table):
    assert resolve_said_by(["us", "BEIJING", "China", "the white house"], table) == ["United States", "China"]
    with pytest.raises(UnknownActorError) as err:
        resolve_said_by(["China", "Narnia", "Oz"], table)
    assert err.value.names == ["Narnia", "Oz"]
    assert "unknown actor 'Narnia', 'Oz' in said_by; known actors: " in str(err.value)
    assert "China" in err.value.known and "United States" in err.value.known and "Ostravia" not in err.value.known


def test_a_user_file_extends_the_table(tmp_path):
    (tmp_path / "actors.json").write_text(json.dumps({
        "actors": [{"name": "Ostravia", "code": "OST", "aliases": ["Ostravian", "Tarn City"]},
                   {"name": "China", "aliases": ["the Middle Kingdom"]}],
        "people": {"Jana Velt": "Ostravia"},
        "sources": [{"contains": "Ostravian Ministry of Foreign Affairs", "actor": "Ostravia"}],
    }), encoding="utf-8")
    table = load_actors(tmp_path)  # a folder: its actors.json
    assert table.resolve("Tarn City") == "Ostravia" and table.resolve("ostravian") == "Ostravia"
    assert table.resolve("the Middle Kingdom") == "China" and table.resolve("Beijing") == "China"
    assert table.person_actor("Jana Velt") == "Ostravia" and table.person_actor("Xi Jinping") == "China"
    assert table.for_source("Ostravian Ministry of Foreign Affairs") == "Ostravia"
    assert table.by_code("ost") == "Ostravia"
    assert load_actors(tmp_path / "absent").resolve("Ostravia") is None  # an index folder without a file: built-in only


@pytest.mark.parametrize("content, message", [
    ("{not json", "cannot be read"),
    ('["a list"]', "expected an object"),
    ('{"actors": {"name": "x"}}', "field 'actors' must be a list"),
    ('{"actors": [{"aliases": []}]}', r"actors\[0\] needs a field 'name'"),
    ('{"actors": [{"name": "X", "aliases": "X-land"}]}', r"actors\[0\]\.aliases must be a list of text"),
])
def test_a_bad_user_file_is_a_named_error(tmp_path, content, message):
    path = tmp_path / "mine.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ActorTableError, match=message):
        load_actors(path)
    with pytest.raises(ActorTableError, match="does not exist"):
        load_actors(tmp_path / "missing.json")


def test_the_built_in_table_covers_the_un_members():
    table = load_actors()
    assert len([a for a in table.actors.values() if a.kind == "state"]) >= 190
    assert {"NATO", "ASEAN", "World Health Organization", "UN Security Council"} <= set(table.names())
