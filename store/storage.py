"""A TinyDB `Storage` that reads and writes with orjson and never leaves a half-written file.

Every write goes to a temporary file in the same folder (``.NAME.PID.RANDOM.tmp``), is flushed
and fsynced, and then replaces the real file with ``os.replace``; the folder is fsynced last so
the rename itself is durable. A process killed at any instant therefore leaves either the old
file or the new one, never a truncated one (a stray temp file at worst, which readers ignore and
`claimdesk doctor` removes).

Before the replace, the current file is hard-linked to ``NAME.bak``: the previous good copy,
kept for `claimdesk doctor --restore`. (It is always a copy that parsed: writers read the file
under the lock before they write it, and refuse to write over a file that does not parse.)

Files are created with an explicit mode (0600, or 0660 for a group-shared database), whatever
the umask.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from claimdesk.store.files import CorruptFile, UnsafeFile, check_name, read_bytes, write_exclusive

__all__ = ["BACKUP_SUFFIX", "TEMP_SUFFIX", "CorruptFile", "UnsafeFile", "AtomicJSONStorage", "read_json",
           "write_json_atomic", "write_bytes_atomic", "fsync_dir", "stray_temp_files", "temp_owner_alive"]

BACKUP_SUFFIX = ".bak"
TEMP_SUFFIX = ".tmp"


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new entry in `folder` durable."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object in `path`; None if the file does not exist or is empty (never written).

    Raises CorruptFile when the file holds anything but one JSON object, UnsafeFile (a
    CorruptFile) when the name is a symbolic link or anything but a regular file we may trust
    (`store.files`: nothing is followed).
    """
    raw = read_raw(path)
    if raw is None or not raw.strip():
        return None
    return parse_object(path, raw)


def read_raw(path: Path) -> bytes | None:
    """The bytes of `path` (None: no such file), opened without following a link (`store.files`)."""
    try:
        return read_bytes(path)
    except FileNotFoundError:
        return None


def parse_object(path: Path, raw: bytes) -> dict[str, Any]:
    """`raw` as one JSON object, else CorruptFile naming `path`."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise CorruptFile(path, f"not valid JSON ({exc.args[0] if exc.args else exc})") from None
    if not isinstance(data, dict):
        raise CorruptFile(path, "not a JSON object")
    return data


def write_json_atomic(path: Path, data: Any, *, mode: int = 0o600, backup: bool = True) -> bytes:
    """Write `data` as JSON to `path` atomically (`write_bytes_atomic`); returns the bytes written."""
    payload = orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)
    write_bytes_atomic(path, payload, mode=mode, backup=backup)
    return payload


def write_bytes_atomic(path: Path, payload: bytes, *, mode: int = 0o600, backup: bool = True) -> None:
    """Write `payload` to `path` so that a crash leaves the old or the new file, whole.

    The temporary file is created O_EXCL|O_NOFOLLOW (never an existing name, never through a
    link); the backup is a hard link to the current file made only when that name is a regular
    file we may trust (a planted link is replaced, never linked to or followed). The caller
    decides whether the current file deserves to become the backup (`backup`): only a file
    that parsed and validated under the writer's lock does."""
    path = Path(path)
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    try:
        write_exclusive(tmp, payload, mode)  # fchmod: the umask must not narrow (or widen) what we asked for
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    try:
        if backup and os.path.lexists(path) and not check_name(path):
            bak_tmp = folder / f".{path.name}{BACKUP_SUFFIX}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
            try:
                os.link(path, bak_tmp, follow_symlinks=False)
                os.replace(bak_tmp, folder / f"{path.name}{BACKUP_SUFFIX}")
            except OSError:  # no hard links here (some network/FAT mounts): skip the backup
                with contextlib.suppress(OSError):
                    os.unlink(bak_tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(folder)


class AtomicJSONStorage(Storage):
    """TinyDB storage: orjson, atomic replace, backups, explicit file mode.

    ``TinyDB(path, storage=AtomicJSONStorage, mode=0o600)``. The file is read fresh on every
    `read` (no caching here), so a TinyDB opened under a lock sees what other processes wrote.
    """

    def __init__(self, path: str | os.PathLike, mode: int = 0o600, backup: bool = True, **_: Any):
        super().__init__()
        self.path = Path(path)
        self.mode = mode
        self.backup = backup

    def read(self) -> dict[str, dict[str, Any]] | None:
        return read_json(self.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_json_atomic(self.path, data, mode=self.mode, backup=self.backup)

    def close(self) -> None:
        pass


def stray_temp_files(folder: Path) -> list[Path]:
    """Temp files left by writers that were killed mid-write."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(TEMP_SUFFIX))


def temp_owner_alive(path: Path) -> bool:
    """Whether the process that made temp file `path` still runs (then it is not stray yet)."""
    parts = path.name.split(".")
    for part in parts:
        if part.isdigit():
            pid = int(part)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                return True
            return True
    return False
