"""Inter-reviewer agreement: Cohen's kappa per reviewer pair, Krippendorff's alpha over all.

Units are the claims that two or more reviewers gave a status (a cleared judgement does not
count). Kappa for a pair uses the claims both of them judged (`cohen_kappa`: observed
agreement against the agreement expected from each reviewer's own status frequencies); alpha (nominal) uses every such claim with whoever judged it, missing
values allowed (the `krippendorff` package).

Degenerate cases give no number but a reason ("n/a"), never NaN or a crash: fewer than two
shared claims; only one category used by both (kappa = 0/0, undefined); alpha with a single
category in all the data.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable, Sequence

from claimdesk.extract.model import STATUSES
from claimdesk.store.judgements import Judgement


@dataclass(frozen=True)
class PairAgreement:
    a: str
    b: str
    shared: int  # claims both judged
    agreed: int  # of those, same status
    kappa: float | None  # None when undefined; see reason
    reason: str = ""

    @property
    def shown(self) -> str:
        return f"{self.kappa:.3f}" if self.kappa is not None else f"n/a ({self.reason})"


@dataclass(frozen=True)
class Disagreement:
    claim_id: str
    statuses: dict[str, str]  # reviewer -> status


@dataclass(frozen=True)
class AgreementReport:
    reviewers: list[str]
    units: int  # claims judged by two or more reviewers
    pairs: list[PairAgreement] = field(default_factory=list)
    alpha: float | None = None
    alpha_reason: str = ""
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def alpha_shown(self) -> str:
        return f"{self.alpha:.3f}" if self.alpha is not None else f"n/a ({self.alpha_reason})"


def _table(judgements: Iterable[Judgement]) -> dict[str, dict[str, str]]:
    """claim id -> {reviewer: status}, statuses only."""
    out: dict[str, dict[str, str]] = {}
    for j in judgements:
        if j.status:
            out.setdefault(j.claim_id, {})[j.reviewer] = j.status
    return out


def cohen_kappa(la: Sequence[str], lb: Sequence[str]) -> float:
    """Cohen's kappa of two equally long label sequences: (p_o - p_e) / (1 - p_e), with p_o the
    share of items labelled alike and p_e the sum over labels of the product of both raters'
    shares of that label. NaN when p_e is 1 (both used one and the same label only)."""
    n = len(la)
    if n == 0 or n != len(lb):
        raise ValueError("kappa needs two label sequences of the same non-zero length")
    observed = sum(x == y for x, y in zip(la, lb)) / n
    ca, cb = Counter(la), Counter(lb)
    expected = sum(ca[label] * cb[label] for label in ca.keys() & cb.keys()) / (n * n)
    if expected == 1.0:
        return math.nan
    return (observed - expected) / (1.0 - expected)


def pair_kappa(a: str, b: str, table: dict[str, dict[str, str]]) -> PairAgreement:
    shared = sorted(c for c, r in table.items() if a in r and b in r)
    la = [table[c][a] for c in shared]
    lb = [table[c][b] for c in shared]
    agreed = sum(x == y for x, y in zip(la, lb))
    if len(shared) < 2:
        return PairAgreement(a, b, len(shared), agreed, None, f"{len(shared)} shared claim(s); need 2 or more")
    used = set(la) | set(lb)
    if len(used) == 1:
        return PairAgreement(
            a, b, len(shared), agreed, None, f"only one category used ({next(iter(used))}): kappa undefined"
        )
    kappa = cohen_kappa(la, lb)
    if math.isnan(kappa):
        return PairAgreement(a, b, len(shared), agreed, None, "chance agreement is 1: kappa undefined")
    return PairAgreement(a, b, len(shared), agreed, kappa)


def krippendorff_alpha(table: dict[str, dict[str, str]], reviewers: list[str]) -> tuple[float | None, str]:
    import numpy as np
    import krippendorff

    units = [c for c, r in sorted(table.items()) if len(r) >= 2]
    if not units:
        return None, "no claim judged by two or more reviewers"
    values = {s for c in units for s in table[c].values()}
    if len(values) < 2:
        return None, f"only one category used ({next(iter(values))}): alpha undefined"
    codes = {s: i for i, s in enumerate(sorted(set(STATUSES) | values))}
    data = np.full((len(reviewers), len(units)), np.nan)
    for u, c in enumerate(units):
        for r, status in table[c].items():
            data[reviewers.index(r), u] = codes[status]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        alpha = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    if math.isnan(alpha):
        return None, "undefined for these data"
    return alpha, ""


def agreement(judgements: Iterable[Judgement]) -> AgreementReport:
    """Agreement over `judgements` (e.g. `db.judgements()`)."""
    table = _table(judgements)
    reviewers = sorted({r for statuses in table.values() for r in statuses})
    units = sum(1 for r in table.values() if len(r) >= 2)
    pairs = [pair_kappa(a, b, table) for a, b in combinations(reviewers, 2)]
    alpha, reason = krippendorff_alpha(table, reviewers)
    disagreements = [
        Disagreement(c, dict(sorted(r.items()))) for c, r in sorted(table.items()) if len(set(r.values())) >= 2
    ]
    return AgreementReport(reviewers, units, pairs, alpha, reason, disagreements)
