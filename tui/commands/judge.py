"""`claimdesk tag CLAIM_ID STATUS [--note TEXT]`, `claimdesk untag CLAIM_ID`, `claimdesk history CLAIM_ID`.

A claim id may be shortened to any unique prefix (`claimdesk claims` lists the ids); a status
may be shortened to its first letter (c, d, u).
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
    resolve_claim_id,
    reviewer_name,
    status_arg,
)
from claimdesk.tui.commands.common import Subcommands

CLAIM_ID_HELP = "the claim's id, or any unique start of it (see `claimdesk claims`)"


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "tag",
        help="set your status on a claim",
        description="Set your status on a claim (corroborated, disputed or unsourced; c, d, u for short). "
                    "The change is saved at once and recorded in the claim's history.",
    )
    p.add_argument("claim_id", metavar="CLAIM_ID", help=CLAIM_ID_HELP)
    p.add_argument("status", type=status_arg, metavar="STATUS", help=" | ".join(STATUSES) + " (or c | d | u)")
    p.add_argument("--note", default=None, help="a note (default: keep your earlier note)")
    add_db_option(p)
    add_reviewer_option(p)
    p.set_defaults(func=run_tag)

    p = sub.add_parser(
        "untag",
        help="clear your status on a claim (history keeps it)",
        description="Clear your status and note on a claim. The history keeps the earlier values "
                    "(`claimdesk history CLAIM_ID`).",
    )
    p.add_argument("claim_id", metavar="CLAIM_ID", help=CLAIM_ID_HELP)
    add_db_option(p)
    add_reviewer_option(p)
    p.set_defaults(func=run_untag)

    p = sub.add_parser(
        "history",
        help="every judgement of a claim, with all earlier values",
        description="List every change to a claim's judgements by every reviewer, clearing included, "
                    "oldest first (times in UTC).",
    )
    p.add_argument("claim_id", metavar="CLAIM_ID", help=CLAIM_ID_HELP)
    add_db_option(p)
    p.set_defaults(func=run_history)


def _open(args: argparse.Namespace):
    from claimdesk.store.database import Database

    return Database.open(db_path(args))


def run_tag(args: argparse.Namespace) -> int:
    from claimdesk.store.database import DatabaseError

    try:
        db = _open(args)
        claim_id = resolve_claim_id(db, args.claim_id)
        j = db.tag(claim_id, args.status, reviewer_name(args), note=args.note)
    except DatabaseError as exc:
        return fail(str(exc))
    print(f"{j.claim_id}: {j.status} ({j.reviewer})")
    return 0


def run_untag(args: argparse.Namespace) -> int:
    from claimdesk.store.database import DatabaseError

    try:
        db = _open(args)
        reviewer = reviewer_name(args)
        claim_id = resolve_claim_id(db, args.claim_id)
        j = db.untag(claim_id, reviewer)
    except DatabaseError as exc:
        return fail(str(exc))
    if j is None:
        print(f"{claim_id}: not judged by {reviewer}; nothing to clear")
    else:
        print(f"{j.claim_id}: cleared ({j.reviewer})")
    return 0


def run_history(args: argparse.Namespace) -> int:
    from rich.table import Table
    from rich.text import Text  # names and notes are data, never markup

    from claimdesk.store.database import DatabaseError

    try:
        db = _open(args)
        claim_id = resolve_claim_id(db, args.claim_id)
        corpus = db.corpus()
        judgements = db.history(claim_id)
    except DatabaseError as exc:
        return fail(str(exc))
    claim = corpus.claim(claim_id)
    out = console()
    if claim is not None:
        out.print(f"{claim.id}: {claim.text}", markup=False)
    else:
        out.print(f"{claim_id}: (no longer in the corpus; judgements kept)", markup=False)
    if not judgements:
        out.print("not judged yet", markup=False)
        return 0
    table = Table(title=f"history of {claim_id}")
    for col in ("when (UTC)", "reviewer", "OS account", "action", "status", "note"):
        table.add_column(col)
    for j in judgements:
        for c in j.history:
            table.add_row(*(Text(v) for v in (c.at, c.reviewer, c.account or "?", c.action, c.status or "(cleared)", c.note)))
    out.print(table)
    return 0
