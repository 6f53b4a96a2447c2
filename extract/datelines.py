"""Datelines: is a line only a date (and time), and which ISO date does it hold.

    is_dateline(core) -> bool            # "Apr 3", "Thu 3 April 2025 10:15 BST", "Published: 2025-04-03"
    iso_from_dateline(s) -> str          # "2025-04-03"; "--04-03" when the year is missing; else ""
    AGENCY_DATELINE                      # "MOSCOW, April 3 (Reuters) -" opening a story (group "date")

Used by `extract.clean` (the "dateline" reason and `Cleaned.published`) and `extract.dates`.
"""

from __future__ import annotations

import re

__all__ = ["AGENCY_DATELINE", "is_dateline", "iso_from_dateline"]

_I = re.IGNORECASE
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|2\d\d\d)"
_TIME = (
    r"(?:at\s+)?[0-2]?\d[:.]\s?[0-5]\d(?:[:.][0-5]\d)?(?:\s*[ap]\.?\s?m\b\.?)?"
    r"(?:\s+(?-i:[A-Z]{2,5})(?:[+-]\d{1,2}(?::?\s?\d\d)?)?)?"
    r"(?:\s*\((?-i:[A-Z]{2,5})[+-]\d{1,2}(?::?\s?\d\d)?\))?"
)
_DATE_ALTS = [
    rf"{_MONTH}\s+{_DAY}(?:\s*[,-]?\s*{_YEAR})?",
    rf"{_DAY}\s+(?:of\s+)?{_MONTH}(?:\s*,?\s*{_YEAR})?",
    rf"{_MONTH}\s+{_YEAR}",
    r"\d{4}-\d\d-\d\d(?:[t ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:z|[+-]\d\d:?\d\d)?)?",
    r"[0-3]?\d\s?[/.]\s?[0-3]?\d\s?[/.]\s?(?:\d\d)?\d\d",
    r"\d{4}\.\s?[01]?\d\.\s?[0-3]?\d",
    rf"{_MONTH}-[0-3]?\d-\d\d",
    r"\d+\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago",
    r"(?:yesterday|today|just now)",
]
_DATE_PIECE = rf"(?:{'|'.join(_DATE_ALTS)})"
# a dateline is read piece by piece (no nested repetition in one regex: no catastrophic backtracking)
_DATE_PREFIX = re.compile(
    r"(?:(?:article\s+)?(?:first\s+|last\s+)?(?:published|updated|posted|modified|edited|date)(?:\s+time)?"
    r"(?:\s+(?:on|at))?\s*:?\s*)?",
    _I,
)
_DATE_TOKEN = re.compile(
    rf"(?:(?P<date>{_DATE_PIECE})|(?P<time>{_TIME})|{_WEEKDAY}|(?:last\s+)?(?:published|updated|posted|edited)"
    r"(?:\s+(?:on|at))?\s*:?|on|at|@)(?!\w)",
    _I,
)
_DATE_SEP = re.compile(r"[\s,;|•·–—-]*")


def is_dateline(core: str) -> bool:
    """Is `core` nothing but dates, times and weekdays (at least one date; or a time after "Updated")?"""
    pos = _DATE_PREFIX.match(core).end()
    prefixed = pos > 0
    end = len(core)
    has_date = False
    while pos < end:
        m = _DATE_TOKEN.match(core, pos)
        if not m or m.end() == pos:
            return False
        has_date = has_date or m.group("date") is not None or (prefixed and m.group("time") is not None)
        pos = _DATE_SEP.match(core, m.end()).end()
    return has_date


_DATE_MDY = re.compile(rf"^(?:.*?\b)?(?P<mon>{_MONTH})\s+(?P<day>{_DAY})(?:\s*,?\s*(?P<year>{_YEAR}))?\b", _I)
_DATE_DMY = re.compile(rf"^(?:.*?\b)?(?P<day>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONTH})(?:\s*,?\s*(?P<year>{_YEAR}))?\b", _I)
_DATE_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d\d)-(?P<day>\d\d)\b")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


# "MOSCOW, April 3 (Reuters) -", "KYIV, Ukraine, Apr 3, 2025 (AP) —": a place in capitals, a date, maybe an agency
AGENCY_DATELINE = re.compile(
    rf"^[A-Z][A-Z.'’ -]{{1,30}}(?:,\s*[A-Z][\w.'’ -]{{0,30}})?,\s*(?P<date>(?i:{_MONTH})\s+{_DAY}(?:\s*,?\s*{_YEAR})?|"
    rf"{_DAY}\s+(?i:{_MONTH})(?:\s*,?\s*{_YEAR})?)\s*(?:\([^()]{{1,30}}\))?\s*[-–—]"
)


def iso_from_dateline(s: str) -> str:
    """The ISO date a dateline holds ("Apr 3, 2025" -> "2025-04-03"; "--04-03" with no year), else ""."""
    m = _DATE_ISO.search(s)
    if m:
        return f"{m['year']}-{m['mon']}-{m['day']}"
    m = _DATE_MDY.match(s) or _DATE_DMY.match(s)
    if not m:
        return ""
    mon = _MONTHS.index(m["mon"][:3].lower()) + 1
    day = int(re.match(r"\d+", m["day"]).group())
    if not 1 <= day <= 31:
        return ""
    return f"{m['year']}-{mon:02d}-{day:02d}" if m["year"] else f"--{mon:02d}-{day:02d}"
