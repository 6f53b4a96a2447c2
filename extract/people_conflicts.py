"""People in conflict: who differs between two claims of one story (extract.conflicts decides whether
the two are one event; these say which person differs and how, in one checkable line).

- one person's age given two ways: "33 vs 41 (age of Tara Reid)" (`ages`; "John Jenkin, 23" and
  "Katie Jenkin, 20" are two people; the family name alone carries the age where the parser took the
  name for no person: "Andrew Lopez, 20" / "Lopez, 25");
- one age given to two people the other claim does not name: "43-year-old: Maria Castellanos vs Yvonne
  Hiller" (`same_age`: the age is what joins the two);
- a title current in one and former in the other: "former president vs president (Trump)" (`titles`);
- one office or one role of the event held by different people: "coach: Maurice Cheeks vs Jim
  O'Brien", "fire (obj): Cheeks vs O'Brien", and in a pair already held for one event "stop (subj): X
  vs Y" for "X stopped Tony Thompson" / "Y defeats Tony Thompson" (`people`);
- one office one person holds at a time, of one place or organisation, given to two people whatever
  the event: "chancellor (german): Robert Hallam vs Angela Merkel" (`sole_office`; extract.roles reads
  "German Chancellor X", "the governor of Qeshm, X", "Qeshm's governor, X").

`a`, `b` are extract.compare.Feat. A speaker is a source, never a participant. `written` and `absent`
read names as a claim writes them (also for places).
"""

from __future__ import annotations

import re

from claimdesk.extract.facts import age_phrase


def ages(a, b, sim, one_event, verbs, supported=False) -> tuple[str, str, str] | None:
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


def titles(a, b, sim, one_event, verbs, supported=False) -> tuple[str, str, str] | None:
    for person in sorted(a.offices.keys() & b.offices.keys()):
        fa, ha, ta = a.offices[person]
        fb, hb, tb = b.offices[person]
        if ha and ha == hb and fa != fb:
            return f"{ta.lower()} vs {tb.lower()} ({person.title()})", ta.lower(), tb.lower()
    return None


def written(feat, norm: str, labels: tuple[str, ...]) -> str:
    return next((e.text for e in feat.claim.entities if e.norm == norm and e.label in labels), norm.title())


def absent(norm: str, other) -> bool:
    """Not named by the other claim at all: no word of the name among its entities' words or in its
    text ("Staunton" read as a person in one claim, as part of "Staunton Police Chief" in the other)."""
    words = set(re.findall(r"[a-z0-9]+", norm))
    if words & other.names:
        return False
    text = set(re.findall(r"[a-z0-9]+", other.claim.text.lower()))
    return not (words & text)


def people(a, b, one_event: bool, verbs, supported: bool = False, loose: bool = False) -> tuple[str, str, str] | None:
    """One office, or one role of the event, held by different people (`one_event`: the pair is one event
    by extract.conflicts' test; `supported`: the linker holds it for one; `loose`: any doer or one done
    to of each claim's event verbs, not only the same verb's)."""
    if not one_event:
        return None
    # one office held by different people in one event: "coach: Maurice Cheeks vs Jim O'Brien"
    for pa, (fa, ha, _ta) in sorted(a.offices.items()):
        for pb, (fb, hb, _tb) in sorted(b.offices.items()):
            if ha and ha == hb and fa == fb and pa != pb and absent(pa, b) and absent(pb, a):
                mine, theirs = written(a, pa, ("PERSON",)), written(b, pb, ("PERSON",))
                return f"{ha}: {mine} vs {theirs}", mine, theirs
    found = (_anchored(a, b, ("PERSON",)) or _sole_actor(a, b)) if supported else None
    if found is not None:
        return found
    return _roles(a, b, verbs, ("PERSON",), lambda x, y: True, loose=loose)


def _slots(feat) -> dict[str, dict[str, set[tuple[str, str]]]]:
    """Event verb -> "subj" / "obj" -> {(name, label)}: who does and who undergoes each event verb of the
    claim (extract.claims never makes a verb of saying an event verb: a speaker is a source)."""
    out: dict[str, dict[str, set[tuple[str, str]]]] = {}
    for role, label, who in feat.roles:
        head, _, dep = role.partition(":")
        if dep in ("subj", "obj") and head in feat.trig:
            out.setdefault(head, {}).setdefault(dep, set()).add((who, label))
    return out


def _anchored(a, b, labels) -> tuple[str, str, str] | None:
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
                    if label not in labels or not absent(who, b):
                        continue
                    for who_b, label_b in sorted(db.get(dep, ())):
                        if label_b in labels and who_b != who and absent(who_b, a):
                            mine, theirs = written(a, who, labels), written(b, who_b, labels)
                            return f"{ha} ({dep}): {mine} vs {theirs}", mine, theirs
    return None


def _sole_actor(a, b) -> tuple[str, str, str] | None:
    """In a pair the linker already holds for one event: each claim names exactly one person, and that
    person does or undergoes an event verb of its claim in the same way ("Actress X entered Promises
    Treatment Center" / "Tara Reid checked into Promises Treatment Center": who did it differs); each is
    absent from the other claim. A claim naming several people (who did it, to whom, who saw it) is left
    alone: there the roles say more than the names."""
    pa, pb = _people_named(a), _people_named(b)
    if len(pa) != 1 or len(pb) != 1:
        return None
    (who,), (who_b,) = pa, pb
    if who == who_b or not absent(who, b) or not absent(who_b, a):
        return None
    deps_a = {dep for head, dep in _acts(a, who)}
    for head_b, dep in sorted(_acts(b, who_b)):
        if dep in deps_a:
            head = sorted(h for h, d in _acts(a, who) if d == dep)[0]
            mine, theirs = written(a, who, ("PERSON",)), written(b, who_b, ("PERSON",))
            return f"{head} ({dep}): {mine} vs {theirs}", mine, theirs
    return None


def same_age(a, b) -> tuple[str, str, str] | None:
    """Two claims of one story that give one age to two people, neither named by the other claim
    ("Maria Castellanos, 43, is charged with murder ..." / "Yvonne Hiller, 43, got into an altercation
    ..."): the age that joins the two says who, and the two say different people. Asked of every pair
    compared; on the ECB+ dev topics it added no conflict to the unaltered stories."""
    for _person, (age, name) in sorted(a.ages.items()):
        for _other, (age_b, name_b) in sorted(b.ages.items()):
            if age == age_b and not _names(b, name) and not _names(a, name_b):
                return f"{age}-year-old: {name} vs {name_b}", name, name_b
    return None


def sole_office(a, b) -> tuple[str, str, str] | None:
    """One position one person holds at a time, of one place or organisation, held now by two different
    people ("German Chancellor Robert Hallam" / "The German Chancellor, Angela Merkel"; extract.roles
    reads these), each absent from the other claim, in two claims that share a participant besides the
    office's place or organisation: "chancellor (german): Robert Hallam vs Angela Merkel"."""
    for office, where, who in sorted(a.sole):
        for office_b, where_b, who_b in sorted(b.sole):
            if office != office_b or who == who_b or not _same_body(where, where_b):
                continue
            if not (absent(who, b) and absent(who_b, a)):
                continue
            mine, theirs = written(a, who, ("PERSON",)), written(b, who_b, ("PERSON",))
            return f"{office} ({where}): {mine} vs {theirs}", mine, theirs
    return None


def _same_body(x: str, y: str) -> bool:
    """One place or organisation written two ways: "red sox" / "boston red sox"."""
    wx, wy = set(x.split()), set(y.split())
    return wx <= wy or wy <= wx


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


def _roles(a, b, verbs, labels, differ, loose: bool = False) -> tuple[str, str, str] | None:
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
            if absent(who, b) and absent(who_b, a):
                mine, theirs = written(a, who, labels), written(b, who_b, labels)
                if not differ(mine, theirs):
                    continue
                if dep == "title":
                    return f"{head}: {mine} vs {theirs}", mine, theirs
                return f"{head} ({dep}): {mine} vs {theirs}", mine, theirs
    return None
