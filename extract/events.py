"""Same event in other words: sentence vectors propose, participants, time, place and figures decide.

Two claims of one story (extract.stories) whose sentence vectors (extract.embed) are at least
``VECTOR_SIM`` apart in cosine are candidates for reporting one happening even when they share no event
verb ("captured 23 pirates" / "nabbed 23 Somali sea brigands"). A candidate becomes support only when
nothing checkable tells the two apart:

- no day of one that the other's days exclude (a look-alike event on another day),
- no conflict found by extract.compare (a conflict found this way is kept as a conflict),
- no denial of what the other asserts,
- their figures agree: counts that neither claim states nor allows are two different facts,
- if both name people or organisations, they share one, unless the vectors are ``VECTOR_SIM_ALONE`` close.

Off by default (extract.links.SEMANTIC), on with `claimdesk ingest --event-similarity 0.4` and the
'vectors' extra. Measured 2026-11-30 on the 25 non-validation ECB+ dev topics: off, P 0.944 / pair R
0.212 / sentence R 0.588; on at 0.40 (story threshold 0.18), P 0.916 / R 0.306 / sentence R 0.686,
look-alike 1.2%. But on the sample story, where one story holds many separate facts, it links claims
that only share the story (precision 0.86 -> 0.16 at 0.40; unchanged only from 0.80, where ECB+ gains
nothing); a participant "anchor" (``ANCHOR_SHARE``) did not separate the two. Hence opt-in.

Each claim keeps its ``MAX_PER_CLAIM`` closest candidates. Deterministic: the vectors are, and ties are
broken by claim order. Vectors are computed once per distinct claim text in a process.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from claimdesk.extract.compare import RATIO_LIMIT, Feat, Verdict, dates_agree, verdicts
from claimdesk.extract.facts import compatible, counterparts, equal, figure_label

VECTOR_SIM = 0.40  # cosine of two claims' sentence vectors from which they may report one event (when on)
VECTOR_SIM_ALONE = 0.55  # ... and from which no shared person or organisation is needed
MAX_PER_CLAIM = 150  # candidates per claim, closest first
ANCHOR_SHARE = 1.0  # a participant named by more than this share of a story's claims is its vocabulary (1: off)
PLACE_LABELS = ("GPE", "LOC", "FAC")
PLACES = True  # two claims that both name places, none shared, are two events
FIGURES = True  # counts that neither claim settles keep two claims apart
BLOCK = 512  # rows of the similarity matrix computed at once

_CACHE: dict[str, np.ndarray] = {}
_CACHE_MAX = 200_000


def claim_vectors(texts: list[str]) -> np.ndarray:
    """Vectors of `texts` (each distinct text embedded once per process)."""
    from claimdesk.extract.embed import vectors

    todo = sorted({t for t in texts if t not in _CACHE})
    if todo:
        if len(_CACHE) + len(todo) > _CACHE_MAX:
            _CACHE.clear()
        for t, v in zip(todo, vectors(todo)):
            _CACHE[t] = v
    return np.stack([_CACHE[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def open_counts(a: Feat, b: Feat) -> list:
    """a's plain counts, small ones too ("eight" vs "nine" dead), that no count of b equals or allows."""
    return [
        q for q in a.quants
        if q.unit == "" and q.value > 0 and q.high is None
        and not any(o.unit == "" and (equal(q, o) or compatible(q, o)) for o in b.quants)
    ]  # fmt: skip


def count_clash(ua: list, ub: list, sim: float) -> tuple[Verdict, Verdict] | None:
    """Two plain counts of one event that disagree (each the other's nearest, within ``RATIO_LIMIT``)."""
    for qa, qb in counterparts([q for q in ua if q.unit == ""], [q for q in ub if q.unit == ""]):
        if max(qa.value, qb.value) / min(qa.value, qb.value) > RATIO_LIMIT or qa.approx or qb.approx:
            continue
        na, nb = qa.noun or qb.noun, qb.noun or qa.noun
        return (
            Verdict("conflicts", f"{qa.text} vs {qb.text}" + (f" ({na})" if na else ""), qa.text, qb.text, sim),
            Verdict("conflicts", f"{qb.text} vs {qa.text}" + (f" ({nb})" if nb else ""), qb.text, qa.text, sim),
        )
    return None


def _open_units(a: Feat, b: Feat) -> set[str]:
    """Units of a's figures, small ones too, that no figure of b of that unit equals or allows."""
    return {
        q.unit for q in a.quants
        if q.value > 0 and not any(o.unit == q.unit and (equal(q, o) or compatible(q, o)) for o in b.quants)
    }  # fmt: skip


def _places(f: Feat) -> frozenset[str]:
    return frozenset(e.norm for e in f.claim.entities if e.norm and e.label in PLACE_LABELS)


def _reason(a: Feat, b: Feat) -> str:
    """What the two claims share, one checkable line: "same event: 23 pirates, capture / nab"."""
    parts: list[str] = []
    for qa in a.quants:
        if not qa.trivial and any(equal(qa, qb) for qb in b.quants):
            label = figure_label(qa)
            if label not in parts:
                parts.append(label)
    shared = sorted(a.trig & b.trig)
    if shared:
        parts.extend(shared[:2])
    elif a.trig and b.trig:
        parts.append(f"{sorted(a.trig)[0]} / {sorted(b.trig)[0]}")
    names = sorted(t[1:] for t in a.args & b.args if t[0] == "@")
    parts.extend(names[: max(0, 3 - len(parts))])
    return "same event: " + (", ".join(parts[:4]) if parts else "said in other words")


def _decide(
    a: Feat, b: Feat, cos: float, idf: Mapping[str, float], common: frozenset[str] = frozenset()
) -> tuple[Verdict, Verdict] | None:
    if not (a.args & b.args) - common:
        return None  # no participant, figure or day of their own in common: only the story's vocabulary
    if not dates_agree(a, b) or (a.trig & b.negated) or (b.trig & a.negated):
        return None
    pair = verdicts(a, b, idf)
    if pair is not None:
        return pair
    if a.actors and b.actors and not (a.actors & b.actors) and cos < VECTOR_SIM_ALONE:
        return None
    pa, pb = _places(a), _places(b)
    if PLACES and pa and pb and not (pa & pb):
        return None  # another town, another event: two fires of one chain of shops
    if FIGURES and _open_units(a, b) & _open_units(b, a):
        # figures of one kind that neither settles: two facts ("5.6" / "6.1"), or one event counted two
        # ways when the two share a participant, a place or a day ("10 vs 13 (people)")
        if a.args & b.args:
            return count_clash(open_counts(a, b), open_counts(b, a), round(cos, 4))
        return None
    score = round(cos, 4)
    return (
        Verdict("supports", _reason(a, b), "", "", score),
        Verdict("supports", _reason(b, a), "", "", score),
    )


def semantic_links(feats: list[Feat], linked: set[tuple[int, int]], idf: Mapping[str, float]) -> list:
    """(lo, hi, verdict lo->hi, verdict hi->lo) for candidate pairs proposed by sentence vectors, pairs
    in `linked` (already decided) left out."""
    stories: dict[int, list[int]] = defaultdict(list)
    for f in feats:
        stories[f.group].append(f.index)
    members = [ix for ix in stories.values() if len({feats[i].claim.article_id for i in ix}) > 1]
    if not members:
        return []
    wanted = sorted({i for ix in members for i in ix})
    vecs = claim_vectors([feats[i].claim.text for i in wanted])
    row = {i: r for r, i in enumerate(wanted)}
    out = []
    for ix in members:
        v = vecs[[row[i] for i in ix]]
        held: dict[str, int] = defaultdict(int)
        for i in ix:
            for t in feats[i].args:
                held[t] += 1
        common = frozenset(t for t, k in held.items() if k > ANCHOR_SHARE * len(ix))
        number: dict[str, int] = {}
        arts = np.array([number.setdefault(feats[i].claim.article_id, len(number)) for i in ix])
        cands: dict[int, list[tuple[float, int]]] = defaultdict(list)
        for start in range(0, len(ix), BLOCK):
            sims = v[start : start + BLOCK] @ v.T
            for r in range(sims.shape[0]):
                x = start + r
                s = sims[r]
                ok = np.nonzero((s >= VECTOR_SIM) & (arts != arts[x]))[0]
                ok = ok[ok > x]  # each pair once, from its first claim
                for y in ok:
                    cands[x].append((float(s[y]), int(y)))
        kept: dict[int, int] = defaultdict(int)
        pairs = sorted(
            ((cos, x, y) for x, ys in cands.items() for cos, y in ys), key=lambda t: (-t[0], t[1], t[2])
        )
        for cos, x, y in pairs:
            if kept[x] >= MAX_PER_CLAIM or kept[y] >= MAX_PER_CLAIM:
                continue
            i, j = ix[x], ix[y]
            lo, hi = (i, j) if i < j else (j, i)
            if (lo, hi) in linked:
                continue
            decided = _decide(feats[lo], feats[hi], cos, idf, common)
            if decided is None:
                continue
            kept[x] += 1
            kept[y] += 1
            out.append((lo, hi, *decided))
    return out
