"""Cross-article claim links: which claims of other articles support or contradict a claim.

Pure Python over the fields already on `Claim`; no spaCy here, so `store` may import this module.
Deterministic. Steps:

1. Stories (extract.stories): articles are grouped by what is specific to their story. Support and
   conflict are only looked for inside one story: a look-alike event elsewhere (another firing, another
   earthquake) or a bare shared figure of another story is never a link.
2. Candidates from an inverted index, never all pairs. Keys: figure magnitude cells, exact figures,
   entity norms, dates, "since" years, people with a title, content lemmas. A key held by more than
   ``COMMON_FRACTION`` of the claims (and more than ``COMMON_MIN`` claims) does not propose candidates.
   Each claim walks its keys from the rarest up and stops after ``VISIT_BUDGET`` postings; the
   ``MAX_CANDIDATES`` best candidates of its own story are compared (extract.compare), each pair once,
   and pairs of claims with identical features share one verdict.
3. Same-event groups: claims joined by support (and an article's first ``LEAD_CLAIMS`` claims, its
   headline and lead) form a group per story; two claims of a group in different articles support each
   other too when they share an event verb and agree on days and figures, or tell the happening in other
   words (one without an event verb of its own, a headline or "the double murder") and neither adds a
   fact the other lacks (`_nominal`); two leads, or two such retellings, must share more than names
   (`_more_than_names`); two claims of a group that give one specific figure are one fact whatever noun
   counts it (`_figure_told`), so a fact told by 30 outlets is found as a group rather than pair
   by pair. A shared event verb counts only with participants that take part in it
   (compare.support_events).
4. Links are symmetric (conflicts win if the two sides differ; the reason reads from the claim's side).
   Each claim keeps at most ``MAX_LINKS_PER_CLAIM`` links per relation, one per other source family
   first, then by score; a pair kept by either side is emitted both ways.

`last_stats` holds counters of the most recent `link_claims` call for the scale tests and the bench.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from claimdesk.extract.compare import (
    EVENT_SIM,
    Feat,
    Verdict,
    compare,
    dates_agree,
    features,
    figure_support,
    mirror,
    one_figure,
    same_figure,
    shared_events,
    similarity,
    support_events,
    verdicts,
)
from claimdesk.extract.conflicts import within_support
from claimdesk.extract.events import count_clash, open_counts
from claimdesk.extract.facts import Figure, unsettled
from claimdesk.extract.model import Article, Claim, Link, Linkage

COMMON_FRACTION = 0.30  # a key in more than this share of claims does not generate candidates ...
COMMON_MIN = 12  # ... unless it is held by at most this many claims (small corpora)
VISIT_BUDGET = 600  # postings walked per claim, rarest keys first
MAX_CANDIDATES = 60  # candidates of the claim's own story compared per claim (best summed key IDF first)
MAX_LINKS_PER_CLAIM = 150  # per relation, family-diverse first
SEMANTIC = False  # sentence vectors propose same-event candidates (extract.events): off by default, see events.py

last_stats: dict[str, int] = {}

# -------------------------------------------------------------------- the corpus


@dataclass
class _Index:
    feats: list[Feat]
    idf: dict[str, float]
    by_id: dict[str, Feat]


def _build(claims: Sequence[Claim], families: Mapping[str, str]) -> _Index:
    ordered = sorted(claims, key=lambda c: (c.article_id, c.start, c.id))
    feats = [features(i, c, families.get(c.article_id, c.article_id)) for i, c in enumerate(ordered)]
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
            tuple(sorted(f.ages.items())),
            f.roles,
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
    return compare(a, b, index.idf)


def link_claims(
    claims: Sequence[Claim], families: Mapping[str, str], semantic: bool | None = None
) -> tuple[Link, ...]:
    """All links among `claims` (see the module docstring). `semantic`: propose same-event candidates by
    sentence vectors too (extract.events; default ``SEMANTIC``)."""
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
                pair_verdicts = cache[sig]
            else:
                pair_verdicts = cache[sig] = verdicts(a, b, idf)
            if pair_verdicts is None:
                pair_verdicts = figure_support(a, b, idf)
            if pair_verdicts is not None:
                found.append((lo, hi, *pair_verdicts))
    if SEMANTIC if semantic is None else semantic:
        from claimdesk.extract.events import semantic_links

        found.extend(semantic_links(feats, {(lo, hi) for lo, hi, _, _ in found}, idf))
    found.extend(_closure(feats, found, idf))
    found = [_recheck(feats, f) for f in found]
    last_stats.clear()
    last_stats.update(
        claims=n, signatures=len(cache), keys=len(postings), index_keys=len(key_idf),
        visited=visited, pairs_scored=scored, pairs_linked=len(found),
    )  # fmt: skip
    return _select(feats, found)


LEAD_CLAIMS = 2  # an article's first claims (headline, lead) join its story's main-event group
LEAD_SIM = 0.12  # ... and two leads of one story with this much shared wording report one happening
# (`claimdesk ingest --lead-similarity`; dev topics, NOMINAL_SIM 0.15: 0.10 P 0.924 R 0.378, 0.12 P 0.926
# R 0.371, 0.14 P 0.930 R 0.365, 0.17 P 0.931 R 0.354; the leads 0.10 adds to 0.12 are right 81% of the time)
GROUP_MAX = 400  # claims in one same-event group completed pairwise
NOMINAL_SIM = 0.15  # shared wording two claims of a group told in other words need (_nominal; `claimdesk
# ingest --retelling-similarity`; dev topics, with `_more_than_names` and `_age`: 0.10 P 0.919 R 0.392,
# 0.12 P 0.922 R 0.388, 0.15 P 0.924 R 0.378, 0.20 P 0.925 R 0.361; before both, 0.20 gave P 0.908 R 0.366;
# the links 0.12 adds to 0.15 are right only 86% of the time (88 of 102 pairs), those 0.15 adds to 0.20 90%)


def _closure(feats: list[Feat], found: list[tuple[int, int, Verdict, Verdict]], idf) -> list:
    """Same-event groups: claims joined by supporting links (one story) form a group; two claims of a group
    in different articles that share an event verb and agree on dates and figures, or that tell the same
    happening without adding a fact of their own (`_nominal`), support each other too (a fact told by 30
    outlets is one group, not 30 separate pairs found or missed one by one)."""
    parent = list(range(len(feats)))
    # an article's headline and lead report its story's main happening: one group per story
    leads: dict[int, int] = {}
    lead: set[int] = set()
    seen_art: dict[str, int] = defaultdict(int)
    for f in feats:  # feats are in article order, then text order
        seen_art[f.claim.article_id] += 1
        if seen_art[f.claim.article_id] <= LEAD_CLAIMS:
            if f.trig:  # leads with an event verb link to each other on shared wording (LEAD_SIM) ...
                lead.add(f.index)  # ... a headline without one only when it adds no fact (_nominal)
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
                shared = support_events(a, b)
                wording, words = similarity(a, b, idf)  # once per pair: every test below reads it
                if not shared and i in lead and j in lead and wording >= LEAD_SIM and _more_than_names(a, b):
                    shared = {"lead"}
                if not shared and wording >= NOMINAL_SIM and _nominal(a, b) and _more_than_names(a, b):
                    shared = {"group"}
                told = None if shared else _figure_told(a, b)
                if told is not None:  # one specific figure of one happening, its noun in other words
                    shared = {"figure"}
                if not shared or not dates_agree(a, b) or wording < EVENT_SIM:
                    continue
                pair_verdicts = verdicts(a, b, idf)
                weak = shared == {"group"}  # told in other words: too little to call any difference a conflict
                if weak and (
                    (pair_verdicts is not None and pair_verdicts[0].relation == "conflicts")
                    or within_support(a, b, wording, set()) is not None
                ):
                    continue
                if pair_verdicts is not None and pair_verdicts[0].relation == "conflicts":
                    out.append((i, j, *pair_verdicts))
                    continue
                ua, ub = unsettled(a.quants, b.quants), unsettled(b.quants, a.quants)
                sim = round(wording, 4)
                clash = count_clash(open_counts(a, b), open_counts(b, a), sim)
                if clash is not None:
                    out.append((i, j, *clash))  # one event, two counts: "150,000 vs 160,000 (soldiers)"
                    continue
                if ua and ub:
                    continue  # figures that neither settles: not shown to be the same fact
                if told is not None:
                    out.append((i, j, *same_figure(*told, sim)))
                    continue
                if shared & {"lead", "group"}:  # no shared verb: name the words the two share instead
                    top = words[:2] or sorted(shared)
                else:
                    top = sorted(shared, key=lambda t: (-idf.get(t, 0.0), t))[:2]
                v = Verdict("supports", "same event: " + ", ".join(top), "", "", sim)
                out.append((i, j, v, v))
    return out


def _figure_told(a: Feat, b: Feat) -> tuple[Figure, Figure] | None:
    """The specific figure (two significant digits or more, compare.specific: "160,000", not "100,000" or
    "three") two claims of one same-event group both give, whatever noun each counts it with ("draft
    160,000 men" / "the conscription of 160,000 additional soldiers"): the group already holds them for
    one happening, and the figure makes them one fact. (Outside a group, compare.figure_support needs
    the same counted noun too: "10 million" of subscribers and of phones are two facts.)"""
    return one_figure(a, b, same_noun=False)


def _more_than_names(a: Feat, b: Feat) -> bool:
    """Two claims without a shared event verb share something of what happened, not only who or where: a
    word that is no part of a name ("patch", "heist", "parole"), a specific figure or day ("160,000"), or
    two participants (people, places, organisations, figures, days). Two leads of one story that share
    only its protagonist ("Seacom restored ..." / "SEACOM is experiencing downtime", "Klitschko retains
    belts" / "Klitschko defeats Thompson") tell two of its happenings."""
    if len(a.args & b.args) >= 2:
        return True
    names = a.names | b.names
    return any(t[0] != "@" and t not in names for t in a.terms & b.terms)


def _nominal(a: Feat, b: Feat) -> bool:
    """Two claims of one same-event group that tell its happening in other words: one names it without an
    event verb of its own (a headline the tagger misreads, "the double murder", "the quake"), or both use
    the same event verb, and neither adds a fact of its own: a figure the other does not state or allow
    (a person's age is none: it tells who, not what happened, `_age`), a span or "since" year, or more
    than one day between them (one day only one of them gives is when the happening took place; more
    are a schedule, a fact of their own), and if both name people or organisations, they share one."""
    if a.trig and b.trig and (not (a.trig & b.trig) or a.trig & b.negated or b.trig & a.negated):
        return False  # two different actions of one story ("arrested" / "charged") are two events
    if any(not _age(a, q) for q in unsettled(a.quants, b.quants)):
        return False
    if any(not _age(b, q) for q in unsettled(b.quants, a.quants)):
        return False
    wa, wb = _actor_words(a), _actor_words(b)
    if wa and wb and not (wa & wb):
        return False  # both name who acted, no one in common: two happenings (Morningside / Betty Ford)
    da, db = {d.value for d in a.dates}, {d.value for d in b.dates}
    extra = [d for d in a.dates if d.value not in db] + [d for d in b.dates if d.value not in da]
    return len(extra) <= 1 and not any(d.since or "/" in d.value for d in extra)


AGE_BEFORE = re.compile(r"(?:\baged|\bage of)\s+$", re.IGNORECASE)


def _age(f: Feat, q: Figure) -> bool:
    """A person's age ("Jenkin, 23,", "aged 26", "at the age of 85"): a fact about the person, not about
    the happening, so a retelling that gives it adds no fact of its own. A span of ages ("men aged 18 to
    30") is not one: it says whom a measure takes."""
    if q.high is not None:
        return False
    if q.unit == "year" or any(q.text == text for text, _name in f.ages.values()):
        return True
    text = f.claim.text
    return any(AGE_BEFORE.search(text[: m.start()]) for m in re.finditer(re.escape(q.text) + r"\b", text))


def _actor_words(f: Feat) -> frozenset[str]:
    """The words of the people and organisations a claim names (by words: the tagger may call one name a
    person in one sentence and an organisation in the next)."""
    return frozenset(
        w
        for e in f.claim.entities
        if e.label in ("PERSON", "ORG")
        for w in re.findall(r"[a-z0-9]+", (e.text + " " + e.norm).lower())
        if len(w) > 2
    )


def _recheck(feats: list[Feat], item: tuple[int, int, Verdict, Verdict]) -> tuple[int, int, Verdict, Verdict]:
    """A supporting pair whose days, people or places exclude each other conflicts (extract.conflicts)."""
    lo, hi, v_ab, v_ba = item
    if v_ab.relation != "supports":
        return item
    a, b = feats[lo], feats[hi]
    ab = within_support(a, b, v_ab.score, shared_events(a, b))
    if ab is None:
        return item
    conflict_ab = Verdict("conflicts", *ab, v_ab.score)
    ba = within_support(b, a, v_ab.score, shared_events(b, a))
    conflict_ba = Verdict("conflicts", *ba, v_ab.score) if ba is not None else mirror(conflict_ab)
    return lo, hi, conflict_ab, conflict_ba


def _select(feats: list[Feat], found: list[tuple[int, int, Verdict, Verdict]]) -> tuple[Link, ...]:
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
