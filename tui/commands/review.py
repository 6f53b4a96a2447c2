"""`claimdesk review [--db FOLDER] [--reviewer NAME] [--no-advance] [--keys 'ID=KEY;...'] [PATH...]`.

Opens the full-screen review app. With PATHs, they are ingested first (in a worker, with a
progress bar); without, start-up reads only the database (no spaCy). Textual is imported only
here, inside the command function.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from claimdesk.tui.commands.common import (
    add_db_option,
    add_reviewer_option,
    db_path,
    fail,
    path_hint,
    reviewer_name,
    settings,
)
from claimdesk.tui.commands.ingest import MAX_PROCESSES, bounded_int
from claimdesk.tui.config import parse_keys  # noqa: F401 - re-exported: the --keys syntax
from claimdesk.tui.commands.common import Subcommands


def add_screen_options(p: argparse.ArgumentParser) -> None:
    """--no-advance / --advance and --keys: the review screen's options (review, demo)."""
    advance = p.add_mutually_exclusive_group()
    advance.add_argument("--no-advance", dest="advance", action="store_false", default=None,
                         help="stay on a claim after tagging it (key A toggles; config: auto_advance)")
    advance.add_argument("--advance", dest="advance", action="store_true", default=None,
                         help="move to the next unreviewed claim after a tag (the default)")
    p.add_argument("--keys", default=None, metavar="'ID=KEY;...'",
                   help="remap keys by binding id, bindings separated by ';', keys of one by ',', "
                        "e.g. 'tag-disputed=D;quit=ctrl+q' (ids: `?` in the screen, or `claimdesk config --keys`)")


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "review",
        help="open the full-screen review app (ingesting PATHs first, if given)",
        description="Review claims: j/k move, c/d/u tag, a accepts the suggestion, ? lists every key.",
    )
    path_hint(p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders to ingest first"),
              "file")
    add_db_option(p)
    add_reviewer_option(p)
    add_screen_options(p)
    p.add_argument("--processes", type=bounded_int(1, MAX_PROCESSES), default=1, metavar="N",
                   help=f"worker processes for ingesting PATHs, 1 to {MAX_PROCESSES}")
    p.set_defaults(func=run_review)


def on_terminal() -> bool:
    return sys.stdout.isatty() and sys.stdin.isatty()


def checked_keymap(args: argparse.Namespace) -> dict[str, str]:
    """The merged key map (config file, $CLAIMDESK_KEYS, --keys), checked; ValueError holds
    every problem, one line each."""
    from claimdesk.tui.keys import check_keymap

    user = settings(args)
    keymap = user.keymap
    if not keymap:
        return keymap
    problems = check_keymap(keymap, {ident: v.source for ident, v in user.keys.items()})
    if problems:
        raise ValueError("\nclaimdesk: ".join(problems))
    return keymap


def run_review(args: argparse.Namespace) -> int:
    return open_screen(args, db_path(args), list(args.paths), processes=args.processes)


def open_screen(args: argparse.Namespace, path: Path, paths: list[Path], *, processes: int = 1,
                after: str = "") -> int:
    """Open the review screen on database `path` (ingesting `paths` first); `after` is printed
    when the screen closes normally."""
    # No cyclic GC until the first screen is drawn (the app resumes it): the start builds
    # hundreds of thousands of long-lived objects (Textual's modules, the corpus, the screen)
    # and Python's collector would scan them over and over, about a hundred passes in all
    # (60-130 ms of the start, measured: bench/README.md)
    if not gc.isenabled():
        return _open_screen(args, path, paths, processes, after, gc_paused=False)
    gc.disable()
    try:
        return _open_screen(args, path, paths, processes, after, gc_paused=True)
    finally:
        gc.enable()


def _open_screen(args: argparse.Namespace, path: Path, paths: list[Path], processes: int, after: str,
                 gc_paused: bool) -> int:
    from claimdesk.store.database import Database, DatabaseError

    try:
        keymap = checked_keymap(args)
    except ValueError as exc:
        return fail(str(exc))
    for given in paths:
        if not given.exists():
            return fail(f"{given}: no such file or folder")
    try:
        db = Database.open(path, create=bool(paths))
    except DatabaseError as exc:
        return fail(str(exc))
    if not on_terminal():
        return fail("review: needs a terminal (use `claimdesk tag` / `claimdesk export` in scripts)")

    from claimdesk.tui.app import ClaimdeskApp

    app = ClaimdeskApp(
        db,
        reviewer_name(args),
        paths=paths,
        advance=bool(settings(args)["auto_advance"]),
        processes=max(1, processes),
        keymap=keymap,
        db_label=str(path),
        gc_paused=gc_paused,
    )
    try:
        app.run()
    finally:
        unsaved = app.finish()
    if unsaved:  # kept in a recovery file; listed with complete, quoted redo commands
        for line in app.exit_report(path):
            print(line, file=sys.stderr)
        return 1
    code = int(app.return_code or 0)
    if after and code == 0:
        print(f"\n{after}")  # own line: the terminal's restored first row can be cleared as the app leaves
    return code
