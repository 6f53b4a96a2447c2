"""`claimdesk export`, `claimdesk stats`, `claimdesk agreement`: what the team decided, in files and tables."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from claimdesk.tui.commands.common import add_db_option, console, db_path, fail, path_hint
from claimdesk.tui.commands.common import Subcommands

# kept in step with store.filters.FILTERS (checked by tests); listed here so --help needs no store import
ONLY_CHOICES = (
    "unreviewed",
    "corroborated",
    "disputed",
    "unsourced",
    "disagreements",
    "suggested-corroborated",
    "suggested-disputed",
    "suggested-unsourced",
    "suggested-none",
    "kind-statistic",
    "kind-quote",
    "kind-event",
    "kind-statement",
)


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "export",
        help="write claims and judgements as CSV or JSON Lines",
        description=(
            "One row per claim and reviewer judgement (an unjudged claim once, judgement columns empty). "
            "CSV cells that would run as spreadsheet formulas are prefixed with an apostrophe. "
            "A file is created 0600 (--mode widens it) and never inside a database folder."
        ),
    )
    add_db_option(p)
    p.add_argument("--format", choices=("csv", "jsonl"), default="csv", help="default csv")
    path_hint(p.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                             help="write here (default stdout)"), "file")
    p.add_argument("--mode", type=file_mode, default=0o600, metavar="OCTAL",
                   help="permissions of the file written with -o (default 600; e.g. 640 to share with the group)")
    p.add_argument("--reviewer", default=None, help="only this reviewer's judgements")
    p.add_argument(
        "--final",
        action="store_true",
        help="one row per claim: the adjudicated, else unanimous, else majority status (+ decision, votes, voters)",
    )
    p.add_argument(
        "--adjudicator",
        action="append",
        default=None,
        metavar="NAME",
        help="reviewer whose status decides with --final (repeatable; default: 'adjudicator')",
    )
    p.add_argument(
        "--only",
        action="append",
        choices=ONLY_CHOICES,
        default=None,
        metavar="FILTER",
        help="only claims passing this filter (repeatable: all must pass): " + ", ".join(ONLY_CHOICES),
    )
    p.add_argument("--bom", action="store_true", help="start with a UTF-8 byte order mark (for Excel)")
    p.set_defaults(func=run_export)

    p = sub.add_parser(
        "stats",
        help="review progress per reviewer, counts per status, suggestion vs judgement",
        description="How far each reviewer has got, how many claims have each status, and how the "
                    "linker's suggestions compare with the reviewers' judgements.",
    )
    add_db_option(p)
    p.set_defaults(func=run_stats)

    p = sub.add_parser(
        "agreement",
        help="Cohen's kappa per reviewer pair, Krippendorff's alpha, disagreements",
        description="Inter-reviewer agreement on the claims judged by two or more reviewers: Cohen's "
                    "kappa for each pair, Krippendorff's alpha (nominal) over all, then the claims "
                    "they disagree on (to adjudicate: tag them as the reviewer 'adjudicator').",
    )
    add_db_option(p)
    p.add_argument("--limit", type=int, default=50, metavar="N", help="disagreements to list (default 50)")
    p.set_defaults(func=run_agreement)


def file_mode(text: str) -> int:
    """An octal permission mode for an export file: 600, 0640, 0o644 (argparse `type`)."""
    digits = text.strip().lower().removeprefix("0o")
    try:
        mode = int(digits, 8)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an octal mode such as 600 or 640") from None
    if not 0 <= mode <= 0o666 or not mode & 0o600 == 0o600:
        raise argparse.ArgumentTypeError(f"{text!r}: give read and write for yourself and no execute bits (600 to 666)")
    if mode & 0o111:
        raise argparse.ArgumentTypeError(f"{text!r}: an export is no program; no execute bits")
    return mode


def _open(args: argparse.Namespace):
    from claimdesk.store.database import Database

    return Database.open(db_path(args))


def run_export(args: argparse.Namespace) -> int:
    from claimdesk.store.database import DatabaseError
    from claimdesk.store.export import DEFAULT_ADJUDICATORS, ExportTargetError, write_export, write_file_atomic

    if args.final and args.reviewer:
        return fail("export: --final combines every reviewer; leave out --reviewer")
    if args.adjudicator and not args.final:
        return fail("export: --adjudicator only counts with --final (one decided row per claim); add --final")
    if args.output is None and args.mode != 0o600:
        return fail("export: --mode is for the file written with -o FILE")
    try:
        db = _open(args)

        def produce(stream):
            return write_export(
                db,
                stream,
                fmt=args.format,
                reviewer=args.reviewer,
                final=args.final,
                only=args.only,
                bom=args.bom,
                adjudicators=tuple(args.adjudicator or DEFAULT_ADJUDICATORS),
            )

        if args.output is None:
            stream = sys.stdout
            try:
                stream.reconfigure(encoding="utf-8", newline="")  # type: ignore[attr-defined]
            except (AttributeError, ValueError):
                pass
            produce(stream)
            stream.flush()
        else:
            n = write_file_atomic(args.output, produce, mode=args.mode, databases=[db.path])
            print(f"claimdesk: wrote {n} rows to {args.output}", file=sys.stderr)
    except (DatabaseError, ExportTargetError) as exc:
        return fail(str(exc))
    except BrokenPipeError:  # `claimdesk export | head`: the reader has had enough
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # named by the path the user gave, never by our temporary file
        return fail(f"{args.output if args.output is not None else 'stdout'}: cannot write: {exc.strerror or exc}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from rich.table import Table
    from rich.text import Text  # reviewer names are data, never markup

    from claimdesk.extract.model import STATUSES
    from claimdesk.store.database import DatabaseError
    from claimdesk.store.stats import NONE, stats

    try:
        s = stats(_open(args))
    except DatabaseError as exc:
        return fail(str(exc))
    out = console()
    out.print(
        f"{s.articles} articles, {s.claims} claims, {s.claims_judged} judged by someone"
        + (f", {s.orphaned} judgement(s) on claims no longer in the corpus" if s.orphaned else ""),
        markup=False,
    )
    t = Table(title="progress per reviewer")
    t.add_column("reviewer")
    t.add_column("judged", justify="right")
    t.add_column("%", justify="right")
    for status in STATUSES:
        t.add_column(status, justify="right")
    for r in s.reviewers:
        t.add_row(Text(r.reviewer), f"{r.judged}/{r.total}", f"{r.percent:.0f}", *(str(r.statuses[x]) for x in STATUSES))
    if not s.reviewers:
        t.add_row("(nobody yet)", f"0/{s.claims}", "0", *("0" for _ in STATUSES))
    out.print(t)
    t = Table(title="suggestion (rows) vs judgement (columns), all reviewers")
    t.add_column("suggested")
    t.add_column("claims", justify="right")
    for status in STATUSES:
        t.add_column(status, justify="right")
    for sug in STATUSES + (NONE,):
        t.add_row(sug, str(s.suggestions[sug]), *(str(s.versus[sug][x]) for x in STATUSES))
    t.add_row("all", str(s.claims), *(str(s.statuses[x]) for x in STATUSES), style="bold")
    out.print(t)
    return 0


def run_agreement(args: argparse.Namespace) -> int:
    from rich.table import Table
    from rich.text import Text  # names, statuses and claim text are data, never markup

    from claimdesk.store.agreement import agreement
    from claimdesk.store.database import DatabaseError

    try:
        db = _open(args)
        report = agreement(db.judgements())
        corpus = db.corpus()
    except DatabaseError as exc:
        return fail(str(exc))
    out = console()
    out.print(
        f"{len(report.reviewers)} reviewer(s), {report.units} claim(s) judged by two or more; "
        f"Krippendorff's alpha (nominal): {report.alpha_shown}",
        markup=False,
    )
    if report.pairs:
        t = Table(title="Cohen's kappa per pair")
        for col in ("reviewer A", "reviewer B", "shared", "agreed", "kappa"):
            t.add_column(col, justify="right" if col in ("shared", "agreed") else "left")
        for p in report.pairs:
            t.add_row(Text(p.a), Text(p.b), str(p.shared), str(p.agreed), Text(p.shown))
        out.print(t)
    if report.disagreements:
        t = Table(title=f"disagreements ({len(report.disagreements)})")
        t.add_column("claim")
        t.add_column("statuses")
        t.add_column("text")
        for d in report.disagreements[: max(0, args.limit)]:
            claim = corpus.claim(d.claim_id)
            t.add_row(
                Text(d.claim_id),
                Text(", ".join(f"{r}: {s}" for r, s in d.statuses.items())),
                Text(claim.text if claim else "(no longer in the corpus)"),
            )
        out.print(t)
        if len(report.disagreements) > args.limit:
            out.print(f"... and {len(report.disagreements) - args.limit} more (--limit)", markup=False)
    return 0
