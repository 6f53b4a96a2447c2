"""Stories: which articles report the same happening, decided from their claims.

Support needs one event, and one event lives in one story: two sentences about two different firings
of two coaches, or a "10 million" of a music service and a "10 million" of a phone maker, share words
or figures but not a story. Articles are grouped by what is specific to their story: each article is a
TF-IDF vector of its claims' named entities (weighted ``ENTITY_WEIGHT``: who and where tell two
look-alike events apart), figures and days ("five hurt" and "ten killed" are two quakes), and
content lemmas; two articles are as close as the cosine of their vectors.

Grouping runs in two passes, so that a corpus of 700 articles on many stories groups each story as a
corpus of that story alone would:

1. Broad subjects: IDF over the whole corpus, average-link clustering down to a mean similarity of
   ``SUBJECT_THRESHOLD`` (low: two firings of two coaches land together, two unrelated stories do not).
2. Stories within each subject: IDF again over the subject's articles alone, so the vocabulary every
   article of the subject shares (fired, coach, the team) weighs little and who, where and when
   weigh much; average-link clustering again, where two groups merge while their mean similarity
   reaches a bound that grows with the smaller group: ``STRAY_THRESHOLD`` for a lone article
   (it joins the story it is closest to), rising towards ``STORY_THRESHOLD`` as
   ``low + (high - low) * (1 - size ** -GROWTH)`` for groups of several articles (two established
   groups are one story only when they are about as close as their own members: this is what keeps
   two look-alike events apart, each with its own people, places, days and figures).

The three bounds were chosen on ECB+ development topics (never on the validation topics or the sample
story) by how well the groups match the benchmark's sub-topics (pairwise precision and recall of "same
group" against "same event", bench/cross_story.py --groups) and by the links' figures;
`claimdesk ingest --story-threshold` overrides ``STORY_THRESHOLD`` (higher: more, smaller stories).

Work: candidate article pairs come from an inverted index over terms held by at most
``MAX_POSTINGS`` articles (a term in every article says nothing about which story), each article
keeps its ``NEIGHBOURS`` best neighbours, and merging works on that sparse graph with a heap, so the
cost grows with the articles, not their square (the second pass repeats this per subject).
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from claimdesk.extract.model import Claim

SUBJECT_THRESHOLD = 0.03  # first pass (IDF over the corpus): mean cosine of groups on one broad subject
STORY_THRESHOLD = 0.25  # second pass (IDF over the subject): mean cosine of two large groups that are one story
STRAY_THRESHOLD = 0.06  # ... and of a lone article and the group it joins (the bound grows with group size)
GROWTH = 0.75  # how fast the bound rises from STRAY_ to STORY_THRESHOLD with the smaller group's size
ENTITY_WEIGHT = 2.0  # a named entity counts this many times a word
IDF_FLOOR = 1.0  # added to every IDF, so a term of every article still counts (a corpus of one story)
MAX_POSTINGS = 200  # a term held by more articles than this does not propose pairs
NEIGHBOURS = 30  # candidate neighbours kept per article


def article_terms(claims: Iterable[Claim]) -> dict[str, dict[str, float]]:
    """article id -> term -> count (entities weighted) from the article's claims."""
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for c in claims:
        bag = out[c.article_id]
        for e in c.entities:
            if e.norm:
                bag["@" + e.norm] += ENTITY_WEIGHT
        for lem in c.lemmas:
            if lem and ":" not in lem and not lem[0].isdigit():
                bag[lem] += 1.0
        for q in c.quantities:  # small counts too
            bag[f"#{q.unit}{q.value:g}"] += 1.0
        for d in c.dates:
            if d.value and len(d.value) >= 7:  # a month or a day, not a bare year
                bag["#d" + d.value] += 1.0
    return out


def _vectors(bags: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    n = len(bags)
    df: dict[str, int] = defaultdict(int)
    for bag in bags.values():
        for t in bag:
            df[t] += 1
    vecs = {}
    for art, bag in bags.items():
        v = {t: (1.0 + math.log(c)) * (math.log((n + 1) / (df[t] + 1)) + IDF_FLOOR) for t, c in bag.items()}
        norm = math.sqrt(math.fsum(x * x for x in v.values())) or 1.0
        vecs[art] = {t: x / norm for t, x in v.items() if x > 0}
    return vecs


def similarities(bags: Mapping[str, Mapping[str, float]]) -> dict[tuple[str, str], float]:
    """Cosine of every candidate article pair (a, b) with a < b (pairs sharing a usable term)."""
    vecs = _vectors(bags)
    postings: dict[str, list[str]] = defaultdict(list)
    for art in sorted(vecs):
        for t in vecs[art]:
            postings[t].append(art)
    sims: dict[tuple[str, str], float] = {}
    for art in sorted(vecs):
        va = vecs[art]
        acc: dict[str, float] = defaultdict(float)
        for t, x in va.items():
            plist = postings[t]
            if len(plist) > MAX_POSTINGS:
                continue
            for other in plist:
                if other != art:
                    acc[other] += x * vecs[other][t]
        best = heapq.nlargest(NEIGHBOURS, acc.items(), key=lambda kv: (kv[1], kv[0]))
        for other, s in best:
            key = (art, other) if art < other else (other, art)
            sims[key] = s
    return sims


def bound(high: float, low: float | None = None) -> Callable[[int, int], float]:
    """The mean similarity two groups of sizes m and n need to merge: `low` when one is a lone article,
    rising towards `high` with the smaller group's size (`high` everywhere when `low` is None)."""
    if low is None or low >= high:
        return lambda _m, _n: high
    return lambda m, n: low + (high - low) * (1.0 - min(m, n) ** -GROWTH)


def cluster(
    arts: Sequence[str], sims: Mapping[tuple[str, str], float], threshold: float | Callable[[int, int], float]
) -> dict[str, int]:
    """Average-link agglomerative clustering over a sparse similarity graph: article -> group number
    (groups numbered by their first article in `arts` order). `threshold`: the mean similarity from
    which two groups merge, or a function of the two groups' sizes giving it (`bound`)."""
    need = threshold if callable(threshold) else bound(threshold)
    floor = need(1, 1)
    parent = {a: a for a in arts}
    size = {a: 1 for a in arts}
    links: dict[str, dict[str, float]] = defaultdict(dict)  # group -> group -> summed similarity
    for (a, b), s in sims.items():
        if a in parent and b in parent:
            links[a][b] = links[b][a] = s
    heap = [(-s, a, b) for (a, b), s in sims.items() if s >= floor and a in parent and b in parent]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if parent[a] != a or parent[b] != b:
            continue  # merged since
        total = links[a].get(b)
        if total is None or abs(total / (size[a] * size[b]) + neg) > 1e-12:
            continue  # stale: the pair's mean changed since it was pushed
        if -neg < need(size[a], size[b]):
            continue  # grown past what this similarity allows
        # merge b into a
        parent[b] = a
        size[a] += size[b]
        for c, s in links.pop(b).items():
            links[c].pop(b, None)
            if c == a:
                continue
            links[a][c] = links[a].get(c, 0.0) + s
            links[c][a] = links[a][c]
        links[a].pop(b, None)
        for c, s in links[a].items():
            mean = s / (size[a] * size[c])
            if mean >= need(size[a], size[c]):
                heapq.heappush(heap, (-mean, min(a, c), max(a, c)))

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    number: dict[str, int] = {}
    return {a: number.setdefault(root(a), len(number)) for a in arts}


def subjects(bags: Mapping[str, Mapping[str, float]]) -> dict[str, int]:
    """First pass: article -> broad subject number (IDF over all of `bags`)."""
    return cluster(sorted(bags), similarities(bags), SUBJECT_THRESHOLD)


def stories(claims: Sequence[Claim], threshold: float | None = None) -> dict[str, int]:
    """article id -> story number, for the articles of `claims` (`threshold`: ``STORY_THRESHOLD``
    when None)."""
    bags = article_terms(claims)
    need = bound(STORY_THRESHOLD if threshold is None else threshold, STRAY_THRESHOLD)
    members: dict[int, list[str]] = defaultdict(list)
    for art, subject in subjects(bags).items():
        members[subject].append(art)
    out: dict[str, int] = {}
    base = 0  # the subject's first story number
    for subject in sorted(members):
        arts = sorted(members[subject])
        own = {a: bags[a] for a in arts}  # IDF over the subject alone
        groups = cluster(arts, similarities(own), need) if len(arts) > 1 else {arts[0]: 0}
        for art, g in groups.items():
            out[art] = base + g
        base += max(groups.values()) + 1  # cluster numbers its groups 0, 1, 2 ...
    return {a: out[a] for a in sorted(out)}
