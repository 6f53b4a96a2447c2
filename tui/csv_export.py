"""The review screen's CSV export (`E`): where it proposes to write, which claims, and a safe write.

No Textual here.

* Where: the user's documents folder (platformdirs), never the current folder (often a
  repository) and never inside the database folder; the file is named after the database and
  the reviewer (and the filter, when only the claims it shows are exported).
* Which: with a filter on, what the filter shows: the screen's filter maps onto the store's
  `--only` filters (`store.filters`); "unreviewed" and "judged …" are this reviewer's, so those
  exports hold this reviewer's judgements only (the dialog and the message say so).
* How: the store's `write_file_atomic`: a temporary file beside the target, 0600, fsynced,
  renamed over it (a planted symlink is replaced, never followed); refused inside a database.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any

from .screen_filters import Filter


class ExportRefused(Exception):
    """One line: the path, and why nothing was written there."""


def store_filter(flt: Filter) -> tuple[str | None, bool]:
    """The screen's filter as (the store's --only name or None, whether it is about my judgements)."""
    if flt.kind == "unreviewed":
        return "unreviewed", True
    if flt.kind == "judged":
        return flt.value, True
    if flt.kind == "suggested":
        return f"suggested-{flt.value or 'none'}", False
    if flt.kind == "kind":
        return f"kind-{flt.value}", False
    if flt.kind == "disagree":
        return "disagreements", False
    return None, False


def default_folder() -> Path:
    from platformdirs import user_documents_dir

    return Path(user_documents_dir())


def proposed_path(folder: Path, db_path: Path, reviewer: str, flt: Filter | None = None) -> Path:
    stem = db_path.name[:-3] if db_path.name.endswith(".db") else db_path.name
    parts = [stem or "claimdesk", reviewer]
    if flt is not None and flt.kind != "all":
        parts.append(flt.label)
    name = re.sub(r"[^\w.-]+", "-", "-".join(parts)).strip("-.") or "claimdesk"
    return folder / f"{name}.csv"


def inside(path: Path, folder: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def write_csv(db: Any, path: Path, *, only: str | None, reviewer: str | None, create_folder: bool) -> int:
    """Export to `path` (0600, atomic, never inside a database folder: the store's
    `write_file_atomic`); returns the number of rows. ExportRefused with one line."""
    from claimdesk.store.export import ExportTargetError, write_export, write_file_atomic

    if inside(path, db.path) or inside(path.parent, db.path):
        raise ExportRefused(f"{path}: inside the database folder {db.path}; choose another place")
    if create_folder and not path.parent.exists():
        with contextlib.suppress(FileExistsError):
            os.makedirs(path.parent, mode=0o700)
    try:
        return write_file_atomic(path, lambda out: write_export(db, out, fmt="csv", only=only, reviewer=reviewer),
                                 databases=[db.path])
    except ExportTargetError as exc:
        raise ExportRefused(str(exc)) from None
    except OSError as exc:
        raise ExportRefused(f"{path}: cannot write ({exc.strerror or exc})") from None


def export(db: Any, path: Path, flt: Filter, reviewer: str, *, create_folder: bool) -> tuple[str, bool]:
    """Export what `flt` shows (all claims for Filter()) to `path`: (the message to show, ok)."""
    only, mine = store_filter(flt)
    try:
        rows = write_csv(db, path, only=only, reviewer=reviewer if mine else None, create_folder=create_folder)
    except ExportRefused as error:
        return f"Export failed: {error}", False
    except Exception as error:  # the store's one-line errors (a damaged file ...)
        return f"Export failed: {path}: {error}", False
    which = f"the claims shown (filter: {flt.label}" + ("; your judgements" if mine else "") + ")" if only \
        else "all claims"
    return f"Exported to {path} ({rows} rows: {which})", True
