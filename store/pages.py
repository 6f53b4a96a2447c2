"""The page cache: every fetched page kept in the database folder, content-addressed.

    pages/<sha256 of the body>          the bytes as fetched (0600, 0660 for a group-shared database)
    pages/u-<sha256 of the url>.json    {url, final_url, status, content_type, charset, fetched_at, sha256, size}

`PageCache(folder).get(url)` gives the `Page` last fetched for `url` (None when there is none); `put(page)`
keeps a new one. A changed page is a new body file; the record then names it (the old body stays: another
URL may have the same content, and a record is never left naming a missing body). Every file is written atomically
(`store.storage.write_json_atomic`, a temporary file then rename) and read through `store.files.open_fd`
(``O_NOFOLLOW``, ``O_NONBLOCK``, ``fstat``): a symlink, FIFO or anything but a trusted regular file planted
in ``pages/`` is refused
(`PageCacheError`, one line naming the file), never followed. A body whose hash does not match its name
counts as missing (fetched again unless offline).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

import orjson

from claimdesk.extract.model import Page
from claimdesk.store.files import UnsafeFile, open_fd
from claimdesk.store.storage import write_bytes_atomic, write_json_atomic

__all__ = ["PAGES_DIR", "PageCache", "PageCacheError"]

PAGES_DIR = "pages"
_MAX_RECORD = 64 * 1024
_MAX_BODY = 256 * 1024 * 1024  # far above any --max-bytes; a bigger file is not a page we stored


class PageCacheError(OSError):
    """A file in the page cache that cannot be used (a symlink, not a regular file, unreadable)."""


def _url_key(url: str) -> str:
    return "u-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:40] + ".json"


class PageCache:
    def __init__(self, db_folder: Path, *, group_shared: bool = False):
        self.folder = Path(db_folder) / PAGES_DIR
        self.mode = 0o660 if group_shared else 0o600
        self.dir_mode = 0o2770 if group_shared else 0o700

    # ------------------------------------------------------------------------------------------ reading
    def get(self, url: str) -> Page | None:
        """The page last kept for `url`, or None (never fetched, or its body is gone or damaged)."""
        raw = self._read(self.folder / _url_key(url), _MAX_RECORD)
        if raw is None:
            return None
        try:
            rec = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(rec, dict) or rec.get("url") != url or not _is_sha(rec.get("sha256")):
            return None
        body = self._read(self.folder / rec["sha256"], _MAX_BODY)
        if body is None or hashlib.sha256(body).hexdigest() != rec["sha256"]:
            return None
        try:
            return Page(
                url=url,
                final_url=_str(rec, "final_url") or url,
                status=int(rec.get("status", 0)),
                content_type=_str(rec, "content_type"),
                charset=_str(rec, "charset"),
                fetched_at=_str(rec, "fetched_at"),
                body=body,
            )
        except (TypeError, ValueError):
            return None

    def _read(self, path: Path, limit: int) -> bytes | None:
        try:
            fd = open_fd(path)  # O_NOFOLLOW, O_NONBLOCK, fstat: a planted link or FIFO is refused, never used
        except FileNotFoundError:
            return None
        except UnsafeFile as exc:
            raise PageCacheError(str(exc)) from None  # "<file>: a symbolic link (not followed); refused"
        except OSError as exc:
            raise PageCacheError(f"{path}: cannot read ({exc.strerror or exc})") from None
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(limit + 1)
        return data if len(data) <= limit else None

    # ------------------------------------------------------------------------------------------ writing
    def put(self, page: Page) -> None:
        """Keep `page` (its body under its hash, then the record naming it)."""
        self._ensure_folder()
        digest = hashlib.sha256(page.body).hexdigest()
        body_path = self.folder / digest
        existing = None
        with contextlib.suppress(PageCacheError):
            existing = self._read(body_path, _MAX_BODY)
        if existing is None or hashlib.sha256(existing).hexdigest() != digest:
            self._write_bytes(body_path, page.body)
        record = {
            "url": page.url, "final_url": page.final_url, "status": page.status,
            "content_type": page.content_type, "charset": page.charset, "fetched_at": page.fetched_at,
            "sha256": digest, "size": len(page.body),
        }
        write_json_atomic(self.folder / _url_key(page.url), record, mode=self.mode, backup=False)

    def _ensure_folder(self) -> None:
        try:
            st = os.lstat(self.folder)
        except FileNotFoundError:
            os.mkdir(self.folder, self.dir_mode)
            os.chmod(self.folder, self.dir_mode)
            return
        if not stat.S_ISDIR(st.st_mode):
            raise PageCacheError(f"{self.folder}: not a folder (a link or a file is in its place; refused)")

    def _write_bytes(self, path: Path, data: bytes) -> None:
        write_bytes_atomic(path, data, mode=self.mode, backup=False)  # replaces a planted link, never follows it


def _is_sha(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _str(rec: dict, key: str) -> str:
    value = rec.get(key, "")
    return value if isinstance(value, str) else ""
