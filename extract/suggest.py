"""A suggested status for every claim, from its links and the source families.

Every reason is one checkable line that names outlets (never file names or ids) and counts
sources, a family of copies once:

- "disputed": some claim of another article contradicts it. Reason names the outlet and the
  detail: "CNN gives 150,000 (vs 160,000; conscripts)", "Newsweek gives president (vs former
  president; Trump)"; other conflicting outlets are counted: "... (+2 more)". An independent
  source is named first; when only a copy of the same story disagrees, the reason says so:
  "BNN (a copy of this story) gives president (vs former president; Trump)".
- "corroborated": supported by at least one other INDEPENDENT source family, nothing conflicts.
  Reason: what matched (the best supporting link's own reason), then the other sources by outlet,
  one per family, and the articles that are copies of them: "same figure: 160,000 — 3 other
  outlets: BNN, CNN, Newsweek (+1 copy)". A copy of this claim's own article never counts.
- "unsourced": no other independent source and no attribution in the text. Reason says what was
  found: "no other source; no attribution" or "only in a copy of this story (CNN); no attribution".
- "" (no suggestion): a single source that attributes the claim: "no other source; attributed to
  TASS".

Outlets: `articles` is optional; with it reasons name outlets (the article's outlet, which the
readers always set: the outlet named by the input, else a readable label). Without articles the family of each claim's article must be
in `families` and reasons fall back to article ids.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from claimdesk.extract.model import Article, Claim, Link, Suggestion


def _outlet(article: Article | None, article_id: str) -> str:
    if article is None:
        return article_id
    return article.outlet or article_id


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


MAX_NAMES = 3  # outlets named in a "corroborated" reason; the rest are counted

_VS = re.compile(r"^(?P<mine>.+?) vs (?P<theirs>.+?)(?: \((?P<what>[^()]*)\))?$")


def _conflict_detail(who: str, reason: str) -> str:
    """ "160,000 vs 150,000 (conscripts)" from CNN -> "CNN gives 150,000 (vs 160,000; conscripts)"."""
    m = _VS.match(reason)
    if not m:
        return f"{who}: {reason}"
    what = m.group("what")
    tail = f"; {what}" if what else ""
    return f"{who} gives {m.group('theirs')} (vs {m.group('mine')}{tail})"


def suggest(
    claims: Sequence[Claim],
    links: Sequence[Link],
    families: Mapping[str, str],
    articles: Sequence[Article] | None = None,
) -> dict[str, Suggestion]:
    """claim id -> Suggestion, for every claim given (deterministic)."""
    by_id = {c.id: c for c in claims}
    arts = {a.id: a for a in articles or ()}
    out_links: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        if link.claim_id in by_id and link.other_id in by_id:
            out_links[link.claim_id].append(link)
    result: dict[str, Suggestion] = {}
    for claim in sorted(claims, key=lambda c: c.id):
        own_art = claim.article_id
        own_fam = families.get(own_art, own_art)
        mine = sorted(out_links.get(claim.id, ()), key=lambda lk: (-lk.score, lk.other_id))
        conflicts = [lk for lk in mine if lk.relation == "conflicts"]
        supports = [lk for lk in mine if lk.relation == "supports"]
        if conflicts:
            # an independent source's word first; a copy of this story that disagrees says so
            conflicts.sort(
                key=lambda lk: families.get(by_id[lk.other_id].article_id, lk.other_id) == own_fam
            )
            first = conflicts[0]
            other = by_id[first.other_id]
            who = _outlet(arts.get(other.article_id), other.article_id)
            if families.get(other.article_id, other.article_id) == own_fam:
                who += " (a copy of this story)"
            detail = _conflict_detail(who, first.reason)
            # other outlets that disagree too, a family of copies once
            fams = {families.get(by_id[lk.other_id].article_id, by_id[lk.other_id].article_id) for lk in conflicts}
            more = len(fams) - 1
            if more > 0:
                detail += f" (+{more} more)"
            result[claim.id] = Suggestion(claim.id, "disputed", detail)
            continue
        sup_arts = sorted({by_id[lk.other_id].article_id for lk in supports})
        other_fams: dict[str, list[str]] = defaultdict(list)
        for aid in sup_arts:
            fam = families.get(aid, aid)
            if fam != own_fam:
                other_fams[fam].append(aid)
        copies = [aid for aid in sup_arts if families.get(aid, aid) == own_fam]
        if other_fams:
            # the outlet of each family's lowest article; its other members are copies
            names = sorted({_outlet(arts.get(members[0]), members[0]) for members in other_fams.values()})
            if len(names) > MAX_NAMES:
                names = [*names[:MAX_NAMES], f"{len(names) - MAX_NAMES} more"]
            n = len(other_fams)
            extra = sum(len(members) - 1 for members in other_fams.values())
            fam_of = lambda lk: families.get(by_id[lk.other_id].article_id, by_id[lk.other_id].article_id)  # noqa: E731
            best = next(lk for lk in supports if fam_of(lk) != own_fam)
            tail = f" (+{_plural(extra, 'copy', 'copies')})" if extra else ""
            result[claim.id] = Suggestion(
                claim.id,
                "corroborated",
                f"{best.reason} — {_plural(n, 'other outlet', 'other outlets')}: {', '.join(names)}{tail}",
            )
            continue
        attribution = claim.attribution
        where = "no other source"
        if copies:
            where = "only in a copy of this story (" + ", ".join(
                sorted({_outlet(arts.get(a), a) for a in copies})
            ) + ")"
        if attribution.kind != "none" and attribution.name:
            result[claim.id] = Suggestion(
                claim.id, "", f"{where}; attributed to {attribution.name}"
            )
        else:
            result[claim.id] = Suggestion(claim.id, "unsourced", f"{where}; no attribution")
    return result
