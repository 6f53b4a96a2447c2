"""Reviewer names and the OS account behind a change.

A reviewer name is a label chosen by whoever runs claimdesk (`--reviewer`, $CLAIMDESK_REVIEWER,
the login name): it keeps judgements apart, it is NOT authentication. So that one person does
not show up as two, a name is normalised before it is stored: Unicode NFKC, format characters
(zero-width space and joiners, bidi controls, soft hyphen: category Cf) removed, control
characters and escape sequences removed (`extract.sanitize`), whitespace runs made one space,
ends trimmed. A name that differs only in case from a reviewer the database already has is
refused with a hint naming that reviewer (never folded silently: "Ana" may really be another
person, and only the user can say).

The names a database has stored are kept in ``reviewers.json`` (so that a `tag` checks a new
name against one small file, not every shard); an older database without it has it made from
its shards once. Every history line also records the OS account (the effective uid's login name) of the process
that made the change, so a claimed reviewer name can be traced to the account that used it.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from claimdesk.store.storage import CorruptFile, read_json, write_json_atomic

_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e", "\u00ad", "\u034f"}


def normalise(name: object) -> str:
    """The stored form of a reviewer name ("" when nothing printable is left)."""
    from claimdesk.extract.sanitize import sanitize_line

    text = unicodedata.normalize("NFKC", str(name or ""))
    text = "".join(ch for ch in text if ch not in _ZERO_WIDTH and unicodedata.category(ch) != "Cf")
    return sanitize_line(text)


def case_clash(name: str, existing: Iterable[str]) -> str | None:
    """The existing reviewer that `name` differs from only in case (None when there is none)."""
    folded = name.casefold()
    for other in existing:
        if other != name and other.casefold() == folded:
            return other
    return None


_ACCOUNT: tuple[int, str] | None = None


def os_account() -> str:
    """The login name of the effective uid (``uid<N>`` when it has no passwd entry)."""
    global _ACCOUNT
    euid = os.geteuid()
    if _ACCOUNT is None or _ACCOUNT[0] != euid:
        try:
            import pwd

            name = pwd.getpwuid(euid).pw_name
        except (KeyError, ImportError):
            name = f"uid{euid}"
        _ACCOUNT = (euid, name)
    return _ACCOUNT[1]


# ------------------------------------------------------------------ the names a database has seen

REGISTRY_FILE = "reviewers.json"  # {"reviewers": {"1": {"names": [...]}}}: every reviewer name ever stored


def registry_path(folder: Path) -> Path:
    return Path(folder) / REGISTRY_FILE


def read_registry(folder: Path) -> set[str] | None:
    """The reviewer names the database has recorded (None: no registry yet, an older database).
    A damaged registry reads as None too (it is rebuilt from the shards)."""
    try:
        data = read_json(registry_path(folder))
    except (CorruptFile, OSError):
        return None
    try:
        names = data["reviewers"]["1"]["names"] if data else None
    except (KeyError, TypeError):
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    return set(names)


def record(folder: Path, name: str, known: set[str], mode: int) -> None:
    """Add `name` to the registry holding `known` (call under the "reviewers" lock)."""
    names = sorted(known | {name})
    write_json_atomic(registry_path(folder), {"reviewers": {"1": {"names": names}}}, mode=mode, backup=False)
