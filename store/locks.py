"""Cross-process locks of a database folder (``locks/NAME.lock``): an advisory ``flock`` on a
lock file opened without following a link (`store.files`).

`filelock.FileLock` opens its file with ``O_CREAT|O_TRUNC`` and follows a symbolic link, so a
member of a shared database could make another member's lock truncate any file of theirs. This
lock opens the name ``O_NOFOLLOW`` (a link, a FIFO or a folder there is refused in one line)
and never truncates. It is the same ``flock`` that filelock takes on Unix, so both exclude each
other. A lock held too long is reported on stderr and retried, then `LockTimeout` is raised:
the change is not written, never dropped silently.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from pathlib import Path

from claimdesk.store.errors import DatabaseError, LockTimeout
from claimdesk.store.files import UnsafeFile, open_fd

LOCK_TIMEOUT = 10.0  # seconds per attempt
LOCK_ATTEMPTS = 3  # attempts before LockTimeout
LOCK_POLL = 0.002


class Lock:
    """``with Lock(path, mode):`` -- exclusive, across processes and threads (one open file
    description per `Lock`). DatabaseError (one line naming the lock file) when the lock file
    cannot be opened or is not a regular file; LockTimeout after `attempts` × `timeout` s."""

    def __init__(self, path: Path, mode: int, timeout: float = LOCK_TIMEOUT, attempts: int = LOCK_ATTEMPTS):
        self.path = Path(path)
        self.mode = mode
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self._fd: int | None = None

    def _open(self) -> int:
        try:
            try:
                return open_fd(self.path, os.O_RDWR)
            except FileNotFoundError:
                pass
            try:
                fd = open_fd(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, self.mode)
            except FileNotFoundError:  # no locks/ folder yet (an old or hand-made database)
                self.path.parent.mkdir(mode=0o2770 if self.mode & 0o070 else 0o700, exist_ok=True)
                fd = open_fd(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, self.mode)
            except FileExistsError:  # made by another process meanwhile
                return open_fd(self.path, os.O_RDWR)
            try:
                os.fchmod(fd, self.mode)
            except OSError:
                pass
            return fd
        except UnsafeFile as exc:
            raise DatabaseError(f"{exc}; nothing was written (`claimdesk doctor` lists such files)") from None
        except OSError as exc:
            raise DatabaseError(f"{self.path}: cannot open the lock file ({exc.strerror or exc}); nothing was written") from None

    def _acquire_within(self, fd: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                pass
            except OSError as exc:
                raise DatabaseError(f"{self.path}: cannot lock ({exc.strerror or exc}); nothing was written") from None
            if time.monotonic() >= deadline:
                return False
            time.sleep(LOCK_POLL)

    def __enter__(self) -> "Lock":
        fd = self._open()
        try:
            for attempt in range(1, self.attempts + 1):
                if self._acquire_within(fd, self.timeout):
                    self._fd = fd
                    return self
                print(
                    f"claimdesk: {self.path}: still locked by another claimdesk after {self.timeout:g} s "
                    f"(attempt {attempt}/{self.attempts}{'; retrying' if attempt < self.attempts else ''})",
                    file=sys.stderr,
                    flush=True,
                )
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        raise LockTimeout(
            f"{self.path}: locked by another process for {self.timeout * self.attempts:g} s; nothing was written"
        )

    def __exit__(self, *exc: object) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
