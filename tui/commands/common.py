"""Options and helpers shared by the sub-commands: --db / --reviewer (through the user's
settings, `tui.config`), claim ids by unique prefix, statuses by first letter, one-line errors,
and the console that prints tables at full width when the output is not a terminal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from claimdesk.extract.model import STATUSES
from claimdesk.tui.config import DEFAULT_DB, ConfigError, Settings, load, parse_keys

if TYPE_CHECKING:
    from rich.console import Console

    from claimdesk.store.database import Database

PIPED_WIDTH = 100_000  # "no limit": a table piped to another program keeps every character
# Filled by `claimdesk completion` only (shtab's completers for "dir" and "file"), so that the
# other commands never import shtab; `path_hint` marks an argument for it.
PATH_COMPLETION: dict[str, Any] = {}


class Subcommands(Protocol):
    """What `ArgumentParser.add_subparsers()` returns (argparse names no public type for it)."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


def path_hint(action: argparse.Action, kind: str) -> argparse.Action:
    """Mark `action` as taking a folder ("dir") or a file ("file"), for shell completion."""
    if kind in PATH_COMPLETION:
        action.complete = PATH_COMPLETION[kind]  # type: ignore[attr-defined] - shtab's documented hook
    return action


def add_db_option(parser: argparse.ArgumentParser) -> None:
    path_hint(parser.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="FOLDER",
        help=f"database folder (default: $CLAIMDESK_DB, else the config file's `database`, else ./{DEFAULT_DB})",
    ), "dir")


def add_reviewer_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reviewer",
        default=None,
        metavar="NAME",
        help="who is judging (default: $CLAIMDESK_REVIEWER, else the config file's `reviewer`, "
             "else the login name)",
    )


def settings(args: argparse.Namespace) -> Settings:
    """The user's settings with this command's flags on top (read once per command)."""
    cached = getattr(args, "_settings", None)
    if cached is not None:
        return cached
    keys_text = getattr(args, "keys", None)
    try:
        keymap = parse_keys(keys_text) if keys_text else None
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    flags: dict[str, Any] = {
        "database": getattr(args, "db", None),
        "reviewer": (getattr(args, "reviewer", None) or "").strip() or None,
        "keys": keymap,
        "auto_advance": getattr(args, "advance", None),
    }
    result = load(flags)
    args._settings = result
    return result


def db_path(args: argparse.Namespace) -> Path:
    return Path(settings(args)["database"])


def reviewer_name(args: argparse.Namespace) -> str:
    """--reviewer, else $CLAIMDESK_REVIEWER, else the config file's, else the login name,
    normalised as the store keeps it (so the screen shows the name the judgements are saved under)."""
    from claimdesk.store.reviewers import normalise

    return normalise(settings(args)["reviewer"])


def fail(message: str, code: int = 2) -> int:
    """Print a one-line error and return the exit code to use."""
    print(f"claimdesk: {message}", file=sys.stderr)
    return code


def console(*, stderr: bool = False) -> "Console":
    """A rich console for tables and lines: the terminal's width on a terminal, no width limit
    when piped or redirected (so `claimdesk history ID | less` keeps whole timestamps)."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return Console(file=stream, highlight=False, width=None if tty else PIPED_WIDTH)


# ----------------------------------------------------------------------------------- statuses


def status_arg(text: str) -> str:
    """A status by its name or any prefix of it: c, d, u, corr, ... (argparse `type`)."""
    low = text.strip().lower()
    found = [s for s in STATUSES if low and s.startswith(low)]
    if len(found) != 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a status (corroborated, disputed, unsourced, or c/d/u)")
    return found[0]


# ---------------------------------------------------------------------------------- claim ids


class ClaimIdError(Exception):
    """No claim, or more than one, for what the user typed; str() is the message."""


def resolve_claim_id(db: "Database", given: str, *, limit: int = 10) -> str:
    """The one claim id that starts with `given` (claims of the corpus, and claims that left it
    but still have judgements). An exact id always wins; none or several -> ClaimIdError."""
    given = given.strip()
    if not given:
        raise ClaimIdError(f"{db.path}: empty claim id")
    corpus = db.corpus()
    ids = set(corpus.claim_ids())
    if given in ids:
        return given
    found = sorted(i for i in ids if i.startswith(given))
    if not found:
        judged = sorted({j.claim_id for j in db.judgements() if j.claim_id.startswith(given)})
        if given in judged:
            return given
        found = judged
    if len(found) == 1:
        return found[0]
    if not found:
        raise ClaimIdError(f"{db.path}: unknown claim id {given!r}: no claim id starts with it (`claimdesk claims` lists them)")
    lines = []
    for claim_id in found[:limit]:
        claim = corpus.claim(claim_id)
        text = claim.text if claim is not None else "(no longer in the corpus)"
        lines.append(f"  {claim_id}  {shorten(text, 70)}")
    more = f"\n  ... and {len(found) - limit} more" if len(found) > limit else ""
    raise ClaimIdError(
        f"{db.path}: {given!r} matches {len(found)} claims; give more characters:\n" + "\n".join(lines) + more
    )


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
