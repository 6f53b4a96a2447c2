"""`claimdesk review [--db FILE] [--reviewer NAME] [--no-advance] [--keys ID=KEY,...] [PATH...]`.

Opens the full-screen review app. With PATHs, they are ingested first (in a worker, with a
progress bar); without, start-up reads only the database (no spaCy). Textual is imported only
here, inside the command function.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from claimdesk.tui.commands.common import add_db_option, add_reviewer_option, db_path, fail, reviewer_name
from claimdesk.tui.commands.ingest import MAX_PROCESSES, bounded_int


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review",
        help="open the full-screen review app (ingesting PATHs first, if given)",
        description="Review claims: j/k move, c/d/u tag, a accepts the suggestion, ? lists every key.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders to ingest first")
    add_db_option(p)
    add_reviewer_option(p)
    p.add_argument("--no-advance", action="store_true",
                   help="stay on a claim after tagging it (default: move to the next unreviewed; key A toggles)")
    p.add_argument("--keys", default="", metavar="ID=KEY,...",
                   help="remap keys by binding id, e.g. 'tag-disputed=D;quit=ctrl+q' (ids: ctrl+p, or ?)")
    p.add_argument("--processes", type=bounded_int(1, MAX_PROCESSES), default=1, metavar="N",
                   help=f"worker processes for ingesting PATHs, 1 to {MAX_PROCESSES}")
    p.set_defaults(func=run_review)


def parse_keys(text: str) -> dict[str, str]:
    """'a=x;b=y,z' -> {'a': 'x', 'b': 'y,z'} (';' between bindings, ',' between keys of one)."""
    keymap: dict[str, str] = {}
    for item in text.split(";"):
        item = item.strip()
        if not item:
            continue
        ident, sep, keys = item.partition("=")
        if not sep or not ident.strip() or not keys.strip():
            raise ValueError(f"--keys: {item!r} is not ID=KEY")
        keymap[ident.strip()] = keys.strip()
    return keymap


def run_review(args: argparse.Namespace) -> int:
    from claimdesk.store.database import Database, DatabaseError

    path = db_path(args)
    try:
        keymap = parse_keys(args.keys)
    except ValueError as exc:
        return fail(str(exc))
    for given in args.paths:
        if not given.exists():
            return fail(f"{given}: no such file or folder")
    try:
        db = Database.open(path, create=bool(args.paths))
    except DatabaseError as exc:
        return fail(str(exc))
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        return fail("review: needs a terminal (use `claimdesk tag` / `claimdesk export` in scripts)")

    from claimdesk.tui.app import ClaimdeskApp

    app = ClaimdeskApp(
        db,
        reviewer_name(args),
        paths=args.paths,
        advance=not args.no_advance,
        processes=max(1, args.processes),
        keymap=keymap,
        db_label=str(path),
    )
    try:
        app.run()
    finally:
        unsaved = app.finish()
    if unsaved:
        print(f"claimdesk: {path}: {len(unsaved)} change(s) could NOT be saved "
              f"({app.last_error or 'unknown error'}); redo them with:", file=sys.stderr)
        for op in unsaved:
            if op.kind == "tag":
                print(f"  claimdesk tag {op.claim_id} {op.status}", file=sys.stderr)
            elif op.kind == "untag":
                print(f"  claimdesk untag {op.claim_id}", file=sys.stderr)
            else:
                print(f"  claimdesk tag {op.claim_id} <status> --note {op.note!r}", file=sys.stderr)
        return 1
    return int(app.return_code or 0)
