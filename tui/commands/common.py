"""Options and helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any, Protocol

DEFAULT_DB = "claimdesk.db"


class Subcommands(Protocol):
    """What `ArgumentParser.add_subparsers()` returns (argparse names no public type for it)."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


def default_db() -> str:
    return os.environ.get("CLAIMDESK_DB", DEFAULT_DB)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"database folder (default: $CLAIMDESK_DB or ./{DEFAULT_DB})",
    )


def db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db is not None else Path(default_db())


def add_reviewer_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reviewer",
        default=None,
        help="who is judging (default: $CLAIMDESK_REVIEWER, else the login name)",
    )


def reviewer_name(args: argparse.Namespace) -> str:
    """--reviewer, else CLAIMDESK_REVIEWER, else the login name (right over SSH)."""
    name = getattr(args, "reviewer", None) or os.environ.get("CLAIMDESK_REVIEWER")
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # no passwd entry, no LOGNAME: still a name, never a crash
            name = f"uid{os.getuid()}"
    return name.strip()


def fail(message: str, code: int = 2) -> int:
    """Print a one-line error and return the exit code to use."""
    print(f"claimdesk: {message}", file=sys.stderr)
    return code
