"""Counterfactual conflicts on ECB+: does the linker flag a figure, date, person or place that one outlet
changes, and leave the unchanged pair alone?

    python -m bench.counterfactual [--topics 1,3,4] [--per-topic 6] [--examples 3]

For each topic (each linked on its own, as the scorer does), the pairs tested are the supporting pairs
the linker finds and the gold same-event pairs (claims of two documents on coreferent sentences). For
each pair and kind, one value of the first claim that the second claim shares is changed in the
ARTICLE text, and the article is read again through the real pipeline (spaCy, claim extraction), so
the altered claim's figures, dates and entities are what claimdesk itself reads:

- figure: a count or measure both give (same unit, compatible values) -> a value outside the other's
  range, written the same way ("eight" -> "ten", "1,200" -> "1,500", "2.5 million" -> "3.1 million");
  never a bound ("more than 50" -> "more than 62": both may be true), nor a figure the other claim
  gives as a bound ("at least 30" allows 37), a clock time or a number the tokens split ("2: 30", "1,
  300");
- date: a day, month, year or weekday both give -> two days / months / years later, or the weekday
  two days later ("Tuesday" -> "Thursday"); never the day something was said ("authorities said Monday");
- person: a person both name who takes part in the event (does or undergoes an event verb of the
  claim, or holds a title; never the speaker) -> another person's name (as many words: "Cheeks" ->
  "Whitfield");
- place: the one place a claim names, also named by the other, known to the gazetteer and where the
  event happens ("in", "at", "near" ..., or what the event verb acts on) -> a city in another part of
  the world (never "Alaska" in "Alaska Gov. Sarah Palin", nor a name the NER took for a place).

A value is altered only where the two claims still share a participant, a figure or a day besides it:
otherwise the altered pair reads as a look-alike event ("Lohan checked into rehab" / "Reid checked
into rehab") and proves nothing either way.

The altered pair must conflict; the original pair must not (a conflict there is a false conflict).
Alterations that the pipeline does not read back (the claim is gone, the new value or name is not
found in it) are counted as "unread" and left out of the rate. The summary also gives the share found
among the pairs the linker held for one event before the change (the rest are gold pairs it never
linked, whose altered copies a conflict test can only find by a same-event test of its own).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import time
import zlib
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import ecbplus as E  # noqa: E402

KINDS = ("figure", "date", "person", "place")
DEV = tuple(str(t) for t in range(1, 36) if t not in (15, 17) and str(t) not in E.VALIDATION)

_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"
).split()
_TENS = {30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety"}
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\b(?:" + "|".join(_WORDS[1:] + list(_TENS.values())) + r")\b", re.I)
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_MONTHS = "January February March April May June July August September October November December".split()
# people and places put in by the alteration (names nobody in the benchmark's stories has)
_PEOPLE = ("Robert Hallam", "Maria Castellanos", "Daniel Okafor", "Susan Whitfield", "Peter Lindqvist")
_PLACES = ("Lisbon", "Nairobi", "Manila", "Montevideo", "Oslo", "Hanoi")
_PLACE_COUNTRY = {"Lisbon": "Portugal", "Nairobi": "Kenya", "Manila": "Philippines", "Montevideo": "Uruguay",
                  "Oslo": "Norway", "Hanoi": "Vietnam"}  # fmt: skip


@dataclasses.dataclass
class Tally:
    tried: int = 0
    found: int = 0
    unread: int = 0
    apart: int = 0  # tried pairs whose two articles the story grouping puts in different stories (never linked)
    apart_found: int = 0
    linked: int = 0  # tried pairs the linker already held as one event or fact (supporting) unaltered
    linked_found: int = 0
    examples: list = dataclasses.field(default_factory=list)


# -------------------------------------------------------------------- alterations


def _word_for(value: int) -> str | None:
    if 0 < value < len(_WORDS):
        return _WORDS[value]
    return _TENS.get(value)


def _bigger_word(value: int) -> str | None:
    for v in range(value + max(1, value // 4), value + 40):
        if (w := _word_for(v)) is not None:
            return w
    return None


def _new_number(token: str) -> str | None:
    """`token` (digits or a number word) changed by about a quarter, written the same way."""
    low = token.lower()
    if low.isalpha():
        value = _WORDS.index(low) if low in _WORDS else next(k for k, v in _TENS.items() if v == low)
        word = _bigger_word(value)
        return None if word is None else (word.capitalize() if token[0].isupper() else word)
    plain = token.replace(",", "")
    if "." in plain:
        new = round(float(plain) * 1.25, len(plain.split(".")[1]))
        text = f"{new:.{len(plain.split('.')[1])}f}"
        return None if text == plain else text
    value = int(plain)
    new = value + max(1, value // 4)
    return f"{new:,}" if "," in token else str(new)


def _figure(a, b):
    """(start, end, new text) in the article: a figure of `a` that `b` also gives, changed."""
    from claimdesk.extract.facts import equal, figure_of, same_thing

    for q in a.quantities:
        if q.high is not None or q.value < 1:
            continue
        tail, head = a.text[q.end - a.start :], a.text[: q.start - a.start]
        if re.match(r"\s?\d|[,:.]\s?\d", tail) or re.search(r"\d[,:.]?\s?$", head) or q.text.startswith("0"):
            continue  # a phone number or a code, a clock time ("2: 30"), a number split by the tokens ("1, 300")
        fa = figure_of(a, q)
        if getattr(fa, "vague", False) or fa.lo <= 0 or fa.hi == float("inf"):
            continue  # "more than 50" -> "more than 62", "up to 1,000" -> "up to 1,250": both may be true
        same = [fb for fb in (figure_of(b, o) for o in b.quantities if o.unit == q.unit) if equal(fa, fb)]
        if not any(same_thing(fa, fb) or not (fa.nouns or fb.nouns) for fb in same):
            continue  # not the same figure of the same thing
        if any(fb.lo <= 0 or fb.hi == float("inf") for fb in same):
            continue  # the other gives a bound: "at least 30 homers" allows the altered 37 too
        if not _still_shared(a, b, skip_value=q.value):
            continue
        m = _NUMBER.search(q.text)
        if m is None:
            continue
        new = _new_number(m.group(0))
        if new is None:
            continue
        start = q.start + m.start()
        return start, start + len(m.group(0)), new, q.text
    return None


def _date(a, b):
    # the day something was said ("authorities said Monday") is not the event's day (extract.roles)
    told = {lem.split(":", 4)[4].replace("_", " ") for lem in a.lemmas if lem.startswith("r:") and ":told:DATE:" in lem}
    for d in a.dates:
        if d.since or " ".join(d.text.lower().split()) in told:
            continue
        same = any(
            (d.value and o.value == d.value) or o.text.lower() == d.text.lower() for o in b.dates if not o.since
        )
        if not same or not _still_shared(a, b, skip_date=d.text.lower()):
            continue
        for i, day in enumerate(_DAYS):
            m = re.search(rf"\b{day}\b", d.text, re.I)
            if m:
                return d.start + m.start(), d.start + m.end(), _DAYS[(i + 2) % 7], d.text
        m = re.search(r"\b(" + "|".join(_MONTHS) + r")\.?\s+(\d{1,2})\b", d.text, re.I)
        if m:
            day = int(m.group(2))
            new = day + 2 if day <= 26 else day - 2
            return d.start + m.start(2), d.start + m.end(2), str(new), d.text
        m = re.search(r"\b(1[89]\d\d|20\d\d)\b", d.text)
        if m:
            return d.start + m.start(), d.start + m.end(), str(int(m.group(0)) - 2), d.text
        for i, month in enumerate(_MONTHS):
            m = re.search(rf"\b{month}\b", d.text, re.I)
            if m:
                return d.start + m.start(), d.start + m.end(), _MONTHS[(i + 2) % 12], d.text
    return None


def _taking_part(claim, labels: tuple[str, ...]) -> set[str]:
    """The names of `claim` that take part in its event, as the parse reads them (extract.roles): a
    person who does or undergoes an event verb of the claim or holds a title, never who says or tells
    it; a place known to the gazetteer that the event happens in, at, near ... or acts on. Altering any
    other name (a film title read as a person, "Alaska" in "Alaska Gov. Sarah Palin", the speaker of
    a quote) changes no participant of the event, and proves nothing either way."""
    from claimdesk.extract.attribution import ATTRIBUTING
    from claimdesk.extract.places import WHERE, countries

    trig = {lem[2:] for lem in claim.lemmas if lem.startswith("v:")}
    out = set()
    for lem in claim.lemmas:
        if not lem.startswith("r:"):
            continue
        head, dep, label, norm = lem[2:].split(":", 3)
        name = norm.replace("_", " ")
        if label not in labels:
            continue
        if label == "PERSON":
            if dep == "title" or (head in trig and head not in ATTRIBUTING and dep in ("subj", "obj")):
                out.add(name)
        elif (dep in WHERE or (dep == "obj" and head in trig)) and countries(name):
            out.add(name)
    return out


def _entity(a, b, labels: tuple[str, ...], pool: Sequence[str]):
    theirs = {e.norm for e in b.entities if e.label in labels}
    if "GPE" in labels and len({e.norm for e in a.entities if e.label in labels}) != 1:
        return None  # a place among others ("East Flatbush, Brooklyn"): changing one moves nothing
    taking_part = _taking_part(a, labels)
    for e in a.entities:
        if e.label not in labels or not e.norm or e.norm not in theirs or e.norm not in taking_part:
            continue
        at = a.text.find(e.text)
        if at < 0 or not _still_shared(a, b, skip_name=e.norm):
            continue
        words = len(e.text.split())
        start = zlib.crc32(a.id.encode()) % len(pool)
        for k in range(len(pool)):
            name = pool[(start + k) % len(pool)]
            if words == 1 and " " in name:
                name = name.split()[-1]
            country = _PLACE_COUNTRY.get(name, "")
            if name.lower() in (a.text + b.text).lower() or (country and country.lower() in (a.text + b.text).lower()):
                continue
            return a.start + at, a.start + at + len(e.text), name, e.text
    return None


def _still_shared(a, b, skip_value=None, skip_date=None, skip_name=None) -> bool:
    """Do `a` and `b` share a participant, a figure or a day besides the value to be altered? Without
    one, the altered pair is indistinguishable from a look-alike event ("Lohan checked into rehab" /
    "Reid checked into rehab") and proves nothing either way."""
    names = {e.norm for e in a.entities if e.norm and e.label != "NORP"} - {skip_name}
    if names & {e.norm for e in b.entities if e.norm}:
        return True
    values = {q.value for q in a.quantities if q.value >= 10} - {skip_value}
    if values & {q.value for q in b.quantities}:
        return True
    days = {d.value or d.text.lower() for d in a.dates if d.value or d.text} - {skip_date, ""}
    return bool(days & {d.value or d.text.lower() for d in b.dates})


def alteration(kind: str, a, b):
    if kind == "figure":
        return _figure(a, b)
    if kind == "date":
        return _date(a, b)
    if kind == "person":
        return _entity(a, b, ("PERSON",), _PEOPLE)
    return _entity(a, b, ("GPE", "LOC"), _PLACES)


def _reread(article, start: int, end: int, new: str, nlp):
    """The article with text[start:end] replaced, read again through the pipeline: (article, claims)."""
    from claimdesk.extract.claims import claims_from_docs, split_text

    text = article.text[:start] + new + article.text[end:]
    from claimdesk.extract.model import Article

    # field by field: a cached article may come from an older Article (fewer fields)
    kept = {f.name: getattr(article, f.name) for f in dataclasses.fields(Article) if hasattr(article, f.name)}
    changed = Article(**{**kept, "text": text})
    pieces = split_text(text)
    docs = list(nlp.pipe([p for p, _ in pieces]))
    return changed, claims_from_docs([(d, off) for d, (_p, off) in zip(docs, pieces)], changed)


# -------------------------------------------------------------------- the run


def _pairs(gold, articles, claims, links) -> list[tuple[str, str]]:
    where = E.mapped(gold, articles, claims)
    by_key: dict = defaultdict(list)
    for cid, (_doc, keys) in where.items():
        for k in keys:
            by_key[k].append(cid)
    art = {c.id: c.article_id for c in claims}
    out = {tuple(sorted((lk.claim_id, lk.other_id))) for lk in links if lk.relation == "supports"}
    for x, y in gold.pairs:
        for ca in by_key.get(x, ()):
            for cb in by_key.get(y, ()):
                if art[ca] != art[cb]:
                    out.add(tuple(sorted((ca, cb))))
    return sorted(out)


def run(
    topics: Sequence[str], per_topic: int = 6, nlp=None, examples: int = 0, cache: bool = True,
    kinds: Sequence[str] = KINDS,
) -> dict:
    """Per kind: Tally of altered pairs; and the unaltered pairs and how many of them conflict."""
    from claimdesk.extract.links import link_corpus
    from claimdesk.extract.nlp import load_pipeline
    from claimdesk.extract.stories import stories as story_groups

    nlp = nlp or load_pipeline()
    gold, data = E.load(topics)
    tallies = {k: Tally() for k in KINDS}
    unaltered = false_conflicts = 0
    false_examples: list[str] = []
    t0 = time.perf_counter()
    for t in topics:
        articles, claims = E.topic_claims(data, t, nlp=nlp, cache=cache)
        links = link_corpus(articles, claims).links
        rel = {(lk.claim_id, lk.other_id): (lk.relation, lk.reason) for lk in links}
        by_id = {c.id: c for c in claims}
        art_by_id = {a.id: a for a in articles}
        pairs = _pairs(gold, articles, claims, links)
        held = {p for p, r in rel.items() if r[0] == "supports"}
        groups = story_groups(claims)  # the unaltered corpus's stories
        unaltered += len(pairs)
        for p in pairs:
            r = rel.get(p)
            if r and r[0] == "conflicts":
                false_conflicts += 1
                if len(false_examples) < examples:
                    false_examples.append(f"{r[1]}\n     {by_id[p[0]].text[:150]}\n     {by_id[p[1]].text[:150]}")
        for kind in kinds:
            tally = tallies[kind]
            done = 0
            used: set[str] = set()
            for x, y in pairs:
                if done >= per_topic:
                    break
                for a_id, b_id in ((x, y), (y, x)):
                    if a_id in used:
                        continue
                    a, b = by_id[a_id], by_id[b_id]
                    alt = alteration(kind, a, b)
                    if alt is None:
                        continue
                    start, end, new, old = alt
                    used.add(a_id)
                    done += 1
                    article = art_by_id[a.article_id]
                    changed, fresh = _reread(article, start, end, new, nlp)
                    shift = len(new) - (end - start)
                    mine = next(
                        (c for c in fresh if c.start <= start and c.end >= start + len(new) and c.end - shift >= a.end - 1),
                        None,
                    )
                    if mine is None or new not in mine.text:
                        tally.unread += 1
                        break
                    rest = [c for c in claims if c.article_id != a.article_id]
                    others = [o for o in articles if o.id != a.article_id]
                    again = link_corpus(others + [changed], rest + fresh).links
                    tally.tried += 1
                    apart = groups.get(a.article_id) != groups.get(b.article_id)
                    tally.apart += apart
                    hit = next(
                        (lk for lk in again if lk.claim_id == mine.id and lk.other_id == b.id and lk.relation == "conflicts"),
                        None,
                    )
                    tally.found += hit is not None
                    tally.apart_found += apart and hit is not None
                    tally.linked += (a_id, b_id) in held
                    tally.linked_found += (a_id, b_id) in held and hit is not None
                    if len(tally.examples) < examples and not apart:
                        now = next((lk for lk in again if lk.claim_id == mine.id and lk.other_id == b.id), None)
                        tally.examples.append(
                            f"{'FOUND' if hit else 'missed'} {old!r} -> {new!r}"
                            + (f" (before: {rel[(a_id, b_id)][1]})" if (a_id, b_id) in rel else " (unlinked before)")
                            + (f" [{now.relation}: {now.reason}]" if now else " [not linked]")
                            + f"\n     {mine.text[:150]}\n     {b.text[:150]}"
                        )
                    break
    return {
        "kinds": tallies, "unaltered": unaltered, "false_conflicts": false_conflicts,
        "false_examples": false_examples, "seconds": time.perf_counter() - t0,
    }  # fmt: skip


def summary(r: dict) -> str:
    parts = []
    tried = found = apart = apart_found = linked = linked_found = 0
    for k in KINDS:
        t = r["kinds"][k]
        tried, found = tried + t.tried, found + t.found
        apart, apart_found = apart + t.apart, apart_found + t.apart_found
        linked, linked_found = linked + t.linked, linked_found + t.linked_found
        parts.append(f"{k} {t.found}/{t.tried}")
    rate = r["false_conflicts"] / max(1, r["unaltered"])
    one = tried - apart
    return (
        f"counterfactual conflicts {found}/{tried} ({100 * found / max(1, tried):.0f}%): " + ", ".join(parts)
        + f"; within one story {found - apart_found}/{one} ({100 * (found - apart_found) / max(1, one):.0f}%)"
        + f"; of pairs linked before the change {linked_found}/{linked} ({100 * linked_found / max(1, linked):.0f}%)"
        + f"; false conflicts {r['false_conflicts']}/{r['unaltered']} unaltered pairs ({100 * rate:.1f}%)"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topics", default=",".join(DEV), help="ECB+ topics (default: the dev topics, no validation)")
    ap.add_argument("--per-topic", type=int, default=6, help="altered pairs per kind and topic")
    ap.add_argument("--examples", type=int, default=0, help="print this many examples per kind")
    ap.add_argument("--kinds", default=",".join(KINDS), help="alterations tried (default: all four)")
    a = ap.parse_args(argv)
    r = run(a.topics.split(","), a.per_topic, examples=a.examples, kinds=a.kinds.split(","))
    for k in KINDS:
        t = r["kinds"][k]
        if t.unread:
            print(f"{k}: {t.unread} alterations not read back by the pipeline (left out)")
        for ex in t.examples:
            print(f"  [{k}] {ex}")
    for ex in r["false_examples"]:
        print(f"  [false conflict] {ex}")
    print(f"topics {a.topics}: {summary(r)}; {r['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
