"""Many stories ingested together: how many links join two different stories (issue 8's goal).

    python -m bench.cross_story [--topics 1,2,...] [--examples N]
    python -m bench.cross_story --groups [--topics ...]   # story groups only (fast, no linking)

All ECB+ development topics (../shared/benchdata/ecbplus/, 1-35: 772 articles, 33 topics, each
two look-alike events) are read, parsed and linked TOGETHER in one corpus, in process (the real
reader, spaCy, claim extraction and `link_corpus`: bench.ecbplus's helpers; parses cached in
bench/.work/ecbplus/). Every linked pair of claims (counted once, not once per direction) is
classed by the articles' ECB+ topic and sub-topic (ecb = the topic's original event, ecbplus =
the look-alike event added by ECB+):

  across stories    the two articles are of different topics (two unrelated stories)
  look-alike        same topic, different sub-topics (another firing, another earthquake)

`--groups` measures the story grouping itself (extract.stories) against the gold sub-topics: over
article pairs, precision and recall of "same story group" against "same event" (same topic and
sub-topic), the share of gold same-event sentence pairs whose two articles share a group (the most
the linker can reach), and the share of grouped pairs across topics; once with each topic grouped
on its own and once with all topics in one corpus.

Goals: at most 3% of supporting and 10% of conflicting links across stories. This measures, it
tunes nothing (the linker's thresholds are chosen on dev topics by its own engineers); the
validation topics are included because the figure is about many stories at once, not about
one topic's quality.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter

from bench.ecbplus import GOLD, available, doc_of, load, topic_claims

ALL_TOPICS = tuple(str(t) for t in range(1, 36) if t not in (15, 17))  # 15 and 17 do not exist
GOALS = {"supports": 0.03, "conflicts": 0.10}


def measure(topics=ALL_TOPICS, examples: int = 0, nlp=None, separately: bool = False) -> dict:
    """Link all `topics` together (or each on its own: `separately`, for comparison); counts of linked
    pairs by relation and class."""
    from claimdesk.extract.links import link_corpus
    from claimdesk.extract.nlp import load_pipeline

    nlp = nlp or load_pipeline()
    _gold, data = load(topics)
    articles, claims = [], []
    t0 = time.perf_counter()
    for t in topics:
        arts, cls = topic_claims(data, t, nlp=nlp)
        articles += arts
        claims += cls
    read_s = time.perf_counter() - t0
    if len({a.id for a in articles}) != len(articles):
        raise SystemExit("two ECB+ documents got one article id: the classes below would be wrong")
    doc = {a.id: doc_of(a) for a in articles}
    art_of = {c.id: c.article_id for c in claims}
    text = {c.id: c.text for c in claims}
    t0 = time.perf_counter()
    if separately:
        topic_of = {a.id: doc[a.id].split("_")[0] for a in articles}
        links = [
            lk
            for t in topics
            for lk in link_corpus(
                [a for a in articles if topic_of[a.id] == t], [c for c in claims if topic_of[c.article_id] == t]
            ).links
        ]
    else:
        links = list(link_corpus(articles, claims).links)
    link_s = time.perf_counter() - t0
    counts: Counter = Counter()
    samples: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {}
    seen: set[tuple[str, str, str]] = set()
    for lk in links:
        a, b = sorted((lk.claim_id, lk.other_id))
        if (a, b, lk.relation) in seen:
            continue
        seen.add((a, b, lk.relation))
        da, db = doc[art_of[a]], doc[art_of[b]]
        ta, tb = da.split("_")[0], db.split("_")[0]
        if ta != tb:
            kind = "across stories"
        elif da.endswith("ecbplus") != db.endswith("ecbplus"):
            kind = "look-alike"
        else:
            kind = "same event"
        counts[lk.relation, kind] += 1
        samples.setdefault((lk.relation, kind), []).append((da, text[a], db, text[b]))
    result = {
        "topics": len(topics), "articles": len(articles), "claims": len(claims),
        "read_s": read_s, "link_s": link_s, "counts": counts, "separately": separately,
    }  # fmt: skip
    for rel in ("supports", "conflicts"):
        total = sum(n for (r, _k), n in counts.items() if r == rel)
        result[rel] = total
        for kind in ("across stories", "look-alike"):
            result[f"{rel} {kind}"] = counts[rel, kind] / total if total else 0.0
    if examples:
        rng = random.Random(0)
        for (rel, kind), items in sorted(samples.items()):
            if kind == "same event":
                continue
            print(f"-- {rel}, {kind}: {len(items)}")
            for da, ta, db, tb in rng.sample(items, min(examples, len(items))):
                print(f"   [{da}] {ta[:150]}\n   [{db}] {tb[:150]}\n")
    return result


def _pair_counts(groups: dict, event: dict, topic: dict) -> tuple[int, int, int, int]:
    """(pairs in one group and one event, pairs in one group, pairs in one event, pairs in one group
    across topics) over the articles of `groups`."""

    def pairs(counts) -> int:
        return sum(k * (k - 1) // 2 for k in counts.values())

    members: dict[int, list[str]] = {}
    for art, g in groups.items():
        members.setdefault(g, []).append(art)
    both = grouped = across = 0
    for arts in members.values():
        n = len(arts) * (len(arts) - 1) // 2
        grouped += n
        both += pairs(Counter(event[a] for a in arts))
        across += n - pairs(Counter(topic[a] for a in arts))
    return both, grouped, pairs(Counter(event[a] for a in groups)), across


def group_quality(topics=ALL_TOPICS, nlp=None) -> dict:
    """Story groups (extract.stories) against the gold sub-topics, each topic alone and all together."""
    from claimdesk.extract.nlp import load_pipeline
    from claimdesk.extract.stories import stories

    nlp = nlp or load_pipeline()
    gold, data = load(topics)
    per_topic = {t: topic_claims(data, t, nlp=nlp) for t in topics}
    doc = {a.id: doc_of(a) for arts, _c in per_topic.values() for a in arts}
    topic = {a: d.split("_")[0] for a, d in doc.items()}
    event = {a: (topic[a], d.endswith("ecbplus")) for a, d in doc.items()}

    def figures(groups: dict) -> dict:
        both, grouped, same, across = _pair_counts(groups, event, topic)
        by_doc = {doc[a]: g for a, g in groups.items()}
        reached = [by_doc.get(x[0]) is not None and by_doc.get(x[0]) == by_doc.get(y[0]) for x, y in gold.pairs]
        return {
            "P": both / grouped if grouped else 1.0, "R": both / same if same else 1.0,
            "reach": sum(reached) / len(reached) if reached else 1.0,
            "across": across / grouped if grouped else 0.0, "groups": len(set(groups.values())),
        }  # fmt: skip

    alone: dict = {}
    for t, (_arts, claims) in per_topic.items():
        alone.update({a: (t, g) for a, g in stories(claims).items()})
    t0 = time.perf_counter()
    together = stories([c for _a, cls in per_topic.values() for c in cls])
    took = time.perf_counter() - t0
    return {"topics": len(topics), "articles": len(doc), "alone": figures(alone), "together": figures(together),
            "s": took}  # fmt: skip


def group_report(r: dict) -> str:
    lines = [f"story groups against ECB+ sub-topics, {r['topics']} topics ({r['articles']} articles):"]
    for key, how in (("alone", "each topic on its own"), ("together", f"all in one corpus ({r['s']:.1f} s)")):
        f = r[key]
        lines.append(
            f"  {how}: pairwise P {f['P']:.3f} R {f['R']:.3f}; gold sentence pairs in one group "
            f"{100 * f['reach']:.1f}%; grouped pairs across topics {100 * f['across']:.1f}%; {f['groups']} groups"
        )
    return "\n".join(lines)


def report(r: dict) -> str:
    how = "each topic linked on its own" if r["separately"] else "linked as one corpus"
    lines = [
        f"many stories together: ECB+ dev topics, {r['topics']} topics ({r['articles']} articles, "
        f"{r['claims']:,} claims) {how} in {r['link_s']:.0f} s:"
    ]
    for rel in ("supports", "conflicts"):
        goal = GOALS[rel]
        across = r[f"{rel} across stories"]
        lines.append(
            f"  {'supporting' if rel == 'supports' else 'conflicting'} links {r[rel]:,}: "
            f"{100 * across:.1f}% across stories ({r['counts'][rel, 'across stories']}; goal <= {100 * goal:.0f}%), "
            f"{100 * r[f'{rel} look-alike']:.1f}% between the look-alike events of one topic "
            f"({r['counts'][rel, 'look-alike']})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topics", default=",".join(ALL_TOPICS))
    ap.add_argument("--examples", type=int, default=0, help="print N links of each cross-story class")
    ap.add_argument("--separately", action="store_true", help="also link each topic on its own, for comparison")
    ap.add_argument("--groups", action="store_true", help="only measure the story groups against the sub-topics")
    a = ap.parse_args(argv)
    if not available():
        print(f"{GOLD}: ECB+ development data not found")
        return 1
    topics = tuple(a.topics.split(","))
    if a.groups:
        print(group_report(group_quality(topics)))
        return 0
    print(report(measure(topics, a.examples)))
    if a.separately:
        print(report(measure(topics, separately=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
