"""Changes the review screen could not save, kept in a recovery file until the next start.

No Textual here. When the app leaves with changes still queued (the database stayed locked,
read-only or full), or set aside (their claim went away in a re-ingest), or is hung up on
(SIGHUP: a dropped SSH connection), those changes are written to a recovery file:

    $XDG_STATE_HOME/claimdesk/recovery/REVIEWER-H-KEY-PID-N.json   (platformdirs' user state dir)

KEY names the database folder (a hash of its real path) so a reviewer with several databases
gets each one's changes back in the right place; PID-N (the process, and which app in it)
keeps two sessions of one reviewer apart: a file whose process still runs is left alone.
The folder is created 0700 and must be a real folder of ours; files are written 0600,
atomically (temporary file, fsync, rename), never through a symlink, and read back the same
way (O_NOFOLLOW, a regular file of ours, every field checked). The next `claimdesk review` of
that database by that reviewer offers to replay them (`pending`, `read`).

`redo_commands` turns the same changes into `claimdesk tag/untag` lines for the terminal:
complete (`--db`, `--reviewer`) and shell-quoted.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import re
import shlex
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from claimdesk.extract.model import STATUSES

FORMAT = "claimdesk-recovery/1"
MAX_BYTES = 8 * 1024 * 1024
MAX_TEXT = 20_000
_OPEN_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)


class RecoveryError(Exception):
    """One line: which recovery file (or folder), and why it was not used."""


@dataclass(frozen=True)
class Unsaved:
    """What the reviewer wanted for one claim and the database does not have.

    status / note: None when these changes did not touch it. text: the claim's text, to show.
    reason: why it was set aside (can never be saved as it is), else ""."""

    claim_id: str
    status: str | None = None
    note: str | None = None
    text: str = ""
    reason: str = ""


@dataclass(frozen=True)
class RecoveryFile:
    path: Path
    db: str
    reviewer: str
    written: str
    pid: int
    changes: tuple[Unsaved, ...]

    @property
    def replayable(self) -> list[Unsaved]:
        return [c for c in self.changes if not c.reason]

    @property
    def set_aside(self) -> list[Unsaved]:
        return [c for c in self.changes if c.reason]


def collapse(ops: Iterable[object], *, reason: str = "", text_of: Callable[[str], str] = lambda cid: "") -> list[Unsaved]:
    """Queued store calls (`save_queue.Op`s, in order) -> one `Unsaved` per claim, first seen first."""
    out: dict[str, Unsaved] = {}
    for op in ops:
        cid, kind = getattr(op, "claim_id"), getattr(op, "kind")
        cur = out.get(cid) or Unsaved(cid, text=text_of(cid), reason=reason)
        if kind == "tag":
            cur = Unsaved(cid, getattr(op, "status"), cur.note, cur.text, cur.reason)
        elif kind == "untag":
            cur = Unsaved(cid, "", cur.note, cur.text, cur.reason)
        else:
            cur = Unsaved(cid, cur.status, getattr(op, "note") or "", cur.text, cur.reason)
        out[cid] = cur
    return list(out.values())


# ------------------------------------------------------------------------------ where

def default_folder() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir("claimdesk", appauthor=False)) / "recovery"


def database_key(db_path: Path | str) -> str:
    return hashlib.sha256(os.path.realpath(os.fspath(db_path)).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _prefix(db_path: Path | str, reviewer: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", reviewer)[:32].lstrip(".") or "reviewer"
    who = hashlib.sha256(reviewer.encode("utf-8", "surrogateescape")).hexdigest()[:6]
    return f"{safe}-{who}-{database_key(db_path)}-"


_instances = itertools.count(1)


def new_file_name(db_path: Path | str, reviewer: str) -> str:
    """The name of the recovery file of a new session (this process, its n-th app)."""
    return f"{_prefix(db_path, reviewer)}{os.getpid()}-{next(_instances)}.json"


def _open_folder(folder: Path, create: bool) -> int:
    """An fd of `folder`, a real folder (no symlink) owned by us and closed to others."""
    if create:
        with contextlib.suppress(FileExistsError):
            os.makedirs(folder, mode=0o700)
    try:
        fd = os.open(folder, _OPEN_DIR)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise RecoveryError(f"{folder}: cannot use for recovery files ({exc.strerror or exc})") from None
    st = os.fstat(fd)
    if st.st_uid != os.getuid() or st.st_mode & 0o022:
        os.close(fd)
        raise RecoveryError(f"{folder}: not a private folder of this user; recovery files are not kept there")
    return fd


# ------------------------------------------------------------------------------ writing

def write(folder: Path, name: str, db_path: Path | str, reviewer: str, changes: list[Unsaved]) -> Path | None:
    """Write (or, with no changes, remove) the recovery file `name` (`new_file_name`) of a
    session. Returns its path (None: removed)."""
    if not changes:
        remove(folder / name)
        return None
    fd = _open_folder(folder, create=True)
    try:
        doc = {
            "format": FORMAT,
            "db": os.path.realpath(os.fspath(db_path)),
            "reviewer": reviewer,
            "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "pid": os.getpid(),
            "changes": [asdict(c) for c in changes],
        }
        data = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8", "surrogateescape")
        tmp = f".{name}.tmp"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp, dir_fd=fd)
        out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=fd)
        try:
            os.write(out, data)
            os.fsync(out)
        finally:
            os.close(out)
        os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)  # replaces a planted symlink, never follows it
        os.fsync(fd)
    except OSError as exc:
        raise RecoveryError(f"{folder / name}: cannot write ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    return folder / name


def remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        path.unlink()


# ------------------------------------------------------------------------------ reading

def pending(folder: Path, db_path: Path | str, reviewer: str, own: str = "") -> tuple[list[RecoveryFile], list[str]]:
    """The recovery files left for this database and reviewer by sessions that have ended
    (oldest first; never `own`, the asking session's), and one line per file not usable."""
    prefix = _prefix(db_path, reviewer)
    try:
        fd = _open_folder(folder, create=False)
    except FileNotFoundError:
        return [], []
    except RecoveryError as exc:
        return [], [str(exc)]
    found: list[RecoveryFile] = []
    problems: list[str] = []
    try:
        try:
            names = sorted(os.listdir(fd))
        except OSError as exc:
            return [], [f"{folder}: cannot list ({exc.strerror or exc})"]
        for name in names:
            if not (name.startswith(prefix) and name.endswith(".json")):
                continue
            pid_text, _, n = name[len(prefix):-len(".json")].partition("-")
            if name == own or not (pid_text.isdigit() and n.isdigit()):
                continue
            pid = int(pid_text)
            if pid != os.getpid() and _alive(pid):
                continue  # a session still running: its file is its own
            try:
                found.append(_read(fd, folder, name, db_path, reviewer))
            except RecoveryError as exc:
                problems.append(str(exc))
    finally:
        os.close(fd)
    found.sort(key=lambda f: f.written)
    return found, problems


def _alive(pid: int) -> bool:
    """Whether process `pid` is a running claimdesk (a zombie, or a reused pid, is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    proc = Path(f"/proc/{pid}")
    try:
        stat_line = (proc / "stat").read_text()
        cmdline = (proc / "cmdline").read_bytes()
    except OSError:
        return not proc.parent.is_dir()  # no /proc here: trust kill(0)
    if stat_line[stat_line.rindex(")") + 2:].startswith(("Z", "X")):
        return False
    return b"claimdesk" in cmdline


def _read(fd: int, folder: Path, name: str, db_path: Path | str, reviewer: str) -> RecoveryFile:
    path = folder / name
    try:
        f = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    except OSError as exc:
        raise RecoveryError(f"{path}: not read ({exc.strerror or exc}; a symlink is never followed)") from None
    try:
        st = os.fstat(f)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid():
            raise RecoveryError(f"{path}: not a regular file of this user; ignored")
        if st.st_size > MAX_BYTES:
            raise RecoveryError(f"{path}: larger than {MAX_BYTES} bytes; ignored")
        raw = os.read(f, MAX_BYTES + 1)
    finally:
        os.close(f)
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise RecoveryError(f"{path}: not a recovery file ({exc})") from None
    return _checked(path, doc, db_path, reviewer)


def _checked(path: Path, doc: object, db_path: Path | str, reviewer: str) -> RecoveryFile:
    def bad(why: str) -> RecoveryError:
        return RecoveryError(f"{path}: {why}; ignored")

    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise bad("not a claimdesk recovery file")
    if doc.get("reviewer") != reviewer or doc.get("db") != os.path.realpath(os.fspath(db_path)):
        raise bad("made for another database or reviewer")
    written, pid, changes = doc.get("written"), doc.get("pid"), doc.get("changes")
    if not isinstance(written, str) or not isinstance(pid, int) or not isinstance(changes, list):
        raise bad("a field of the wrong type")
    out = []
    for i, item in enumerate(changes, 1):
        if not isinstance(item, dict) or set(item) - {"claim_id", "status", "note", "text", "reason"}:
            raise bad(f"change {i} is malformed")
        cid, status, note = item.get("claim_id"), item.get("status"), item.get("note")
        text, reason = item.get("text", ""), item.get("reason", "")
        if not isinstance(cid, str) or not re.fullmatch(r"[A-Za-z0-9_.:-]{1,200}", cid):
            raise bad(f"change {i} has no valid claim id")
        if status is not None and status not in (*STATUSES, ""):
            raise bad(f"change {i} has an unknown status {status!r}")
        if note is not None and (not isinstance(note, str) or len(note) > MAX_TEXT):
            raise bad(f"change {i} has a malformed note")
        if not isinstance(text, str) or not isinstance(reason, str) or len(text) > MAX_TEXT or len(reason) > 1000:
            raise bad(f"change {i} has a malformed text or reason")
        out.append(Unsaved(cid, status, note, text, reason))
    return RecoveryFile(path, doc["db"], reviewer, written, pid, tuple(out))


# ------------------------------------------------------------------------------ for the terminal

def redo_commands(changes: Iterable[Unsaved], db_path: Path | str, reviewer: str,
                  status_of: Callable[[str], str] = lambda cid: "") -> list[str]:
    """`claimdesk` lines that make the database what the reviewer wanted: complete and quoted.
    A set-aside change gets a comment instead (its claim is gone: no command can save it)."""
    where = ["--db", os.path.abspath(os.fspath(db_path)), "--reviewer", reviewer]
    lines = []
    for c in changes:
        if c.reason:
            lines.append(f"# not saved, cannot be: {c.claim_id} {c.status or ''} ({c.reason})"
                         + (f" — {shorten(c.text)}" if c.text else ""))
            continue
        status = c.status if c.status is not None else status_of(c.claim_id)
        if status:
            argv = ["claimdesk", "tag", c.claim_id, status, *where]
            if c.note is not None:
                argv += ["--note", c.note]
            lines.append(shlex.join(argv))
            continue
        if c.status == "":
            lines.append(shlex.join(["claimdesk", "untag", c.claim_id, *where]))
        if c.note is not None:
            lines.append(f"# note on {c.claim_id} (no status, so no command sets it): {shlex.quote(c.note)}")
    return lines


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
