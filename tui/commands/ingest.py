"""`claimdesk ingest INPUT... [--db FOLDER]`: articles in (files, folders, URLs, feeds), claims and
cross-source links out."""

from __future__ import annotations

import argparse
import importlib
import re
from pathlib import Path

from claimdesk.tui.commands.common import Subcommands, add_db_option, console, db_path, fail, path_hint

SUGGESTION_ORDER = ("corroborated", "disputed", "unsourced", "")
MAX_PROCESSES = 64
MAX_BYTES_LIMIT = 1_000_000_000


def bounded_int(low: int, high: int | None = None):
    """An argparse type: an integer in [low, high], else a one-line error naming the range."""

    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", "").replace(",", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low or (high is not None and value > high):
            span = f"from {low:,} to {high:,}" if high is not None else f"{low:,} or more"
            raise argparse.ArgumentTypeError(f"must be {span} (got {value:,})")
        return value

    parse.__name__ = "number"
    return parse


def bounded_float(low: float, high: float):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:g} to {high:g} (got {value:g})")
        return value

    parse.__name__ = "number"
    return parse


# The linker's thresholds a user may set for one ingest (issue 8), each between 0.01 and 1:
# (option, metavar, module of claimdesk.extract, its constant, help)
THRESHOLDS = (
    ("--copy-threshold", "C", "families", "COPY_THRESHOLD",
     "share of the shorter article's 8-word runs (outside quotes) found in the other from which "
     "two articles are copies of one source (default 0.10)"),
    ("--story-threshold", "S", "stories", "STORY_THRESHOLD",
     "mean similarity from which two groups of articles are one story, the bound of every link; "
     "higher: more, smaller stories (default 0.25)"),
    ("--retelling-similarity", "R", "links", "NOMINAL_SIM",
     "shared wording from which two claims of one same-event group that tell it in other words "
     "(a headline without an event verb, 'the double murder') support each other; higher: fewer, "
     "surer links (default 0.15)"),
    ("--lead-similarity", "L", "links", "LEAD_SIM",
     "shared wording from which two articles' headlines or leads with different event verbs "
     "report one happening of their story; higher: fewer, surer links (default 0.12)"),
    ("--kindred-similarity", "K", "conflicts", "KIN_SIM",
     "shared wording from which two claims with different event verbs but a shared participant "
     "are one happening whose differing day, place or count is a conflict ('died' / 'passed away'); "
     "higher: fewer, surer conflicts (default 0.12)"),
)


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "ingest",
        help="read articles (.txt .md .html .jsonl, folders, http(s) URLs, RSS/Atom feeds) into the database",
        description="Read articles, extract their check-worthy claims, link them across sources. Inputs are "
        "files, folders, http(s) URLs and RSS/Atom feeds (URLs or .rss/.atom/.xml files); fetched pages are "
        "kept in the database folder, so ingesting again needs no network.",
    )
    path_hint(p.add_argument("paths", nargs="*", metavar="INPUT", help="file, folder, URL or feed"), "file")
    path_hint(p.add_argument("--urls", action="append", default=[], metavar="FILE",
                             help="read URLs from FILE, one a line ('#' starts a comment); may be repeated"), "file")
    add_db_option(p)
    p.add_argument(
        "--processes",
        type=bounded_int(1, MAX_PROCESSES),
        default=1,
        metavar="N",
        help=f"spaCy worker processes for large inputs, 1 to {MAX_PROCESSES} (default 1)",
    )
    p.add_argument(
        "--max-bytes",
        type=bounded_int(1, MAX_BYTES_LIMIT),
        default=5_000_000,
        metavar="N",
        help="refuse input files and pages larger than this (default 5,000,000)",
    )
    p.add_argument("--limit", type=bounded_int(1), default=None, metavar="N",
                   help="read at most N items of each feed (default all)")
    p.add_argument("--offline", action="store_true",
                   help="never use the network: URLs only from the pages kept in the database")
    p.add_argument("--refresh", action="store_true",
                   help="fetch URLs again even when their page is kept in the database")
    p.add_argument("--timeout", type=bounded_float(1, 300), default=20.0, metavar="SECONDS",
                   help="network read timeout per page (default 20; connecting: half of it)")
    p.add_argument("--strict", action="store_true",
                   help="exit with status 1 when any input was refused (default: only when nothing was read)")
    p.add_argument(
        "--group-shared",
        action="store_true",
        help="when creating the database: folder 2770 and files 0660, for a team folder",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    for flag, metavar, _module, _constant, text in THRESHOLDS:
        p.add_argument(flag, type=bounded_float(0.01, 1), metavar=metavar, help=text)
    p.add_argument(
        "--event-similarity",
        type=float,
        metavar="C",
        help="link claims of one story that report one event in other words from this sentence-vector "
        "cosine (e.g. 0.4; needs the 'vectors' extra; default: off, words only)",
    )
    p.set_defaults(func=run)


def _thresholds(args: argparse.Namespace) -> str | None:
    """The linker's user-settable thresholds (issue 8), for this process; a one-line problem when the
    sentence model they ask for cannot be used (checked before anything is read or written)."""
    for flag, _metavar, module, constant, _text in THRESHOLDS:
        value = getattr(args, flag[2:].replace("-", "_"), None)
        if value is not None:
            setattr(importlib.import_module(f"claimdesk.extract.{module}"), constant, value)
    if getattr(args, "event_similarity", None) is not None:
        from claimdesk.extract import events, links

        events.VECTOR_SIM = args.event_similarity
        links.SEMANTIC = args.event_similarity < 1.0
        if links.SEMANTIC:
            from claimdesk.extract import embed

            try:
                embed.vectors([])  # loads and checks the model files once, for this process
            except embed.ModelMissing as exc:
                return f"--event-similarity: {exc}"
    return None


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from claimdesk.extract.model import InputProblem
    from claimdesk.store.database import Database, DatabaseError
    from claimdesk.tui.fetch import FetchSettings
    from claimdesk.tui.ingest import ingest_paths
    from claimdesk.tui.web import WebOptions, read_url_list

    problem = _thresholds(args)  # before anything is read or written
    if problem is not None:
        return fail(problem)

    err = Console(stderr=True, highlight=False)
    out = console()  # a summary piped to a file keeps every reason whole
    if args.offline and args.refresh:
        return fail("--offline and --refresh cannot go together (refreshing needs the network)")
    inputs: list[str] = list(args.paths)
    early: list[InputProblem] = []
    for listing in args.urls:
        urls, problems = read_url_list(listing, max_bytes=args.max_bytes)
        inputs.extend(urls)
        early.extend(problems)
    if not inputs and not early:
        return fail("nothing to ingest: give files, folders or URLs (or --urls FILE)")

    folder = db_path(args)
    if folder.exists() or folder.is_symlink():
        try:
            db = Database.open(folder, create=True, group_shared=args.group_shared)
        except DatabaseError as exc:
            return fail(str(exc))
    else:  # made only once something was read: a failed ingest leaves no empty database behind
        def db():
            return Database.open(folder, create=True, group_shared=args.group_shared)

    def report_problem(problem) -> None:
        kind = "refused" if problem.fatal else "warning"
        err.print(f"claimdesk: {kind}: {problem}", markup=False, highlight=False, soft_wrap=True)

    for problem in early:
        report_problem(problem)
    web = WebOptions(
        offline=args.offline,
        refresh=args.refresh,
        limit=args.limit,
        settings=FetchSettings(read_timeout=args.timeout, connect_timeout=max(1.0, args.timeout / 2),
                               max_bytes=args.max_bytes),
    )
    try:  # a full disk, a read-only file system, a refused file: one line, nothing half-written
        summary = run_with_progress(
            lambda progress, fetch_progress: ingest_paths(
                inputs,
                db,
                processes=args.processes,
                max_bytes=args.max_bytes,
                progress=progress,
                on_problem=report_problem,
                web=web,
                fetch_progress=fetch_progress,
            ),
            console=err,
            enabled=not args.quiet and err.is_terminal,
        )
    except DatabaseError as exc:
        return fail(str(exc))
    summary.refused[:0] = [p for p in early if p.fatal]
    if summary.database is None:
        return fail(f"nothing ingested: {len(summary.refused)} input(s) refused; no database created at {folder}", 1)
    out.print(summary_table(summary, summary.database.path))
    if summary.refused and (args.strict or not summary.articles_total):
        return 1
    return 0


def run_with_progress(work, *, console, enabled: bool):
    """Run `work(progress, fetch_progress)` under a rich progress bar with counts (or none)."""
    if not enabled:
        return work(None, None)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.fields[phase]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}", markup=False),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("", total=None, phase="reading")

        def progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what, phase="extracting claims")

        def fetch_progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what, phase="fetching pages")

        return work(progress, fetch_progress)


_JSONL_LINE = re.compile(r"\.jsonl:\d+$", re.IGNORECASE)


def refused_counts(problems) -> str:
    """"3 (1 file, 2 JSONL lines)": refused inputs counted by what they are."""
    from claimdesk.tui.web import is_url

    kinds = {"file": 0, "JSONL line": 0, "URL": 0}
    for problem in problems:
        kind = "URL" if is_url(problem.source) else "JSONL line" if _JSONL_LINE.search(problem.source) else "file"
        kinds[kind] += 1
    parts = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in kinds.items() if n]
    return f"{len(problems)}" + (f" ({', '.join(parts)})" if parts else "")


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
    table.add_row("refused", refused_counts(summary.refused))
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

