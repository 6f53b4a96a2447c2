"""A suggested status for every claim, from its links and the source families.

- "disputed": some claim of another article contradicts it. Reason names the outlet and the
  detail: "CNN gives 150,000 (vs 160,000; conscripts)", "Newsweek gives president (vs former
  president; Trump)"; other conflicting articles are counted: "... (+2 more)". An independent
  source is named first; when only a copy of the same story disagrees, the reason says so:
  "001 (a copy of this story) gives president (vs former president; Trump)".
- "corroborated": supported by at least one other INDEPENDENT source family, nothing conflicts.
  Reason counts families, not articles: "stated by 2 other independent sources: Newsweek, BNN
  (3 articles; 001 is a copy of 000)".
- "unsourced": no other independent source and no attribution in the text. Reason says what was
  found: "no other source; no attribution" or "only in a copy of this story (CNN); no attribution".
- "" (no suggestion): a single source that attributes the claim: "only this source; attributed to
  TASS".

Outlets: `articles` is optional; with it reasons name outlets (else the article's source path,
else its id). Without articles the family of each claim's article must be in `families`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from claimdesk.extract.model import Article, Claim, Link, Suggestion


def _short(article: Article | None, article_id: str) -> str:
    if article is None:
        return article_id
    name = article.source.rsplit("/", 1)[-1]
    return name.split("_", 1)[0] if "_" in name else name.rsplit(".", 1)[0]


def _outlet(article: Article | None, article_id: str) -> str:
    if article is None:
        return article_id
    return article.outlet or _short(article, article_id)


def _copies_note(
    article_ids: list[str], families: Mapping[str, str], arts: Mapping[str, Article]
) -> str:
    groups: dict[str, list[str]] = defaultdict(list)
    for aid in article_ids:
        groups[families.get(aid, aid)].append(aid)
    notes = []
    for members in groups.values():
        if len(members) > 1:
            members = sorted(members, key=lambda a: _short(arts.get(a), a))
            head = _short(arts.get(members[0]), members[0])
            rest = ", ".join(_short(arts.get(m), m) for m in members[1:])
            verb = "is a copy" if len(members) == 2 else "are copies"
            notes.append(f"{rest} {verb} of {head}")
    return "; ".join(notes)


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
            more = len({by_id[lk.other_id].article_id for lk in conflicts}) - 1
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
            names = sorted(
                {_outlet(arts.get(members[0]), members[0]) for members in other_fams.values()}
            )
            if len(names) > MAX_NAMES:
                names = [*names[:MAX_NAMES], f"{len(names) - MAX_NAMES} more"]
            n = len(other_fams)
            note = _copies_note([own_art, *sup_arts], families, arts)
            count = len(sup_arts) + 1
            extra = f" ({count} articles; {note})" if note else ""
            result[claim.id] = Suggestion(
                claim.id,
                "corroborated",
                f"stated by {n} other independent source{'s' if n > 1 else ''}: "
                f"{', '.join(names)}{extra}",
            )
            continue
        attribution = claim.attribution
        where = "no other source"
        if copies:
            where = "only in a copy of this story (" + ", ".join(
                sorted({_short(arts.get(a), a) for a in copies})
            ) + ")"
        if attribution.kind != "none" and attribution.name:
            result[claim.id] = Suggestion(
                claim.id, "", f"{where}; attributed to {attribution.name}"
            )
        else:
            result[claim.id] = Suggestion(claim.id, "unsourced", f"{where}; no attribution")
    return result
