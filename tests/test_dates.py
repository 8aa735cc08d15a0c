"""Dates in the formats publishers use; a year is never guessed."""
from __future__ import annotations

import pytest

from corpus.dates import find_full_date, find_month_day, parse_given_date, year_evidence


@pytest.mark.parametrize("text, iso", [
    ("2025-01-18 China Daily Editor:Li Yan", "2025-01-18"),
    ("17:15, Monday, 22 February, 2021", "2021-02-22"),
    ("Published: March 5, 2020 08:00", "2020-03-05"),
    ("Sept. 3, 2019", "2019-09-03"),
    ("Tue, 1 Feb 2022", "2022-02-01"),
    ("2019/05/11", "2019-05-11"),
    ("2019.5.11", "2019-05-11"),
    ("2019\u5e745\u670811\u65e5", "2019-05-11"),
    ("see 2020/13/40, then 2020/12/31", "2020-12-31"),  # an impossible date is passed over
])
def test_full_dates(text, iso):
    assert find_full_date(text).iso == iso


@pytest.mark.parametrize("text", ["31 June 2020", "January 25", "in 2021", "", "2021-02-30"])
def test_no_full_date(text):
    assert find_full_date(text) is None


def test_earliest_date_in_text_wins():
    found = find_full_date("Updated 3 March 2021; first published 2021-02-01")
    assert (found.iso, found.start) == ("2021-03-03", 8)


def test_month_day_without_year():
    assert find_month_day("WASHINGTON, January 25.")[:2] == (1, 25)
    assert find_month_day("MOSCOW, 7 Nov.")[:2] == (11, 7)
    assert find_month_day("nothing here") is None


def test_year_evidence_ignores_targets_and_numbers():
    assert year_evidence("In 2019 we met. By 2030 we will. Until 2035 at least.") == 2019
    assert year_evidence("the year 2025 marked the 80th anniversary; 2015 too") == 2025
    assert year_evidence("no years, only 12345 and room 1/2/2020") is None
    assert year_evidence("") is None


@pytest.mark.parametrize("value, iso", [
    ("2020-02-03", "2020-02-03"), ("2020-02-03T10:00:00Z", "2020-02-03"), ("5 May 2019", "2019-05-05"),
    ("2020-02-30", None), ("garbage", None), ("  ", None), ("2019", "2019"),  # a year is a date at year precision (issue 14)
])
def test_parse_given_date(value, iso):
    assert parse_given_date(value) == iso
