"""Dates of a claim placed in time by the article's publication day.

    resolve(text, value, published) -> str   # an ISO value for the DATE entity `text`, or `value` as it was

News writes days relative to when it is published: in an article of Thursday 2024-03-14, "on Wednesday"
is 2024-03-13, "yesterday" too, "last week" is 2024-03-04/2024-03-10, "last month" 2024-02, "this year"
2024, and "March 3" (no year) 2024-03-03. Conventions (those of news writing):

- a bare weekday is the most recent one, the publication day included ("Thursday" in a Thursday's paper
  is that day); "last Wednesday" the one before the publication day; "next Wednesday" / "this coming
  Wednesday" the first one after it;
- a day without a year takes the year that puts it within six months of the publication day;
- nothing is guessed without a publication day to the day (a weekday alone is then compared as a
  weekday only, see extract.facts), and a value the text already fixes ("March 3, 2011") is kept.
"""

from __future__ import annotations

import datetime as dt
import re

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(?:(?P<rel>last|next|this\s+coming|this|past)\s+)?(?P<day>" + "|".join(_WEEKDAYS) + r")\b", re.I)
_SHIFT = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
_SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1}
_AGO = re.compile(r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|a)\s+days?\s+ago\b", re.I)
_PERIOD = re.compile(r"\b(?P<rel>last|this|next|past)\s+(?P<unit>week|month|year)\b", re.I)
_ONLY = re.compile(
    r"^(?:(?:on|the|early|late|in|by|from|this|last|next|past|coming|morning|afternoon|evening|night|"
    r"overnight|day|week|month|year|days?|ago|\d{1,2}|one|two|three|four|five|six|seven|a|"
    + "|".join(_WEEKDAYS) + r"|yesterday|today|tonight|tomorrow)\b[\s,.'’s]*)+$",
    re.I,
)


def _day(published: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(published[:10]) if len(published) >= 10 else None
    except ValueError:
        return None


def resolve(text: str, value: str, published: str) -> str:
    """`text`'s date as ISO against the publication day `published` (ISO); `value` (the date as the
    text alone gives it, "" if none) when there is nothing to resolve or no publication day."""
    pub = _day(published)
    if pub is None:
        return value
    if value:
        if value.startswith("--") and len(value) == 7:  # "--03-03": the year that puts it nearest
            return _with_year(int(value[2:4]), int(value[5:7]), pub) or value
        return value
    t = " ".join(text.split())
    if not _ONLY.match(t):
        return ""  # more than a relative day ("the week after the election"): not guessed
    low = t.lower()
    for word, shift in _SHIFT.items():
        if re.search(rf"\b{word}\b", low):
            return (pub + dt.timedelta(days=shift)).isoformat()
    if m := _AGO.search(low):
        n = m.group("n")
        days = int(n) if n.isdigit() else _SMALL[n]
        return (pub - dt.timedelta(days=days)).isoformat()
    if m := _WEEKDAY.search(low):
        want = _WEEKDAYS.index(m.group("day"))
        rel = " ".join((m.group("rel") or "").split())
        back = (pub.weekday() - want) % 7
        if rel in ("next", "this coming"):
            return (pub + dt.timedelta(days=(want - pub.weekday()) % 7 or 7)).isoformat()
        if rel in ("last", "past"):
            back = back or 7
        return (pub - dt.timedelta(days=back)).isoformat()
    if m := _PERIOD.search(low):
        rel, unit = m.group("rel"), m.group("unit")
        step = {"last": -1, "past": -1, "this": 0, "next": 1}[rel]
        if unit == "year":
            return str(pub.year + step)
        if unit == "month":
            month = pub.month - 1 + step
            return f"{pub.year + month // 12}-{month % 12 + 1:02d}"
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=step)
        return f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}"
    return ""


def _with_year(month: int, day: int, pub: dt.date) -> str:
    best = None
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((when - pub).days) < abs((best - pub).days):
            best = when
    return best.isoformat() if best is not None and abs((best - pub).days) <= 183 else ""
