"""Publication dates to ISO 8601: `normalise_date("14/03/2024") == "2024-03-14"`.

    normalise_date(raw) -> str   # "YYYY-MM-DD", "YYYY-MM", "YYYY", "--MM-DD" (no year given) or ""

A date is kept to the day (the time of day and zone are dropped: the linker compares days). Forms, tried in
order: ISO 8601 already (``2025-04-01``, ``2025-04-01T09:30:00Z``, ``2025-04``); a dateline as the cleaner
reads it (``Apr 3, 2025``, ``Thu 3 April 2025``, ``April 3`` -> ``--04-03``); anything else through
`dateparser` with absolute forms only (``14/03/2024``, ``Tue, 01 Apr 2025 09:30:00 GMT``, ``1 avril 2025``)
- relative ones ("yesterday", "3 hours ago") mean nothing once stored, so they give "". A day-first reading
is used when the first number cannot be a month (``14/03/2024``), else month-first as dateparser does.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from claimdesk.extract.datelines import iso_from_dateline

__all__ = ["normalise_date"]

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_YEAR = re.compile(r"^\d{4}$")
_NO_YEAR = re.compile(r"^--(\d{2})-(\d{2})$")
_DATEPARSER_SETTINGS = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def normalise_date(raw: str) -> str:
    """`raw` as an ISO 8601 date (see the module doc); "" when it is no date or a relative one."""
    s = " ".join(raw.split())
    if not s or len(s) > 100:
        return ""
    m = _ISO_DAY.match(s)
    if m:
        return _checked(int(m[1]), int(m[2]), int(m[3]))
    m = _ISO_MONTH.match(s)
    if m:
        return s if 1 <= int(m[2]) <= 12 else ""
    if _ISO_YEAR.match(s):
        return s
    m = _NO_YEAR.match(s)
    if m:
        return s if _checked(2000, int(m[1]), int(m[2])) else ""
    found = iso_from_dateline(s)
    if found:
        return found
    return _parsed(s)


def _checked(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


@lru_cache(maxsize=1024)
def _parsed(s: str) -> str:
    import dateparser  # imported here: it takes a while to load, and most dates are ISO already

    try:
        when = dateparser.parse(s, settings=_DATEPARSER_SETTINGS)
    except (ValueError, OverflowError, TypeError):  # dateparser raises on some odd strings
        return ""
    if not isinstance(when, datetime) or not 1000 <= when.year <= 9999:
        return ""
    return when.date().isoformat()
