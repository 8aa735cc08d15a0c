"""Reported speech in news reports about invented states: sources before and after cues, back-references,
actors from titles, narration and quotations without a source."""
from __future__ import annotations

import json

import pytest

from corpus.actors import load_actors
from corpus.reported_speech import read_reported_speech
from corpus.roles import NARRATION, QUOTE, STATEMENT


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    folder = tmp_path_factory.mktemp("actors")
    (folder / "actors.json").write_text(json.dumps({
        "actors": [{"name": "Ostravia", "code": "OST", "aliases": ["Ostravian", "Tarn City"]},
                   {"name": "Valdoria", "code": "VAL", "aliases": ["Valdorian", "Marenne"]}],
        "people": {"Tomas Rell": "Ostravia"}}), encoding="utf-8")
    return load_actors(folder)


def _read(table, paragraphs, home=None):
    body = "\n\n".join(paragraphs)
    return [(body[s.start : s.end], s.role, s.speaker, s.actor) for s in read_reported_speech(body, table, home)]


def test_sources_before_and_after_the_cue_and_back_references(table):
    rows = _read(table, [
        "Tarn City and Marenne should resume the river talks, Ostravian Ambassador to Valdoria Lena Prask said.",
        '"Dialogue is the only way forward for the basin," the diplomat pointed out at a reception.',
        "Valdorian Foreign Minister Ivo Brenn on Monday called for patience in the talks.",
        '"We will not be rushed," he added.',
        "Prask expressed confidence that the quotas would be agreed.",
        "The talks could take months, said Mila Dorn, a researcher at the Selva Institute of Water Studies.",
        "According to her, the dry season makes a deal urgent.",
    ])
    assert [(r[1], r[2], r[3]) for r in rows] == [
        (STATEMENT, "Lena Prask", "Ostravia"),  # the host country after "to" is not her actor
        (QUOTE, "Lena Prask", "Ostravia"),
        (STATEMENT, "Ivo Brenn", "Valdoria"),
        (QUOTE, "Ivo Brenn", "Valdoria"),
        (STATEMENT, "Lena Prask", "Ostravia"),  # a surname finds the speaker named in full earlier
        (STATEMENT, "Mila Dorn", None),  # a researcher speaks for no state
        (STATEMENT, "Mila Dorn", None),
    ]


def test_capitals_institutions_officials_and_appositives(table):
    rows = _read(table, [
        "Marenne said the quotas were unfair to its farmers.",
        "Tomas Rell told reporters that the accord was fair.",
        "Jon Hale, spokesman of Valdoria's river commission, said the data would be published.",
        "The Foreign Ministry said in a statement that the border stays open.",
        '"Our door remains open," the statement added.',
        "Observers said the talks had stalled.",
    ], home="Ostravia")
    assert [(r[1], r[2], r[3]) for r in rows] == [
        (STATEMENT, "Marenne", "Valdoria"),
        (STATEMENT, "Tomas Rell", "Ostravia"),  # an official of the table
        (STATEMENT, "Jon Hale", "Valdoria"),
        (STATEMENT, "The Foreign Ministry", "Ostravia"),  # no nationality: the report's own actor
        (QUOTE, "The Foreign Ministry", "Ostravia"),
        (STATEMENT, "Observers", None),
    ]


def test_narration_and_quotations_without_a_source_are_never_guessed(table):
    rows = _read(table, [
        "The river commission met in Tarn City on Tuesday without a Valdorian delegation.",
        '"The water belongs to everyone downstream."',
        'The meeting had the theme "Sharing the Selva: Water for Farmers, Fish and Future Generations".',
        "He expressed hope that the talks would resume.",  # a pronoun with nobody before it
    ])
    assert [(r[1], r[2], r[3]) for r in rows] == [
        (NARRATION, None, None), (QUOTE, None, None), (NARRATION, None, None), (NARRATION, None, None)]


def test_a_quotation_over_two_paragraphs_and_an_attribution_tail(table):
    rows = _read(table, [
        'Lena Prask, Ostravian ambassador, said the talks matter. "We want a fair deal. We want it soon.',
        '"The farmers cannot wait another season." Lena Prask added.',
    ])
    assert [(r[0][:12], r[1], r[2]) for r in rows] == [
        ("Lena Prask, ", STATEMENT, "Lena Prask"),
        ('"We want a f', QUOTE, "Lena Prask"),  # an unclosed quotation goes on from the speaker before it
        ('"The farmers', QUOTE, "Lena Prask"),  # `Lena Prask added.` joins the quotation it attributes
    ]
    assert rows[2][0].endswith("Lena Prask added.")


def test_a_coordinated_cue_takes_the_sentences_subject(table):
    rows = _read(table, ["Ivo Brenn thanked the mediators and said the accord was close."])
    assert rows[0][1:] == (STATEMENT, "Ivo Brenn", None)


@pytest.mark.parametrize("body", [
    "said.", "he said.", '"', '""', '"\u201c\u201d\u2019\u2018', "According to", "According to ,", ", said ,", "\u201cUnclosed at the end",
    "The Foreign Ministry said.", "and said", "Q: said: A: \u201c\u201d", "\u00a0\u3000", "\U0001F600 said \U0001F600.",
])
def test_odd_input_never_raises_and_covers_only_the_text(table, body):
    spans = read_reported_speech(body, table)
    assert all(0 <= s.start < s.end <= len(body) for s in spans)
    assert all(s.role in (STATEMENT, QUOTE, NARRATION) for s in spans)


def test_no_source_is_made_up_from_passives_lists_institution_names_or_unnamed_surnames(table):
    rows = _read(table, [
        "The quotas announced by the commission last year stay in force.",
        "As noted in the joint statement, the river is shared.",
        "Ostravia and Valdoria announced a joint patrol of the strait.",
        "The Department of Water announced new quotas.",
        "The two Presidents emphasized the need for calm.",
        "Rell said the patrol would start in May.",  # a surname of the table's official, not named in full here
    ])
    assert [(r[1], r[2], r[3]) for r in rows] == [(NARRATION, None, None)] * 5 + [(STATEMENT, "Rell", None)]
    rows = _read(table, ["Minister Rell said the patrol would start in May.",  # a title: the table's official
                         "Tomas Rell and Ivo Brenn met in Tarn City.", "Rell added that the talks went well."])
    assert [(r[1], r[2], r[3]) for r in rows] == [
        (STATEMENT, "Tomas Rell", "Ostravia"), (NARRATION, None, None), (STATEMENT, "Tomas Rell", "Ostravia")]


def test_a_name_and_a_colon_before_a_quotation(table):
    rows = _read(table, ['Foreign Minister Tomas Rell: "The patrol protects fishermen of both countries."',
                         'Background: "quotas" are set each spring.'])
    assert [(r[1], r[2], r[3]) for r in rows] == [(QUOTE, "Tomas Rell", "Ostravia"), (NARRATION, None, None)]
