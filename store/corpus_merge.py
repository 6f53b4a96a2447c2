"""One ingest's store side: merging newly read articles into the corpus (pure bookkeeping, no
linking), then writing it under the corpus lock (`CorpusUpdate`, made by
`Database.corpus_update`).

Same id and digest: unchanged, skipped. Same id, other digest: its claims are replaced. New
id: added. The result is sorted as the corpus is stored (`store.corpus.sort_corpus`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping, Sequence
from typing import Any, Callable

from claimdesk.extract.model import Article, Claim, Linkage
from claimdesk.store.corpus import decode_corpus, sort_corpus
from claimdesk.store.corpus_files import write_corpus
from claimdesk.store.errors import DatabaseError
from claimdesk.store.gc_pause import no_gc
from claimdesk.store.judgements import Judgement, utc_now
from claimdesk.store.layout import CORPUS_FILE


@dataclass(frozen=True)
class IngestResult:
    articles_new: int = 0
    articles_changed: int = 0
    articles_unchanged: int = 0
    claims_added: int = 0
    claims_removed: int = 0
    claims_total: int = 0
    orphaned: tuple[Judgement, ...] = ()  # judgements whose claim is no longer in the corpus (kept)


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


Linker = Callable[[list[Article], list[Claim]], Linkage]


class CorpusUpdate:
    """One ingest under the corpus lock (`Database.corpus_update`): `merge`, then `write`."""

    def __init__(self, db: Any):  # the Database (not imported: it imports this module)
        self.db = db
        self.merged: Merge | None = None
        self.written = False
        self.result = IngestResult()

    def merge(self, articles: Sequence[Article], claims: Mapping[str, Sequence[Claim]]) -> Merge:
        """The corpus on disk now with `articles` merged in (read under the lock)."""
        db = self.db
        data = db._read(db.path / CORPUS_FILE)
        if data is None:
            raise DatabaseError(f"{db.path / CORPUS_FILE}: missing or empty")
        meta = (data.get("meta") or {}).get("1") or dict(db.meta)
        with no_gc():
            old = decode_corpus(data)
            old_claims = list(old.claims)
        self.merged = merge_corpus(old.articles, old_claims, articles, claims, meta)
        return self.merged

    def write(self, merge: Merge, linkage: Linkage) -> None:
        """Write the merged corpus and its links (atomically: links file, then corpus.json)."""
        meta = dict(merge.meta)
        meta["updated"] = utc_now()
        meta["ingests"] = int(meta.get("ingests", 0)) + 1
        write_corpus(self.db.path, meta, merge.articles, merge.claims, linkage, self.db.file_mode)
        self.written = True

    def finish(self) -> None:
        m = self.merged
        if m is None:
            return
        new_ids = {c.id for c in m.claims} if self.written else m.old_ids
        self.result = IngestResult(
            articles_new=m.new if self.written else 0,
            articles_changed=m.changed if self.written else 0,
            articles_unchanged=m.unchanged,
            claims_added=len(new_ids - m.old_ids),
            claims_removed=len(m.old_ids - new_ids),
            claims_total=len(new_ids),
            orphaned=tuple(self.db._orphans(new_ids)),
        )
