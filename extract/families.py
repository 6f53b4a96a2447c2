"""Source families: articles that republish one text (a wire story, a press release) count as one source.

The measure: two articles are copies when a share of at least ``COPY_THRESHOLD`` of the SHORTER
article's word 8-shingles (runs of eight words, lower-cased, taken outside quotation marks) also
occurs in the other -- the containment of the shorter in the longer. Families are the connected
groups of such pairs (union-find). Every pair over the threshold is found, and every pair checked
is checked exactly (each distinct shingle string gets its own number: no hashing, no sampling).

Why this measure (bench/families.py prints the figures; pairs labelled by reading them,
bench/families_pairs.json: 20 copies, 23 rewrites, 37 independent reports, ECB+ dev topics
other than the validation topics):
- A republished text shares the writer's own sentences: runs of eight words and more. Independent
  reports of one event share names, figures, short phrases ("was found dead in Pagliarelli
  prison") and the same spoken quotes ("We appreciate your respect to her and her family's
  privacy", carried by every outlet that reports a publicist's statement): quoted text is left
  out, and names and figures rarely make eight-word runs.
- Containment of the shorter, not Jaccard: a short copy inside a long article (an agency's 150
  words inside a 540-word obituary: containment 0.32, Jaccard 0.05) is still a copy.
- The old measure (Jaccard of 3-shingles, function-word shingles dropped, threshold 0.06) mixed
  both groups: short independent reports of one event score high on names alone (two BBC reports
  of 90 words a day apart 0.102, two 35-word reports of one robbery 0.107, 0.137 for two
  30-word reports of one arrest), independent reports sharing a quote up to 0.21, while
  reworded rewrites of one wire story went down to 0.053; 11 of the 80 labelled pairs were on
  the wrong side of its best threshold. With 8-shingle containment outside quotes: independent
  reports 0.000-0.069 (the top ones borrow one police sentence), copies 0.20-1.0, rewrites
  0.064-0.54.
- ``COPY_THRESHOLD = 0.10``: 1.45x above the highest independent pair and half the lowest
  copy. Rewrites that take over less than a tenth of the shorter text are counted as
  independent sources (4 of the 23 labelled rewrites, and the sample story's two CNN-like
  versions 000/001, which paraphrase one story sentence by sentence and share only 2% of
  8-shingles): a paraphrase cannot be told from independent reporting by shared wording without
  merging independent short reports, which would hide corroboration and conflicts. A user who
  disagrees sets it per ingest: `claimdesk ingest --copy-threshold C`.

Work, exact and near-linear: a set-similarity join with prefix filtering (as in AllPairs/PPJoin).
Shingles are ordered rarest first (corpus document frequency, then first appearance). If the
shorter article S holds |S| shingles and a pair needs o = ceil(C*|S|) of them shared, one shared
shingle must be among the first |S|-o+1 of S (its prefix). So each article, in id order, probes
the full postings of earlier articles with its prefix (it is the shorter) and the prefix postings
with all its shingles (the earlier one is the shorter); every candidate found is checked with the
exact containment. Shingles of one article only never make a candidate and are not indexed;
shingles common to many articles (an outlet's footer) sit at the end of the order and so outside
the prefixes. An article whose shingles are exactly those of an earlier one (a verbatim copy) joins
its family without being compared or indexed again. Postings are grouped by family: an article already in a family skips the whole group
(a story copied 400 times is one group, not 400 checks), and a group is checked member by member
until one member is a copy. `pair_similarities` compares every pair, for reports and tests.

Family id: ``stable_id("f", lowest article id in the family)`` -- stable while that article stays.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from claimdesk.extract.model import Article, stable_id

SHINGLE_WORDS = 8
COPY_THRESHOLD = 0.10  # share of the shorter article's 8-shingles found in the other: a copy
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# text between quotation marks (straight or curly), at most 1,500 characters: what a source said,
# which independent reports share word for word
_QUOTED = re.compile(r'"[^"]{1,1500}"|“[^“”]{1,1500}”')

last_stats: dict[str, int] = {}  # counters of the last source_families call (for tests and bench)


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """The word k-shingles of `text` outside quotation marks, lower-cased (runs never span a quote)."""
    out: set[str] = set()
    for piece in _QUOTED.split(text):
        words = _WORD.findall(piece.lower())
        out.update(" ".join(words[i : i + k]) for i in range(len(words) - k + 1))
    return out


def containment(a: set, b: set) -> float:
    """Share of the smaller set found in the other (0 when either is empty)."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def pair_similarities(articles: Sequence[Article]) -> dict[tuple[str, str], tuple[float, float]]:
    """(containment, Jaccard) of the 8-shingles of EVERY pair of articles, by sorted ids.

    Quadratic: for reports and tests, not for linking. Containment decides (``COPY_THRESHOLD``)."""
    grams = {a.id: shingles(a.text) for a in articles}
    ids = sorted(grams)
    return {
        (a, b): (containment(grams[a], grams[b]), jaccard(grams[a], grams[b]))
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
    }


def _needed(size: int, threshold: float) -> int:
    """Shingles two articles must share when the shorter has `size` of them."""
    return max(1, math.ceil(threshold * size - 1e-9))


def source_families(articles: Sequence[Article], threshold: float | None = None) -> dict[str, str]:
    """article id -> family id (see the module docstring). Articles with no copy are a family of one."""
    limit = COPY_THRESHOLD if threshold is None else threshold
    unique = {a.id: a for a in articles}
    ids = sorted(unique)
    vocab: dict[str, int] = {}
    sets: list[frozenset[int]] = []
    for i in ids:  # shingles as small ints: each distinct string once, in first-seen order
        sets.append(frozenset(vocab.setdefault(g, len(vocab)) for g in sorted(shingles(unique[i].text))))
    vocab.clear()
    df: Counter[int] = Counter()
    for s in set(sets):  # each distinct shingle set once: a verbatim copy adds nothing to compare
        df.update(s)
    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # postings of shingles held by two articles or more, grouped by the family (root) of their holders
    full: dict[int, dict[int, list[int]]] = {}
    prefix: dict[int, dict[int, list[int]]] = {}
    checked_pairs = 0
    merged_pairs = 0
    first_with: dict[frozenset[int], int] = {}  # a verbatim copy: the same shingle set as an earlier article
    for y, ys in enumerate(sets):
        if not ys:
            continue
        twin = first_with.setdefault(ys, y)
        if twin != y:  # compares with everyone exactly as its twin does: one family, nothing to index
            rx, ry = find(twin), find(y)
            parent[max(rx, ry)] = min(rx, ry)
            merged_pairs += 1
            continue
        order = sorted((t for t in ys if df[t] > 1), key=lambda t: (df[t], t))
        # the first |Y| - o + 1 shingles of Y in the global order (those of one article come first)
        cut = len(ys) - _needed(len(ys), limit) + 1 - (len(ys) - len(order))
        head = order[: max(cut, 0)]
        seen: set[int] = set()

        def probe(postings: dict[int, dict[int, list[int]]], tokens: list[int]) -> None:
            nonlocal checked_pairs, merged_pairs
            for t in tokens:
                groups = postings.get(t)
                if not groups:
                    continue
                for key in list(groups):
                    members = groups.get(key)
                    if members is None:
                        continue
                    root = find(key)
                    if root != key:  # families merged since: fold the group into its root's
                        del groups[key]
                        if root in groups:
                            groups[root].extend(members)
                        else:
                            groups[root] = members
                    if root == find(y):
                        continue
                    for x in members:
                        if x in seen:
                            continue
                        seen.add(x)
                        checked_pairs += 1
                        xs = sets[x]
                        if len(xs & ys) >= _needed(min(len(xs), len(ys)), limit):
                            merged_pairs += 1
                            rx, ry = find(x), find(y)
                            parent[max(rx, ry)] = min(rx, ry)
                            break

        probe(full, head)  # Y the shorter: its prefix meets the other's shingles
        probe(prefix, order)  # the earlier article the shorter: its prefix meets Y's shingles
        root = find(y)
        for t in order:
            full.setdefault(t, {}).setdefault(root, []).append(y)
        for t in head:
            prefix.setdefault(t, {}).setdefault(root, []).append(y)
    last_stats.clear()
    last_stats.update(
        articles=len(ids), indexed_shingles=len(full), candidates=checked_pairs, merged=merged_pairs
    )
    lowest: dict[int, str] = {}
    for n, i in enumerate(ids):  # sorted, so the first member seen is the lowest id
        lowest.setdefault(find(n), i)
    return {i: stable_id("f", lowest[find(n)]) for n, i in enumerate(ids)}
