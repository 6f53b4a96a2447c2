"""The `claimdesk` command: argument parsing and dispatch only.

Each command group lives in `tui/commands/<group>.py` and exposes `register(subparsers)`;
that function adds its sub-commands and sets `func` on each. Heavy imports (spaCy, Textual)
happen inside the command functions, so `claimdesk export` never pays for spaCy.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = ("ingest", "demo", "review", "claims", "judge", "report", "doctor", "config", "completion")


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("claimdesk")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout that was never installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimdesk",
        description="Check news articles against each other: ingest, review, tag, export.",
        epilog="`claimdesk demo` opens the shipped sample story; `claimdesk COMMAND --help` explains each command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"claimdesk.tui.commands.{name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from claimdesk.tui.commands.common import ClaimIdError, fail
    from claimdesk.tui.config import ConfigError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ConfigError, ClaimIdError) as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        print("claimdesk: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
