"""Link building, whole ingest and memory at scale (issue 8, item 9), on synthetic AND real text.

    python -m bench.link_scale [--only synthetic,real] [--articles 2000]
    (also the `links` section of `python -m bench.run`)

Goals: link building near-linear from 250 to 2,000 articles; whole ingest >= 0.4x spaCy's
nlp.pipe alone in the same run; <= 2 GB peak at 2,000 articles.

- synthetic: bench/corpus.py's 2,000 articles (five sample articles varied: one story copied
  around, so every claim reaches the per-claim caps), ingested by a real `claimdesk ingest`.
- real: all ECB+ development topics (../shared/benchdata/ecbplus/: 770 readable articles, 33
  stories, two look-alike events each; parses cached in bench/.work/ecbplus/), repeated to reach
  2,000 articles, each repetition under another outlet and title (what a wire story republished
  by many outlets looks like). Link time in process on the already extracted claims; whole ingest
  against spaCy alone on the first 250 of them (one run, one process); peak memory of a real
  `claimdesk ingest` of all 2,000 (a fresh parent process, so no earlier child's peak is counted).

Link time is `link_corpus` (families, stories, links, suggestions); source families are also timed
alone. Growth = (time at the largest size / time at 250) / (size ratio): 1.0 is linear.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent / ".work"
BIN = Path(sys.executable).parent
SIZES = (250, 500, 1000, 2000)


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def spacy_words_per_s(texts: list[str]) -> float:
    from claimdesk.extract.nlp import load_pipeline

    nlp = load_pipeline()
    list(nlp.pipe(texts[:10]))  # warm-up
    words = sum(len(t.split()) for t in texts)
    return words / _timed(lambda: list(nlp.pipe(texts, batch_size=64)))


def link_rows(articles, claims, sizes, label: str, spacy_wps: float) -> dict:
    """Time families and the whole linkage at each size (first n articles and their claims)."""
    from claimdesk.extract import links as L
    from claimdesk.extract.families import source_families

    rows = []
    for n in [s for s in sizes if s <= len(articles)]:
        subset = articles[:n]
        ids = {a.id for a in subset}
        sub_claims = [c for c in claims if c.article_id in ids]
        words = sum(len(a.text.split()) for a in subset)
        fam_s = _timed(lambda: source_families(subset))
        result = {}
        link_s = min(_timed(lambda: result.update(x=L.link_corpus(subset, sub_claims))) for _ in range(1 if n > 1000 else 2))
        nlp_s = words / spacy_wps
        linkage = result["x"]
        rows.append({"articles": n, "claims": len(sub_claims), "link_s": link_s, "families_s": fam_s,
                     "nlp_s": nlp_s, "links": len(linkage.links), "pairs_scored": L.last_stats.get("pairs_scored", 0)})  # fmt: skip
        print(
            f"links   {label} {n:>5} articles {len(sub_claims):>6,} claims: link {link_s:6.2f} s "
            f"(families {fam_s:5.2f} s), {len(linkage.links) // 2:>7,} linked pairs, "
            f"{L.last_stats.get('pairs_scored', 0):>8,} pairs scored; NLP {nlp_s:6.1f} s -> {100 * link_s / nlp_s:4.1f}%"
        )
    first, last = rows[0], rows[-1]
    growth = last["link_s"] / first["link_s"] / (last["articles"] / first["articles"])
    fam_growth = last["families_s"] / max(first["families_s"], 1e-9) / (last["articles"] / first["articles"])
    print(
        f"links   {label} growth {first['articles']} -> {last['articles']} articles: link {growth:.2f}x linear, "
        f"families {fam_growth:.2f}x linear (1.0 = linear; goal: near-linear)"
    )
    return {"rows": rows, "growth_vs_linear": growth, "families_growth_vs_linear": fam_growth}


def peak_of_ingest(folder: Path, db: Path, processes: int = 1) -> dict:
    """A real `claimdesk ingest` run from a fresh parent process: seconds and peak RSS (MB)."""
    shutil.rmtree(db, ignore_errors=True)
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    cmd = [str(BIN / "claimdesk"), "ingest", str(folder), "--db", str(db), "--quiet", "--processes", str(processes)]
    out = subprocess.run([sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True).stdout
    seconds, peak = (float(x) for x in out.split())
    return {"seconds": seconds, "peak_mb": peak}


# ------------------------------------------------------------------ synthetic


def synthetic(n_max: int = 2000, spacy_wps: float | None = None) -> dict:
    from bench.run import big_db
    from claimdesk.store.database import Database

    db_folder, info = big_db(n_max)
    corpus = Database.open(db_folder).corpus()
    articles, claims = list(corpus.articles), list(corpus.claims)
    print(
        f"memory  synthetic: `claimdesk ingest` of {n_max} articles ({len(claims):,} claims): "
        f"peak RSS {info['peak_mb']:,.0f} MB, {info['seconds']:.0f} s (goal <= 2,048 MB)"
    )
    if spacy_wps is None:
        spacy_wps = spacy_words_per_s([a.text for a in articles[:150]])
    return {"memory": info, **link_rows(articles, claims, SIZES, "synthetic", spacy_wps)}


# ------------------------------------------------------------------ real text (ECB+)


def ecbplus_corpus():
    """All ECB+ dev topics' articles and claims (parses cached), in topic order."""
    from bench.cross_story import ALL_TOPICS
    from bench.ecbplus import load, topic_claims
    from claimdesk.extract.nlp import load_pipeline

    nlp = load_pipeline()
    _gold, data = load(ALL_TOPICS)
    articles, claims = [], []
    for t in ALL_TOPICS:
        arts, cls = topic_claims(data, t, nlp=nlp)
        articles += arts
        claims += cls
    return articles, claims


def repeated(articles, claims, n: int):
    """n articles: the corpus, then again under other outlets and ids (claims copied with new ids)."""
    from claimdesk.extract.model import Article, stable_id

    by_article: dict[str, list] = {}
    for c in claims:
        by_article.setdefault(c.article_id, []).append(c)
    out_a, out_c = [], []
    for k in range(n):
        a = articles[k % len(articles)]
        r = k // len(articles)
        if r == 0:
            out_a.append(a)
            out_c += by_article.get(a.id, [])
            continue
        # (an Article from an older parse cache may lack newer fields: their defaults are used)
        kept = {f.name: getattr(a, f.name) for f in dataclasses.fields(Article) if hasattr(a, f.name)}
        new = Article(**{**kept, "id": stable_id("a", a.id, str(r)), "outlet": f"{a.outlet} ({r + 1})",
                         "title": f"{a.title} ({r + 1})"})  # fmt: skip
        out_a.append(new)
        out_c += [dataclasses.replace(c, id=stable_id("c", c.id, str(r)), article_id=new.id)
                  for c in by_article.get(a.id, [])]  # fmt: skip
    return out_a, out_c


def write_jsonl(articles, folder: Path) -> Path:
    """The articles as one JSONL input (title, text, outlet), for a real `claimdesk ingest`."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps({"title": a.title, "text": a.text, "outlet": a.outlet}) + "\n")
    return path


def real(n_max: int = 2000, ratio_articles: int = 250) -> dict:
    from claimdesk.store.database import Database
    from claimdesk.tui.ingest import ingest_paths

    base_a, base_c = ecbplus_corpus()
    articles, claims = repeated(base_a, base_c, n_max)
    print(f"real    ECB+ dev topics: {len(base_a)} articles, {len(base_c):,} claims; repeated to {n_max}")
    # whole ingest vs spaCy alone, same texts, same process, one run
    sample = articles[:ratio_articles]
    folder = write_jsonl(sample, WORK / f"ecbplus-{ratio_articles}")
    texts = [a.text for a in sample]
    words = sum(len(t.split()) for t in texts)
    spacy_wps = spacy_words_per_s(texts)
    db = WORK / f"ecbplus-{ratio_articles}.db"
    shutil.rmtree(db, ignore_errors=True)
    whole_s = _timed(lambda: ingest_paths([folder], Database.open(db, create=True)))
    ratio = words / whole_s / spacy_wps
    print(
        f"ingest  real {len(sample)} articles, {words:,} words: spaCy nlp.pipe alone {spacy_wps:,.0f} words/s, "
        f"whole ingest {words / whole_s:,.0f} words/s -> ratio {ratio:.2f} (goal >= 0.4)"
    )
    rows = link_rows(articles, claims, SIZES, "real", spacy_wps)
    folder = write_jsonl(articles, WORK / f"ecbplus-{n_max}")
    info = peak_of_ingest(folder, WORK / f"ecbplus-{n_max}.db")
    print(
        f"memory  real: `claimdesk ingest` of {n_max} ECB+ articles: peak RSS {info['peak_mb']:,.0f} MB, "
        f"{info['seconds']:.0f} s (goal <= 2,048 MB)"
    )
    return {"ratio": ratio, "spacy_words_per_s": spacy_wps, "memory": info, **rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="synthetic,real")
    ap.add_argument("--articles", type=int, default=2000)
    a = ap.parse_args(argv)
    WORK.mkdir(exist_ok=True)
    results = {}
    parts = a.only.split(",")
    if "real" in parts:
        results["real"] = real(a.articles)
    if "synthetic" in parts:
        results["synthetic"] = synthetic(a.articles)
    (WORK / "link_scale.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
