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


class _VersionAction(argparse.Action):
    """--version, looked up only when asked for (the package metadata lookup costs every other
    command, `claimdesk review` among them, 50-130 ms of start)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show program's version number and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: object, values: object,
                 option_string: str | None = None) -> None:
        print(f"{parser.prog} {version()}")  # on stdout, as argparse's own version action
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimdesk",
        description="Check news articles against each other: ingest, review, tag, export.",
        epilog="`claimdesk demo` opens the shipped sample story; `claimdesk COMMAND --help` explains each command.",
    )
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"claimdesk.tui.commands.{name}")
        module.register(sub)
    parser.set_defaults(build_parser=build_parser)  # `completion` builds the whole parser (no import of cli: no cycle)
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
