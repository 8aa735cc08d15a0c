"""Dates at their precision (issue 14): a year, a month or a day, stored as ISO at that precision,
read from records (`--field date=meta.year`), inferred from a title's "(2005)", and the days each covers."""
from __future__ import annotations

import json

import pytest

from corpus.dates import date_precision, date_range, parse_given_date, year_in_title
from corpus.documents import RawDocument
from corpus.prepare import prepare
from corpus.readers import ReadOptions, read_inputs
from tests.conftest import shared_corpus

BODY = "The delegation of Arden reaffirmed its commitment to the river treaty with Vell."


@pytest.mark.parametrize("value, stored", [
    ("1988", "1988"), ("1988-09", "1988-09"), ("1988-9", "1988-09"), ("1988-09-23", "1988-09-23"),
    (1988, "1988"), ("1988.0", "1988"), ("September 1988", "1988-09"), ("Sept. 1988", "1988-09"),
    ("23 September 1988", "1988-09-23"), ("1988-09-23T10:00:00Z", "1988-09-23"),
    ("1988-13", None), ("1988-00", None), ("988", None), ("19888", None), ("1988-02-30", None), ("soon", None), (True, None),
])
def test_given_dates_keep_their_precision(value, stored):
    assert parse_given_date(value) == stored


@pytest.mark.parametrize("stored, expected", [
    ("1988", ("1988-01-01", "1988-12-31", "year")),
    ("1988-02", ("1988-02-01", "1988-02-29", "month")),  # a leap year
    ("1989-02", ("1989-02-01", "1989-02-28", "month")),
    ("1988-09-23", ("1988-09-23", "1988-09-23", "day")),
])
def test_date_range_covers_the_days_of_the_stated_precision(stored, expected):
    assert date_range(stored) == expected
    assert date_precision(stored) == expected[2]


@pytest.mark.parametrize("bad", ["88", "1988-13", "1988-02-30", "1988x09", "", "1988-09-2"])
def test_date_range_refuses_what_is_not_a_stored_date(bad):
    with pytest.raises(ValueError):
        date_range(bad)


def test_stored_dates_sort_and_compare_as_strings_within_their_range():
    # What the filter relies on: a stored date's string lies between its first and last day...
    for stored in ("1988", "1988-09", "1988-09-23"):
        first, last, _ = date_range(stored)
        assert first[: len(stored)] == stored and last[: len(stored)] == stored
    # ... and a year sorts before every day of that year, so plain string bounds would drop it.
    assert "1988" < "1988-01-01" < "1988-12-31" < "1989"


def test_document_date_precision():
    for given, precision in (("1988", "year"), ("1988-09", "month"), ("1988-09-23", "day")):
        doc = prepare(RawDocument("d", BODY, "d.txt", given={"date": given}))
        assert (doc.date, doc.date_precision, doc.date_status) == (given, precision, "given")
    assert prepare(RawDocument("d", BODY, "d.txt")).date_precision is None


@pytest.mark.parametrize("title, year", [
    ("UN General Debate, session 60 (2005): statement by Arden", 2005),
    ("Statement by the Foreign Minister of Vell (1988)", 1988),
    ("Osland and the sea (1999) (2001)", None),  # two different years: no guess
    ("Osland and the sea (1999) revisited (1999)", 1999),
    ("Session 60, 2005", None),
    ("Resolution (12345)", None),
    (None, None),
])
def test_year_in_title(title, year):
    assert year_in_title(title) == year


def test_year_inferred_from_the_title_is_marked_inferred():
    doc = prepare(RawDocument("d", BODY, "d.txt", given={"title": "General Debate, session 60 (2005): statement by Arden"}))
    assert (doc.date, doc.date_status, doc.date_precision) == ("2005", "inferred", "year")
    assert doc.meta["date_evidence"] == "the title says (2005)"
    # A date the input gives wins over the title, and keeps its precision.
    given = prepare(RawDocument("d", BODY, "d.txt", given={"title": "Session 60 (2005)", "date": "2005-09-17"}))
    assert (given.date, given.date_status) == ("2005-09-17", "given")
    # A title the text only suggests (its first sentence) is no evidence of the year.
    inferred_title = prepare(RawDocument("d", "Arden recalled the accord (1999). It stands.", "d.txt"))
    assert inferred_title.provenance["title"] == "inferred" and inferred_title.date is None


def test_year_from_a_json_number_with_field_mapping(tmp_path):
    path = tmp_path / "speeches.jsonl"
    path.write_text(json.dumps({"id": "s1", "title": "Speech by Arden", "text": BODY, "date": None, "meta": {"year": 1988}}) + "\n")
    raw = next(iter(read_inputs([path], ReadOptions(field_map={"date": "meta.year"}))))
    doc = prepare(raw)
    assert (doc.date, doc.date_status, doc.date_precision, doc.notices) == ("1988", "given", "year", [])


def test_un_general_debate_sample_ingests_with_year_dates_both_ways():
    path = shared_corpus("ungdc_sample.jsonl")
    by_title = [prepare(raw) for raw in read_inputs([path])]
    by_field = [prepare(raw) for raw in read_inputs([path], ReadOptions(field_map={"date": "meta.year"}))]
    assert len(by_title) == len(by_field) == 200
    for t, f in zip(by_title, by_field):
        assert t.doc_id == f.doc_id
        assert (t.date_status, t.date_precision) == ("inferred", "year"), t.title
        assert (f.date_status, f.date_precision) == ("given", "year"), f.doc_id
        assert t.date == f.date and t.date in t.title
    assert sum(1 for d in by_title if d.date >= "2000") > 50  # what --since 2000 has to find


# ------------------------------------------------------------------ what the date filter needs

from corpus.dates import date_within  # noqa: E402

BOUNDS = [("1988-06-01", "1988-12-31"), ("1988-01-01", "1988-12-31"), ("1988-09-01", "1988-09-30"), ("1989-01-01", None),
          (None, "1987-12-31"), ("1988-09-23", "1988-09-23"), (None, None), ("1988-02-29", "1988-03-31")]
STORED = ["1988", "1988-09", "1988-02", "1988-09-23", "1987-12-31", "1989"]


@pytest.mark.parametrize("value, since, until, strict, loose", [
    ("1988", "1988-06-01", "1988-12-31", False, True),  # the case: a year only overlaps June..December
    ("1988", "1988-01-01", "1988-12-31", True, True),  # --since 1988 --until 1988
    ("1988-09", "1988-06-01", "1988-12-31", True, True),
    ("1988-09", "1988-09-15", None, False, True),
    ("1988-09-23", "1988-06-01", "1988-12-31", True, True),
    ("1988-09-23", "1988-10-01", None, False, False),
    ("1988", "1989-01-01", None, False, False),
    ("1988", None, None, True, True),
])
def test_date_within(value, since, until, strict, loose):
    assert date_within(value, since, until) is strict
    assert date_within(value, since, until, include_imprecise=True) is loose


# The same rule in SQLite, for index/filter_sql.py: first and last day of documents.date at its precision.
FIRST_DAY = "CASE length(d.date) WHEN 4 THEN d.date || '-01-01' WHEN 7 THEN d.date || '-01' ELSE d.date END"
LAST_DAY = "CASE length(d.date) WHEN 4 THEN d.date || '-12-31' WHEN 7 THEN date(d.date || '-01', '+1 month', '-1 day') ELSE d.date END"


def test_the_rule_in_sql_agrees_with_date_within():
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE documents(date TEXT)")
    conn.executemany("INSERT INTO documents VALUES (?)", [(v,) for v in STORED])
    for since, until in BOUNDS:
        lo, hi = since or "0000-01-01", until or "9999-12-31"
        strict = {r[0] for r in conn.execute(f"SELECT d.date FROM documents d WHERE ({FIRST_DAY}) >= ? AND ({LAST_DAY}) <= ?", (lo, hi))}
        loose = {r[0] for r in conn.execute(f"SELECT d.date FROM documents d WHERE ({LAST_DAY}) >= ? AND ({FIRST_DAY}) <= ?", (lo, hi))}
        assert strict == {v for v in STORED if date_within(v, since, until)}, (since, until)
        assert loose == {v for v in STORED if date_within(v, since, until, include_imprecise=True)}, (since, until)
        for v in STORED:
            assert conn.execute(f"SELECT {FIRST_DAY}, {LAST_DAY} FROM documents d WHERE d.date = ?", (v,)).fetchone() == date_range(v)[:2]
