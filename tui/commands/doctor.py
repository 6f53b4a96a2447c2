"""`claimdesk doctor [--restore]`: check a database; put back the last good copy of a corrupt file."""

from __future__ import annotations

import argparse

from claimdesk.tui.commands.common import Subcommands, add_db_option, db_path, fail


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "doctor",
        help="check the database (files, schema, orphaned judgements, backups); --restore repairs",
        description=(
            "Check every file of the database. With --restore, replace each corrupt file by its last "
            "good copy (the corrupt one is kept beside it) and remove temp files of interrupted writes."
        ),
    )
    add_db_option(p)
    p.add_argument("--restore", action="store_true", help="put back the last good copy of corrupt files")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from claimdesk.store.database import DatabaseError
    from claimdesk.store.doctor import ERROR, OK, check, restore

    path = db_path(args)
    console = Console(highlight=False)
    try:
        if args.restore:
            from claimdesk.extract.links import link_corpus  # pure: rebuilds a bad links file

            for line in restore(path, link_corpus):
                console.print(line, markup=False)
        report = check(path)
    except (DatabaseError, OSError) as exc:
        return fail(str(exc))
    styles = {OK: "green", ERROR: "bold red"}
    for f in report.findings:
        console.print(f"{f.level}: {f.path}: {f.message}", style=styles.get(f.level, "yellow"), markup=False)
    if report.ok:
        console.print(f"{path}: healthy", style="green", markup=False)
        return 0
    return fail(f"{path}: problems found" + ("" if args.restore else "; try `claimdesk doctor --restore`"), 1)
