"""Source families: articles that are copies or rewrites of one story count as one source.

Two articles are in one family when the Jaccard similarity of their sets of word 3-shingles is at
least ``JACCARD_THRESHOLD``; families are the connected groups of such pairs (union-find).

Shingles: lower-cased runs of letters/digits, three in a row; shingles made only of common function
words ("one of the", "according to the") are dropped, so that unrelated articles share almost none.
Each shingle is hashed with CRC-32 (deterministic, fast) to a 32-bit int.

Candidates, never all pairs: a MinHash of each article (datasketch, ``NUM_PERM`` permutations, pinned
seed and scheme, over the shingles whose hash is divisible by ``SAMPLE`` -- hash sampling keeps the
Jaccard and halves the cost) goes into a ``MinHashLSH`` with ``BANDS`` bands of ``ROWS`` rows: two
articles become a candidate pair with probability 1-(1-J^2)^256: 0.92 at J=0.10, 0.60 at the
threshold, 0.10 at J=0.02 (same-story articles by different outlets) and 0.006 at J=0.005. One row
per band would catch every rewrite but makes almost every pair of same-story articles a candidate
(quadratic: 16% of all pairs on 2,000 synthetic articles, against 0.5% with two rows). Each candidate
pair is then checked with the EXACT Jaccard of the two full shingle sets (no estimation noise at
the threshold); families are closed transitively, so a rewrite missed by the banding still joins
when it is found through another member. Articles are added in id order; an article that is a
near-verbatim copy (exact Jaccard >= ``COPY_JACCARD``) of one already in the index joins its family
and is not indexed itself, so a story copied 400 times costs one index entry, not 400.

Why 3-shingles and 0.06. Rewrites of one wire story keep short phrases ("according to Russian
state media outlet TASS", "between the ages of 18 and 30") but reorder and reword most sentences,
so their Jaccard is low in absolute terms, while independent reports of the same event share
almost no 3-word run beyond names and figures. On sample_data (cleaned text): 000/001 (two rewrites
of the CNN story) about 0.10, every other pair at most about 0.035 (see `pair_similarities` and the
report in tests/test_links_samples.py). 0.06 sits between them with a factor of ~1.6 on each side.
Verbatim copies (J near 1) are far above it. A user who disagrees sets it per ingest:
`claimdesk ingest --copy-threshold J` (sets ``JACCARD_THRESHOLD`` for that run).

Family id: ``stable_id("f", lowest article id in the family)`` -- stable while that article stays.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

from claimdesk.extract.model import Article, stable_id

SHINGLE_WORDS = 3
NUM_PERM = 512
SAMPLE = 2  # MinHash only the shingles whose hash is divisible by this
BANDS, ROWS = 256, 2  # LSH banding: candidates with probability 1-(1-J^2)^256
JACCARD_THRESHOLD = 0.06
COPY_JACCARD = 0.5
SEED = 1
SCHEME = "affine32"  # datasketch's permutation scheme, pinned: 32-bit CRC shingle hashes
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FUNCTION_WORDS = frozenset(
    """a an the and or but if of in on at to for from by with as into onto over under about after
    before than that this these those it its is are was were be been being has have had do does did
    will would can could should may might must not no so such he she they them his her their we our
    you your i me my who whom which what when where while also one two all any some more most other
    there here up out off just only very""".split()
)


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[int]:
    """CRC-32 hashes of the word k-shingles of `text` that hold at least one content word."""
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {zlib.crc32(" ".join(words).encode("utf-8"))} if words else set()
    function = [w in _FUNCTION_WORDS for w in words]
    crc = zlib.crc32
    return {
        crc(" ".join(words[i : i + k]).encode("utf-8"))
        for i in range(len(words) - k + 1)
        if not all(function[i : i + k])
    }


def jaccard(a: set[int], b: set[int]) -> float:
    if not a and not b:
        return 0.0
    inter = len(a & b) if len(a) < len(b) else len(b & a)
    return inter / (len(a) + len(b) - inter)


def _identity(x: int) -> int:
    return x


_PERMUTATIONS: list = []
last_stats: dict[str, int] = {}  # counters of the last source_families call (for tests and bench)


def _minhash(grams: set[int]):
    from datasketch import MinHash

    if not _PERMUTATIONS:  # the same seed always gives the same permutations: make them once
        _PERMUTATIONS.append(MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations)
    m = MinHash(
        num_perm=NUM_PERM, seed=SEED, hashfunc=_identity, scheme=SCHEME, permutations=_PERMUTATIONS[0]
    )
    # hash-based sampling (a shingle is kept whatever article it is in): the Jaccard of the kept
    # shingles estimates the Jaccard of all, at 1/SAMPLE of the cost; the exact check uses all
    kept = sorted(g for g in grams if g % SAMPLE == 0) or sorted(grams)
    if kept:
        m.update_batch(kept)
    return m


def pair_similarities(articles: Sequence[Article]) -> dict[tuple[str, str], tuple[float, float]]:
    """(exact Jaccard, MinHash estimate) for EVERY pair of articles, by sorted ids.

    Quadratic: for reports and tests, not for linking."""
    grams = {a.id: shingles(a.text) for a in articles}
    hashes = {i: _minhash(g) for i, g in grams.items()}
    ids = sorted(grams)
    return {
        (a, b): (jaccard(grams[a], grams[b]), float(hashes[a].jaccard(hashes[b])))
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
    }


def source_families(articles: Sequence[Article]) -> dict[str, str]:
    """article id -> family id. Articles with no near-copy are a family of one."""
    from datasketch import MinHashLSH

    unique = {a.id: a for a in articles}
    ids = sorted(unique)
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    if len(ids) > 1:
        lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
        grams: dict[str, set[int]] = {}
        candidates = 0
        for i in ids:
            g = shingles(unique[i].text)
            m = _minhash(g)
            best = 0.0
            for j in sorted(lsh.query(m)):
                candidates += 1
                sim = jaccard(g, grams[j])
                best = max(best, sim)
                if sim >= JACCARD_THRESHOLD:
                    ri, rj = find(i), find(j)
                    if ri != rj:
                        parent[max(ri, rj)] = min(ri, rj)
            if best < COPY_JACCARD:
                lsh.insert(i, m)
                grams[i] = g
        last_stats.update(articles=len(ids), indexed=len(grams), candidates=candidates)
    lowest: dict[str, str] = {}
    for i in ids:  # sorted, so the first member seen is the lowest id
        lowest.setdefault(find(i), i)
    return {i: stable_id("f", lowest[find(i)]) for i in ids}
