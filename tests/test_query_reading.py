"""Reading who a query asks about: said-by actors plus the topic, or the query as typed."""
from __future__ import annotations

import pytest

from corpus.actors import UnknownActorError, load_actors
from search.query_reading import read_query, resolve_said_by


@pytest.fixture(scope="module")
def table():
    return load_actors()


@pytest.mark.parametrize("query, said_by, topic", [
    ("What did China say about Ukraine?", ["China"], "Ukraine"),
    ("Beijing's position on Taiwan independence", ["China"], "Taiwan independence"),
    ("US position on Taiwan", ["United States"], "Taiwan"),
    ("Russia's view of NATO", ["Russia"], "NATO"),
    ("what has the White House said on tariffs", ["United States"], "tariffs"),
    ("How did Moscow respond to the sanctions?", ["Russia"], "the sanctions"),
    ("What is the position of the European Union on sanctions?", ["European Union"], "sanctions"),
    ("what did China and Russia say about NATO", ["China", "Russia"], "NATO"),
    ("中方对乌克兰问题的立场", ["China"], "乌克兰"),
    ("美方如何看待台湾问题？", ["United States"], "台湾问题"),
    ("What did Chinese officials say about the South China Sea?", ["China"], "the South China Sea"),
    ("the Russian government's position on grain exports", ["Russia"], "grain exports"),
    ("Xi Jinping's view of Taiwan", ["China"], "Taiwan"),
])
def test_questions_that_name_an_actor(table, query, said_by, topic):
    reading = read_query(query, table)
    assert (reading.said_by, reading.topic, reading.literal_query) == (said_by, topic, query)


def test_an_actor_alias_that_is_also_the_topic_stays_a_topic(table):
    reading = read_query("What did the US say about China?", table)
    assert reading.said_by == ["United States"] and reading.topic == "China"
    assert reading.describe() == "read as: said by United States \u00b7 about: China"


def test_describe_and_as_dict(table):
    reading = read_query("What did China say about Ukraine?", table)
    assert reading.describe() == "read as: said by China \u00b7 about: Ukraine"
    assert reading.as_dict() == {"literal_query": "What did China say about Ukraine?", "said_by": ["China"], "speakers": [],
                                 "topic": "Ukraine", "actor_words": "China", "description": "read as: said by China \u00b7 about: Ukraine"}
    official = read_query("What did Wang Yi say about the South China Sea?", table)
    assert (official.said_by, official.speakers, official.topic) == (["China"], ["Wang Yi"], "the South China Sea")


@pytest.mark.parametrize("query", [
    "Taiwan question", "US tariffs on Chinese steel", "What did Narnia say about Ukraine?", "What did they say about it?",
    "China", "",
])
def test_plain_topical_queries_and_unknown_actor_slots_are_read_literally(table, query):
    reading = read_query(query, table)
    assert reading.said_by == [] and reading.topic == " ".join(query.split())
    assert reading.describe() == "read as: about: " + " ".join(query.split())


def test_literal_turns_the_reading_off(table):
    assert read_query("What did China say about Ukraine?", table, literal=True).said_by == []


def test_an_unknown_actor_in_an_explicit_said_by_list_is_a_named_error(table):
    assert resolve_said_by(["beijing", "U.S."], table) == ["China", "United States"]
    with pytest.raises(UnknownActorError, match=r"unknown actor 'Atlantis' in said_by; known actors: .*China.*United States"):
        resolve_said_by(["Atlantis"], table)
