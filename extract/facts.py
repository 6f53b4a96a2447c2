"""Figures, dates and titles of claims, normalised for comparison (pure Python over `Claim` fields).

- A figure (`Figure`) is an interval: "over 100,000" -> [100000, inf), "18-30" -> [18, 30], "about 1.5
  million" -> [1.35M, 1.65M], "nearly 2.39 million" -> [2.15M, 2.39M], with the counted noun that follows
  it ("160,000 *men*"; a nationality word is an adjective, "Russian soldiers", unless plural, "160,000
  Russians": people). Two figures are `equal`, or `compatible` (both can be true: "at least 240" and 270),
  or disagree.
- A date (`DateSpan`) is a span: "April to July" holds "April 1"; "since 2011" stands apart.
- An office ("former president") says whether a title is held now.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass

from claimdesk.extract.model import Claim

EQUAL_TOL = 0.005  # two figures this close (relative) are one

# -------------------------------------------------------------------- quantities

_LOWER_CUES = (
    "over", "just over", "more than", "at least", "above", "exceeding", "upwards of", "in excess of",
)  # fmt: skip
_UPPER_CUES = ("under", "less than", "fewer than", "up to", "at most", "below", "no more than")
_NEAR_CUES = ("nearly", "almost", "close to", "just under")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NOUN_SKIP = {
    "more", "additional", "new", "active", "fresh", "extra", "other",
    "of", "the", "a", "an", "its", "their", "total", "some", "million", "billion", "thousand",
    "hundred", "percent", "per", "cent", "today", "ago", "now", "so", "far", "year", "month",
}  # fmt: skip
_FUNCTION = {  # a counted noun never comes after these: stop looking
    "in", "into", "to", "for", "from", "by", "with", "on", "at", "as", "and", "or", "but", "than",
    "was", "were", "is", "are", "be", "been", "have", "has", "had", "will", "would", "could", "that",
    "which", "who", "this", "these", "those", "over", "under", "since", "until", "through", "across",
    "up", "off", "out", "down", "per", "each", "a", "an", "between", "among", "during", "after", "before",
    "within", "against", "near", "about", "around", "without", "amid", "despite", "via", "toward", "towards",
}  # fmt: skip


_BREAK = re.compile(r"[,.;:()—–!?\"“”]")  # punctuation between a figure and a word: not its noun


def _singular(word: str) -> str:
    w = word.lower().strip("'’").replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w in ("men", "servicemen", "people"):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


@dataclass(slots=True)
class Figure:
    text: str
    value: float
    high: float | None
    unit: str
    lo: float
    hi: float
    nouns: frozenset[str]  # counted nouns after the figure, singular, with their classes
    noun: str  # the counted noun as written ("men", "troops"), for reasons
    phrase: str  # the words from the figure to that noun ("active-duty troops")
    trivial: bool  # a small bare count ("three years"): no evidence on its own
    approx: bool = False
    vague: bool = False  # a number word for an interval ("a dozen", "hundreds"): never "the same figure"


def _cue_patterns(cues: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    alternatives = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues)
    return re.compile(rf"^(?:{alternatives})\s"), re.compile(rf"\b(?:{alternatives})\s*$")


_CUES = (
    ("near", _cue_patterns(_NEAR_CUES)),
    ("lower", _cue_patterns(_LOWER_CUES)),
    ("upper", _cue_patterns(_UPPER_CUES)),
)


def _cue_bound(before: str, qtext: str) -> str:
    """Which way an approximate figure leans, from its cue ("over 100,000", "nearly 2.39 million";
    the cue is part of the figure's text or the words just before it)."""
    q = qtext.lower()
    tail = before[-24:].lower()
    for bound, (starts, ends) in _CUES:
        if starts.search(q) or ends.search(tail):
            return bound
    return "about"


def figure_of(claim: Claim, q) -> Figure:
    rel = q.start - claim.start
    rel_end = q.end - claim.start
    if 0 <= rel <= len(claim.text) and 0 <= rel_end <= len(claim.text):
        before, after = claim.text[:rel], claim.text[rel_end:]
    else:  # offsets not inside the claim: find the figure by its text
        pos = claim.text.find(q.text)
        before, after = (claim.text[:pos], claim.text[pos + len(q.text) :]) if pos >= 0 else ("", "")
    words = []
    prev = 0
    for m in _WORD.finditer(after[:40]):
        if _BREAK.search(after[prev : m.start()]) or m.group(0).lower() in _FUNCTION:
            break
        prev = m.end()
        words.append(m.group(0))
        if len(words) == 3:
            break
    # nationality words: "Russian" before a noun is an adjective (skipped); "Russians" is who is
    # counted ("160,000 more Russians": people)
    nationality = {w.lower() for e in claim.entities if e.label == "NORP" for w in e.text.split()}
    nouns: set[str] = set()
    noun = phrase = ""
    known = False
    for at, w in enumerate(words):
        s = _singular(w)
        people = w.lower() in nationality and w.lower().endswith("s")
        if not people and (w.lower() in nationality or s in _NOUN_SKIP):
            continue
        if s.endswith(("ed", "ing")):
            continue
        nouns.add(s)
        if people:
            nouns.add("=people")
            if not known:  # a known counted noun beats "active-duty"
                noun, phrase, known = w.lower(), " ".join(words[: at + 1]), True
        if not noun:
            noun, phrase = w.lower(), " ".join(words[: at + 1])
    value = float(q.value)
    high = float(q.high) if q.high is not None else None
    if high is not None:
        lo, hi = value, high
    elif q.approx:
        bound = _cue_bound(before, q.text)
        if bound == "lower":
            lo, hi = value, math.inf
        elif bound == "upper":
            lo, hi = 0.0, value
        elif bound == "near":
            lo, hi = value * 0.9, value
        else:
            lo, hi = value * 0.9, value * 1.1
    else:
        lo = hi = value
    # a small whole count ("three", "8") says little on its own; a measure written with decimals ("5.6",
    # "7.0") does
    trivial = abs(value) < 10 and not re.search(r"\d\.\d", q.text) and high is None and q.unit in ("", "year")
    if words and words[0].lower().rstrip(".") in _MONTH_WORDS:  # "(10 October 2011)": a day, not a count
        trivial, nouns, noun, phrase = True, set(), "", ""
    vague = q.approx and not any(ch.isdigit() for ch in q.text) and bool(_VAGUE_WORD.search(q.text))
    return Figure(q.text, value, high, q.unit, lo, hi, frozenset(nouns), noun, phrase, trivial, q.approx, vague)


_MONTH_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_VAGUE_WORD = re.compile(r"\b(?:dozens?|hundreds|thousands|millions|handful)\b", re.I)


def equal(a: Figure, b: Figure) -> bool:
    if a.unit != b.unit or a.vague or b.vague:
        return False
    if abs(a.value - b.value) > EQUAL_TOL * max(abs(a.value), abs(b.value), 1e-9):
        return False
    if (a.high is None) != (b.high is None):
        return False
    if a.high is None or b.high is None:
        return True
    return abs(a.high - b.high) <= EQUAL_TOL * max(abs(a.high), 1e-9)


def compatible(a: Figure, b: Figure) -> bool:
    """Can both be true? A value inside a range or bound is; two exact ranges must be equal
    ("aged 18 to 30" vs "aged 16 to 30" disagree although they overlap)."""
    if a.high is not None and b.high is not None and not (a.approx or b.approx):
        return equal(a, b)
    tol = EQUAL_TOL * max(abs(a.value), abs(b.value), 1e-9)
    return a.lo <= b.hi + tol and b.lo <= a.hi + tol


def cells(q: Figure) -> list[tuple]:
    if q.trivial or q.value <= 0:
        return []
    x = math.log10(q.value) * 2  # half-decade cells
    return [("q", q.unit, 0, math.floor(x)), ("q", q.unit, 1, math.floor(x + 0.5))]


# -------------------------------------------------------------------- dates


@dataclass(slots=True)
class DateSpan:
    """A normalised date as a span: year (or None), months [m1, m2] (or None), day (or None)."""

    text: str
    value: str
    since: bool
    year: str | None
    months: tuple[int, int] | None
    day: int | None
    weekday: int | None = None  # 0 Monday .. 6 Sunday: named in the text, or the full date's own


def _date_parts(value: str) -> tuple[str | None, int | None, int | None]:
    if value.startswith("--"):
        rest = value[2:].split("-")
        year = None
    else:
        bits = value.split("-")
        year, rest = (bits[0] if bits[0].isdigit() else None), bits[1:]
    month = int(rest[0]) if rest and rest[0].isdigit() else None
    day = int(rest[1]) if len(rest) > 1 and rest[1].isdigit() else None
    return year, month, day


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.I)


def calendar_word(text: str) -> bool:
    """A month's or a weekday's name ("May", "Sunday"), which a gazetteer may also list as a place."""
    low = text.lower().rstrip(".")
    return low in _MONTH_WORDS or low in WEEKDAYS


def weekday_named(text: str) -> int | None:
    m = _WEEKDAY.search(text)
    return WEEKDAYS.index(m.group(1).lower()) if m else None


def date_span(d) -> DateSpan:
    """The span of a DateRef: its value, else the weekday it names ("on Wednesday", no publication date)."""
    span = _span(d)
    span.weekday = weekday_named(d.text)
    if span.weekday is None and span.year is not None and span.months and span.day is not None:
        try:
            span.weekday = _dt.date(int(span.year), span.months[0], span.day).weekday()
        except ValueError:
            pass
    return span


def _span(d) -> DateSpan:
    value = d.value
    if "/" in value:  # a range: "--04/--07", "2024-12/2025-02"
        a, _, b = value.partition("/")
        ya, ma, _da = _date_parts(a)
        yb, mb, _db = _date_parts(b)
        if ya == yb and ma is not None and mb is not None and ma <= mb:
            return DateSpan(d.text, value, d.since, ya, (ma, mb), None)
        return DateSpan(d.text, value, d.since, ya if ya == yb else None, None, None)  # loose: any month
    year, month, day = _date_parts(value)
    months = (month, month) if month is not None else None
    return DateSpan(d.text, value, d.since, year, months, day)


_YEARS = re.compile(r"^(\d{4})(?:/(\d{4}))?$")


def dates_compatible(a: DateSpan, b: DateSpan) -> bool:
    if (not a.value or not b.value) and a.weekday is not None and b.weekday is not None:
        return a.weekday == b.weekday  # a weekday not placed in time: compared as a weekday
    ya, yb = _YEARS.match(a.value), _YEARS.match(b.value)
    if ya and yb and (ya.group(2) or yb.group(2)):  # "between 1989 and 1998": a span of years
        if ya.group(2) and yb.group(2):
            return a.value == b.value  # two exact spans must be one ("1989-1998" vs "1991-1998")
        (lo, hi), year = (ya.groups(), yb.group(1)) if ya.group(2) else (yb.groups(), ya.group(1))
        return lo <= year <= hi
    if a.year is not None and b.year is not None and a.year != b.year:
        return False
    if a.months is None or b.months is None:
        return True
    if a.months[1] < b.months[0] or b.months[1] < a.months[0]:
        return False
    if a.day is not None and b.day is not None and a.months == b.months:
        return a.day == b.day
    return True


def grain(d: DateSpan) -> int:
    """0: a year, 1: a month (or a span of months), 2: a day (a weekday too)."""
    if not d.value and d.weekday is not None:
        return 2
    if d.months is None:
        return 0
    return 2 if d.day is not None else 1


_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_label(d: DateSpan) -> str:
    """As written, with the day it stands for when the text does not say it: "Wednesday (Mar 13)"."""
    if d.since:
        return f"since {d.text}" if "since" not in d.text.lower() else d.text
    written_day = re.search(r"\d", d.text) and any(m.lower() in d.text.lower() for m in _MONTH_ABBR)
    if d.day is not None and d.months and not written_day:
        return f"{d.text} ({_MONTH_ABBR[d.months[0] - 1]} {d.day})"
    return d.text


# -------------------------------------------------------------------- ages

_AGE_AFTER = r"(?:\s*[,;:.)!?\u201d\"]|\s*$|\s+(?:in|on|after|of|from|following|when|while|last|this|early|late)\b)"


def ages_of(claim: Claim) -> dict[str, tuple[str, str]]:
    """Person norm -> (age as written, name as written), read four ways: "Robert Pitman, 24," / "Pitman,
    aged 30"; "16-year-old Kimani Gray"; and, for the one person a claim names, "died aged 84", "passed
    away at the age of 84", "dies at 91." (an age closing its clause: "at 6 p.m." or "at 30 homers" is
    none)."""
    people = [e for e in claim.entities if e.label == "PERSON" and e.norm]
    out: dict[str, tuple[str, str]] = {}
    ages = [q for q in claim.quantities if _may_be_age(q)]
    text = claim.text
    for e in people:
        name = re.escape(e.text)
        for q in ages:
            age = re.escape(q.text)
            if re.search(name + r"\s*,\s*(?:aged\s+)?" + age + r"\b", text):
                out.setdefault(e.norm, (q.text, e.text))
        # "16-year-old Kimani Gray" (extract.quantities reads no figure there; "the 33-year-old actress's
        # rep Jack Ketsoyan": the age is the actress's, a possessive in between ends the phrase)
        before = r"(?:(?![\w.-]*['\u2019]s?\s)[\w.'\u2019-]+\s+){0,4}?"  # up to four words, no possessive
        m = re.search(r"\b(\d{1,3})[- ]years?[- ]old\s+" + before + name + r"\b", text)
        if m is not None:
            out.setdefault(e.norm, (m.group(1), e.text))
    actors = _actors(claim)
    person = next((e for e in people if e.norm in actors), None)
    if person is not None and len(actors) == 1 and len({e.norm for e in people} - speakers(claim)) == 1:
        age = age_phrase(claim)
        if age and person.norm not in out:
            out[person.norm] = (age, person.text)
    return out


def age_phrase(claim: Claim) -> str | None:
    """The age a claim gives by "aged 84", "at the age of 84" or "at 91" closing a clause, as written."""
    lead = r"\b(?:aged|at\s+the\s+age\s+of|at\s+age|at)\s+"
    for q in claim.quantities:
        if _may_be_age(q) and re.search(lead + re.escape(q.text) + r"\b" + _AGE_AFTER, claim.text):
            return q.text
    return None


def _may_be_age(q) -> bool:
    """A single count or a number of years that a person's age could be."""
    return q.unit in ("", "year") and q.high is None and 0 < q.value < 130


def _role_entries(claim: Claim) -> tuple[set[str], list[tuple[str, str, str, str]]]:
    """The claim's event verbs, and its roles as (head, dep, label, name norm) (extract.roles and
    extract.claims ride them in `Claim.lemmas` as "v:" and "r:" entries)."""
    trig = {lem[2:] for lem in claim.lemmas if lem.startswith("v:")}
    roles = []
    for lem in claim.lemmas:
        if lem.startswith("r:"):
            head, dep, label, norm = lem[2:].split(":", 3)
            roles.append((head, dep, label, norm.replace("_", " ")))
    return trig, roles


def _actors(claim: Claim) -> set[str]:
    """Person norms that do or undergo an event verb of the claim (extract.roles, extract.claims)."""
    trig, roles = _role_entries(claim)
    return {norm for head, dep, label, norm in roles if label == "PERSON" and head in trig and dep in ("subj", "obj")}


def speakers(claim: Claim) -> set[str]:
    """Names (norms) whose every role in the claim is saying or telling (extract.roles): sources (the
    subject of a verb that is no event verb: extract.claims never makes a verb of saying one)."""
    trig, roles = _role_entries(claim)
    said: set[str] = set()
    acting: set[str] = set()
    for head, dep, _label, norm in roles:
        (said if dep == "told" or (dep == "subj" and head not in trig) else acting).add(norm)
    return said - acting


# -------------------------------------------------------------------- titles

_FORMER = re.compile(r"\b(former|ex|erstwhile|onetime|one-time)\b|^ex-", re.I)
_NO_TENSE = re.compile(r"\b(then|late|acting|interim|incoming|outgoing)\b|-elect\b", re.I)


def office(office: str) -> tuple[bool, str]:
    """(former?, head word): "former U.S. President" -> (True, "president"). An office that does not
    say whether it is held now ("then-President", "the late", "acting", "president-elect") has no
    head, so it never conflicts."""
    low = office.lower().strip()
    if _NO_TENSE.search(low):
        return False, ""
    former = bool(_FORMER.search(low))
    words = [w for w in re.findall(r"[a-z][a-z-]*", low) if w not in ("former", "ex")]
    head = words[-1] if words else ""
    return former, head.removeprefix("ex-")


def same_thing(a: Figure, b: Figure) -> bool:
    """One counted noun (or class), or, with no noun on either side, one unit ("aged 18 to 30")."""
    if a.nouns or b.nouns:
        return bool(a.nouns & b.nouns)
    return a.unit != "" and a.unit == b.unit


def figure_term(q: Figure) -> str | None:
    """The term a specific figure adds to its claim's wording ("#160000", "#km5-10"; extract.compare):
    none for a trivial one ("one", "two")."""
    if q.trivial:
        return None
    return f"#{q.unit}{q.value:g}" + (f"-{q.high:g}" if q.high else "")


def date_term(d: DateSpan) -> str | None:
    """The term a date adds to its claim's wording: a day by month and day ("#d03-11"), a span or a
    "since" year; none for a year or a month alone (no evidence of one fact)."""
    if not d.value or not (d.since or grain(d) == 2 or "/" in d.value):
        return None
    return f"#since{d.value}" if d.since else f"#d{d.value[-5:] if grain(d) == 2 else d.value}"


def figure_label(q: Figure) -> str:
    return f"{q.text} {q.phrase}".strip()


def unsettled(mine: list[Figure], theirs: list[Figure], small: bool = False, by_noun: bool = False) -> list[Figure]:
    """My figures that no figure of theirs (same unit) equals or allows (small counts too if `small`;
    with `by_noun`, only a figure that may count the same thing settles one: "a handful of people" does
    not settle "three children")."""
    return [
        q
        for q in mine
        if (small or not q.trivial)
        and q.value > 0
        and not any(
            o.unit == q.unit
            and (equal(q, o) or compatible(q, o))
            and (not by_noun or not (q.nouns and o.nouns) or bool(q.nouns & o.nouns))
            for o in theirs
        )
    ]


def counterparts(ua: list[Figure], ub: list[Figure]) -> list[tuple[Figure, Figure]]:
    """Pairs of disagreeing figures of one unit. When both claims leave the same number of figures
    of a unit unsettled they are paired in order ("from 27 to 30" vs "from 22 to 36": 27/22 and
    30/36; "2.39 million personnel, including 1.5 million" vs "1.91 million ..., including 1.7
    million": 2.39/1.91 and 1.5/1.7); otherwise each with its nearest (by ratio) when that choice
    is mutual."""
    pairs: list[tuple[Figure, Figure]] = []
    for unit in sorted({q.unit for q in ua}):
        xs = [q for q in ua if q.unit == unit]
        ys = [q for q in ub if q.unit == unit]
        if not ys:
            continue
        if len(xs) == len(ys):
            pairs.extend(zip(xs, ys, strict=True))
            continue
        for qa in xs:
            qb = nearest(qa, ys)
            if qb is not None and nearest(qb, xs) is qa:
                pairs.append((qa, qb))
    return pairs


def nearest(q: Figure, pool: list[Figure]) -> Figure | None:
    best = None
    best_key = None
    for at, o in enumerate(pool):
        if o.unit != q.unit:
            continue
        key = (abs(math.log(q.value / o.value)), at)
        if best_key is None or key < best_key:
            best, best_key = o, key
    return best
