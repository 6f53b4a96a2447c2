"""Progress and counts: per reviewer (judged / total), per status, suggestion vs judgement."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from claimdesk.extract.model import STATUSES
from claimdesk.store.database import Database

NONE = "none"  # a claim without a suggestion (or a row/column for "no status")


@dataclass(frozen=True)
class ReviewerProgress:
    reviewer: str
    judged: int  # claims of the corpus with a status from this reviewer
    total: int  # claims in the corpus
    statuses: dict[str, int] = field(default_factory=dict)  # status -> claims

    @property
    def percent(self) -> float:
        return 100.0 * self.judged / self.total if self.total else 0.0


@dataclass(frozen=True)
class Stats:
    articles: int
    claims: int
    claims_judged: int  # by at least one reviewer
    reviewers: list[ReviewerProgress]
    statuses: dict[str, int]  # status -> judgements (all reviewers)
    suggestions: dict[str, int]  # suggested status (or "none") -> claims
    # suggested status (or "none") -> judged status -> judgements; rows and columns: STATUSES + ("none",)
    versus: dict[str, dict[str, int]]
    orphaned: int  # judgements on claims no longer in the corpus


def stats(db: Database) -> Stats:
    corpus = db.corpus()
    ids = set(corpus.claim_ids())
    total = len(ids)
    judgements = db.judgements()
    per: dict[str, Counter] = {}
    judged_claims: set[str] = set()
    statuses: Counter = Counter()
    versus = {s: {t: 0 for t in STATUSES} for s in STATUSES + (NONE,)}
    orphaned = 0
    for j in judgements:
        if j.claim_id not in ids:
            orphaned += 1
            continue
        if not j.status:
            per.setdefault(j.reviewer, Counter())
            continue
        per.setdefault(j.reviewer, Counter())[j.status] += 1
        judged_claims.add(j.claim_id)
        statuses[j.status] += 1
        sug = corpus.linkage.suggestions.get(j.claim_id)
        versus[(sug.status if sug and sug.status else NONE)][j.status] += 1
    suggestions = Counter(
        (corpus.linkage.suggestions[c].status or NONE) if c in corpus.linkage.suggestions else NONE for c in ids
    )
    reviewers = [
        ReviewerProgress(r, sum(c.values()), total, {s: c.get(s, 0) for s in STATUSES}) for r, c in sorted(per.items())
    ]
    return Stats(
        articles=len(corpus.articles),
        claims=total,
        claims_judged=len(judged_claims),
        reviewers=reviewers,
        statuses={s: statuses.get(s, 0) for s in STATUSES},
        suggestions={s: suggestions.get(s, 0) for s in STATUSES + (NONE,)},
        versus=versus,
        orphaned=orphaned,
    )
