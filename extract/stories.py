"""Stories: which articles report the same happening, decided from their claims.

Support needs one event, and one event lives in one story: two sentences about two different firings
of two coaches, or a "10 million" of a music service and a "10 million" of a phone maker, share words
or figures but not a story. Articles are grouped by what is specific to their story: each article is a
TF-IDF vector (IDF over the corpus) of its claims' named entities (weighted ``ENTITY_WEIGHT``: who and
where tell two look-alike events apart), specific figures and days, and content lemmas; two articles
are as close as the cosine of their vectors. Average-link agglomerative clustering merges the closest
groups while the mean similarity between them stays at least ``STORY_THRESHOLD`` (tuned on ECB+
development topics, never on the validation topics or the sample story; `claimdesk ingest
--story-threshold` overrides it).

Work: candidate article pairs come from an inverted index over terms held by at most
``MAX_POSTINGS`` articles (a term in every article says nothing about which story), each article
keeps its ``NEIGHBOURS`` best neighbours, and merging works on that sparse graph with a heap, so the
cost grows with the articles, not their square.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from claimdesk.extract.model import Claim

STORY_THRESHOLD = 0.20  # mean cosine between two groups of articles that are one story
ENTITY_WEIGHT = 4.0  # a named entity counts this many times a word
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
        for q in c.quantities:
            if q.value >= 10 or q.unit not in ("", "year"):
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


def cluster(arts: Sequence[str], sims: Mapping[tuple[str, str], float], threshold: float) -> dict[str, int]:
    """Average-link agglomerative clustering over a sparse similarity graph: article -> group number
    (groups numbered by their first article in `arts` order)."""
    parent = {a: a for a in arts}
    size = {a: 1 for a in arts}
    links: dict[str, dict[str, float]] = defaultdict(dict)  # group -> group -> summed similarity
    for (a, b), s in sims.items():
        if a in parent and b in parent:
            links[a][b] = links[b][a] = s
    heap = [(-s, a, b) for (a, b), s in sims.items() if s >= threshold and a in parent and b in parent]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if parent[a] != a or parent[b] != b:
            continue  # merged since
        total = links[a].get(b)
        if total is None or abs(total / (size[a] * size[b]) + neg) > 1e-12:
            continue  # stale: the pair's mean changed since it was pushed
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
            if mean >= threshold:
                heapq.heappush(heap, (-mean, min(a, c), max(a, c)))

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    number: dict[str, int] = {}
    return {a: number.setdefault(root(a), len(number)) for a in arts}


def stories(claims: Sequence[Claim], threshold: float | None = None) -> dict[str, int]:
    """article id -> story number, for the articles of `claims`."""
    bags = article_terms(claims)
    arts = sorted(bags)
    return cluster(arts, similarities(bags), STORY_THRESHOLD if threshold is None else threshold)
