"""Conflicts: the same event or measure given incompatible values by two claims of one story.

    conflict(a, b, sim, events) -> (reason, mine, theirs) | None, and whether a figure disagrees

`a`, `b` are extract.compare.Feat; `sim` their weighted word overlap; `events` the event verbs they
share (extract.compare.shared_events). One checkable line names what differs, from `a`'s side:

- figures of one thing: "290 vs 265 (killed)", "a dozen vs 30 (people)" ("a dozen", "hundreds",
  "eight" are intervals or values, extract.quantities); compatible bounds never conflict ("at least
  240" vs 270); small counts ("eight" vs "nine") only with a counted noun in common;
- "since" years, and dates of one grain that exclude each other: "Wednesday (Mar 13) vs Thursday
  (Mar 14) (arrest)" (weekdays placed by the publication day, extract.when; without one a weekday is
  compared as a weekday);
- who differs (extract.people_conflicts): a person's age ("33 vs 41 (age of Tara Reid)"; "John
  Jenkin, 23" and "Katie Jenkin, 20" are two people), one age given to two people the other claim
  does not name ("43-year-old: Maria Castellanos vs Yvonne Hiller": the age is what joins the two),
  or a title current in one and former in the other; and the same role in the same event held by
  different people: "coach: Maurice Cheeks vs Jim O'Brien"
  (one office), "fire (obj): Cheeks vs O'Brien" (one event verb, one grammatical role; for who took
  part, a verb of any clause that gives a participant both name the same part also makes one event:
  "... seized her weapon, killing Judge X and Julie Ann Brandau" / "shot and killed Judge Y, Brandau
  and ..." -> "judge: X vs Y"); one office one
  person holds at a time given to two people, whatever the event, in two claims that share a
  participant besides the office's place or ``CONFLICT_SIM`` of wording: "chancellor (german): Robert
  Hallam vs Angela Merkel"; in a pair the
  linker holds for one event, two event verbs whose other participant is one name: "stop (subj): X vs
  Y" for "X stopped Tony Thompson" / "Y defeats Tony Thompson";
- the same event placed in different countries: "Tehran vs Lima (strike)" (extract.places: a city
  inside its country, or a place the gazetteer does not know, never conflicts).

A value conflict needs the same event or measure: one counted noun with enough shared wording, or a
shared event verb; dates, people and places need a shared event verb AND a shared participant, figure
or day besides the differing value (or near-identical wording), so two look-alike events (two firings,
two arrests) are not called one event told two ways. One happening told with other verbs ("died" /
"passed away") is *kindred*: an event verb each, a participant, figure or day in common other than a
speaker, and ``KIN_SIM`` of shared wording (`claimdesk ingest --kindred-similarity`); then days and
weekdays, places and counts of one counted noun are compared as for one event (people are not: on a
story of many facts that made false conflicts). `within_support` checks dates, people (the one actor
of each) and places of a pair the linker already holds for one event or fact (extract.links): such
a pair whose days, people or places exclude each other conflicts. Speakers are sources, not
participants ("X said" / "Y said" never conflict), and the day something was said is not the
event's day.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from claimdesk.extract.facts import (
    counterparts,
    date_label,
    equal,
    dates_compatible,
    grain,
    same_thing,
    speakers,
    unsettled,
    weekday_named,
)
from claimdesk.extract.people_conflicts import absent, ages, people, same_age, sole_office, titles, written
from claimdesk.extract.places import WHERE, countries, exclusive, is_country, overlap

CONFLICT_SIM = 0.22  # a different figure / since-year needs at least this similar wording
DATE_CONFLICT_SIM = 0.40  # a different date with no shared event verb needs this similar wording
EVENT_CONFLICT_SIM = 0.07  # a different date, person or place of one shared event needs this much
#                           (extract.compare.EVENT_SIM: what support calls the same event)
KIN_SIM = 0.12  # one happening told with other verbs: a shared participant and this much shared wording
LEXICAL_SIM = 0.50  # wording this similar: one measure even without a counted noun
RATIO_LIMIT = 2.0  # two figures further apart than this are about different things ...
VAGUE_RATIO_LIMIT = 3.0  # ... or this, when one is a number word ("a dozen" vs 30)

Clash = tuple[str, str, str]  # (reason, mine, theirs)


def conflict(a, b, sim: float, events: set[str]) -> tuple[Clash | None, bool]:
    """The first conflict between `a` and `b` (figures, dates, ages, titles, people, places) and
    whether some figure of the same thing disagrees (then the pair is no support either)."""
    shared_verb = sorted(a.trig & b.trig or events)
    # one happening whatever its verbs: a shared participant (not a speaker) and KIN_SIM of wording
    shared = _participants(a) & _participants(b)
    kin_count = sim >= KIN_SIM and bool(shared)
    found, disagreeing = _figures(a, b, sim, bool(shared_verb), kin_count)
    if found is not None:
        return found, True
    # other values: one event needs a shared event verb and a shared participant beyond the value (not a
    # speaker; a weekday both write counts: `_participants`), or wording this alike
    one_event = (bool(shared_verb) and bool(shared) and sim >= EVENT_CONFLICT_SIM) or sim >= LEXICAL_SIM
    kin = not one_event and kin_count and _both_act(a, b)
    found = same_age(a, b)
    if found is None and (sim >= CONFLICT_SIM or shared - {"@" + where for _o, where, _who in a.sole | b.sole}):
        found = sole_office(a, b)  # one office, two holders: a fact of its own, whatever the event
    if found is not None:
        return found, disagreeing
    # who took part: also one event when a verb of any clause gives a participant both name the same part
    anchors = [] if one_event or sim < EVENT_CONFLICT_SIM else sorted(_anchoring_verbs(a, b, shared))
    for check in (_since, _kin_dates if kin else _dates, ages, titles, _people, _places):
        # kindred compares days and where-places; people only when the pair is one event by its verbs
        event, verbs = one_event or (kin and check is not _people), shared_verb
        if check is _people and anchors:
            event, verbs = True, anchors
        found = check(a, b, sim, event, verbs)
        if found is not None:
            return found, disagreeing
    return None, disagreeing


def _anchoring_verbs(a, b, shared: frozenset[str]) -> set[str]:
    """Verbs, of any clause, that give one participant of `shared` (`_participants` of both: never a
    speaker) the same part in both claims: "... seized her weapon, killing Judge X and the court reporter
    Julie Ann Brandau" / "shot and killed Judge Y, Brandau and ..." both have Brandau killed (kill:obj),
    though only the second tells the killing in its main clause (event verbs, Feat.trig, are the main
    clause's)."""
    return {role.partition(":")[0] for role, who in _acted(a) & _acted(b) if "@" + who in shared}


def _acted(feat) -> set[tuple[str, str]]:
    """("verb:subj" | "verb:obj", name) of each name that does or undergoes a verb of the claim."""
    return {(role, who) for role, _label, who in feat.roles if role.partition(":")[2] in ("subj", "obj")}


def _both_act(a, b) -> bool:
    """Both claims tell an action (an event verb each, none denied by the other): with a shared
    participant and ``KIN_SIM`` of wording (`kin_count`), one happening told with other verbs ("died" /
    "passed away", "checked into" / "entered"), kindred; whatever else they give must then agree."""
    return bool(a.trig and b.trig) and not (a.trig & b.negated) and not (b.trig & a.negated)


def _participants(feat) -> frozenset[str]:
    """The claim's participants, figures and days (Feat.args) less its speakers: a name whose every role
    is saying or telling ("Coroner Gary Hargrove said") is a source, and two claims of one source may
    tell two happenings ("his body was discovered Tuesday" / "he died Saturday"); a weekday written counts
    as a day ("died Thursday night" / "died Thursday evening"; the weekday of a full date does not: "4
    November 2011" and "14 October 2011" are both Fridays)."""
    days = {
        f"#w{d.weekday}"
        for d in feat.dates
        if d.weekday is not None and not d.since and weekday_named(d.text) is not None
    }
    return (feat.args - {"@" + who for who in speakers(feat.claim)}) | days


def _kin_dates(a, b, sim, one_event, verbs, supported=False) -> Clash | None:
    """Dates of a pair held for one happening only by `kindred`: days and weekdays only (a year or a
    month differs between a career and its last season, a story and its background)."""
    return _dates(a, b, sim, one_event, verbs, fine=True)


def within_support(a, b, sim: float, events: set[str]) -> Clash | None:
    """For a pair the linker calls one event or one fact (supporting): days, people (one office held by
    two) or places that exclude each other make it a conflict instead."""
    verbs = sorted((a.trig & b.trig or events) - {"lead"})
    found = sole_office(a, b)
    if found is not None:
        return found
    for check in (_dates, _people, _places):
        found = check(a, b, sim, True, verbs, supported=True)
        if found is not None:
            return found
    return None


def _gap(qa, qb) -> float:
    """How far apart two figures are, as a ratio (1.0 when their intervals touch)."""
    low = max(min(qa.hi, qb.hi), 1e-9)
    high = max(qa.lo, qb.lo)
    if not math.isfinite(high) or high <= low:
        return max(qa.value, qb.value) / max(min(qa.value, qb.value), 1e-9)
    return high / low


def _figures(a, b, sim: float, shared_verb: bool, kin: bool = False) -> tuple[Clash | None, bool]:
    disagreeing = False
    # one fact already: a figure both give ("$3 million upfront and 5%" / "$3 million ... plus 6%")
    anchored = any(not x.trivial and equal(x, y) for x in a.quants for y in b.quants)
    ua, ub = unsettled(a.quants, b.quants), unsettled(b.quants, a.quants)
    # a pair held only by kindred: the one figure each gives that the other does not settle (a claim
    # with more figures of its own tells more than one fact: "160,000 additional soldiers" / "a boost of
    # 180,000 soldiers over three years ... 2.39 million personnel")
    kin = kin and len(ua) <= 1 and len(ub) <= 1
    for qa, qb in counterparts(ua, ub):
        if _gap(qa, qb) > (VAGUE_RATIO_LIMIT if qa.vague or qb.vague else RATIO_LIMIT):
            continue
        if _ages_of_two(a, qa, b, qb):
            continue
        # the same measure: one counted noun, or two plain counts that share an event verb
        noun = same_thing(qa, qb)
        same = noun or (qa.unit == qb.unit == "" and shared_verb)
        disagreeing = disagreeing or same
        one_fact = (noun and shared_verb) or (same and anchored)
        if (same and sim >= CONFLICT_SIM) or (one_fact and sim >= EVENT_CONFLICT_SIM) or (noun and kin) or sim >= LEXICAL_SIM:
            return _clash(qa, qb), True
    # small counts ("eight" vs "nine"): only one counted noun makes them one count
    small_a = [q for q in unsettled(a.quants, b.quants, small=True, by_noun=True) if q.trivial]
    small_b = [q for q in unsettled(b.quants, a.quants, small=True, by_noun=True) if q.trivial]
    for qa, qb in counterparts(small_a, small_b):
        enough = sim >= CONFLICT_SIM or (shared_verb and sim >= EVENT_CONFLICT_SIM) or kin
        if same_thing(qa, qb) and enough and _gap(qa, qb) <= RATIO_LIMIT:
            return _clash(qa, qb), True
    return None, disagreeing


def _ages_of_two(a, qa, b, qb) -> bool:
    """`qa` is the age of one person and `qb` of another ("Williams, 91," / "Page, 84,"): two people."""
    pa = {p for p, (age, _name) in a.ages.items() if age == qa.text}
    pb = {p for p, (age, _name) in b.ages.items() if age == qb.text}
    return bool(pa) and bool(pb) and not (pa & pb)


def _clash(qa, qb) -> Clash:
    noun = qa.noun or qb.noun
    return f"{qa.text} vs {qb.text}" + (f" ({noun})" if noun else ""), qa.text, qb.text


def _since(a, b, sim, one_event, verbs, supported=False) -> Clash | None:
    xs = [d for d in a.dates if d.since]
    ys = [d for d in b.dates if d.since]
    if xs and ys and sim >= CONFLICT_SIM and not any(dates_compatible(x, y) for x in xs for y in ys):
        return f"{date_label(xs[0])} vs {date_label(ys[0])}", date_label(xs[0]), date_label(ys[0])
    return None


def _told(feat) -> set[str]:
    """Dates of the telling, not of the event: "officials said Saturday" (extract.roles marks a date
    whose verb is a verb of saying "told")."""
    return {who for role, label, who in feat.roles if label == "DATE" and role.endswith(":told")}


def _dates(a, b, sim, one_event, verbs, supported=False, fine=False) -> Clash | None:
    told_a, told_b = _told(a), _told(b)
    xs = [d for d in a.dates if not d.since and d.text.lower() not in told_a]
    ys = [d for d in b.dates if not d.since and d.text.lower() not in told_b]
    if fine:  # days and weekdays only
        xs = [d for d in xs if d.day is not None or d.weekday is not None]
        ys = [d for d in ys if d.day is not None or d.weekday is not None]
    if not xs or not ys or not (one_event or sim >= DATE_CONFLICT_SIM):
        return None
    for x in xs:
        peers = _peers(x, ys)
        if not peers or any(_agree(x, y) for y in peers):
            continue
        for y in peers:
            if not any(_agree(x2, y) for x2 in _peers(y, xs)):
                mine, theirs = date_label(x), date_label(y)
                return f"{mine} vs {theirs}" + (f" ({verbs[0]})" if verbs else ""), mine, theirs
    return None


def _peers(x, ys: list) -> list:
    """The dates of `ys` that say the same kind of thing as `x`: of one grain (a day, a month, a year),
    and a weekday only against a weekday (a "Saturday" is not checked against "March 11, 2005", which
    may be another happening)."""
    if not x.value:
        return [y for y in ys if weekday_named(y.text) is not None]
    return [y for y in ys if grain(y) == grain(x) and (y.value or weekday_named(x.text) is not None)]


_LOOSE = re.compile(r"\b(?:early|late|night|overnight|evening|morning|midnight)\b", re.I)


def _agree(x, y) -> bool:
    """Compatible, or one day apart where either side speaks of a night or an early/late hour
    ("late Thursday" and "early Friday" may be one moment)."""
    if dates_compatible(x, y):
        return True
    if not (_LOOSE.search(x.text) or _LOOSE.search(y.text)) or x.weekday is None or y.weekday is None:
        return False
    if x.value and y.value and x.day is not None and y.day is not None:
        return abs(_ordinal(x) - _ordinal(y)) <= 1
    return (x.weekday - y.weekday) % 7 in (1, 6)


def _ordinal(d) -> int:
    try:
        return dt.date(int(d.year), d.months[0], d.day).toordinal() if d.year else d.months[0] * 31 + d.day
    except (TypeError, ValueError):
        return 0


def _people(a, b, sim, one_event, verbs, supported=False) -> Clash | None:
    """People of one event (extract.people_conflicts); in a pair worded this alike, or one the linker
    holds, any doer or one done to of each claim's event verbs."""
    return people(a, b, one_event, verbs, supported, loose=sim >= LEXICAL_SIM or supported)


def _where(feat) -> list[str]:
    """Places after "in", "at", "near" ..., or what an event verb acts on ("struck Tehran")."""
    out = set()
    for role, label, who in feat.roles:
        head, _, dep = role.partition(":")
        if label in ("GPE", "LOC") and (dep in WHERE or (dep == "obj" and head in feat.trig)):
            out.add(who)
    return sorted(out)


def _places(a, b, sim, one_event, verbs, supported=False) -> Clash | None:
    """Where one event happened ("died at a Los Angeles hospital" / "died in Manila": a place after
    "in", "at", "near" ..., not "war with Ukraine" or "Russia's forces") in countries that exclude each
    other: every such place of one claim excludes every such place of the other (a place the gazetteer
    does not know counts for neither)."""
    if not one_event:
        return None
    found = _places_in(a, b, _where(a), _where(b), verbs)
    if found is None and supported:
        # a pair already held for one happening: every place each names, whatever its role ("fled
        # downtown Atlanta", "the Buckhead neighborhood of Atlanta"), when each names places of one country
        # (not a route, "between Italy and Egypt") and all of one exclude all of the other
        mine, theirs = _towns(a), _towns(b)
        one_country = all(len({c for x in names for c in countries(written(f, x, _PLACE))}) == 1 for f, names in ((a, mine), (b, theirs)))
        if mine and theirs and one_country and all(exclusive(written(a, x, _PLACE), written(b, y, _PLACE)) for x in mine for y in theirs):
            found = _places_in(a, b, mine, theirs, verbs)
    return found


_PLACE = ("GPE", "LOC")


def _towns(feat) -> list[str]:
    """The cities and states a claim names that the gazetteer places in one country (extract.places;
    never a country, which is as often a participant, "as Ukraine warns", as a place, nor a continent
    or a sea)."""
    return sorted(
        {e.norm for e in feat.claim.entities if e.label == "GPE" and e.norm and len(countries(e.text)) == 1 and not is_country(e.text)}
    )


def _places_in(a, b, mine: list[str], theirs: list[str], verbs) -> Clash | None:
    for pa in mine:
        if not absent(pa, b):
            continue
        wa = written(a, pa, ("GPE", "LOC"))
        for pb in theirs:
            if pb == pa or not absent(pb, a):
                continue
            wb = written(b, pb, ("GPE", "LOC"))
            if (
                exclusive(wa, wb)
                and not any(overlap(wa, written(b, o, ("GPE", "LOC"))) for o in theirs)
                and not any(overlap(wb, written(a, o, ("GPE", "LOC"))) for o in mine)
            ):
                return f"{wa} vs {wb}" + (f" ({verbs[0]})" if verbs else ""), wa, wb
    return None
