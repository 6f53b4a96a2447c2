"""`claimdesk demo [--reset]`: the shipped sample story in a database of its own, on screen.

The demo database is `demo.db` in the user's data folder (platformdirs; on Linux
`~/.local/share/claimdesk/demo.db`). The first run ingests the sample story into it (in the
screen, with a progress bar); later runs open it as it was left, tags included; `--reset`
starts it afresh. Nothing is written in the current folder.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
from pathlib import Path

from claimdesk.tui.commands.common import add_reviewer_option, fail
from claimdesk.tui.commands.common import Subcommands

DEMO_DB = "demo.db"


def register(sub: Subcommands) -> None:
    from claimdesk.tui.commands.review import add_screen_options

    p = sub.add_parser(
        "demo",
        help="try claimdesk on the shipped sample story (its own database in your data folder)",
        description="Open the review screen on the sample story that ships with claimdesk: five "
                    "articles on one news story. The first run ingests them into a database of its "
                    "own in your data folder (shown by `claimdesk config`); later runs reopen it.",
    )
    add_reviewer_option(p)
    add_screen_options(p)
    p.add_argument("--reset", action="store_true", help="throw the demo database away and ingest the story again")
    p.add_argument("--where", action="store_true", help="print the demo database's folder and exit")
    p.set_defaults(func=run)


def demo_db_path() -> Path:
    from claimdesk.tui.config import data_path

    return data_path() / DEMO_DB


def _has_articles(path: Path) -> bool:
    from claimdesk.store.database import Database, DatabaseError

    try:
        return bool(Database.open(path).corpus().articles)
    except DatabaseError:
        return True  # let the screen say what is wrong with it; never ingest over a damaged one


def run(args: argparse.Namespace) -> int:
    from claimdesk.tui.commands.review import on_terminal, open_screen
    from claimdesk.tui.sample import SampleMissing, sample_dir

    path = demo_db_path()
    if args.where:
        print(path)
        return 0
    try:
        sample = sample_dir()
    except SampleMissing as exc:
        return fail(str(exc))
    if not on_terminal():
        return fail(f"demo: needs a terminal; in a script: claimdesk ingest {sample} --db {path}")
    if args.reset and path.exists():
        if path.is_symlink() or not path.is_dir() or not (path / "corpus.json").exists():
            return fail(f"{path}: not a claimdesk demo database; remove it yourself if you want it gone")
        shutil.rmtree(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        return fail(f"{path.parent}: cannot create the data folder: {exc.strerror or exc}")
    fresh = not (path / "corpus.json").exists() or not _has_articles(path)
    db = shlex.quote(str(path))
    after = f"demo database: {path} (try: claimdesk claims --db {db}; claimdesk export --db {db} -o demo.csv)"
    return open_screen(args, path, [sample] if fresh else [], after=after)
