"""Comparing two claims: the verdict (supports / conflicts / nothing) and its one-line reason.

`features` turns a claim into a `Feat`: its terms (content lemmas, entity norms, specific figures and
dates as terms), figures, dates, titles, event verbs (extract.claims marks them "v:" in the lemmas,
"n:" when negated) and participants. `compare` decides a pair, from the first claim's side:

- conflicts (extract.conflicts): the same event or measure with incompatible values: figures, dates and
  weekdays, ages, titles, people in one role, places in different countries. Compatible bounds never
  conflict.
- supports: the same figure ("same figure: 160,000 men"), the same day, the same event (an event verb
  of one used by the other, with a shared participant, figure or day that takes part in it
  (`support_events`), the same polarity and no day that excludes the other's: "same event: arrest"),
  or very similar wording.
Support and conflict are only ever asked of two claims of one story (extract.stories).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from claimdesk.extract.conflicts import conflict
from claimdesk.extract.facts import (
    DateSpan,
    ages_of,
    Figure,
    cells,
    date_label,
    date_span,
    date_term,
    dates_compatible,
    equal,
    figure_label,
    figure_of,
    figure_term,
    grain,
    office,
    same_thing,
)
from claimdesk.extract.model import Claim

SUPPORT_SIM = 0.12  # same figure or date + the same counted noun and this much shared wording ...
SUPPORT_SIM_LOOSE = 0.20  # ... or this much shared wording alone
LEXICAL_SIM = 0.50  # wording alone this similar: supports ...
MIDDLE_SIM = 0.25  # ... or this similar, sharing a person or organisation and a distinctive word
DISTINCTIVE = 0.8  # a distinctive word's IDF is at least this share of the highest possible IDF
STORY_MIN = 2  # named entities two articles share to be on one story (for figure-only support)
RATIO_LIMIT = 2.0  # two figures further apart than this are about different things (as extract.conflicts)
EVENT_SIM = 0.07  # one story, a shared event verb and this much shared wording: the same event

# -------------------------------------------------------------------- features


@dataclass(slots=True)
class Feat:
    index: int
    claim: Claim
    family: str
    terms: frozenset[str]
    weight: float = 0.0
    quants: list[Figure] = field(default_factory=list)
    dates: list[DateSpan] = field(default_factory=list)
    offices: dict[str, tuple[bool, str, str]] = field(default_factory=dict)
    keys: list[tuple] = field(default_factory=list)
    actors: frozenset[str] = frozenset()
    sig: int = 0  # claims with equal features share a signature: compared once
    story: frozenset[str] = frozenset()  # entity norms of the whole article
    names: frozenset[str] = frozenset()  # the words of the claim's entity names ("susan", "hart")
    trig: frozenset[str] = frozenset()  # event verbs' lemmas ("arrest", "fire")
    negated: frozenset[str] = frozenset()  # event verbs said not to happen ("not deployed")
    args: frozenset[str] = frozenset()  # participants, figures and days: who, what, when
    ages: dict[str, tuple[str, str]] = field(default_factory=dict)  # person norm -> (age as written, name)
    sole: frozenset[tuple[str, str, str]] = frozenset()  # (office, of what, person norm): extract.roles.sole_offices
    group: int = 0  # the claim's story (extract.stories): support and conflict never cross stories
    roles: tuple[tuple[str, str, str], ...] = ()  # (role, label, name norm): ("fire:obj", "PERSON", "cheeks")


def features(index: int, claim: Claim, family: str) -> Feat:
    terms = {lem.lower() for lem in claim.lemmas if lem and not lem[0].isdigit() and ":" not in lem}
    terms.update("@" + e.norm for e in claim.entities if e.norm)
    quants = [figure_of(claim, q) for q in claim.quantities]
    dates = [date_span(d) for d in claim.dates]
    dates = [d for d in dates if d.value or d.weekday is not None]  # a weekday alone: compared as one
    # figures and dates are terms too: sharing a rare figure is strong evidence of one fact
    terms.update(t for t in map(figure_term, quants) if t)
    terms.update(t for t in map(date_term, dates) if t)
    feat = Feat(index, claim, family, frozenset(terms))
    feat.quants, feat.dates = quants, dates
    feat.trig = frozenset(lem[2:] for lem in claim.lemmas if lem.startswith("v:"))
    feat.negated = frozenset(lem[2:] for lem in claim.lemmas if lem.startswith("n:"))
    feat.args = frozenset(
        ["@" + e.norm for e in claim.entities if e.norm and e.label != "NORP"]
        + [f"#{q.unit}{q.value:g}" for q in quants if not q.trivial]
        + ["#d" + d.value for d in dates if d.value and grain(d) == 2]
    )
    feat.roles = tuple(
        (f"{head}:{dep}", label, norm.replace("_", " "))
        for head, dep, label, norm in (lem[2:].split(":", 3) for lem in claim.lemmas if lem.startswith("r:"))
    )
    feat.names = frozenset(
        w for e in claim.entities for w in re.findall(r"[a-z0-9]+", (e.text + " " + e.norm).lower())
    )
    feat.actors = frozenset(
        "@" + e.norm for e in claim.entities if e.norm and e.label in ("PERSON", "ORG")
    )
    feat.sole = frozenset(
        (office.replace("_", " "), where.replace("_", " "), who.replace("_", " "))
        for office, where, who in (lem[2:].split(":", 2) for lem in claim.lemmas if lem.startswith("o:"))
    )
    feat.ages = ages_of(claim)  # "Robert Pitman, 24,", "16-year-old Kimani Gray", "died aged 84"
    for person, held in claim.title_offices:
        if person and held:
            former, head = office(held)
            feat.offices.setdefault(person, (former, head, held))
    keys: set[tuple] = set()
    for q in feat.quants:
        keys.update(cells(q))
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


def similarity(a: Feat, b: Feat, idf: Mapping[str, float]) -> tuple[float, list[str]]:
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


def _wording(a: Feat, b: Feat, idf: Mapping[str, float]) -> bool:
    """Shared words beyond names and figures: at least two, and a third of the shared weight."""
    shared = a.terms & b.terms
    names = a.names | b.names
    content = [t for t in shared if t[0] not in "@#" and t not in names]
    if len(content) < 2:
        return False
    total = math.fsum(idf.get(t, 0.0) for t in shared)
    return math.fsum(idf.get(t, 0.0) for t in content) * 3 >= total


def _distinctive(a: Feat, b: Feat, idf: Mapping[str, float]) -> bool:
    """They share an actor (person/org) and a word almost nobody else uses."""
    shared = a.terms & b.terms
    if not any(t in a.actors for t in shared):
        return False
    top = idf.get("", 0.0) * DISTINCTIVE  # "" holds the highest possible IDF
    return any(t[0] not in "@#" and idf.get(t, 0.0) >= top for t in shared)


def shared_events(a: "Feat", b: "Feat") -> set[str]:
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


def support_events(a: "Feat", b: "Feat") -> set[str]:
    """`shared_events` that hold as evidence of support (one fact told twice), not only of one happening:

    - a verb against a noun ("demanded" / "demands") needs two shared participants that take part in it:
      one the noun's claim gives to an event verb of its own, which the other claim does not use, is
      that other event's ("Former U.S. President Donald Trump ... expressed frustration with Putin's
      demands" / "Putin ... has demanded the lifting of U.S. sanctions": Trump and the U.S. are who
      expressed frustration; the demand shares only Putin), unless the verb's claim gives it a role on
      the verb too;
    - one shared verb with a single shared participant: when one claim names who does it or to whom
      (the verb's subject or object, extract.roles) and the other names none of them, the one
      participant they share is not enough ("North Korea recently sent an additional 3,000 soldiers to
      support Russia's war effort" / "some were sent to the frontlines, particularly in Russia's border
      regions"; "Hoover had died the month before" / "Felt died at his home")."""
    shared = shared_events(a, b)
    if not shared:
        return shared
    common = a.args & b.args
    direct = a.trig & b.trig
    if direct:
        if len(common) == 1 and (_unnamed(a, b, direct, common) or _unnamed(b, a, direct, common)):
            return set()
        return shared
    out = set()
    for t in shared:
        x, y = (a, b) if t in a.trig else (b, a)  # x uses t as an event verb, y as a noun
        others = _roles_on(y, y.trig - x.trig) - _roles_on(x, {t})
        if len(common - others) >= 2:
            out.add(t)
    return out


def _roles_on(f: "Feat", verbs: set[str] | frozenset[str], deps: tuple[str, ...] = ()) -> set[str]:
    """The named participants (as args: "@north korea") `f` gives a role on one of `verbs` (extract.roles),
    of the dependencies `deps` only if given ("subj", "obj")."""
    out = set()
    for role, _label, norm in f.roles:
        head, _, dep = role.partition(":")
        if head in verbs and (not deps or dep in deps):
            out.add("@" + norm)
    return out


def _unnamed(x: "Feat", y: "Feat", verbs: set[str] | frozenset[str], common: set[str]) -> bool:
    """x names who does one of `verbs` or to whom (beyond what the two share), y names none of them."""
    who = _roles_on(x, verbs, ("subj", "obj"))
    return bool(who - common) and not (who & y.args)


def dates_agree(a: "Feat", b: "Feat") -> bool:
    """No day of one claim that the other's days all exclude (a look-alike event on another day)."""
    xs = [d for d in a.dates if not d.since and d.year is not None]
    ys = [d for d in b.dates if not d.since and d.year is not None]
    return not xs or not ys or any(dates_compatible(x, y) for x in xs for y in ys)


def compare(a: Feat, b: Feat, idf: Mapping[str, float]) -> Verdict | None:
    sim, top = similarity(a, b, idf)

    # ---- conflicts (extract.conflicts)
    clash, disagreeing = conflict(a, b, sim, shared_events(a, b))
    if clash is not None:
        reason, mine, theirs = clash
        return Verdict("conflicts", reason, mine, theirs, round(sim, 4))
    a_matched = {i for i, qa in enumerate(a.quants) if any(equal(qa, qb) for qb in b.quants)}

    # ---- support
    for i in sorted(a_matched):
        qa = a.quants[i]
        if qa.trivial:
            continue
        qb = next(qb for qb in b.quants if equal(qa, qb))
        context = same_thing(qa, qb) or (qa.unit != "" and qa.unit == qb.unit)
        if (context and sim >= SUPPORT_SIM) or sim >= SUPPORT_SIM_LOOSE:
            return Verdict("supports", f"same figure: {figure_label(qa)}", qa.text, qb.text, round(sim, 4))
    for x in a.dates:
        if not x.since and grain(x) < 2 and "/" not in x.value:
            continue  # a shared year or month alone is no evidence; a day, a span or a "since" is
        for y in b.dates:
            if x.value and x.since == y.since and x.value == y.value and sim >= SUPPORT_SIM:
                return Verdict("supports", f"same date: {date_label(x)}", x.text, y.text, round(sim, 4))
    if not disagreeing and sim >= EVENT_SIM:
        shared = sorted(support_events(a, b), key=lambda t: (-idf.get(t, 0.0), t))
        if shared and dates_agree(a, b):
            return Verdict("supports", "same event: " + ", ".join(shared[:2]), "", "", round(sim, 4))
    if disagreeing or sim < MIDDLE_SIM or not _wording(a, b, idf):
        return None
    if sim >= LEXICAL_SIM or _distinctive(a, b, idf):
        return Verdict("supports", "same wording: " + ", ".join(top), "", "", round(sim, 4))
    return None


def verdicts(a: Feat, b: Feat, idf: Mapping[str, float]) -> tuple[Verdict, Verdict] | None:
    v_ab = compare(a, b, idf)
    v_ba = compare(b, a, idf)
    if v_ab is None and v_ba is None:
        return None
    if v_ab is None or v_ba is None or v_ba.relation != v_ab.relation:
        # the relation must not depend on the side: conflicts win, then whichever side found one
        if v_ba is None or (v_ab is not None and v_ab.relation == "conflicts"):
            v_ba = mirror(v_ab)  # type: ignore[arg-type]
        else:
            v_ab = mirror(v_ba)
    return v_ab, v_ba  # type: ignore[return-value]


def specific(q: Figure) -> bool:
    """160,000 or 1.5 million, not 100,000 or 1 million: two significant digits or more."""
    if q.trivial or q.high is not None or q.value < 1000:
        return False
    digits = f"{q.value:.6g}".replace(".", "").rstrip("0").lstrip("0")
    return len(digits) >= 2


def one_figure(a: Feat, b: Feat, same_noun: bool = True) -> tuple[Figure, Figure] | None:
    """The first specific figure of `a` (`specific`) that `b` gives too, counting the same kind of thing
    if `same_noun`."""
    for qa in a.quants:
        if specific(qa):
            for qb in b.quants:
                if equal(qa, qb) and (not same_noun or same_thing(qa, qb)):
                    return qa, qb
    return None


def same_figure(qa: Figure, qb: Figure, sim: float) -> tuple[Verdict, Verdict]:
    """"same figure: 160,000 men" read from each side."""
    return (
        Verdict("supports", f"same figure: {figure_label(qa)}", qa.text, qb.text, sim),
        Verdict("supports", f"same figure: {figure_label(qb)}", qb.text, qa.text, sim),
    )


def figure_support(a: Feat, b: Feat, idf: Mapping[str, float]) -> tuple[Verdict, Verdict] | None:
    """The same specific figure of the same kind of thing, in articles on one story (they share at
    least ``STORY_MIN`` named entities), supports even in otherwise different words."""
    found = one_figure(a, b)
    if found is None or len(a.story & b.story) < STORY_MIN:
        return None
    return same_figure(*found, round(similarity(a, b, idf)[0], 4))


def mirror(v: Verdict) -> Verdict:
    """The same verdict read from the other claim's side ("A vs B" becomes "B vs A")."""
    if v.relation == "conflicts" and v.mine and v.theirs:
        reason = v.reason.replace(f"{v.mine} vs {v.theirs}", f"{v.theirs} vs {v.mine}", 1)
        return Verdict(v.relation, reason, v.theirs, v.mine, v.score)
    return Verdict(v.relation, v.reason, v.theirs, v.mine, v.score)
