"""Which annotated ECB+ event sentences do not become claims, and which rule turned them down.

    python -m bench.claim_misses [--topics 1,3,4] [--limit 40] [--all]

For each "linkable" sentence (validated, with a same-event partner in another document) that no claim
covers (the mapping of bench.ecbplus / the scorer), prints the rule that decided each candidate
overlapping it (extract.claims.explain), or "no candidate" (a line read as a title or subhead).
Then a count per rule, and the claims per topic. Tuning aid for dev topics only (never the
validation topics: bench.ecbplus.VALIDATION).
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter

from bench.ecbplus import CACHE, VALIDATION, doc_of, load, mapped, topic_claims


def _parts(topic: str, nlp):
    from spacy.tokens import DocBin

    path = CACHE / f"{topic}-{nlp.meta.get('name')}-{nlp.meta.get('version')}.pickle"
    articles, blob, where = pickle.loads(path.read_bytes())
    docs = list(DocBin().from_bytes(blob).get_docs(nlp.vocab))
    parts: dict[int, list] = {}
    for doc, (i, off) in zip(docs, where):
        parts.setdefault(i, []).append((doc, off))
    return articles, parts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    dev = [str(t) for t in range(1, 36) if t not in (15, 17) and str(t) not in VALIDATION]
    ap.add_argument("--topics", default=",".join(dev))
    ap.add_argument("--limit", type=int, default=40, help="sentences printed (0: none)")
    ap.add_argument("--kept", action="store_true", help="list the claims that cover no linkable sentence instead")
    a = ap.parse_args(argv)
    topics = a.topics.split(",")
    if set(topics) & set(VALIDATION):
        print("refusing validation topics (report them with bench.eval)", file=sys.stderr)
        return 2
    from claimdesk.extract.claims import explain
    from claimdesk.extract.nlp import load_pipeline

    nlp = load_pipeline()
    gold, data = load(topics)
    linkable = {k for p in gold.pairs for k in p}
    reasons: Counter = Counter()
    printed = 0
    n_claims = n_linkable = n_covered = 0
    unlinked_claims = 0
    for t in topics:
        articles, claims = topic_claims(data, t, nlp=nlp)
        n_claims += len(claims)
        where = mapped(gold, articles, claims)
        covered = {k for _d, ks in where.values() for k in ks}
        unlinked_claims += sum(1 for _d, ks in where.values() if not set(ks) & linkable)
        arts, parts = _parts(t, nlp)
        by_doc = {doc_of(x): (x, parts.get(i, [])) for i, x in enumerate(arts)}
        for key in sorted(k for k in linkable if gold.topic_of[k[0]] == t):
            n_linkable += 1
            if key in covered:
                n_covered += 1
                continue
            doc, _sid = key
            sent = gold.sents[key]
            if doc not in by_doc:
                reasons["document not read (same URL as another)"] += 1
                continue
            article, pieces = by_doc[doc]
            body = gold.docs[doc]["text"]
            shift = article.text.find(body)
            s0, s1 = sent["start"] + shift, sent["end"] + shift
            why = [(k, w, article.text[x:y]) for x, y, k, w in explain(pieces, article) if x < s1 and y > s0]
            rule = "; ".join(w for _k, w, _t in why) or "no candidate (title/subhead line)"
            reasons[rule if len(why) < 2 else "split: " + rule] += 1
            if a.limit and printed < a.limit:
                printed += 1
                print(f"[{doc}#{key[1]}] {rule}\n    {sent['text'][:220]!r}")
    print(f"\n{n_covered}/{n_linkable} linkable sentences covered ({100 * n_covered / max(1, n_linkable):.1f}%); "
          f"{n_claims} claims, {unlinked_claims} covering no linkable sentence")
    for rule, n in reasons.most_common():
        print(f"{n:5d}  {rule}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
