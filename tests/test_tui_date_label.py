"""Stored ISO 8601 dates as the screen shows them (sources pane, evidence)."""

from __future__ import annotations

from claimdesk.tui.date_label import date_label


def test_reduced_iso_dates_read_as_words():
    assert date_label("--04-03") == "Apr 3"  # a dateline's "April 3": no year known
    assert date_label("2024-08") == "Aug 2024"


def test_full_dates_years_and_the_unknown_are_shown_as_stored():
    assert date_label("2024-04-03") == "2024-04-03"
    assert date_label("2011") == "2011"
    assert date_label("") == ""
    assert date_label("--13-40") == "--13-40"  # not a date: shown as given, never guessed
