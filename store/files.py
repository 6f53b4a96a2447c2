"""Opening a file inside a database folder without trusting whoever else can write there.

A group-shared database folder is writable by every member of its group, so any name in it may
have been replaced by a symbolic link (to another member's shell start-up file, to a 0600 file
of theirs), a FIFO, a device or a folder. Every open of a file in a database folder (shards,
logs, backups, temporaries, the corpus, links files, locks) goes through `open_fd`:

- ``O_NOFOLLOW``: a symbolic link as the last component is refused, never followed;
- ``O_NONBLOCK`` on the open, so a planted FIFO cannot hang the opener (it is refused next);
- ``fstat`` of what was opened: anything but a regular file is refused;
- a file writable by everyone, or owned by another account outside the folder's group (not
  something a member of this database wrote), is refused.

A refusal is `UnsafeFile` (a `CorruptFile`, so every caller that reports a corrupt file in one
line reports this one the same way): ``"<path>: a symbolic link; refused (not followed)"``.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class CorruptFile(ValueError):
    """A file that exists but is not a JSON object (truncated, edited, foreign)."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnsafeFile(CorruptFile):
    """A name in a database folder that is not a regular file we may trust (symlink, FIFO,
    folder, device, world-writable, foreign owner). str(): one line naming the file."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(Path(path), f"{reason}; refused")


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link (not followed)"
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "a FIFO, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    return "not a regular file"


def problem_of(st: os.stat_result, folder_gid: int | None = None) -> str:
    """Why a file with this (l)stat is not to be trusted ("" when it may be)."""
    if not stat.S_ISREG(st.st_mode):
        return _kind(st.st_mode)
    if st.st_mode & stat.S_IWOTH:
        return f"writable by everyone (mode {stat.S_IMODE(st.st_mode):04o})"
    euid = os.geteuid()
    if st.st_uid not in (euid, 0) and folder_gid is not None and st.st_gid != folder_gid:
        return f"owned by uid {st.st_uid} and a group (gid {st.st_gid}) other than the database folder's"
    return ""


def _folder_gid(path: Path) -> int | None:
    try:
        return os.stat(path.parent).st_gid
    except OSError:
        return None


def open_fd(path: Path | str, flags: int = os.O_RDONLY, mode: int = 0o600) -> int:
    """os.open without following a symbolic link, then checked to be a regular file we may trust.

    Raises FileNotFoundError (and other OSErrors) as os.open does, UnsafeFile when refused.
    O_NONBLOCK is cleared again once the file is known to be regular."""
    path = Path(path)
    try:
        fd = os.open(path, flags | _NOFOLLOW | _CLOEXEC | _NONBLOCK, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # the last component is a symbolic link
            raise UnsafeFile(path, "a symbolic link (not followed)") from None
        if exc.errno in (errno.ENXIO, errno.EISDIR):  # a FIFO without a reader (write) / a folder
            try:
                kind = _kind(os.lstat(path).st_mode)
            except OSError:
                kind = "not a regular file"
            raise UnsafeFile(path, kind) from None
        raise
    try:
        st = os.fstat(fd)
        why = problem_of(st, _folder_gid(path) if st.st_uid not in (os.geteuid(), 0) else None)
        if why:
            raise UnsafeFile(path, why)
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bytes(path: Path | str) -> bytes:
    """The whole content of a regular file (see `open_fd`)."""
    fd = open_fd(path, os.O_RDONLY)
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def open_binary(path: Path | str):
    """A binary file object open for reading (see `open_fd`)."""
    return os.fdopen(open_fd(path, os.O_RDONLY), "rb")


def check_name(path: Path | str) -> str:
    """Why the name `path` (not followed) is not a regular file we may trust; "" when it is,
    or when nothing is there."""
    path = Path(path)
    st = _lstat(path)
    if not isinstance(st, os.stat_result):
        return st
    return problem_of(st, _folder_gid(path) if st.st_uid not in (os.geteuid(), 0) else None)


def check_folder(path: Path | str) -> str:
    """Why `path` is not a real folder (a symbolic link to one, a file...): "" when it is one or absent."""
    st = _lstat(path)
    if not isinstance(st, os.stat_result):
        return st
    if stat.S_ISLNK(st.st_mode):
        return "a symbolic link to a folder (not followed)"
    if not stat.S_ISDIR(st.st_mode):
        return _kind(st.st_mode)
    return ""


def _lstat(path: Path | str) -> os.stat_result | str:
    """The name's own status (not followed), "" when nothing is there, else why it cannot be read."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return exc.strerror or str(exc)


def write_all(fd: int, payload: bytes) -> None:
    """Write every byte of `payload` to `fd` (short writes continued), then fsync it."""
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def write_exclusive(path: Path | str, payload: bytes, mode: int) -> None:
    """Create `path` (never an existing name, never through a link), write, fsync."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, mode)
    try:
        os.fchmod(fd, mode)
        write_all(fd, payload)
    finally:
        os.close(fd)
