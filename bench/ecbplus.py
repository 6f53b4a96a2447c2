"""ECB+ in process: the benchmark's topics as claimdesk articles, their claims, and the scorer's figures
for a set of links, without a database or a subprocess (for tuning on the dev topics and for the
quality-floor test). `bench.eval` runs the real `claimdesk ingest` + export through the benchmark's own
scorer; this module mirrors it (same gold, same sentence mapping, same `score`) so figures agree.

    python -m bench.ecbplus [--topics 1,3,4] [--examples 3] [--event-similarity 0.4]   # tuning figures on dev topics

Parsed documents are cached per topic in bench/.work/ecbplus/ (claims are extracted again each run).
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".." / "shared" / "benchdata" / "ecbplus"
GOLD = DATA / "ecbplus_dev.json"
TOOLS = DATA / "tools"
CACHE = ROOT / "bench" / ".work" / "ecbplus"
VALIDATION = ("2", "5", "12", "18", "21", "23", "34", "35")  # reporting only: never tune on these
WS = re.compile(r"\s+")


def available() -> bool:
    return GOLD.is_file() and (TOOLS / "score_ecbplus.py").is_file()


def _tools():
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    import score_ecbplus  # the benchmark's own scorer (not part of claimdesk)

    return score_ecbplus


def load(topics: Sequence[str]):
    """The scorer's Gold over `topics`."""
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    return _tools().Gold(data, set(topics)), data


def topic_claims(data: dict, topic: str, nlp=None, cache: bool = True):
    """(articles, claims) of one topic through the real reader, spaCy and claim extraction. The parsed
    documents are cached (bench/.work/ecbplus/, keyed by the model), so claims are re-extracted with the
    current code without parsing again."""
    from spacy.tokens import DocBin

    from claimdesk.extract.claims import claims_from_docs, split_text
    from claimdesk.extract.model import Article
    from claimdesk.extract.nlp import load_pipeline
    from claimdesk.extract.readers import load_articles

    nlp = nlp or load_pipeline()
    path = CACHE / f"{topic}-{nlp.meta.get('name')}-{nlp.meta.get('version')}.pickle"
    if cache and path.is_file():
        articles, blob, where = pickle.loads(path.read_bytes())
        docs = list(DocBin().from_bytes(blob).get_docs(nlp.vocab))
    else:
        write_topic = _tools().write_topic
        with tempfile.TemporaryDirectory() as tmp:
            write_topic(data["topics"][topic], Path(tmp))
            articles = [a for a in load_articles([Path(tmp)]) if isinstance(a, Article)]
        stream = [(piece, (i, off)) for i, a in enumerate(articles) for piece, off in split_text(a.text)]
        docs, where = [], []
        for doc, w in nlp.pipe(stream, as_tuples=True):
            docs.append(doc)
            where.append(w)
        if cache:
            CACHE.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps((articles, DocBin(docs=docs).to_bytes(), where)))
    parts: dict[int, list] = {}
    for doc, (i, off) in zip(docs, where):
        parts.setdefault(i, []).append((doc, off))
    claims = [c for i, a in enumerate(articles) for c in claims_from_docs(parts.get(i, []), a)]
    return articles, claims


def doc_of(article) -> str:
    return re.sub(r"\.jsonl(:\d+)?$", "", Path(article.source).name)


def mapped(gold, articles, claims) -> dict[str, tuple[str, list]]:
    """claim id -> (doc, gold sentence keys), as the scorer maps an exported claim."""
    docs = {a.id: doc_of(a) for a in articles}
    out = {}
    for c in claims:
        doc = docs[c.article_id]
        body = gold.docs[doc]["text"]
        i = body.find(c.text)
        n = len(c.text)
        if i < 0:
            folded = WS.sub(" ", c.text).strip()
            i, n = body.find(folded), len(folded)
        keys = []
        if i >= 0:
            for s in gold.docs[doc]["sentences"]:
                ov = min(i + n, s["end"]) - max(i, s["start"])
                if ov > 0 and (ov >= 0.5 * (s["end"] - s["start"]) or ov >= 0.5 * n):
                    keys.append((doc, s["sid"]))
        out[c.id] = (doc, keys)
    return out


def pairs_of(links, where: dict, relation: str = "supports") -> set:
    pair = _tools().pair
    out = set()
    for lk in links:
        if lk.relation != relation:
            continue
        a, b = where.get(lk.claim_id), where.get(lk.other_id)
        if not a or not b or a[0] == b[0]:
            continue
        for x in a[1]:
            for y in b[1]:
                out.add(pair(x, y))
    return out


def evaluate(topics: Sequence[str], examples: int = 0, nlp=None) -> dict:
    """Figures of the current linker over `topics` (each topic linked on its own, like the scorer)."""
    from claimdesk.extract.links import link_corpus

    gold, data = load(topics)
    sup: set = set()
    con: set = set()
    covered: set = set()
    for t in topics:
        articles, claims = topic_claims(data, t, nlp=nlp)
        where = mapped(gold, articles, claims)
        linkage = link_corpus(articles, claims)
        sup |= pairs_of(linkage.links, where)
        con |= pairs_of(linkage.links, where, "conflicts")
        covered |= {k for _d, ks in where.values() for k in ks}
    s = _tools().score(gold, sup)
    cs = _tools().score(gold, con)
    linkable = {k for p in gold.pairs for k in p}
    s["coverage"] = len(covered & linkable) / max(1, len(linkable))
    s["conflicts"] = cs["pred"]
    s["conflicts_cross"] = cs["cross_fp"]
    s["conflicts_P"] = cs["P"]  # of the conflicting pairs of annotated sentences: on one gold event
    if examples:
        import random

        rng = random.Random(0)
        txt = lambda k: f"[{k[0]}#{k[1]}] {gold.sents[k]['text'][:160]}"  # noqa: E731
        miss = sorted(gold.pairs - s["_tp"])
        miss = [p for p in miss if p[0] in covered and p[1] in covered]
        for title, items in (("missed", miss), ("look-alike", sorted(s["_fp_cross"])), ("wrong within", sorted(s["_fp_within"]))):
            print(f"-- {title}")
            for p in rng.sample(items, min(examples, len(items))):
                print(f"   {txt(p[0])}\n   {txt(p[1])}\n")
        uncovered = sorted(linkable - covered)
        print("-- not claims")
        for k in rng.sample(uncovered, min(examples, len(uncovered))):
            print(f"   {txt(k)}")
    return s


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    dev = [str(t) for t in range(1, 36) if t not in (15, 17) and str(t) not in VALIDATION]
    ap.add_argument("--topics", default=",".join(dev))
    ap.add_argument("--examples", type=int, default=0)
    ap.add_argument(
        "--event-similarity", type=float, default=None,
        help="sentence vectors propose same-event pairs from this cosine (as claimdesk ingest's option)",
    )  # fmt: skip
    a = ap.parse_args(argv)
    topics = a.topics.split(",")
    if a.event_similarity is not None:
        from claimdesk.extract import events, links

        events.VECTOR_SIM = a.event_similarity
        links.SEMANTIC = a.event_similarity < 1.0
    from claimdesk.extract.nlp import load_pipeline

    s = evaluate(topics, a.examples, nlp=load_pipeline())
    print(
        f"topics {a.topics}: P={s['P']:.3f} R={s['R']:.3f} F1={s['F1']:.3f} sentence R={s['sent_R']:.3f} "
        f"look-alike {100 * s['cross_fp_share']:.1f}% of {s['pred']} links; coverage {100 * s['coverage']:.1f}%; "
        f"conflicts {s['conflicts']} ({s['conflicts_cross']} cross; on one gold event {100 * s['conflicts_P']:.0f}%)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
