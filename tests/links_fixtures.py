"""Builders for the link tests: hand-made claims, and a synthetic corpus varied from real claims."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from claimdesk.extract.model import (
    NO_ATTRIBUTION,
    Article,
    Attribution,
    Claim,
    DateRef,
    Entity,
    Quantity,
    stable_id,
)

GOLD = Path(__file__).resolve().parent / "gold" / "sample_links.json"


def links_from(nlp, *bodies: str, published: Sequence[str] = (), key: str = "t") -> list[tuple[str, str, str]]:
    """Short articles by different outlets through the real pipeline (spaCy, claim extraction, linking):
    (relation, reason, the other claim's text) of every link from the first article's claims. `key`
    names the articles (their ids, hence the order of equal links)."""
    from claimdesk.extract.claims import extract_claims  # here: the other builders need no spaCy
    from claimdesk.extract.links import link_corpus

    articles = []
    for i, body in enumerate(bodies):
        pub = published[i] if i < len(published) else ""
        articles.append(Article(stable_id("a", f"{key}{i}"), f"{key}{i}.txt", f"Outlet {i}", f"Story {i}",
                                f"Story {i}\n{body}", published=pub))
    claims = [c for _a, cs in extract_claims(articles, nlp=nlp) for c in cs]
    texts = {c.id: c.text for c in claims}
    first = {c.id for c in claims if c.article_id == articles[0].id}
    return [(lk.relation, lk.reason, texts[lk.other_id]) for lk in link_corpus(articles, claims).links
            if lk.claim_id in first]


def reasons_from(nlp, *bodies: str, relation: str, key: str = "t") -> list[str]:
    """The reasons of the first article's links of one relation ("supports", "conflicts"), through the
    real pipeline (`links_from`)."""
    return [reason for rel, reason, _other in links_from(nlp, *bodies, key=key) if rel == relation]


def claim(
    article: str,
    text: str,
    *,
    quantities: Sequence[tuple] = (),
    dates: Sequence[tuple[str, str] | tuple[str, str, bool]] = (),
    people: Sequence[str] = (),
    lemmas: Sequence[str] = (),
    offices: Sequence[tuple[str, str]] = (),
    attribution: Attribution = NO_ATTRIBUTION,
    start: int = 0,
) -> Claim:
    """A claim as the extractor would make it. quantities: (as written, value[, high, unit, approx]),
    dates: (as written, ISO value[, since]); each written form must occur in `text`."""
    qs = []
    for q in quantities:
        written, value, *rest = q
        at = text.index(written)
        qs.append(Quantity(written, start + at, start + at + len(written), float(value), *rest))
    ds = []
    for d in dates:
        written, value, *since = d
        at = text.index(written)
        ds.append(DateRef(written, start + at, start + at + len(written), value, bool(since and since[0])))
    ents = tuple(Entity(p, "PERSON", p.lower().split()[-1]) for p in people)
    words = lemmas or tuple(
        w.lower() for w in re.findall(r"[A-Za-z]+", text) if len(w) > 3 and w[0].islower()
    )
    return Claim(
        id=stable_id("c", article, text),
        article_id=article,
        start=start,
        end=start + len(text),
        text=text,
        kind="statistic" if qs else "statement",
        attribution=attribution,
        quantities=tuple(qs),
        dates=tuple(ds),
        entities=ents,
        lemmas=tuple(words),
        title_offices=tuple(offices),
    )


def article(article_id: str, text: str, outlet: str = "", source: str = "") -> Article:
    return Article(
        id=article_id,
        source=source or f"{article_id}.txt",
        outlet=outlet,
        title=text.split("\n", 1)[0],
        text=text,
    )


def load_gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def norm_quotes(s: str) -> str:
    return s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


LAST = ["Petrova", "Sokolov", "Orlov", "Volkova", "Melnyk", "Bondar", "Ellison", "Hart", "Reyes"]


def vary_corpus(
    articles: Sequence[Article], claims: Sequence[Claim], n: int, seed: int = 7
) -> tuple[list[Article], list[Claim]]:
    """n synthetic articles: article i copies sample article i % len(articles) with its claims'
    figures scaled (40% of them) and its people renamed (30%), like bench/corpus.py does to texts."""
    rng = random.Random(seed)
    by_article: dict[str, list[Claim]] = {}
    for c in claims:
        by_article.setdefault(c.article_id, []).append(c)
    base = sorted(articles, key=lambda a: a.id)
    out_articles: list[Article] = []
    out_claims: list[Claim] = []
    for i in range(n):
        src = base[i % len(base)]
        aid = stable_id("a", "synthetic", str(i))
        names = {}
        new_claims = []
        for c in by_article.get(src.id, []):
            qs = tuple(
                dataclasses.replace(q, value=q.value * rng.choice([0.8, 0.9, 1.1, 1.25, 1.5]))
                if rng.random() < 0.4
                else q
                for q in c.quantities
            )
            ents = []
            for e in c.entities:
                if e.label == "PERSON" and (e.norm in names or rng.random() < 0.3):
                    names.setdefault(e.norm, rng.choice(LAST).lower())
                    ents.append(dataclasses.replace(e, norm=names[e.norm]))
                else:
                    ents.append(e)
            offices = tuple((names.get(p, p), o) for p, o in c.title_offices)
            new_claims.append(
                dataclasses.replace(
                    c,
                    id=stable_id("c", aid, c.id),
                    article_id=aid,
                    quantities=qs,
                    entities=tuple(ents),
                    title_offices=offices,
                )
            )
        out_articles.append(dataclasses.replace(src, id=aid, source=f"syn/{i:05d}.txt"))
        out_claims.extend(new_claims)
    return out_articles, out_claims


def short_ids(articles: Sequence[Article]) -> dict[str, str]:
    """article id -> the 3-character name the gold file uses ("000" ...)."""
    return {a.id: a.source.rsplit("/", 1)[-1][:3] for a in articles}


def find_claim(claims: Sequence[Claim], short: Mapping[str, str], art: str, snippet: str) -> Claim | None:
    want = norm_quotes(snippet)
    for c in claims:
        if short[c.article_id] == art and want in norm_quotes(c.text):
            return c
    return None


def fact_labels(gold: dict, claims: Sequence[Claim], short: Mapping[str, str]) -> dict[str, set[str]]:
    """claim id -> the gold facts it states."""
    out: dict[str, set[str]] = {c.id: set() for c in claims}
    for fact, per_article in gold["facts"].items():
        for c in claims:
            text = norm_quotes(c.text)
            if any(norm_quotes(s) in text for s in per_article.get(short[c.article_id], ())):
                out[c.id].add(fact)
    return out


@dataclasses.dataclass
class GoldScore:
    expected: int  # gold pairs (supports + conflicts)
    extractable: int  # ... whose both sides are claims at all
    found: int  # ... found with the right relation
    missed: list[str]
    not_extracted: list[str]
    linked_pairs: int  # unordered pairs linked
    correct_pairs: int  # ... that gold agrees with
    wrong: list[str]

    @property
    def recall(self) -> float:
        return self.found / self.extractable if self.extractable else 0.0

    @property
    def recall_all(self) -> float:
        return self.found / self.expected if self.expected else 0.0

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.linked_pairs if self.linked_pairs else 0.0


def score_against_gold(gold: dict, articles: Sequence[Article], claims: Sequence[Claim], links) -> GoldScore:
    short = short_ids(articles)
    labels = fact_labels(gold, claims, short)
    by_id = {c.id: c for c in claims}
    linked = {(lk.claim_id, lk.other_id): lk.relation for lk in links}
    expected = extractable = found = 0
    missed: list[str] = []
    not_extracted: list[str] = []
    for fact, x, y in gold["supports"]:
        expected += 1
        xs = [c for c in claims if short[c.article_id] == x and fact in labels[c.id]]
        ys = [c for c in claims if short[c.article_id] == y and fact in labels[c.id]]
        if not xs or not ys:
            not_extracted.append(f"{fact} {x}-{y}")
            continue
        extractable += 1
        if any(linked.get((a.id, b.id)) == "supports" for a in xs for b in ys):
            found += 1
        else:
            missed.append(f"{fact} {x}-{y}")
    gold_conflicts = set()
    for item in gold["conflicts"]:
        expected += 1
        a = find_claim(claims, short, *item["a"])
        b = find_claim(claims, short, *item["b"])
        if a is None or b is None:
            not_extracted.append(f"conflict {item['a']} / {item['b']}")
            continue
        extractable += 1
        gold_conflicts.add(frozenset((a.id, b.id)))
        if linked.get((a.id, b.id)) == "conflicts":
            found += 1
        else:
            missed.append(f"conflict {item['a'][1]} / {item['b'][1]}")
    pairs = {frozenset(k): v for k, v in linked.items()}
    correct = 0
    wrong: list[str] = []
    for pair, relation in sorted(pairs.items(), key=lambda kv: sorted(kv[0])):
        a, b = (by_id[i] for i in sorted(pair))
        ok = (
            bool(labels[a.id] & labels[b.id])
            if relation == "supports"
            else pair in gold_conflicts
        )
        if ok:
            correct += 1
        else:
            wrong.append(f"{relation}: {short[a.article_id]} {a.text[:50]!r} / {short[b.article_id]} {b.text[:50]!r}")
    return GoldScore(expected, extractable, found, missed, not_extracted, len(pairs), correct, wrong)
