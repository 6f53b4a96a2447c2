"""The claim filters shared by `claimdesk export --only` and the review screen.

    unreviewed                 no status from the reviewer (or, without one, from anybody)
    corroborated | disputed | unsourced
                               that status from the reviewer (or, without one, from anybody)
    disagreements              two or more reviewers gave different statuses
    suggested-<status>         the linker's suggestion; suggested-none: no suggestion
    kind-<kind>                statistic, quote, event, statement

Several filters together: a claim must pass every one.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from claimdesk.extract.model import CLAIM_KINDS, STATUSES, Claim, Suggestion
from claimdesk.store.judgements import Judgement

FILTERS: tuple[str, ...] = (
    ("unreviewed",)
    + STATUSES
    + ("disagreements",)
    + tuple(f"suggested-{s}" for s in STATUSES)
    + ("suggested-none",)
    + tuple(f"kind-{k}" for k in CLAIM_KINDS)
)


def statuses_by_reviewer(judgements: Iterable[Judgement]) -> dict[str, str]:
    return {j.reviewer: j.status for j in judgements if j.status}


def matches(
    name: str,
    claim: Claim,
    judgements: Sequence[Judgement],
    suggestion: Suggestion | None,
    reviewer: str | None = None,
) -> bool:
    """Whether `claim` (with its judgements by everybody, and its suggestion) passes filter `name`."""
    statuses = statuses_by_reviewer(judgements)
    mine = {statuses[reviewer]} if reviewer is not None and reviewer in statuses else set()
    relevant = mine if reviewer is not None else set(statuses.values())
    if name == "unreviewed":
        return not relevant
    if name in STATUSES:
        return name in relevant
    if name == "disagreements":
        return len(set(statuses.values())) >= 2
    if name.startswith("suggested-"):
        wanted = name[len("suggested-"):]
        have = suggestion.status if suggestion is not None else ""
        return have == ("" if wanted == "none" else wanted)
    if name.startswith("kind-"):
        return claim.kind == name[len("kind-"):]
    raise ValueError(f"unknown filter {name!r} (one of {', '.join(FILTERS)})")


def matches_all(
    names: Sequence[str],
    claim: Claim,
    judgements: Sequence[Judgement],
    suggestion: Suggestion | None,
    reviewer: str | None = None,
) -> bool:
    return all(matches(n, claim, judgements, suggestion, reviewer) for n in names)
