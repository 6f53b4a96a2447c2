"""Numbers and dates in claim text, normalised.

Pure Python (no spaCy): `parse_quantities(text, offset)` finds counts, percentages, money, distances
and age ranges in a piece of text; `normalise_date(text)` turns a date expression (as spaCy's
DATE entities give them) into an ISO-like string.

Decisions (documented, tested):
- years (a bare 1800-2199 without a unit) and day numbers after a month name are dates, not quantities;
- a number followed by a time unit ("three years ago", "the next three years") is a duration: skipped,
  except ages ("18 to 30 years old", "aged 18-30", "between the ages of 18 and 30": unit "year");
- a bare "one" (and "a"/"an") is not a quantity ("one of the largest", "one thing"); "one million" is;
- number words are read by text2num, compounds included ("twenty-five", "two hundred and fifty");
- vague amounts are intervals, approx=True: "a dozen" 12, "two dozen" 24, "half a dozen" 6, "a handful"
  2-6, "dozens" 24-99, "hundreds" 200-999, "thousands" 2,000-9,999, "tens of thousands" 20,000-99,999,
  "hundreds of thousands", "millions"; ratios ("twice as high") are left out;
- "more than", "over", "at least", "nearly", "approximately", "around", "about", "almost", "roughly",
  "approaching", "up to", "some", "an estimated" set approx=True.
"""

from __future__ import annotations

import re

from text_to_num import text2num

from claimdesk.extract.model import Quantity

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a": 1, "an": 1,
}  # fmt: skip
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
_UNITS = {
    "%": "%", "percent": "%", "per cent": "%", "percentage points": "pp",
    "km": "km", "kilometers": "km", "kilometres": "km", "kilometer": "km", "kilometre": "km",
    "mile": "mile", "miles": "mile", "m": "m", "meters": "m", "metres": "m",
    "kg": "kg", "tons": "t", "tonnes": "t",
}  # fmt: skip
_CURRENCY = {"$": "$", "€": "€", "£": "£", "US$": "$"}
_CURRENCY_WORDS = {"dollars": "$", "euros": "€", "pounds": "£", "rubles": "RUB", "roubles": "RUB", "hryvnias": "UAH"}
_TIME_UNITS = r"(?:years?|months?|weeks?|days?|decades?|hours?|minutes?|centur(?:y|ies))"
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_APPROX = (
    r"more\s+than|over|at\s+least|nearly|approximately|around|about|almost|roughly|approaching|"
    r"up\s+to|some|an\s+estimated|close\s+to|as\s+many\s+as|just\s+over|just\s+under|fewer\s+than|less\s+than|"
    r"under|upwards\s+of|in\s+excess\s+of"
)

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_W_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_W_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_W_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_W_TU = rf"(?:{_W_TENS})(?:[-\s](?:{_W_UNITS})\b)?|(?:{_W_TEENS})|(?:{_W_UNITS})"
# "two hundred and fifty", "twenty-five", "nineteen", "eight" (longest first)
_WORDNUM = rf"(?:(?:(?:{_W_UNITS})\s+hundred(?:\s+(?:and\s+)?(?:{_W_TU}))?)|{_W_TU}|hundred)"
_NUM = rf"(?:{_DIGITS}|{_WORDNUM}|an?(?=\s+(?:million|billion|trillion|thousand|hundred)\b))"
_SCALE = r"(?:\s+(?:hundred|thousand|million|billion|trillion)|\s?(?:bn|m)\b(?!\s*(?:km|\w)))"
_UNIT = (
    r"(?:\s?%|\s+per\s?cent\b|\s+percentage\s+points\b|\s?-?(?:km|kilomet(?:er|re)s?|miles?|kg|tonnes|tons)\b"
    r"|\s+(?:dollars|euros|pounds|rubles|roubles|hryvnias)\b)"
)

_NUMBER_RE = re.compile(
    rf"(?P<approx>\b(?:{_APPROX})\s+)?"
    rf"(?P<cur>US\$|[$€£])?(?P<num>(?<![\w.,:/]){_NUM})(?P<scale>{_SCALE})?(?P<unit>{_UNIT})?(?![\w]|[:/.,]\d)",
    re.IGNORECASE,
)
# Age ranges: "between the ages of 18 and 30", "between 18 and 30 years old", "aged 18-30", "aged 18 to 30",
# "ages 18-30"; generic ranges "18-30" / "18–30" (both plain numbers, not years).
_AGE_RANGE_RE = re.compile(
    r"(?P<pre>between\s+the\s+ages\s+of\s+|aged\s+(?:between\s+)?|ages\s+(?:of\s+)?(?:between\s+)?|between\s+)"
    r"(?P<lo>\d{1,3})(?P<sep>\s*(?:-|–|—|to|and)\s*)(?P<hi>\d{1,3})(?P<post>\s+years?(?:\s+old|\s+of\s+age)?)?\b",
    re.IGNORECASE,
)
_PLAIN_RANGE_RE = re.compile(r"(?<![\w.,-])(?P<lo>\d{1,3}(?:,\d{3})*)\s?[-–](?P<hi>\d{1,3}(?:,\d{3})*)(?![\w.,-]|\s*-)")
_DATE_CONTEXT_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$", re.IGNORECASE)
_TIME_AFTER = re.compile(rf"^[\s-]+{_TIME_UNITS}\b", re.IGNORECASE)
_VAGUE_AFTER = re.compile(r"^\s+of\b", re.IGNORECASE)  # "one of the largest", "two of them" -> not counts


# vague amounts: (pattern, low, high or None); "a dozen" is about 12, "dozens" 24 to 99
_VAGUE = (
    (r"hundreds\s+of\s+thousands", 200_000, 999_999), (r"tens\s+of\s+thousands", 20_000, 99_999),
    (r"half\s+a\s+dozen", 6, None), (r"(?:a|one)\s+dozen", 12, None), (r"two\s+dozen", 24, None),
    (r"three\s+dozen", 36, None), (r"dozens", 24, 99), (r"hundreds", 200, 999), (r"thousands", 2_000, 9_999),
    (r"millions", 2_000_000, 999_999_999), (r"a\s+handful", 2, 6),
)  # fmt: skip
_VAGUE_RE = re.compile(
    rf"(?P<approx>\b(?:{_APPROX})\s+)?(?<![\w-])(?P<v>" + "|".join(f"(?:{p})" for p, _, _ in _VAGUE) + r")(?![\w-])",
    re.IGNORECASE,
)
_VAGUE_VALUES = [(re.compile(p + "$", re.IGNORECASE), lo, hi) for p, lo, hi in _VAGUE]


def is_vague(q: Quantity) -> bool:
    """A number word for an interval ("thousands", "a dozen"): a figure, but no statistic."""
    return q.approx and bool(_VAGUE_RE.fullmatch(q.text))


def _number_value(num: str) -> float | None:
    low = " ".join(num.lower().split())
    if low in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[low])
    if low[:1].isalpha():
        try:
            return float(text2num(low.replace("-", " "), "en"))
        except ValueError:
            return None
    try:
        return float(num.replace(",", ""))
    except ValueError:
        return None


def _is_year(num: str, value: float) -> bool:
    return "," not in num and "." not in num and num.isdigit() and len(num) == 4 and 1800 <= value <= 2199


def parse_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Every quantity in `text`; offsets are `offset` + position in `text` (so text[start-offset:end-offset])."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _AGE_RANGE_RE.finditer(text):
        pre, post = m.group("pre").lower(), m.group("post")
        between = pre.startswith("between")
        sep = m.group("sep").strip().lower()
        if between != (sep == "and"):
            continue  # "between 18 and 30" / "aged 18 to 30", not "between 18 to 30"
        lo, hi = float(m.group("lo")), float(m.group("hi"))
        if hi <= lo:
            continue
        is_age = "age" in pre or bool(post)
        a = m.start() if between else m.start("lo")
        b = m.end()
        found.append(Quantity(text[a:b], offset + a, offset + b, lo, hi, "year" if is_age else "", False))
        taken.append((a, b))

    for m in _PLAIN_RANGE_RE.finditer(text):
        a, b = m.span()
        if not free(a, b):
            continue
        lo, hi = float(m.group("lo").replace(",", "")), float(m.group("hi").replace(",", ""))
        if hi <= lo or _is_year(m.group("lo"), lo) or _DATE_CONTEXT_BEFORE.search(text[:a]):
            continue
        if _TIME_AFTER.match(text[b:]):
            continue
        before = text[max(0, a - 12) : a].lower()
        unit = "year" if re.search(r"\bage[ds]?\s*$", before) else ""
        found.append(Quantity(text[a:b], offset + a, offset + b, lo, hi, unit, False))
        taken.append((a, b))

    for m in _VAGUE_RE.finditer(text):
        a, b = m.span()
        if m.group("approx"):
            a = m.start("approx")
        if not free(a, b):
            continue
        lo, hi = next((lo, hi) for pat, lo, hi in _VAGUE_VALUES if pat.match(m.group("v")))
        if hi is None and re.match(r"^\s+(?:hundred|thousand|million|billion)\b", text[b:], re.IGNORECASE):
            continue  # "a dozen thousand": not a count we read
        found.append(Quantity(text[a:b], offset + a, offset + b, float(lo), float(hi) if hi else None, "", True))
        taken.append((m.start("v"), b))

    for m in _NUMBER_RE.finditer(text):
        num = m.group("num")
        a, b = m.span()
        if m.group("approx"):
            a = m.start("approx")
        if not free(m.start("num"), m.end("num")):
            continue
        value = _number_value(num)
        if value is None:
            continue
        scale, unit_raw, cur = m.group("scale"), m.group("unit"), m.group("cur")
        rest = text[m.end() :]
        if not scale and not unit_raw and not cur:
            low = num.lower()
            if low in ("one", "a", "an"):
                continue
            if _is_year(num, value):
                continue
            if _DATE_CONTEXT_BEFORE.search(text[: m.start("num")]):
                continue  # "July 15", "Apr 3"
            if _TIME_AFTER.match(rest) or re.match(r"^(?:st|nd|rd|th)\b", rest):
                continue  # a duration or an ordinal
            if _VAGUE_AFTER.match(rest) and not num[0].isdigit():
                continue
            if re.match(r"^\s*(?:-|–)\s*(?:year|month|week|day)", rest, re.IGNORECASE):
                continue  # "three-year" plan: a duration
        if scale:
            value *= _SCALES[scale.strip().lower()]
        unit = ""
        if cur:
            unit = _CURRENCY[cur]
        if unit_raw:
            key = re.sub(r"\s+", " ", unit_raw.strip(" -").lower())
            unit = _UNITS.get(key) or _CURRENCY_WORDS.get(key, key)
        approx = bool(m.group("approx"))
        found.append(Quantity(text[a:b], offset + a, offset + b, value, None, unit, approx))
        taken.append((m.start("num"), b))

    found.sort(key=lambda q: (q.start, q.end))
    return found


# ---------------------------------------------------------------- dates

_MONTH_NUM = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_RE = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_D_MONTH_DAY_YEAR = re.compile(rf"^{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?$", re.I)
_D_DAY_MONTH_YEAR = re.compile(rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}(?:,?\s+(?P<year>\d{{4}}))?$", re.I)
_D_MONTH_YEAR = re.compile(rf"^(?:early\s+|mid-?\s*|late\s+)?{_MONTH_RE}(?:,?\s+(?:of\s+)?(?P<year>\d{{4}}))?$", re.I)
_D_YEAR = re.compile(r"^(?:early\s+|mid-?\s*|late\s+)?(?P<year>(?:1[89]|2[01])\d\d)$")
_D_ISO = re.compile(r"^(?P<year>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?$")
_D_RANGE = re.compile(r"^(?:between\s+|from\s+)?(?P<a>.+?)\s+(?:to|and|until|through|-|–)\s+(?P<b>.+)$", re.I)
_LEADING = re.compile(r"^(?:the\s+|on\s+|in\s+|since\s+|by\s+|until\s+|through\s+)+", re.I)


def _month(name: str) -> int:
    return _MONTH_NUM[name.lower()[:3]]


def _single_date(text: str) -> str:
    t = _LEADING.sub("", text.strip()).strip(" ,.")
    if m := _D_ISO.match(t):
        return t
    if m := _D_MONTH_DAY_YEAR.match(t) or _D_DAY_MONTH_YEAR.match(t):
        mon, day, year = _month(m.group("mon")), int(m.group("day")), m.group("year")
        if not 1 <= day <= 31:
            return ""
        return f"{year}-{mon:02d}-{day:02d}" if year else f"--{mon:02d}-{day:02d}"
    if m := _D_MONTH_YEAR.match(t):
        mon, year = _month(m.group("mon")), m.group("year")
        return f"{year}-{mon:02d}" if year else f"--{mon:02d}"
    if m := _D_YEAR.match(t):
        return m.group("year")
    return ""


def normalise_date(text: str) -> str:
    """ "April 1" -> "--04-01", "December 2024" -> "2024-12", "2022" -> "2022", "since 2011" -> "2011",
    "April to July" -> "--04/--07"; "" when it cannot be normalised ("Tuesday", "last August")."""
    t = re.sub(r"\s+", " ", text.strip())
    single = _single_date(t)
    if single:
        return single
    if m := _D_RANGE.match(_LEADING.sub("", t)):
        a, b = _single_date(m.group("a")), _single_date(m.group("b"))
        if a and b:
            return f"{a}/{b}"
    return ""


def is_since(preceding: str, text: str) -> bool:
    """True for "since 2011" (the word before the date, or the date's own first word)."""
    return preceding.lower() == "since" or text.lower().startswith("since ")

