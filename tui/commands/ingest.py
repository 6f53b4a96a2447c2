"""`claimdesk ingest PATH... [--db FOLDER]`: articles in, claims and cross-source links out."""

from __future__ import annotations

import argparse
from pathlib import Path

from claimdesk.tui.commands.common import Subcommands, add_db_option, db_path, fail

SUGGESTION_ORDER = ("corroborated", "disputed", "unsourced", "")


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "ingest",
        help="read articles (.txt .md .html .jsonl, or folders of them) into the database",
        description="Read articles, extract their check-worthy claims, link them across sources.",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders of articles")
    add_db_option(p)
    p.add_argument(
        "--processes",
        type=int,
        default=1,
        metavar="N",
        help="spaCy worker processes for large inputs (default 1)",
    )
    p.add_argument(
        "--max-bytes",
        type=int,
        default=5_000_000,
        metavar="N",
        help="refuse input files larger than this (default 5,000,000)",
    )
    p.add_argument(
        "--group-shared",
        action="store_true",
        help="when creating the database: folder 2770 and files 0660, for a team folder",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--copy-threshold",
        type=float,
        metavar="J",
        help="Jaccard of word 3-shingles from which two articles are copies of one source (default 0.06)",
    )
    p.add_argument(
        "--story-threshold",
        type=float,
        metavar="S",
        help="mean similarity from which articles are one story, the bound of every link (default 0.20)",
    )
    p.set_defaults(func=run)


def _thresholds(args: argparse.Namespace) -> None:
    """The linker's user-settable thresholds (issue 8), for this process."""
    from claimdesk.extract import families, stories

    if getattr(args, "copy_threshold", None) is not None:
        families.JACCARD_THRESHOLD = args.copy_threshold
    if getattr(args, "story_threshold", None) is not None:
        stories.STORY_THRESHOLD = args.story_threshold


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from claimdesk.store.database import Database, DatabaseError
    from claimdesk.tui.ingest import ingest_paths

    err = Console(stderr=True, highlight=False)
    out = Console(highlight=False)
    _thresholds(args)
    try:
        db = Database.open(db_path(args), create=True, group_shared=args.group_shared)
    except DatabaseError as exc:
        return fail(str(exc))

    def report_problem(problem) -> None:
        kind = "refused" if problem.fatal else "warning"
        err.print(f"claimdesk: {kind}: {problem}", markup=False, highlight=False, soft_wrap=True)

    try:  # a full disk, a read-only file system, a refused file: one line, nothing half-written
        summary = run_with_progress(
            lambda progress: ingest_paths(
                args.paths,
                db,
                processes=max(1, args.processes),
                max_bytes=args.max_bytes,
                progress=progress,
                on_problem=report_problem,
            ),
            console=err,
            enabled=not args.quiet and err.is_terminal,
        )
    except DatabaseError as exc:
        return fail(str(exc))
    out.print(summary_table(summary, db.path))
    return 1 if summary.refused and not summary.articles_total else 0


def run_with_progress(work, *, console, enabled: bool):
    """Run `work(progress_callback)` under a rich progress bar (or none)."""
    if not enabled:
        return work(None)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("extracting claims"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}", markup=False),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what)

        return work(progress)


def summary_table(summary, db_folder: Path):
    from rich.table import Table
    from rich.text import Text  # file names and reasons are data, never markup

    table = Table(title=Text(f"Ingest into {db_folder}"), show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("count")
    table.add_row(
        "articles",
        f"{summary.articles_total} in database "
        f"({summary.articles_new} new, {summary.articles_changed} changed, "
        f"{summary.articles_unchanged} unchanged)",
    )
    table.add_row(
        "claims",
        f"{summary.claims_total} in database "
        f"(+{summary.claims_added} / -{summary.claims_removed} this run)",
    )
    for status in SUGGESTION_ORDER:
        label = f"suggested {status}" if status else "no suggestion (attributed)"
        table.add_row(label, str(summary.suggestions.get(status, 0)))
    removed = sum(summary.boilerplate_removed.values())
    detail = ", ".join(f"{r} {n}" for r, n in sorted(summary.boilerplate_removed.items()))
    table.add_row("boilerplate lines removed", f"{removed}" + (f" ({detail})" if detail else ""))
    table.add_row("files refused", str(len(summary.refused)))
    for problem in summary.refused:
        table.add_row("", Text(str(problem)))
    if summary.warnings:
        table.add_row("warnings", str(len(summary.warnings)))
        for problem in summary.warnings:
            table.add_row("", Text(str(problem)))
    if summary.orphaned:
        table.add_row(
            "judgements kept on vanished claims",
            f"{len(summary.orphaned)} (see `claimdesk doctor`)",
        )
    return table

