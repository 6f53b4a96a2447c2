"""Cross-article claim links: which claims of other articles support or contradict a claim.

Pure Python over the fields already on `Claim` (quantities, dates, entities, lemmas, attribution,
title_offices); no spaCy here, so `store` may import this module.

How it works (all deterministic):

1. Features. Each claim becomes a `_Feat`: its terms (content lemmas, entity norms, and its specific
   figures and dates as terms too, so a shared rare figure weighs like a shared rare word), its
   quantities as intervals ("over 100,000" -> [100000, inf), "18-30" -> [18, 30], "about 1.5
   million" -> [1.35M, 1.65M], "nearly 2.39 million" -> [2.15M, 2.39M]) with the counted noun that
   follows them ("160,000 *men*"; men/soldiers/conscripts/troops/personnel count the same thing;
   a nationality word is an adjective, "Russian soldiers", unless plural, "160,000 Russians"),
   its normalised dates as spans ("April to July" holds "April 1"; "since 2011" apart), and its
   people's titles ("former president" for Trump).
2. Candidates from an inverted index, never all pairs. Keys: quantity magnitude cells (two offset
   grids of half a decade in log10, per unit, so 150,000 and 160,000 always share a cell),
   exact figures, entity norms, dates, "since" years, people with a title, and content lemmas. A key
   held by more than ``COMMON_FRACTION`` of the claims (and more than ``COMMON_MIN`` claims) is not
   used to find candidates (it still counts when scoring). Each claim walks its keys from the rarest
   up and stops after ``VISIT_BUDGET`` postings; a posting list longer than what is left is read in
   a window around the claim's own place (so no early claim becomes everyone's hub). Claims of the
   same article are skipped. The ``MAX_CANDIDATES`` best candidates by summed key IDF are scored,
   each unordered pair once, and pairs of claims with identical features share one verdict (a
   corpus that repeats a story does not pay twice). Work per claim is bounded: linear overall.
3. Scoring a pair (`_compare`): IDF-weighted cosine of the term sets (``sim``), then the facts:
   - conflicts: a different figure for the same thing (same unit, within a factor of 2, disjoint
     intervals, same counted noun and ``CONFLICT_SIM``, or ``LEXICAL_SIM``; figures stated by both
     claims are never the disagreeing ones): "160,000 vs 150,000 (conscripts)"; different "since"
     years in similar wording: "since 2011 vs since 2015"; dates of one grain that no date of the
     other claim contains, in very similar wording: "April 1 vs April 3"; a person's title current
     in one and former in the other: "former president vs president (Trump)". Approximate figures
     are compatible with any value inside their bound ("over 100,000" vs 120,000), a range contains
     its values, "July" contains "July 15", and unnormalised dates ("Tuesday") never conflict.
   - supports: the same figure (same value and unit; not a small bare count) with the same counted
     noun or a unit and ``SUPPORT_SIM``, or ``SUPPORT_SIM_LOOSE`` alone: "same figure: 160,000 men";
     the same specific figure of the same thing in two articles on one story (sharing
     ``STORY_MIN`` named entities) even in other words; the same day or "since" date with
     ``SUPPORT_SIM``: "same date: July 15"; very similar wording (``LEXICAL_SIM``, or
     ``MIDDLE_SIM`` with a shared person/organisation and a distinctive word) and no disagreeing
     figure: "same wording: dmitriev, administration, kirill". A shared title alone is no support.
4. Links are symmetric (both directions, same relation -- conflicts win if the two sides differ;
   the reason reads from the claim's side). Each claim keeps at most ``MAX_LINKS_PER_CLAIM`` links
   per relation, one per other source family first, then by score; a pair kept by either side is
   emitted both ways, so the number of links is linear in the number of claims. Suggestions
   therefore count at most that many supporting families.

`last_stats` holds counters of the most recent `link_corpus` call (pairs scored, postings visited)
for the scale tests and the bench.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from claimdesk.extract.model import Article, Claim, Link, Linkage

COMMON_FRACTION = 0.30  # a key in more than this share of claims does not generate candidates ...
COMMON_MIN = 12  # ... unless it is held by at most this many claims (small corpora)
VISIT_BUDGET = 600  # postings walked per claim, rarest keys first
MAX_CANDIDATES = 60  # candidates scored per claim (best summed key IDF first)
MAX_LINKS_PER_CLAIM = 40  # per relation, family-diverse first

SUPPORT_SIM = 0.12  # same figure or date + the same counted noun and this much shared wording ...
SUPPORT_SIM_LOOSE = 0.20  # ... or this much shared wording alone
LEXICAL_SIM = 0.50  # wording alone this similar: supports ...
MIDDLE_SIM = 0.25  # ... or this similar, sharing a person or organisation and a distinctive word
DISTINCTIVE = 0.8  # a distinctive word's IDF is at least this share of the highest possible IDF
CONFLICT_SIM = 0.22  # a different figure / since-year needs at least this similar wording
DATE_CONFLICT_SIM = 0.40  # a different date needs this similar wording
STORY_MIN = 2  # named entities two articles share to be on one story (for figure-only support)
RATIO_LIMIT = 2.0  # two figures further apart than this are about different things
EQUAL_TOL = 0.005
EVENT_SIM = 0.07  # one story, a shared event verb and this much shared wording: the same event

last_stats: dict[str, int] = {}

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
    "up", "off", "out", "down", "per", "each", "a", "an",
}  # fmt: skip
_NOUN_CLASS = {  # counted nouns that name the same thing
    "man": "people", "men": "people", "person": "people", "people": "people",
    "conscript": "people", "recruit": "people", "soldier": "people", "troop": "people",
    "personnel": "people", "serviceman": "people", "servicemen": "people", "fighter": "people",
    "draftee": "people", "civilian": "people", "resident": "people", "worker": "people",
    "killed": "dead", "dead": "dead", "death": "dead", "died": "dead", "casualty": "casualty",
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
class _Q:
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


def _quantity(claim: Claim, q) -> _Q:
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
        if s.endswith(("ed", "ing")) and s not in _NOUN_CLASS:
            continue
        nouns.add(s)
        if s in _NOUN_CLASS or people:
            nouns.add("=" + _NOUN_CLASS.get(s, "people"))
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
    trivial = abs(value) < 10 and high is None and q.unit in ("", "year")
    return _Q(q.text, value, high, q.unit, lo, hi, frozenset(nouns), noun, phrase, trivial, q.approx)


def _equal(a: _Q, b: _Q) -> bool:
    if a.unit != b.unit:
        return False
    if abs(a.value - b.value) > EQUAL_TOL * max(abs(a.value), abs(b.value), 1e-9):
        return False
    if (a.high is None) != (b.high is None):
        return False
    if a.high is None or b.high is None:
        return True
    return abs(a.high - b.high) <= EQUAL_TOL * max(abs(a.high), 1e-9)


def _compatible(a: _Q, b: _Q) -> bool:
    """Can both be true? A value inside a range or bound is; two exact ranges must be equal
    ("aged 18 to 30" vs "aged 16 to 30" disagree although they overlap)."""
    if a.high is not None and b.high is not None and not (a.approx or b.approx):
        return _equal(a, b)
    tol = EQUAL_TOL * max(abs(a.value), abs(b.value), 1e-9)
    return a.lo <= b.hi + tol and b.lo <= a.hi + tol


def _cells(q: _Q) -> list[tuple]:
    if q.trivial or q.value <= 0:
        return []
    x = math.log10(q.value) * 2  # half-decade cells
    return [("q", q.unit, 0, math.floor(x)), ("q", q.unit, 1, math.floor(x + 0.5))]


# -------------------------------------------------------------------- dates


@dataclass(slots=True)
class _D:
    """A normalised date as a span: year (or None), months [m1, m2] (or None), day (or None)."""

    text: str
    value: str
    since: bool
    year: str | None
    months: tuple[int, int] | None
    day: int | None


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


def _date(d) -> _D:
    value = d.value
    if "/" in value:  # a range: "--04/--07", "2024-12/2025-02"
        a, _, b = value.partition("/")
        ya, ma, _da = _date_parts(a)
        yb, mb, _db = _date_parts(b)
        if ya == yb and ma is not None and mb is not None and ma <= mb:
            return _D(d.text, value, d.since, ya, (ma, mb), None)
        return _D(d.text, value, d.since, ya if ya == yb else None, None, None)  # loose: any month
    year, month, day = _date_parts(value)
    months = (month, month) if month is not None else None
    return _D(d.text, value, d.since, year, months, day)


def _dates_compatible(a: _D, b: _D) -> bool:
    if a.year is not None and b.year is not None and a.year != b.year:
        return False
    if a.months is None or b.months is None:
        return True
    if a.months[1] < b.months[0] or b.months[1] < a.months[0]:
        return False
    if a.day is not None and b.day is not None and a.months == b.months:
        return a.day == b.day
    return True


def _shared_events(a: "_Feat", b: "_Feat") -> set[str]:
    """Event verbs of one claim that the other also uses, as a verb or a word built on it ("arrested" /
    "arrest", "shot" / "shooting": a word starting with the verb's lemma of four letters or more), when
    the two also share a participant, a figure or a day (the same action by others is a look-alike) and
    neither denies what the other asserts ("deployed" / "not deployed")."""
    if not (a.args & b.args) or (a.trig & b.negated) or (b.trig & a.negated):
        return set()
    out = set(a.trig & b.trig)
    if out or len(a.args & b.args) < 2:
        return out  # a verb against a noun ("arrested" / "arrest") needs two shared participants
    for x, y in ((a, b), (b, a)):
        for t in x.trig:
            if t in y.terms or (len(t) >= 4 and any(w.startswith(t) and w[0] not in "@#" for w in y.terms)):
                out.add(t)
    return out


def _dates_agree(a: "_Feat", b: "_Feat") -> bool:
    """No day of one claim that the other's days all exclude (a look-alike event on another day)."""
    xs = [d for d in a.dates if not d.since and d.year is not None]
    ys = [d for d in b.dates if not d.since and d.year is not None]
    return not xs or not ys or any(_dates_compatible(x, y) for x in xs for y in ys)


def _grain(d: _D) -> int:
    """0: a year, 1: a month (or a span of months), 2: a day."""
    if d.months is None:
        return 0
    return 2 if d.day is not None else 1


def _date_label(d: _D) -> str:
    return f"since {d.text}" if d.since and "since" not in d.text.lower() else d.text


# -------------------------------------------------------------------- titles

_FORMER = re.compile(r"\b(former|ex|erstwhile|onetime|one-time)\b|^ex-", re.I)
_NO_TENSE = re.compile(r"\b(then|late|acting|interim|incoming|outgoing)\b|-elect\b", re.I)


def _office(office: str) -> tuple[bool, str]:
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


# -------------------------------------------------------------------- features


@dataclass(slots=True)
class _Feat:
    index: int
    claim: Claim
    family: str
    terms: frozenset[str]
    weight: float = 0.0
    quants: list[_Q] = field(default_factory=list)
    dates: list[_D] = field(default_factory=list)
    offices: dict[str, tuple[bool, str, str]] = field(default_factory=dict)
    keys: list[tuple] = field(default_factory=list)
    actors: frozenset[str] = frozenset()
    sig: int = 0  # claims with equal features share a signature: compared once
    story: frozenset[str] = frozenset()  # entity norms of the whole article
    names: frozenset[str] = frozenset()  # the words of the claim's entity names ("susan", "hart")
    trig: frozenset[str] = frozenset()  # event verbs' lemmas ("arrest", "fire")
    negated: frozenset[str] = frozenset()  # event verbs said not to happen ("not deployed")
    args: frozenset[str] = frozenset()  # participants, figures and days: who, what, when
    group: int = 0  # the claim's story (extract.stories): support and conflict never cross stories


def _features(index: int, claim: Claim, family: str) -> _Feat:
    terms = {lem.lower() for lem in claim.lemmas if lem and not lem[0].isdigit() and ":" not in lem}
    terms.update("@" + e.norm for e in claim.entities if e.norm)
    quants = [_quantity(claim, q) for q in claim.quantities]
    dates = [_date(d) for d in claim.dates if d.value]
    # figures and dates are terms too: sharing a rare figure is strong evidence of one fact
    terms.update(
        f"#{q.unit}{q.value:g}" + (f"-{q.high:g}" if q.high else "") for q in quants if not q.trivial
    )
    terms.update(
        f"#since{d.value}" if d.since else f"#d{d.value[-5:] if _grain(d) == 2 else d.value}"
        for d in dates
        if d.since or _grain(d) == 2 or "/" in d.value
    )
    feat = _Feat(index, claim, family, frozenset(terms))
    feat.quants, feat.dates = quants, dates
    feat.trig = frozenset(lem[2:] for lem in claim.lemmas if lem.startswith("v:"))
    feat.negated = frozenset(lem[2:] for lem in claim.lemmas if lem.startswith("n:"))
    feat.args = frozenset(
        ["@" + e.norm for e in claim.entities if e.norm and e.label != "NORP"]
        + [f"#{q.unit}{q.value:g}" for q in quants if not q.trivial]
        + ["#d" + d.value for d in dates if _grain(d) == 2]
    )
    feat.names = frozenset(
        w for e in claim.entities for w in re.findall(r"[a-z0-9]+", (e.text + " " + e.norm).lower())
    )
    feat.actors = frozenset(
        "@" + e.norm for e in claim.entities if e.norm and e.label in ("PERSON", "ORG")
    )
    for person, office in claim.title_offices:
        if person and office:
            former, head = _office(office)
            feat.offices.setdefault(person, (former, head, office))
    keys: set[tuple] = set()
    for q in feat.quants:
        keys.update(_cells(q))
    for d in feat.dates:
        keys.add(("ds", d.year or d.value) if d.since else ("d", d.year or d.value))
        if d.since:
            keys.add(("since",))
    for person in feat.offices:
        keys.add(("t", person))
    keys.update(("l", t) for t in feat.terms)
    feat.keys = sorted(keys)
    return feat


# -------------------------------------------------------------------- comparing two claims


@dataclass(frozen=True, slots=True)
class Verdict:
    relation: str  # "supports" | "conflicts"
    reason: str  # from the first claim's side
    mine: str = ""  # the first claim's value ("160,000"), for suggestions
    theirs: str = ""  # the other claim's value ("150,000")
    score: float = 0.0


def _similarity(a: _Feat, b: _Feat, idf: Mapping[str, float]) -> tuple[float, list[str]]:
    shared = a.terms & b.terms
    if not shared or not a.weight or not b.weight:
        return 0.0, []
    s = math.fsum(idf.get(t, 0.0) for t in shared)
    words = sorted((t for t in shared if t[0] != "#"), key=lambda t: (-idf.get(t, 0.0), t))
    top: list[str] = []
    for t in words:
        t = t.lstrip("@")
        if t not in top:
            top.append(t)
    return s / math.sqrt(a.weight * b.weight), top[:3]


def _wording(a: _Feat, b: _Feat, idf: Mapping[str, float]) -> bool:
    """Shared words beyond names and figures: at least two, and a third of the shared weight."""
    shared = a.terms & b.terms
    names = a.names | b.names
    content = [t for t in shared if t[0] not in "@#" and t not in names]
    if len(content) < 2:
        return False
    total = math.fsum(idf.get(t, 0.0) for t in shared)
    return math.fsum(idf.get(t, 0.0) for t in content) * 3 >= total


def _distinctive(a: _Feat, b: _Feat, idf: Mapping[str, float]) -> bool:
    """They share an actor (person/org) and a word almost nobody else uses."""
    shared = a.terms & b.terms
    if not any(t in a.actors for t in shared):
        return False
    top = idf.get("", 0.0) * DISTINCTIVE  # "" holds the highest possible IDF
    return any(t[0] not in "@#" and idf.get(t, 0.0) >= top for t in shared)


def _same_thing(a: _Q, b: _Q) -> bool:
    """One counted noun (or class), or, with no noun on either side, one unit ("aged 18 to 30")."""
    if a.nouns or b.nouns:
        return bool(a.nouns & b.nouns)
    return a.unit != "" and a.unit == b.unit


def _q_label(q: _Q) -> str:
    return f"{q.text} {q.phrase}".strip()


def _unsettled(mine: list[_Q], theirs: list[_Q]) -> list[_Q]:
    """My figures that no figure of theirs (same unit) equals or allows."""
    return [
        q
        for q in mine
        if not q.trivial
        and q.value > 0
        and not any(o.unit == q.unit and (_equal(q, o) or _compatible(q, o)) for o in theirs)
    ]


def _counterparts(ua: list[_Q], ub: list[_Q]) -> list[tuple[_Q, _Q]]:
    """Pairs of disagreeing figures of one unit. When both claims leave the same number of figures
    of a unit unsettled they are paired in order ("from 27 to 30" vs "from 22 to 36": 27/22 and
    30/36; "2.39 million personnel, including 1.5 million" vs "1.91 million ..., including 1.7
    million": 2.39/1.91 and 1.5/1.7); otherwise each with its nearest (by ratio) when that choice
    is mutual."""
    pairs: list[tuple[_Q, _Q]] = []
    for unit in sorted({q.unit for q in ua}):
        xs = [q for q in ua if q.unit == unit]
        ys = [q for q in ub if q.unit == unit]
        if not ys:
            continue
        if len(xs) == len(ys):
            pairs.extend(zip(xs, ys, strict=True))
            continue
        for qa in xs:
            qb = _nearest(qa, ys)
            if qb is not None and _nearest(qb, xs) is qa:
                pairs.append((qa, qb))
    return pairs


def _nearest(q: _Q, pool: list[_Q]) -> _Q | None:
    best = None
    best_key = None
    for at, o in enumerate(pool):
        if o.unit != q.unit:
            continue
        key = (abs(math.log(q.value / o.value)), at)
        if best_key is None or key < best_key:
            best, best_key = o, key
    return best


def _compare(a: _Feat, b: _Feat, idf: Mapping[str, float]) -> Verdict | None:
    sim, top = _similarity(a, b, idf)

    # ---- figures
    a_matched = {i for i, qa in enumerate(a.quants) if any(_equal(qa, qb) for qb in b.quants)}
    disagreeing = False
    # figures the other claim neither states nor allows, paired with their counterparts
    ua = _unsettled(a.quants, b.quants)
    ub = _unsettled(b.quants, a.quants)
    for qa, qb in _counterparts(ua, ub):
        ratio = max(qa.value, qb.value) / min(qa.value, qb.value)
        if ratio > RATIO_LIMIT:
            continue
        same = _same_thing(qa, qb)
        disagreeing = disagreeing or same
        if (same and sim >= CONFLICT_SIM) or sim >= LEXICAL_SIM:
            noun = qa.noun or qb.noun
            reason = f"{qa.text} vs {qb.text}" + (f" ({noun})" if noun else "")
            return Verdict("conflicts", reason, qa.text, qb.text, round(sim, 4))

    # ---- since-dates and dates
    a_since = [d for d in a.dates if d.since]
    b_since = [d for d in b.dates if d.since]
    if a_since and b_since and sim >= CONFLICT_SIM:
        if not any(_dates_compatible(x, y) for x in a_since for y in b_since):
            x, y = a_since[0], b_since[0]
            return Verdict(
                "conflicts", f"{_date_label(x)} vs {_date_label(y)}", _date_label(x),
                _date_label(y), round(sim, 4),
            )  # fmt: skip
    a_plain = [d for d in a.dates if not d.since]
    b_plain = [d for d in b.dates if not d.since]
    if a_plain and b_plain and sim >= DATE_CONFLICT_SIM:
        lone_a = [x for x in a_plain if not any(_dates_compatible(x, y) for y in b_plain)]
        lone_b = [y for y in b_plain if not any(_dates_compatible(x, y) for x in a_plain)]
        for x in lone_a:
            y = next((y for y in lone_b if _grain(y) == _grain(x)), None)
            if y is not None:
                return Verdict(
                    "conflicts", f"{x.text} vs {y.text}", x.text, y.text, round(sim, 4)
                )

    # ---- titles of the same person
    for person in sorted(a.offices.keys() & b.offices.keys()):
        fa, ha, ta = a.offices[person]
        fb, hb, tb = b.offices[person]
        if ha and ha == hb and fa != fb:
            name = person.title()
            return Verdict(
                "conflicts", f"{ta.lower()} vs {tb.lower()} ({name})", ta.lower(), tb.lower(),
                round(sim, 4),
            )  # fmt: skip

    # ---- support
    for i in sorted(a_matched):
        qa = a.quants[i]
        if qa.trivial:
            continue
        qb = next(qb for qb in b.quants if _equal(qa, qb))
        context = _same_thing(qa, qb) or (qa.unit != "" and qa.unit == qb.unit)
        if (context and sim >= SUPPORT_SIM) or sim >= SUPPORT_SIM_LOOSE:
            return Verdict("supports", f"same figure: {_q_label(qa)}", qa.text, qb.text, round(sim, 4))
    for x in a.dates:
        if not x.since and _grain(x) < 2 and "/" not in x.value:
            continue  # a shared year or month alone is no evidence; a day, a span or a "since" is
        for y in b.dates:
            if x.since == y.since and x.value == y.value and sim >= SUPPORT_SIM:
                return Verdict("supports", f"same date: {_date_label(x)}", x.text, y.text, round(sim, 4))
    if not disagreeing and sim >= EVENT_SIM:
        shared = sorted(_shared_events(a, b), key=lambda t: (-idf.get(t, 0.0), t))
        if shared and _dates_agree(a, b):
            return Verdict("supports", "same event: " + ", ".join(shared[:2]), "", "", round(sim, 4))
    if disagreeing or sim < MIDDLE_SIM or not _wording(a, b, idf):
        return None
    if sim >= LEXICAL_SIM or _distinctive(a, b, idf):
        return Verdict("supports", "same wording: " + ", ".join(top), "", "", round(sim, 4))
    return None


# -------------------------------------------------------------------- the corpus


@dataclass
class _Index:
    feats: list[_Feat]
    idf: dict[str, float]
    by_id: dict[str, _Feat]


def _build(claims: Sequence[Claim], families: Mapping[str, str]) -> _Index:
    ordered = sorted(claims, key=lambda c: (c.article_id, c.start, c.id))
    feats = [_features(i, c, families.get(c.article_id, c.article_id)) for i, c in enumerate(ordered)]
    n = max(len(feats), 1)
    df: dict[str, int] = defaultdict(int)
    for f in feats:
        for t in f.terms:
            df[t] += 1
    idf = {t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()}
    idf[""] = math.log((n + 1) / 1.5)  # the highest possible: a term of one claim
    stories: dict[str, set[str]] = defaultdict(set)
    for f in feats:
        stories[f.claim.article_id].update(e.norm for e in f.claim.entities if e.norm)
    frozen = {art: frozenset(ents) for art, ents in stories.items()}
    from claimdesk.extract.stories import stories as story_groups

    groups = story_groups(claims)
    sigs: dict[tuple, int] = {}
    for f in feats:
        f.story = frozen[f.claim.article_id]
        f.group = groups.get(f.claim.article_id, -1)
        f.weight = math.fsum(idf[t] for t in f.terms)
        key = (
            f.terms,
            tuple(
                (q.text, q.value, q.high, q.unit, q.lo, q.hi, q.nouns, q.noun, q.phrase, q.approx)
                for q in f.quants
            ),
            tuple((d.text, d.value, d.since) for d in f.dates),
            tuple(sorted(f.offices.items())),
            f.names,
            f.trig,
            f.negated,
            f.args,
        )
        f.sig = sigs.setdefault(key, len(sigs))
    return _Index(feats, idf, {f.claim.id: f for f in feats})


def compare_claims(
    claim: Claim, other: Claim, claims: Sequence[Claim] | None = None
) -> Verdict | None:
    """The verdict on one pair (IDF from `claims` if given, else from the pair alone)."""
    index = _build(list(claims) if claims is not None else [claim, other], {})
    a = index.by_id.get(claim.id) or _build([claim], {}).feats[0]
    b = index.by_id.get(other.id) or _build([other], {}).feats[0]
    return _compare(a, b, index.idf)


def link_claims(claims: Sequence[Claim], families: Mapping[str, str]) -> tuple[Link, ...]:
    """All links among `claims` (see the module docstring)."""
    index = _build(claims, families)
    feats, idf = index.feats, index.idf
    n = len(feats)
    postings: dict[tuple, list[int]] = defaultdict(list)
    for f in feats:
        for k in f.keys:
            postings[k].append(f.index)
    common = max(COMMON_MIN, int(COMMON_FRACTION * n))
    key_idf = {
        k: (idf.get(k[1], 0.0) if k[0] == "l" else math.log((n + 1) / (len(p) + 0.5)) + 1.0)
        for k, p in postings.items()
        if len(p) <= common
    }
    scored = 0
    visited = 0
    seen: set[int] = set()
    cache: dict[tuple[int, int], tuple[Verdict, Verdict] | None] = {}
    found: list[tuple[int, int, Verdict, Verdict]] = []
    half = VISIT_BUDGET // 2
    art_no: dict[str, int] = {}
    art_of = [art_no.setdefault(f.claim.article_id, len(art_no)) for f in feats]
    for f in feats:
        art = art_of[f.index]
        keys = sorted((k for k in f.keys if k in key_idf), key=lambda k: (len(postings[k]), k))
        acc: dict[int, float] = {}
        budget = VISIT_BUDGET
        for k in keys:
            if budget <= 0:
                break
            w = key_idf[k]
            plist = postings[k]
            if len(plist) <= budget:
                take = plist
            else:  # a window around the claim itself, so that no claim becomes everyone's hub
                at = bisect_left(plist, f.index)
                lo = max(0, min(at - half, len(plist) - budget))
                take = plist[lo : lo + budget]
            budget -= len(take)
            visited += len(take)
            get = acc.get
            for j in take:
                if art_of[j] != art and feats[j].group == f.group:
                    acc[j] = get(j, 0.0) + w
        if not acc:
            continue
        if len(acc) > MAX_CANDIDATES:
            best = heapq.nsmallest(MAX_CANDIDATES, acc.items(), key=lambda kv: (-kv[1], kv[0]))
        else:
            best = sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))
        for j, _ in best:
            lo, hi = (f.index, j) if f.index < j else (j, f.index)
            pair = lo * n + hi
            if pair in seen:
                continue
            seen.add(pair)
            scored += 1
            a, b = feats[lo], feats[hi]
            sig = (a.sig, b.sig)
            if sig in cache:
                verdicts = cache[sig]
            else:
                verdicts = cache[sig] = _verdicts(a, b, idf)
            if verdicts is None:
                verdicts = _figure_support(a, b, idf)
            if verdicts is not None:
                found.append((lo, hi, *verdicts))
    found.extend(_closure(feats, found, idf))
    last_stats.clear()
    last_stats.update(
        claims=n, signatures=len(cache), keys=len(postings), index_keys=len(key_idf),
        visited=visited, pairs_scored=scored, pairs_linked=len(found),
    )  # fmt: skip
    return _select(feats, found)


LEAD_CLAIMS = 2  # an article's first claims (headline, lead) join its story's main-event group
LEAD_SIM = 0.10  # ... and two leads of one story with this much shared wording report one happening
GROUP_MAX = 400  # claims in one same-event group completed pairwise


def _closure(feats: list[_Feat], found: list[tuple[int, int, Verdict, Verdict]], idf) -> list:
    """Same-event groups: claims joined by supporting links (one story) form a group; two claims of a group
    in different articles that share an event verb and agree on dates and figures support each other too
    (a fact told by 30 outlets is one group, not 30 separate pairs found or missed one by one)."""
    parent = list(range(len(feats)))
    # an article's headline and lead report its story's main happening: one group per story
    leads: dict[int, int] = {}
    lead: set[int] = set()
    seen_art: dict[str, int] = defaultdict(int)
    for f in feats:  # feats are in article order, then text order
        seen_art[f.claim.article_id] += 1
        if seen_art[f.claim.article_id] <= LEAD_CLAIMS and f.trig:
            lead.add(f.index)
            if f.group in leads:
                parent[f.index] = leads[f.group]
            else:
                leads[f.group] = f.index

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    linked = set()
    for lo, hi, v, _ in found:
        linked.add((lo, hi))
        if v.relation == "supports":
            parent[root(lo)] = root(hi)
    groups: dict[int, list[int]] = defaultdict(list)
    for f in feats:
        groups[root(f.index)].append(f.index)
    out = []
    for members in groups.values():
        if len(members) < 3 or len(members) > GROUP_MAX:
            continue
        for x, i in enumerate(members):
            a = feats[i]
            for j in members[x + 1 :]:
                b = feats[j]
                if a.claim.article_id == b.claim.article_id or (i, j) in linked:
                    continue
                shared = _shared_events(a, b)
                if not shared and i in lead and j in lead and _similarity(a, b, idf)[0] >= LEAD_SIM:
                    shared = {"lead"}
                if not shared or not _dates_agree(a, b) or _similarity(a, b, idf)[0] < EVENT_SIM:
                    continue
                if _unsettled(a.quants, b.quants) and _unsettled(b.quants, a.quants):
                    continue  # figures that neither settles: not shown to be the same fact
                verdicts = _verdicts(a, b, idf)
                if verdicts is not None and verdicts[0].relation == "conflicts":
                    out.append((i, j, *verdicts))
                    continue
                top = sorted(shared, key=lambda t: (-idf.get(t, 0.0), t))[:2]
                sim = round(_similarity(a, b, idf)[0], 4)
                v = Verdict("supports", "same event: " + ", ".join(top), "", "", sim)
                out.append((i, j, v, v))
    return out


def _verdicts(a: _Feat, b: _Feat, idf: Mapping[str, float]) -> tuple[Verdict, Verdict] | None:
    v_ab = _compare(a, b, idf)
    v_ba = _compare(b, a, idf)
    if v_ab is None and v_ba is None:
        return None
    if v_ab is None or v_ba is None or v_ba.relation != v_ab.relation:
        # the relation must not depend on the side: conflicts win, then whichever side found one
        if v_ba is None or (v_ab is not None and v_ab.relation == "conflicts"):
            v_ba = _mirror(v_ab)  # type: ignore[arg-type]
        else:
            v_ab = _mirror(v_ba)
    return v_ab, v_ba  # type: ignore[return-value]


def _specific(q: _Q) -> bool:
    """160,000 or 1.5 million, not 100,000 or 1 million: two significant digits or more."""
    if q.trivial or q.high is not None or q.value < 1000:
        return False
    digits = f"{q.value:.6g}".replace(".", "").rstrip("0").lstrip("0")
    return len(digits) >= 2


def _figure_support(a: _Feat, b: _Feat, idf: Mapping[str, float]) -> tuple[Verdict, Verdict] | None:
    """The same specific figure of the same kind of thing, in articles on one story (they share at
    least ``STORY_MIN`` named entities), supports even in otherwise different words."""
    for qa in a.quants:
        if not _specific(qa):
            continue
        for qb in b.quants:
            if _equal(qa, qb) and _same_thing(qa, qb):
                if len(a.story & b.story) < STORY_MIN:
                    return None
                sim = round(_similarity(a, b, idf)[0], 4)
                return (
                    Verdict("supports", f"same figure: {_q_label(qa)}", qa.text, qb.text, sim),
                    Verdict("supports", f"same figure: {_q_label(qb)}", qb.text, qa.text, sim),
                )
    return None


def _mirror(v: Verdict) -> Verdict:
    if v.relation == "conflicts" and v.mine and v.theirs:
        reason = v.reason.replace(f"{v.mine} vs {v.theirs}", f"{v.theirs} vs {v.mine}", 1)
        return Verdict(v.relation, reason, v.theirs, v.mine, v.score)
    return Verdict(v.relation, v.reason, v.theirs, v.mine, v.score)


def _select(feats: list[_Feat], found: list[tuple[int, int, Verdict, Verdict]]) -> tuple[Link, ...]:
    supports: dict[int, list[tuple[float, int, int]]] = defaultdict(list)
    conflicts: dict[int, list[tuple[float, int, int]]] = defaultdict(list)
    for k, (lo, hi, v_ab, _) in enumerate(found):
        per = supports if v_ab.relation == "supports" else conflicts
        score = -v_ab.score
        per[lo].append((score, hi, k))
        per[hi].append((score, lo, k))
    keep: set[int] = set()
    cap = MAX_LINKS_PER_CLAIM
    for per in (supports, conflicts):
        for items in per.values():
            if len(items) <= cap:
                keep.update([k for _, _, k in items])
                continue
            items.sort()  # best score first, then the other claim's place (deterministic)
            fams: set[str] = set()
            chosen: list[int] = []
            rest: list[int] = []
            for _, other, k in items:
                fam = feats[other].family
                if fam in fams:
                    if len(rest) < cap:
                        rest.append(k)
                else:
                    chosen.append(k)
                    fams.add(fam)
                    if len(chosen) >= cap:
                        break
            keep.update((chosen + rest)[:cap])
    rows: list[tuple[str, str, str, str, float]] = []
    for k in keep:
        lo, hi, v_ab, v_ba = found[k]
        a, b = feats[lo].claim.id, feats[hi].claim.id
        rows.append((a, v_ab.relation, b, v_ab.reason, v_ab.score))
        rows.append((b, v_ba.relation, a, v_ba.reason, v_ba.score))
    rows.sort()
    return tuple(Link(a, b, rel, reason, score) for a, rel, b, reason, score in rows)


def link_corpus(articles: Sequence[Article], claims: Sequence[Claim]) -> Linkage:
    """Families, links and a suggestion for every claim of a whole corpus.

    A claim whose article is not among `articles` still gets links and a suggestion; its article
    counts as a family of its own (its outlet is then shown as the article id)."""
    from claimdesk.extract.families import source_families
    from claimdesk.extract.suggest import suggest

    families = source_families(articles)
    links = link_claims(claims, families)
    suggestions = suggest(claims, links, families, articles=articles)
    return Linkage(links=links, families=families, suggestions=suggestions)
