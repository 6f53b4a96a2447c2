"""How a stored ISO 8601 date reads on screen.

Dates are stored in ISO 8601 forms, including the reduced ones a dateline gives: "--04-03" (a
month and day without a year) or "2024-04" (a month). Those read badly in a narrow pane, so the
screen shows "Apr 3" and "Apr 2024"; a full date or a year is shown as stored.
"""

from __future__ import annotations

import calendar
import re

_MONTH_DAY = re.compile(r"--(\d\d)-(\d\d)")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d\d)")


def date_label(iso: str) -> str:
    """`iso` as a reviewer reads it ("" stays ""; anything unrecognised is shown as given)."""
    text = iso.strip()
    if match := _MONTH_DAY.fullmatch(text):
        month, day = int(match[1]), int(match[2])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{calendar.month_abbr[month]} {day}"
    elif match := _YEAR_MONTH.fullmatch(text):
        month = int(match[2])
        if 1 <= month <= 12:
            return f"{calendar.month_abbr[month]} {match[1]}"
    return text
