"""`claimdesk export`, `claimdesk stats`, `claimdesk agreement`: what the team decided, in files and tables."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from claimdesk.tui.commands.common import Subcommands, add_db_option, db_path, fail

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
            "CSV cells that would run as spreadsheet formulas are prefixed with an apostrophe."
        ),
    )
    add_db_option(p)
    p.add_argument("--format", choices=("csv", "jsonl"), default="csv", help="default csv")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="FILE", help="write here (default stdout)")
    p.add_argument("--reviewer", default=None, help="only this reviewer's judgements")
    p.add_argument(
        "--final",
        action="store_true",
        help="one row per claim: the adjudicated, else unanimous, else majority status (+ decision, votes)",
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

    p = sub.add_parser("stats", help="review progress per reviewer, counts per status, suggestion vs judgement")
    add_db_option(p)
    p.set_defaults(func=run_stats)

    p = sub.add_parser("agreement", help="Cohen's kappa per reviewer pair, Krippendorff's alpha, disagreements")
    add_db_option(p)
    p.add_argument("--limit", type=int, default=50, metavar="N", help="disagreements to list (default 50)")
    p.set_defaults(func=run_agreement)


def _open(args: argparse.Namespace):
    from claimdesk.store.database import Database

    return Database.open(db_path(args))


def run_export(args: argparse.Namespace) -> int:
    from claimdesk.store.database import DatabaseError
    from claimdesk.store.export import DEFAULT_ADJUDICATORS, write_export, write_file_atomic

    if args.final and args.reviewer:
        return fail("export: --final combines every reviewer; leave out --reviewer")
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
            n = write_file_atomic(args.output, produce)
            print(f"claimdesk: wrote {n} rows to {args.output}", file=sys.stderr)
    except DatabaseError as exc:
        return fail(str(exc))
    except BrokenPipeError:  # `claimdesk export | head`: the reader has had enough
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        return fail(f"{exc.filename or args.output}: {exc.strerror or exc}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from claimdesk.extract.model import STATUSES
    from claimdesk.store.database import DatabaseError
    from claimdesk.store.stats import NONE, stats

    try:
        s = stats(_open(args))
    except DatabaseError as exc:
        return fail(str(exc))
    console = Console(highlight=False)
    console.print(
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
        t.add_row(r.reviewer, f"{r.judged}/{r.total}", f"{r.percent:.0f}", *(str(r.statuses[x]) for x in STATUSES))
    if not s.reviewers:
        t.add_row("(nobody yet)", f"0/{s.claims}", "0", *("0" for _ in STATUSES))
    console.print(t)
    t = Table(title="suggestion (rows) vs judgement (columns), all reviewers")
    t.add_column("suggested")
    t.add_column("claims", justify="right")
    for status in STATUSES:
        t.add_column(status, justify="right")
    for sug in STATUSES + (NONE,):
        t.add_row(sug, str(s.suggestions[sug]), *(str(s.versus[sug][x]) for x in STATUSES))
    t.add_row("all", str(s.claims), *(str(s.statuses[x]) for x in STATUSES), style="bold")
    console.print(t)
    return 0


def run_agreement(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from claimdesk.store.agreement import agreement
    from claimdesk.store.database import DatabaseError

    try:
        db = _open(args)
        report = agreement(db.judgements())
        corpus = db.corpus()
    except DatabaseError as exc:
        return fail(str(exc))
    console = Console(highlight=False)
    console.print(
        f"{len(report.reviewers)} reviewer(s), {report.units} claim(s) judged by two or more; "
        f"Krippendorff's alpha (nominal): {report.alpha_shown}",
        markup=False,
    )
    if report.pairs:
        t = Table(title="Cohen's kappa per pair")
        for col in ("reviewer A", "reviewer B", "shared", "agreed", "kappa"):
            t.add_column(col, justify="right" if col in ("shared", "agreed") else "left")
        for p in report.pairs:
            t.add_row(p.a, p.b, str(p.shared), str(p.agreed), p.shown)
        console.print(t)
    if report.disagreements:
        t = Table(title=f"disagreements ({len(report.disagreements)})")
        t.add_column("claim")
        t.add_column("statuses")
        t.add_column("text")
        for d in report.disagreements[: max(0, args.limit)]:
            claim = corpus.claim(d.claim_id)
            t.add_row(
                d.claim_id,
                ", ".join(f"{r}: {s}" for r, s in d.statuses.items()),
                claim.text if claim else "(no longer in the corpus)",
            )
        console.print(t)
        if len(report.disagreements) > args.limit:
            console.print(f"... and {len(report.disagreements) - args.limit} more (--limit)", markup=False)
    return 0
