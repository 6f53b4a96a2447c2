"""Conflicts on real sentences through the real pipeline (spaCy, claim extraction, linking): weekdays
against the publication day, number words as intervals, compatible bounds, places inside their country,
people in one role. Each test builds two short articles by two outlets on one story."""

from __future__ import annotations

import pytest

from claimdesk.extract.places import exclusive
from claimdesk.extract.when import resolve
from links_fixtures import links_from


def _links(nlp, *bodies: str, published: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    """(relation, reason, the other claim's text) of every link from the first article's claims."""
    return links_from(nlp, *bodies, published=published)


def _conflicts(nlp, *bodies, published=()) -> list[str]:
    return [reason for rel, reason, _ in _links(nlp, *bodies, published=published) if rel == "conflicts"]


# -------------------------------------------------------------------- days and weekdays


def test_weekdays_resolved_against_the_publication_day_conflict(nlp):
    # published Thursday 14 and Friday 15 March 2024: "Wednesday" is the 13th, "Thursday" the 14th
    found = _conflicts(
        nlp,
        "Police in Leeds arrested the jeweller Daniel Marsh on Wednesday after a raid on his shop in Briggate.",
        "Police in Leeds arrested the jeweller Daniel Marsh on Thursday after a raid on his shop in Briggate.",
        published=("2024-03-14", "2024-03-15"),
    )
    assert found == ["Wednesday (Mar 13) vs Thursday (Mar 14) (arrest)"]


def test_yesterday_and_a_weekday_that_are_one_day_do_not_conflict(nlp):
    links = _links(
        nlp,
        "Police in Leeds arrested the jeweller Daniel Marsh yesterday after a raid on his shop in Briggate.",
        "Police in Leeds arrested the jeweller Daniel Marsh on Wednesday after a raid on his shop in Briggate.",
        published=("2024-03-14", "2024-03-15"),
    )
    assert links and all(rel == "supports" for rel, _reason, _other in links)


def test_weekdays_without_a_publication_day_are_compared_as_weekdays(nlp):
    found = _conflicts(
        nlp,
        "Police in Leeds arrested the jeweller Daniel Marsh on Wednesday after a raid on his shop in Briggate.",
        "Police in Leeds arrested the jeweller Daniel Marsh on Thursday after a raid on his shop in Briggate.",
    )
    assert found == ["Wednesday vs Thursday (arrest)"]


@pytest.mark.parametrize(
    ("text", "value", "published", "expected"),
    [
        ("Wednesday", "", "2024-03-14", "2024-03-13"),
        ("Thursday night", "", "2024-03-14", "2024-03-14"),  # the publication day itself
        ("last Thursday", "", "2024-03-14", "2024-03-07"),
        ("next Monday", "", "2024-03-14", "2024-03-18"),
        ("yesterday", "", "2024-03-14", "2024-03-13"),
        ("three days ago", "", "2024-03-14", "2024-03-11"),
        ("last week", "", "2024-03-14", "2024-03-04/2024-03-10"),
        ("last month", "", "2024-01-10", "2023-12"),
        ("December 30", "--12-30", "2025-01-02", "2024-12-30"),  # the nearer year
        ("Wednesday", "", "", ""),  # no publication day: nothing guessed
        ("the week after the election", "", "2024-03-14", ""),
        ("March 3, 2011", "2011-03-03", "2024-03-14", "2011-03-03"),
    ],
)
def test_relative_dates_resolved(text, value, published, expected):
    assert resolve(text, value, published) == expected


# -------------------------------------------------------------------- figures


def test_a_dozen_against_thirty_conflicts(nlp):
    found = _conflicts(
        nlp,
        "About a dozen people were killed when a car bomb exploded outside the Interior Ministry in Kabul on Monday.",
        "Thirty people were killed when a car bomb exploded outside the Interior Ministry in Kabul on Monday.",
    )
    assert found == ["About a dozen vs Thirty (people)"]


def test_eight_against_nine_conflicts(nlp):
    found = _conflicts(
        nlp,
        "Eight people died when a bus carrying pilgrims plunged into a ravine near Cusco on Sunday.",
        "Nine people died when a bus carrying pilgrims plunged into a ravine near Cusco on Sunday.",
    )
    assert found == ["Eight vs Nine (people)"]


@pytest.mark.parametrize(
    "theirs",
    [
        "At least 240 people died in the floods that swept Sindh province in Pakistan last week.",
        "Hundreds of people died in the floods that swept Sindh province in Pakistan last week.",
    ],
)
def test_compatible_bounds_and_number_words_do_not_conflict(nlp, theirs):
    links = _links(nlp, "270 people died in the floods that swept Sindh province in Pakistan last week.", theirs)
    assert links and not [reason for rel, reason, _ in links if rel == "conflicts"]


# -------------------------------------------------------------------- places and people


def test_a_city_inside_its_country_is_not_a_conflict(nlp):
    links = _links(
        nlp,
        "A magnitude 6.1 earthquake struck Tehran on Monday, killing 12 people and injuring hundreds, officials said.",
        "A magnitude 6.1 earthquake struck Iran on Monday, killing 12 people and injuring hundreds, officials said.",
    )
    assert links and not [reason for rel, reason, _ in links if rel == "conflicts"]
    assert not exclusive("Tehran", "Iran") and not exclusive("Hollywood", "Los Angeles")


def test_one_event_in_two_countries_conflicts(nlp):
    found = _conflicts(
        nlp,
        "A magnitude 6.1 earthquake struck Tehran on Monday, killing 12 people and injuring hundreds, officials said.",
        "A magnitude 6.1 earthquake struck Lisbon on Monday, killing 12 people and injuring hundreds, officials said.",
    )
    assert found == ["Tehran vs Lisbon (strike)"]


def test_one_office_held_by_two_people_conflicts(nlp):
    found = _conflicts(
        nlp,
        "The Philadelphia 76ers fired coach Maurice Cheeks on Saturday after a 9-14 start to the season.",
        "The Philadelphia 76ers fired coach Jim O'Brien on Saturday after a 9-14 start to the season.",
    )
    assert found == ["coach: Maurice Cheeks vs Jim O'Brien"]


def test_two_sources_for_one_fact_are_not_a_conflict(nlp):
    links = _links(
        nlp,
        "The 76ers fired coach Maurice Cheeks on Saturday, general manager Ed Stefanski said.",
        "The 76ers fired coach Maurice Cheeks on Saturday, team president Ed Snider said.",
    )
    assert links and not [reason for rel, reason, _ in links if rel == "conflicts"]
