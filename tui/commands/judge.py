"""`claimdesk tag CLAIM_ID STATUS [--note TEXT]`, `claimdesk untag CLAIM_ID`, `claimdesk history CLAIM_ID`."""

from __future__ import annotations

import argparse

from claimdesk.extract.model import STATUSES
from claimdesk.tui.commands.common import Subcommands, add_db_option, add_reviewer_option, db_path, fail, reviewer_name


def register(sub: Subcommands) -> None:
    p = sub.add_parser("tag", help="set your status on a claim", description="Set your status on a claim.")
    p.add_argument("claim_id", metavar="CLAIM_ID")
    p.add_argument("status", choices=STATUSES, metavar="STATUS", help=" | ".join(STATUSES))
    p.add_argument("--note", default=None, help="a note (default: keep your earlier note)")
    add_db_option(p)
    add_reviewer_option(p)
    p.set_defaults(func=run_tag)

    p = sub.add_parser("untag", help="clear your status on a claim (history keeps it)")
    p.add_argument("claim_id", metavar="CLAIM_ID")
    add_db_option(p)
    add_reviewer_option(p)
    p.set_defaults(func=run_untag)

    p = sub.add_parser("history", help="every judgement of a claim, with all earlier values")
    p.add_argument("claim_id", metavar="CLAIM_ID")
    add_db_option(p)
    p.set_defaults(func=run_history)


def _open(args: argparse.Namespace):
    from claimdesk.store.database import Database

    return Database.open(db_path(args))


def run_tag(args: argparse.Namespace) -> int:
    from claimdesk.store.database import DatabaseError

    try:
        db = _open(args)
        j = db.tag(args.claim_id, args.status, reviewer_name(args), note=args.note)
    except DatabaseError as exc:
        return fail(str(exc))
    print(f"{j.claim_id}: {j.status} ({j.reviewer})")
    return 0


def run_untag(args: argparse.Namespace) -> int:
    from claimdesk.store.database import DatabaseError, UnknownClaim

    try:
        db = _open(args)
        reviewer = reviewer_name(args)
        if args.claim_id not in db.corpus() and not db.history(args.claim_id):
            raise UnknownClaim(f"{db.path}: unknown claim id {args.claim_id!r}")
        j = db.untag(args.claim_id, reviewer)
    except DatabaseError as exc:
        return fail(str(exc))
    if j is None:
        print(f"{args.claim_id}: not judged by {reviewer}; nothing to clear")
    else:
        print(f"{j.claim_id}: cleared ({j.reviewer})")
    return 0


def run_history(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from claimdesk.store.database import DatabaseError

    try:
        db = _open(args)
        corpus = db.corpus()
        judgements = db.history(args.claim_id)
    except DatabaseError as exc:
        return fail(str(exc))
    claim = corpus.claim(args.claim_id)
    if claim is None and not judgements:
        return fail(f"{db.path}: unknown claim id {args.claim_id!r}")
    console = Console(highlight=False)
    if claim is not None:
        console.print(f"{claim.id}: {claim.text}", markup=False)
    else:
        console.print(f"{args.claim_id}: (no longer in the corpus; judgements kept)", markup=False)
    if not judgements:
        console.print("not judged yet", markup=False)
        return 0
    table = Table(title=f"history of {args.claim_id}")
    for col in ("when (UTC)", "reviewer", "action", "status", "note"):
        table.add_column(col)
    for j in judgements:
        for c in j.history:
            table.add_row(c.at, c.reviewer, c.action, c.status or "(cleared)", c.note)
    console.print(table)
    return 0
