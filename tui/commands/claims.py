"""`claimdesk claims [--article TEXT] [--status S] [--unreviewed] [--search TEXT]`: find claim ids.

Lists the claims of the database, in corpus order, with id, outlet, kind, suggestion, the
reviewer's own status and the text; the ids (or any unique start of them) are what `tag`,
`untag` and `history` take. --status and --unreviewed are about the reviewer (--reviewer,
$CLAIMDESK_REVIEWER, the config file, the login name) unless --everyone is given.
"""

from __future__ import annotations

import argparse

from claimdesk.extract.model import STATUSES
from claimdesk.tui.commands.common import (
    add_db_option,
    add_reviewer_option,
    console,
    db_path,
    fail,
    reviewer_name,
    status_arg,
)
from claimdesk.tui.commands.common import Subcommands


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "claims",
        help="list claims with their ids (filter by article, status, text)",
        description="List claims with their ids, outlet, kind, suggested status, your status and text. "
                    "Filters combine: a claim must pass all of them.",
    )
    add_db_option(p)
    p.add_argument("--article", action="append", default=None, metavar="TEXT",
                   help="only articles whose id starts with TEXT, or whose outlet, title or file name "
                        "contains it (any case; repeatable: any may match)")
    p.add_argument("--status", action="append", type=status_arg, default=None, metavar="STATUS",
                   help=" | ".join(STATUSES) + " (or c | d | u): claims with that status (repeatable: any)")
    p.add_argument("--unreviewed", action="store_true", help="claims without a status")
    p.add_argument("--search", default=None, metavar="TEXT", help="claims whose text contains TEXT (any case)")
    add_reviewer_option(p)
    p.add_argument("--everyone", action="store_true",
                   help="--status / --unreviewed look at every reviewer's judgements, not only yours")
    p.add_argument("--ids", action="store_true", help="print only the ids, one a line (for scripts)")
    p.set_defaults(func=run)


def _article_matches(article, wanted: list[str]) -> bool:
    for text in wanted:
        low = text.casefold()
        if article.id.startswith(text) or any(low in v.casefold() for v in (article.outlet, article.title, article.source)):
            return True
    return False


def run(args: argparse.Namespace) -> int:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from claimdesk.store.database import Database, DatabaseError

    if args.unreviewed and args.status:
        return fail("claims: --unreviewed and --status exclude each other (a claim has a status or none)")
    try:
        db = Database.open(db_path(args))
        corpus = db.corpus()
        judgements = db.judgements()
    except DatabaseError as exc:
        return fail(str(exc))
    reviewer = None if args.everyone else reviewer_name(args)
    statuses: dict[str, set[str]] = {}
    mine: dict[str, str] = {}
    for j in judgements:
        if not j.status:
            continue
        if reviewer is None or j.reviewer == reviewer:
            statuses.setdefault(j.claim_id, set()).add(j.status)
        if j.reviewer == (reviewer or ""):
            mine[j.claim_id] = j.status
    articles = {a.id: a for a in corpus.articles}
    if args.article:
        chosen = {a.id for a in corpus.articles if _article_matches(a, args.article)}
        if not chosen:
            return fail(f"{db.path}: no article matches {', '.join(repr(a) for a in args.article)}")
    else:
        chosen = set(articles)
    search = args.search.casefold() if args.search else None
    rows = []
    for claim in corpus.claims:
        if claim.article_id not in chosen:
            continue
        have = statuses.get(claim.id, set())
        if args.unreviewed and have:
            continue
        if args.status and not have & set(args.status):
            continue
        if search is not None and search not in claim.text.casefold():
            continue
        rows.append(claim)
    out = console()
    if args.ids:
        for claim in rows:
            out.print(claim.id, markup=False)
        return 0
    whose = "status" if reviewer is None else f"{reviewer}'s status"
    table = Table(box=box.SIMPLE_HEAD, title=Text(f"{len(rows)} of {len(corpus.claims)} claims in {db.path}"),
                  title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("outlet")
    table.add_column("kind")
    table.add_column("suggested")
    if reviewer is not None:
        table.add_column(whose)
    table.add_column("text")
    for claim in rows:
        article = articles.get(claim.article_id)
        suggestion = corpus.linkage.suggestions.get(claim.id)
        cells = [
            Text(claim.id),
            Text(article.outlet if article else ""),
            Text(claim.kind),
            Text(suggestion.status if suggestion and suggestion.status else "—"),
        ]
        if reviewer is not None:
            cells.append(Text(mine.get(claim.id, "")))
        cells.append(Text(claim.text))
        table.add_row(*cells)
    out.print(table)
    return 0
