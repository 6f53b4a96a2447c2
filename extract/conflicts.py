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
- a person's age ("33 vs 41 (age of Tara Reid)"; "John Jenkin, 23" and "Katie Jenkin, 20" are two
  people), one age given to two people the other claim does not name ("43-year-old: Maria Castellanos
  vs Yvonne Hiller": the age is what joins the two, `_same_age`), or a title current in one and former
  in the other;
- the same role in the same event held by different people: "coach: Maurice Cheeks vs Jim O'Brien"
  (one office), "fire (obj): Cheeks vs O'Brien" (one event verb, one grammatical role); in a pair the
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
    age_phrase,
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
from claimdesk.extract.places import countries, exclusive, is_country, overlap

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
    found = _same_age(a, b)
    if found is not None:
        return found, disagreeing
    for check in (_since, _kin_dates if kin else _dates, _ages, _titles, _people, _places):
        # kindred compares days and where-places; people only when the pair is one event by its verbs
        found = check(a, b, sim, one_event or (kin and check is not _people), shared_verb)
        if found is not None:
            return found, disagreeing
    return None, disagreeing


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
    days = {f"#w{d.weekday}" for d in feat.dates if d.weekday is not None and not d.since and weekday_named(d.text) is not None}
    return (feat.args - {"@" + who for who in speakers(feat.claim)}) | days


def _kin_dates(a, b, sim, one_event, verbs, supported=False) -> Clash | None:
    """Dates of a pair held for one happening only by `kindred`: days and weekdays only (a year or a
    month differs between a career and its last season, a story and its background)."""
    return _dates(a, b, sim, one_event, verbs, fine=True)


def within_support(a, b, sim: float, events: set[str]) -> Clash | None:
    """For a pair the linker calls one event or one fact (supporting): days, people or places that
    exclude each other make it a conflict instead."""
    verbs = sorted((a.trig & b.trig or events) - {"lead"})
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


def _ages(a, b, sim, one_event, verbs, supported=False) -> Clash | None:
    """One person's age given two ways ("Robert Pitman, 24," / "Pitman, aged 30"). The other claim's
    age is read by the name as this claim writes it when the parser did not take it for a person there
    ("Reid, 33, earned ..."); two people of one family name are two people ("John Jenkin, 23" /
    "Katie Jenkin, 20")."""
    for person in sorted(a.ages):
        xa, name = a.ages[person]
        if person in b.ages:
            xb, other = b.ages[person]
            if not _one_person(name, other):
                continue
        else:
            m = _age_after(name, b)
            if m is None and len(name.split()) > 1:  # "Andrew Lopez, 20" / "Lopez, 25, faces ..."
                m = _age_after(name.split()[-1], b)
                before = b.claim.text[: m.start()].rstrip() if m is not None else ""
                if re.search(r"(?:\b[A-Z][\w'\u2019.-]*|\))$", before):
                    m = None  # "Kimani (Kiki) Gray, 16": the family name of a name written whole
                if m is not None and any(
                    e.label == "PERSON" and name.split()[-1] in e.text.split() and not _one_person(e.text, name)
                    for e in b.claim.entities
                ):
                    m = None  # "John Jenkin, 23" / "Katie Jenkin, 20": another of the family
            if m is None or any(e.label == "PERSON" and e.norm != person for e in b.claim.entities if name in e.text):
                # "Bettie Page ... died aged 85" where the parser took no one for a person: the age
                # of the only name the other claim writes
                xb = age_phrase(b.claim)
                if xb is None or b.ages or not re.search(r"(?<![\w-])" + re.escape(name) + r"\b", b.claim.text):
                    continue
            else:
                xb = m.group(1)
        if xa != xb:
            return f"{xa} vs {xb} (age of {name})", xa, xb
    return None


def _age_after(name: str, feat) -> re.Match | None:
    """ "Name, 33," or "Name, aged 33" in the claim's text (not "Name, 3, 4": a list of figures)."""
    return re.search(r"(?<![\w-])" + re.escape(name) + r"\s*,\s*(?:aged\s+)?(\d{1,3})\b(?!\s*,\s*\d)", feat.claim.text)


def _one_person(x: str, y: str) -> bool:
    """Two writings of one name may be one person: unless both give a first name and they differ."""
    wx, wy = x.split(), y.split()
    return len(wx) < 2 or len(wy) < 2 or wx[0].lower() == wy[0].lower()


def _titles(a, b, sim, one_event, verbs, supported=False) -> Clash | None:
    for person in sorted(a.offices.keys() & b.offices.keys()):
        fa, ha, ta = a.offices[person]
        fb, hb, tb = b.offices[person]
        if ha and ha == hb and fa != fb:
            return f"{ta.lower()} vs {tb.lower()} ({person.title()})", ta.lower(), tb.lower()
    return None


def _written(feat, norm: str, labels: tuple[str, ...]) -> str:
    return next((e.text for e in feat.claim.entities if e.norm == norm and e.label in labels), norm.title())


def _absent(norm: str, other) -> bool:
    """Not named by the other claim at all: no word of the name among its entities' words or in its
    text ("Staunton" read as a person in one claim, as part of "Staunton Police Chief" in the other)."""
    words = set(re.findall(r"[a-z0-9]+", norm))
    if words & other.names:
        return False
    text = set(re.findall(r"[a-z0-9]+", other.claim.text.lower()))
    return not (words & text)


def _people(a, b, sim, one_event, verbs, supported=False) -> Clash | None:
    if not one_event:
        return None
    # one office held by different people in one event: "coach: Maurice Cheeks vs Jim O'Brien"
    for pa, (fa, ha, _ta) in sorted(a.offices.items()):
        for pb, (fb, hb, _tb) in sorted(b.offices.items()):
            if ha and ha == hb and fa == fb and pa != pb and _absent(pa, b) and _absent(pb, a):
                mine, theirs = _written(a, pa, ("PERSON",)), _written(b, pb, ("PERSON",))
                return f"{ha}: {mine} vs {theirs}", mine, theirs
    found = (_anchored(a, b, ("PERSON",)) or _sole_actor(a, b)) if supported else None
    if found is not None:
        return found
    return _roles(a, b, verbs, ("PERSON",), lambda x, y: True, loose=sim >= LEXICAL_SIM or supported)


def _slots(feat) -> dict[str, dict[str, set[tuple[str, str]]]]:
    """Event verb -> "subj" / "obj" -> {(name, label)}: who does and who undergoes each event verb of the
    claim (extract.claims never makes a verb of saying an event verb: a speaker is a source)."""
    out: dict[str, dict[str, set[tuple[str, str]]]] = {}
    for role, label, who in feat.roles:
        head, _, dep = role.partition(":")
        if dep in ("subj", "obj") and head in feat.trig:
            out.setdefault(head, {}).setdefault(dep, set()).add((who, label))
    return out


def _anchored(a, b, labels) -> Clash | None:
    """One happening told of different people, anchored by a participant both name in the same place:
    "X stopped Tony Thompson" / "Y defeats Tony Thompson" (the one who did it differs), asked only of a
    pair the linker already holds for one event (two verbs, so the same verb's role is `_roles`'s);
    both people are absent from the other claim."""
    sa, sb = _slots(a), _slots(b)
    for ha, da in sorted(sa.items()):
        for hb, db in sorted(sb.items()):
            for dep, other in (("subj", "obj"), ("obj", "subj")):
                if not {w for w, _ in da.get(other, ())} & {w for w, _ in db.get(other, ())}:
                    continue
                for who, label in sorted(da.get(dep, ())):
                    if label not in labels or not _absent(who, b):
                        continue
                    for who_b, label_b in sorted(db.get(dep, ())):
                        if label_b in labels and who_b != who and _absent(who_b, a):
                            mine, theirs = _written(a, who, labels), _written(b, who_b, labels)
                            return f"{ha} ({dep}): {mine} vs {theirs}", mine, theirs
    return None


def _sole_actor(a, b) -> Clash | None:
    """In a pair the linker already holds for one event: each claim names exactly one person, and that
    person does or undergoes an event verb of its claim in the same way ("Actress X entered Promises
    Treatment Center" / "Tara Reid checked into Promises Treatment Center": who did it differs); each is
    absent from the other claim. A claim naming several people (who did it, to whom, who saw it) is left
    alone: there the roles say more than the names."""
    pa, pb = _people_named(a), _people_named(b)
    if len(pa) != 1 or len(pb) != 1:
        return None
    (who,), (who_b,) = pa, pb
    if who == who_b or not _absent(who, b) or not _absent(who_b, a):
        return None
    deps_a = {dep for head, dep in _acts(a, who)}
    for head_b, dep in sorted(_acts(b, who_b)):
        if dep in deps_a:
            head = sorted(h for h, d in _acts(a, who) if d == dep)[0]
            mine, theirs = _written(a, who, ("PERSON",)), _written(b, who_b, ("PERSON",))
            return f"{head} ({dep}): {mine} vs {theirs}", mine, theirs
    return None


def _same_age(a, b) -> Clash | None:
    """In a pair the linker already holds for one fact: one age given to two people, each of whom the
    other claim does not name ("Susan Whitfield, 23, was arrested" / "a hearing for John Jenkin, 23,"):
    the age that joins the two claims says who, and the two say different people."""
    for person, (age, name) in sorted(a.ages.items()):
        for other, (age_b, name_b) in sorted(b.ages.items()):
            if age == age_b and not _names(b, name) and not _names(a, name_b):
                return f"{age}-year-old: {name} vs {name_b}", name, name_b
    return None


def _names(feat, name: str) -> bool:
    """Whether the claim may name this person: its family name (the name's last word) is in the
    claim's text ("Katie Jenkin" / "Kathryn Jenkin", "Fred LaRue" / "Frederick Cheney LaRue")."""
    last = name.split()[-1]
    return bool(re.search(r"(?<![\w-])" + re.escape(last) + r"(?![\w-])", feat.claim.text, re.IGNORECASE))


def _people_named(feat) -> set[str]:
    return {e.norm for e in feat.claim.entities if e.label == "PERSON" and e.norm}


def _acts(feat, who: str) -> set[tuple[str, str]]:
    """(event verb, "subj" | "obj") of each event verb `who` does or undergoes in the claim."""
    out = set()
    for role, label, name in feat.roles:
        head, _, dep = role.partition(":")
        if label == "PERSON" and name == who and dep in ("subj", "obj") and head in feat.trig:
            out.add((head, dep))
    return out


_WHERE = frozenset("in at near outside inside across off on throughout".split())  # where it happened


def _where(feat) -> list[str]:
    """Places after "in", "at", "near" ..., or what an event verb acts on ("struck Tehran")."""
    out = set()
    for role, label, who in feat.roles:
        head, _, dep = role.partition(":")
        if label in ("GPE", "LOC") and (dep in _WHERE or (dep == "obj" and head in feat.trig)):
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
        one_country = all(len({c for x in names for c in countries(_written(f, x, _PLACE))}) == 1 for f, names in ((a, mine), (b, theirs)))
        if mine and theirs and one_country and all(exclusive(_written(a, x, _PLACE), _written(b, y, _PLACE)) for x in mine for y in theirs):
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
        if not _absent(pa, b):
            continue
        wa = _written(a, pa, ("GPE", "LOC"))
        for pb in theirs:
            if pb == pa or not _absent(pb, a):
                continue
            wb = _written(b, pb, ("GPE", "LOC"))
            if (
                exclusive(wa, wb)
                and not any(overlap(wa, _written(b, o, ("GPE", "LOC"))) for o in theirs)
                and not any(overlap(wb, _written(a, o, ("GPE", "LOC"))) for o in mine)
            ):
                return f"{wa} vs {wb}" + (f" ({verbs[0]})" if verbs else ""), wa, wb
    return None


def _roles(a, b, verbs, labels, differ, loose: bool = False) -> Clash | None:
    """One role ("fire:obj", "strike:in", "neighborhood:of") of a word both claims use, filled by
    different names; when the pair is already one event (`loose`), the doer or the one done to of
    each claim's event verbs ("killed X" / "Y was shot")."""
    heads = set(verbs) | (a.terms & b.terms)  # a shared event verb, or a word both use ("neighborhood")
    for role, label, who in a.roles:
        head, _, dep = role.partition(":")
        if dep in ("subj", "obj") and head not in a.trig:
            continue  # who says or tells is a source, not a participant: two sources never conflict
        acting = loose and dep in ("subj", "obj")
        if label not in labels or (head not in heads and not acting and not (loose and dep == "title")):
            continue
        for role_b, label_b, who_b in b.roles:
            if label_b not in labels or who_b == who:
                continue
            head_b, _, dep_b = role_b.partition(":")
            loose_match = acting and dep_b == dep and head_b in a.trig and head in b.trig
            if (role_b != role and not loose_match) or (dep_b in ("subj", "obj") and head_b not in b.trig):
                continue
            if _absent(who, b) and _absent(who_b, a):
                mine, theirs = _written(a, who, labels), _written(b, who_b, labels)
                if not differ(mine, theirs):
                    continue
                if dep == "title":
                    return f"{head}: {mine} vs {theirs}", mine, theirs
                return f"{head} ({dep}): {mine} vs {theirs}", mine, theirs
    return None
