"""Merging newly read articles into the corpus (pure bookkeeping, no file, no linking).

Same id and digest: unchanged, skipped. Same id, other digest: its claims are replaced. New
id: added. The result is sorted as the corpus is stored (`store.corpus.sort_corpus`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping, Sequence
from typing import Any

from claimdesk.extract.model import Article, Claim
from claimdesk.store.corpus import sort_corpus


@dataclass
class Merge:
    articles: list[Article] = field(default_factory=list)  # the whole merged corpus, sorted
    claims: list[Claim] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    old_ids: set[str] = field(default_factory=set)  # the claim ids before
    meta: dict[str, Any] = field(default_factory=dict)  # corpus.json's meta as read

    @property
    def changes(self) -> bool:
        """Whether anything is new or changed (else nothing needs linking or writing)."""
        return bool(self.new or self.changed)


def merge_corpus(
    old_articles: Sequence[Article], old_claims: Sequence[Claim],
    articles: Sequence[Article], claims: Mapping[str, Sequence[Claim]], meta: dict[str, Any],
) -> Merge:
    by_id = {a.id: a for a in old_articles}
    claims_by_article: dict[str, list[Claim]] = {}
    for c in old_claims:
        claims_by_article.setdefault(c.article_id, []).append(c)
    out = Merge(old_ids={c.id for c in old_claims}, meta=meta)
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            continue
        seen.add(article.id)
        before = by_id.get(article.id)
        if before is not None and before.digest == article.digest:
            out.unchanged += 1
            continue
        if before is None:
            out.new += 1
        else:
            out.changed += 1
        by_id[article.id] = article
        claims_by_article[article.id] = list(claims.get(article.id, ()))
    if out.changes:
        every = [c for cs in claims_by_article.values() for c in cs if c.article_id in by_id]
        out.articles, out.claims = sort_corpus(list(by_id.values()), every)
    else:
        out.articles, out.claims = list(old_articles), list(old_claims)
    return out
