"""The judgement history: one append-only log per judgement shard (``judgements/h-NNN.jsonl``).

A shard's current values (``j-NNN.json``, rewritten atomically on every change) say, for each
judgement, how many changes it has had (``"changes": n``). Every change is also one line of
the shard's log, appended and fsynced *before* the current values are replaced::

    ["<claim id>", "<reviewer>", n, "<at>", "<changed by>", "<status>", "<note>", "<action>", "<account>"]

(the OS account that made the change, `pwd` of the effective uid, is the ninth field since
schema 4's second release; older lines have eight and read as account "").

n is the change's number within its judgement (1, 2, ...). The current values are the commit
record: a logged change counts only while n <= the judgement's committed count, and when a
number appears twice (a writer killed after its append, before its replace; the next writer
appends its own change under the same number) the later line wins. So a crash at any instant
leaves a history that matches the current values exactly; a torn last line (killed mid-append)
is skipped by readers and closed off with a newline by the next writer.

Appending keeps a change's cost independent of how long the history has grown, and readers of
current values (the review screen: 50,000 judgements at start) never parse the history at all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from claimdesk.store.files import open_fd, read_bytes, write_all
from claimdesk.store.judgements import Change
from claimdesk.store.storage import fsync_dir

SUFFIX = ".jsonl"

Key = tuple[str, str]  # (claim id, reviewer)


@dataclass
class LogRead:
    """What one log holds: changes by judgement and number (later lines win), and its flaws."""

    changes: dict[Key, dict[int, Change]] = field(default_factory=dict)
    torn_tail: bool = False  # the last line is incomplete (a writer killed mid-append)
    bad_lines: list[int] = field(default_factory=list)  # 1-based numbers of other lines that do not parse

    def history(self, key: Key, committed: int) -> tuple[Change, ...]:
        """The changes 1..committed of one judgement, oldest first (any missing are left out:
        `claimdesk doctor` reports a log that lacks committed changes)."""
        got = self.changes.get(key, {})
        return tuple(got[n] for n in range(1, committed + 1) if n in got)

    def missing(self, committed: Mapping[Key, int]) -> int:
        """How many committed changes the log lacks."""
        have = self.changes
        return sum(
            sum(1 for n in range(1, c + 1) if n not in have.get(key, {})) for key, c in committed.items()
        )


def log_of(shard_file: Path) -> Path:
    """The history log of a shard: judgements/j-007.json -> judgements/h-007.jsonl."""
    return shard_file.with_name("h-" + shard_file.name.removeprefix("j-").removesuffix(".json") + SUFFIX)


def encode_line(claim_id: str, reviewer: str, n: int, change: Change) -> bytes:
    fields = [claim_id, reviewer, n, change.at, change.reviewer, change.status, change.note, change.action]
    if change.account:
        fields.append(change.account)
    return orjson.dumps(fields) + b"\n"


def append(path: Path, lines: Iterable[bytes], mode: int) -> None:
    """Append whole lines to a log and fsync it (call under the shard's lock). A torn last line
    left by a killed writer is closed with a newline first, so it spoils nothing after it."""
    payload = b"".join(lines)
    if not payload:
        return
    created = False
    while True:  # never through a symbolic link, never anything but a regular file (`store.files`)
        try:
            fd = open_fd(path, os.O_RDWR | os.O_APPEND)
            break
        except FileNotFoundError:
            pass
        try:
            fd = open_fd(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL, mode)
            created = True
            break
        except FileExistsError:  # made by another writer meanwhile (or a link planted): open it again
            continue
    try:
        if created:
            os.fchmod(fd, mode)
        else:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                payload = b"\n" + payload
        write_all(fd, payload)
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)  # the new log's name is durable before any value refers to it


def read(path: Path) -> LogRead:
    """Parse a log (missing: empty). Never raises on content: flaws are recorded in the result."""
    out = LogRead()
    try:
        raw = read_bytes(path)  # UnsafeFile (a one-line refusal) for a link or a non-regular file
    except FileNotFoundError:
        return out
    if not raw:
        return out
    lines = raw.split(b"\n")
    if lines[-1]:  # no final newline: the last append was cut short
        out.torn_tail = True
    lines.pop()  # "" after the final newline, or the torn tail
    changes = out.changes
    loads = orjson.loads
    for number, line in enumerate(lines, start=1):
        if not line:
            continue  # the newline that closed a torn tail
        try:
            fields = loads(line)
            if type(fields) is not list or len(fields) not in (8, 9):
                raise ValueError("not a history line")
            cid, reviewer, n, at, by, status, note, action = fields[:8]
            account = fields[8] if len(fields) == 9 else ""
            if type(n) is not int or not all(type(v) is str for v in (cid, reviewer, at, by, status, note, action, account)):
                raise ValueError("a field of the wrong type")
            change = Change(at, by, status, note, action, account)
        except (orjson.JSONDecodeError, ValueError, TypeError):
            out.bad_lines.append(number)
            continue
        key = (cid, reviewer)
        got = changes.get(key)
        if got is None:
            changes[key] = {n: change}
        else:
            got[n] = change
    return out
