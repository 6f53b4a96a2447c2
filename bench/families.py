"""Source families measured on real republished copies and independent reports (issue 8, item 7).

    python -m bench.families [--threshold C]

Pairs of ECB+ dev articles (never the validation topics) labelled by reading them, in
bench/families_pairs.json: copy (one text republished), rewrite (one wire story or press release
reworded, its sentences taken over in part), independent (written apart; shares names, figures,
quotes). Prints, for the measure in use (containment of 8-shingles outside quotes,
extract/families.py) and the one before it (Jaccard of function-word-filtered 3-shingles,
threshold 0.06), each label's distribution, the labelled pairs on the wrong side of the
threshold, and over ALL dev (non-validation) articles together: pairs over the threshold and
families formed, with the time taken.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import time
from pathlib import Path

from bench.ecbplus import GOLD, VALIDATION

PAIRS = Path(__file__).resolve().parent / "families_pairs.json"
OLD_THRESHOLD = 0.06
_WORD = re.compile(r"[^\W_]+")
_FUNCTION = frozenset(
    """a an the and or but if of in on at to for from by with as into onto over under about after
    before than that this these those it its is are was were be been being has have had do does did
    will would can could should may might must not no so such he she they them his her their we our
    you your i me my who whom which what when where while also one two all any some more most other
    there here up out off just only very""".split()
)


def old_shingles(text: str) -> set[str]:
    """The measure before: word 3-shingles holding a content word (Jaccard, threshold 0.06)."""
    w = _WORD.findall(text.lower())
    return {" ".join(w[i : i + 3]) for i in range(len(w) - 2) if not all(x in _FUNCTION for x in w[i : i + 3])}


def dev_articles():
    from claimdesk.extract.model import Article

    data = json.loads(GOLD.read_text(encoding="utf-8"))["topics"]
    return [
        Article(id=d["doc"], source=d["doc"], outlet=d["outlet"], title="", text=d["text"])
        for topic, v in data.items()
        if topic not in VALIDATION
        for d in v["docs"]
    ]


def _spread(values: list[float]) -> str:
    v = sorted(values)
    q = lambda p: v[min(len(v) - 1, int(p * (len(v) - 1) + 0.5))]  # noqa: E731
    return f"n={len(v):>2}  min {v[0]:.3f}  p25 {q(0.25):.3f}  median {q(0.5):.3f}  p75 {q(0.75):.3f}  max {v[-1]:.3f}"


def main(argv: list[str] | None = None) -> int:
    from claimdesk.extract import families as F

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threshold", type=float, default=F.COPY_THRESHOLD)
    a = ap.parse_args(argv)
    if not GOLD.is_file():
        print(f"{GOLD}: ECB+ development data not found")
        return 1
    arts = {x.id: x for x in dev_articles()}
    labelled = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    new = {i: F.shingles(x.text) for i, x in arts.items()}
    old = {i: old_shingles(x.text) for i, x in arts.items()}
    measures = {
        f"now: containment of 8-shingles outside quotes, threshold {a.threshold}": (
            lambda x, y: F.containment(new[x], new[y]), a.threshold),
        f"before: Jaccard of 3-shingles, threshold {OLD_THRESHOLD}": (
            lambda x, y: F.jaccard(old[x], old[y]), OLD_THRESHOLD),
    }  # fmt: skip
    for name, (fn, th) in measures.items():
        print(f"== {name}")
        for label in ("copy", "rewrite", "independent"):
            vals = [fn(x, y) for x, y, lab, _ in labelled if lab == label]
            merged = sum(v >= th for v in vals)
            print(f"   {label:<11} {_spread(vals)}   merged {merged}/{len(vals)}")
        wrong = [(fn(x, y), x, y, lab, note) for x, y, lab, note in labelled
                 if (fn(x, y) >= th) != (lab != "independent")]  # fmt: skip
        print(f"   labelled pairs on the wrong side: {len(wrong)} of {len(labelled)}")
        for v, x, y, lab, note in sorted(wrong):
            print(f"     {v:.3f} {x} ~ {y} ({lab}): {note}")
    ids = sorted(arts)
    topic = {i: i.split("_")[0] for i in ids}
    for name, (fn, th) in measures.items():
        over = [(x, y) for x, y in itertools.combinations(ids, 2) if fn(x, y) >= th]
        across = sum(topic[x] != topic[y] for x, y in over)
        print(f"all {len(ids)} dev articles ({name.split(':')[0]}): {len(over)} pairs over the threshold "
              f"({across} across topics)")  # fmt: skip
    t = time.perf_counter()
    fams = F.source_families(list(arts.values()), a.threshold)
    secs = time.perf_counter() - t
    sizes = sorted((sum(1 for f in fams.values() if f == fam) for fam in set(fams.values())), reverse=True)
    print(
        f"source_families on all {len(ids)}: {sum(s > 1 for s in sizes)} families of 2+ articles "
        f"(largest {sizes[:5]}), {F.last_stats['candidates']} pairs checked exactly, "
        f"{F.last_stats['merged']} merged; {secs:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
